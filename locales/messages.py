"""``make messages``: extract the messages of the code into ``locales/forumbridge.pot`` and bring
every language's catalogue (``locales/<lang>/LC_MESSAGES/forumbridge.po``) up to date, with
Babel's own ``extract`` and ``update`` commands.

The code marks messages as ``tx._("...")``, ``tx.n_("one", "{n} many", n)`` and ``N_("...")``
(handlers/i18n.py); Babel's Python extractor finds the method calls as well as the plain ones.
New messages reach each catalogue untranslated, changed ones fuzzy (a fuzzy translation is not
used until a translator confirms it), removed ones stay at the end as obsolete (``#~``). A
missing catalogue is created with the language's plural forms from CLDR.

These settings are the only ones: the catalogue tests extract the code with them too, so a
message the tests see is a message ``make messages`` puts in the catalogues. Nothing here runs
when the bot runs; the bot compiles the ``.po`` files in memory (handlers/i18n.py).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_keywords
from babel.messages.pofile import read_po

from bot.domain.languages import DEFAULT_LANGUAGE, LANGUAGES

DOMAIN = "forumbridge"
# The packages whose code speaks to users.
SOURCES = ("bot", "handlers")
# `_` and `N_` take the message; `n_` the singular and the plural.
KEYWORDS = ("_", "n_:1,2", "N_")
# Comments that start with this, on the line before a message, reach the translators.
COMMENT_TAG = "TRANSLATORS:"
METHOD_MAP = [("**.py", "python")]
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != DEFAULT_LANGUAGE)
# From the checkout's top folder, where `make messages` runs.
FOLDER = "locales"
TEMPLATE = f"{FOLDER}/{DOMAIN}.pot"


def extracted(root: Path) -> Iterator[tuple[str, int, str | tuple[str, ...]]]:
    """``(file, line, message)`` for every message the code under ``root`` marks; a plural
    message is the tuple ``(singular, plural)``."""
    keywords = parse_keywords(list(KEYWORDS))
    for source in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            root / source, method_map=METHOD_MAP, keywords=keywords
        ):
            yield f"{source}/{filename}", lineno, message


def _version() -> str:
    try:
        return version("forumbridge")
    except PackageNotFoundError:
        return "dev"


def commands() -> list[list[str]]:
    """The ``pybabel`` command lines ``make messages`` runs, in order, from the checkout's
    top folder (the catalogues name files by their path from there)."""
    extract = ["pybabel", "extract", "--no-default-keywords"]
    for keyword in KEYWORDS:
        extract += ["-k", keyword]
    extract += [
        f"--add-comments={COMMENT_TAG}",
        # File names help translators; line numbers would change the catalogues on every edit.
        "--add-location=file",
        "--project=ForumBridge",
        f"--version={_version()}",
        f"--output-file={TEMPLATE}",
        *SOURCES,
    ]
    lines = [extract]
    for language in TRANSLATED:
        lines.append(
            [
                "pybabel",
                "update",
                f"--input-file={TEMPLATE}",
                f"--output-dir={FOLDER}",
                f"--domain={DOMAIN}",
                f"--locale={language}",
                "--init-missing",
                "--ignore-pot-creation-date",
            ]
        )
    return lines


def _same_messages(old: bytes, new: bytes) -> bool:
    """Whether two templates differ only in their creation date."""
    before, after = read_po(io.BytesIO(old)), read_po(io.BytesIO(new))
    after.creation_date = before.creation_date
    return before.is_identical(after)


def main() -> int:
    template = Path(TEMPLATE)
    previous = template.read_bytes() if template.is_file() else None
    for line in commands():
        CommandLineInterface().run(line)
        if line[1] == "extract" and previous and _same_messages(previous, template.read_bytes()):
            # A template whose messages did not change keeps its date: no diff to commit.
            template.write_bytes(previous)
    return 0


if __name__ == "__main__":
    sys.exit(main())
