"""The shape of the code, checked: layers import one way, no cycles, small modules.

docs/architecture.md explains the layers; this test keeps them true. It reads the source
with ``ast`` (imports under ``TYPE_CHECKING`` count too: a cycle there is still a cycle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "storage", "sandbox", "locales")
MAX_LINES = 400

# (importer prefix, imported prefix) pairs that must never occur.
FORBIDDEN: tuple[tuple[str, str, str], ...] = (
    ("handlers", "storage", "handlers call services, never repositories"),
    ("storage", "bot", "storage knows nothing of the application"),
    ("storage", "telegram", "storage knows nothing of Telegram"),
    ("storage", "handlers", "storage knows nothing of handlers"),
    ("bot.services", "telegram", "services return data, not Telegram objects"),
    ("bot.services", "handlers", "services do not render"),
    ("bot.services", "bot.runtime", "services do not reach the runtime wiring"),
    ("bot.domain", "telegram", "pure code"),
    ("bot.domain", "storage", "pure code does no I/O"),
    ("bot.domain", "aiosqlite", "pure code does no I/O"),
    ("bot.domain", "bot.services", "pure code sits below the services"),
    ("bot.domain", "bot.runtime", "pure code sits below the runtime"),
    ("bot.domain", "handlers", "pure code sits below the handlers"),
    ("bot", "sandbox", "the sandbox is a test tool, not part of the product"),
    ("handlers", "sandbox", "the sandbox is a test tool, not part of the product"),
    ("storage", "sandbox", "the sandbox is a test tool, not part of the product"),
)
# Only the application's assembly imports the handlers.
HANDLER_IMPORTERS = ("bot.app",)
# On purpose: `python -m bot demo` imports the sandbox when it is installed, and says which
# extra to install when it is not.
PERMITTED = {("bot.cli.demo", "sandbox.demo")}
# Modules that still break a rule while the restructuring is under way; each entry is
# (module, imported module). The list only ever shrinks.
KNOWN: set[tuple[str, str]] = set()
# Import cycles still to break (module sets); the list only ever shrinks.
KNOWN_CYCLES: list[frozenset[str]] = []
# The forum is data (data/forum.toml, FORUM_CONFIG): no module names a country, a zone or a
# flag of a forum — not the first one's either. The words are matched in any case, anywhere
# in the source (comments and docstrings too); the two-letter codes as string literals. The
# migrations' SQL, which converts the first forum's old rows, is not a module.
FORUM_WORDS = ("Romania", "Pakistan", "Bucharest", "Karachi", "🇷🇴", "🇵🇰")
FORUM_CODES = ("RO", "PK")
FORUM_FREE = ("bot", "handlers", "storage", "sandbox")
KNOWN_LONG: set[str] = set()


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def imports(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            # `from bot.services import reminders` imports the module bot.services.reminders
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def _excused(importer: str, target: str) -> bool:
    return any(importer == who and _within(target, what) for who, what in KNOWN | PERMITTED)


GRAPH = {name: imports(name, path) for name, path in modules()}
LOCAL = set(GRAPH)


def test_layers_import_one_way() -> None:
    broken = []
    for importer, imported in GRAPH.items():
        for target in imported:
            for low, high, why in FORBIDDEN:
                if (
                    _within(importer, low)
                    and _within(target, high)
                    and not _excused(importer, target)
                ):
                    broken.append(f"{importer} imports {target}: {why}")
            if (
                _within(target, "handlers")
                and not _within(importer, "handlers")
                and importer not in HANDLER_IMPORTERS
                and not _excused(importer, target)
            ):
                broken.append(f"{importer} imports {target}: only bot.app imports handlers")
    assert broken == []


def test_the_list_of_known_breaks_only_shrinks() -> None:
    """An entry that no longer breaks a rule must leave KNOWN, so it cannot come back."""
    stale = [
        (who, what)
        for who, what in KNOWN
        if not any(_within(t, what) for t in GRAPH.get(who, set()))
    ]
    assert stale == []


def test_no_private_telegram_imports() -> None:
    private = [
        f"{importer} imports {target}"
        for importer, imported in GRAPH.items()
        for target in imported
        if _within(target, "telegram") and any(p.startswith("_") for p in target.split(".")[1:])
    ]
    assert private == []


def test_no_import_cycles() -> None:
    edges = {
        name: {t for t in targets if t in LOCAL and t != name} for name, targets in GRAPH.items()
    }
    # A package's __init__ importing its own submodules is how packages re-export.
    for name in edges:
        edges[name] = {t for t in edges[name] if not _within(t, name)}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                if not any(set(cycle) <= known for known in KNOWN_CYCLES):
                    cycles.append(cycle)
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


@pytest.mark.parametrize(("name", "path"), list(modules()), ids=[n for n, _ in modules()])
def test_modules_are_small_and_say_what_they_are_for(name: str, path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    if name not in KNOWN_LONG:
        assert len(source.splitlines()) <= MAX_LINES, f"{name} is over {MAX_LINES} lines"
    if source.strip():
        assert ast.get_docstring(ast.parse(source)), f"{name} has no docstring"


def test_no_module_names_the_forum() -> None:
    found: list[str] = []
    for name, path in modules():
        if not any(_within(name, package) for package in FORUM_FREE):
            continue
        source = path.read_text(encoding="utf-8")
        lowered = source.casefold()
        found += [f"{name}: {word}" for word in FORUM_WORDS if word.casefold() in lowered]
        found += [
            f"{name}:{node.lineno}: {node.value!r}"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Constant) and node.value in FORUM_CODES
        ]
    assert found == []
