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

import sys
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import CommandLineInterface, parse_keywords

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
    folder = "locales"
    template = f"{folder}/{DOMAIN}.pot"
    extract = ["pybabel", "extract", "--no-default-keywords"]
    for keyword in KEYWORDS:
        extract += ["-k", keyword]
    extract += [
        f"--add-comments={COMMENT_TAG}",
        # File names help translators; line numbers would change the catalogues on every edit.
        "--add-location=file",
        "--project=ForumBridge",
        f"--version={_version()}",
        f"--output-file={template}",
        *SOURCES,
    ]
    lines = [extract]
    for language in TRANSLATED:
        lines.append(
            [
                "pybabel",
                "update",
                f"--input-file={template}",
                f"--output-dir={folder}",
                f"--domain={DOMAIN}",
                f"--locale={language}",
                "--init-missing",
                "--ignore-pot-creation-date",
            ]
        )
    return lines


def main() -> int:
    for line in commands():
        CommandLineInterface().run(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
