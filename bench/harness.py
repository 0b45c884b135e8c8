"""What the throughput and registration benchmarks share: the echo bot they compare against,
running a measurement in a process of its own, another revision's code for a before/after
side by side, and the small statistics.

A measurement runs in a child process (``python bench/X.py --child ...``) so that its CPU
time and peak RSS are its own. ``--code DIR`` in the child puts ``DIR`` (a tree of another
revision's ``bot``, ``handlers``, ``storage`` and ``locales``, see :func:`revision_tree`) in
front of this worktree on ``sys.path``: the bot under test is that revision's, the
benchmark, the sandbox and the data are this worktree's.
"""

from __future__ import annotations

import contextlib
import json
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# What a revision's bot is made of (the sandbox and the forum file stay this worktree's).
BOT_PACKAGES = ("bot", "handlers", "storage", "locales")


def use_code(argv: Sequence[str]) -> None:
    """Called by a benchmark before it imports the bot: ``--code DIR`` in ``argv`` puts that
    tree first on ``sys.path``."""
    if "--code" in argv:
        sys.path.insert(0, argv[list(argv).index("--code") + 1])


def cpu_seconds() -> float:
    """CPU time of this process (bot, sandbox and SQLite thread), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def pct(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


@contextlib.contextmanager
def revision_tree(revision: str | None) -> Iterator[Path | None]:
    """The bot's packages of ``revision`` (``git archive``), in a temporary directory; None
    when no revision is given."""
    if revision is None:
        yield None
        return
    archive = subprocess.run(
        ["git", "archive", "--format=tar", revision, *BOT_PACKAGES],
        check=True,
        capture_output=True,
        cwd=ROOT,
    ).stdout
    with tempfile.TemporaryDirectory(prefix="forumbridge-rev-") as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        yield Path(folder)


def run_child(script: Path, args: Sequence[str], code: Path | None = None) -> dict[str, Any]:
    """Run ``script --child ...`` in its own process; its last line of output is JSON."""
    extra = ["--code", str(code)] if code is not None else []
    out = subprocess.run(
        [sys.executable, str(script), *args, *extra],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def print_side_by_side(
    columns: dict[str, dict[str, Any]], rows: Sequence[tuple[str, str, str]], width: int
) -> None:
    """One line per (label, key, format) with each column's value ("-" where it has none),
    under a header of the column names."""
    print(f"{'':{width}}" + "".join(f" {name:>10}" for name in columns))
    for label, key, fmt in rows:
        cells = [fmt.format(r[key]) if key in r else "-" for r in columns.values()]
        print(f"{label:{width}}" + "".join(f" {cell:>10}" for cell in cells))


async def start_echo(settings: Any, transport: str, concurrency: int) -> Any:
    """A started echo bot (every message answered with its own text) against the settings'
    Bot API: PTB's defaults with ``transport="stock"``, else the bot's own pair of requests
    on that transport; updates through the bot's per-chat processor when ``concurrency`` > 1.
    Stop it with :func:`stop_echo`."""
    from dataclasses import replace

    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    from bot.runtime.processor import PerChatOrderedProcessor
    from bot.runtime.transport import build_requests

    async def echo(update: Update, context: Any) -> None:
        assert update.effective_chat and update.effective_message
        await update.effective_chat.send_message(update.effective_message.text or "")

    builder = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
    )
    if transport != "stock":
        replies, updates_request = build_requests(
            replace(settings, http_transport=transport), concurrency
        )
        builder = builder.request(replies).get_updates_request(updates_request)
    if concurrency > 1:
        builder = builder.concurrent_updates(PerChatOrderedProcessor(concurrency))
    app = builder.build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    await app.initialize()
    assert app.updater
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    await app.start()
    return app


async def stop_echo(app: Any) -> None:
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
