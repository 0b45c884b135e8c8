"""The languages the bot speaks and how a Telegram client's language code maps to one.

English is the source language (the gettext message ids); the other languages have catalogues
under ``locales/``. Anyone else reads English.
"""

from __future__ import annotations

DEFAULT_LANGUAGE = "en"
LANGUAGES: tuple[str, ...] = ("en", "ro", "ur")
RIGHT_TO_LEFT = frozenset({"ur"})
# Each language named in itself, as the /language buttons show it.
NATIVE_NAMES = {"en": "English", "ro": "Română", "ur": "اردو"}
# The CLDR locale whose dates, numbers and plural rules each language follows. English is
# British English: day before month, 24-hour clock, as both sides of the forum write it.
LOCALES = {"en": "en_GB", "ro": "ro_RO", "ur": "ur_PK"}


def language_for(code: str | None) -> str:
    """The language for someone whose Telegram client says ``code`` (``ro-RO`` → ``ro``);
    English for every language we have no catalogue for."""
    base = (code or "").replace("_", "-").split("-", 1)[0].casefold()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE
