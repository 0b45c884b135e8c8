"""The reader's language: gettext catalogues, plural forms and user text inside translations.

Every user-facing string is written in English inside ``tx._("...")`` (or
``tx.n_("one ...", "{n} ...", n)``) where ``tx`` is the :class:`Texts` of the person who will
read the message — the user who pressed the button, or each recipient of a notification.
Placeholders are ``str.format`` names: ``tx._("Hello, {name}!").format(name=tx.user(name))``.

Catalogues are the ``.po`` files under ``locales/<lang>/LC_MESSAGES/forumbridge.po``; they
are compiled in memory when first used (Babel), so there is no build step to forget. English
needs no catalogue: the message ids are the English text.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from collections.abc import Callable
from importlib import resources
from typing import IO, TypeVar

from babel import Locale
from babel.numbers import format_decimal

from bot.domain.languages import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    LOCALES,
    RIGHT_TO_LEFT,
    language_for,
)
from bot.domain.unicode_text import without_bidi_controls
from handlers.html import esc

log = logging.getLogger(__name__)

DOMAIN = "forumbridge"
# Unicode bidi isolates: Latin names, e-mails and URLs inside right-to-left text keep their
# own direction and do not reorder the sentence around them.
FSI, PDI = "\u2068", "\u2069"


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined (a constant); it is translated
    where it is used, with ``tx._(message)``."""
    return message


def _catalogue(language: str) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    source = resources.files("locales").joinpath(language, "LC_MESSAGES", f"{DOMAIN}.po")
    if not source.is_file():
        log.warning("no catalogue for %r; falling back to English", language)
        return gettext.NullTranslations()
    with source.open("rb") as handle:
        return compile_catalogue(handle, language)


def compile_catalogue(po: IO[bytes], language: str) -> gettext.GNUTranslations:
    """A ``.po`` catalogue compiled in memory. Fuzzy translations are left out: a translator
    has not confirmed them, so the reader gets the English message instead."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Texts:
    """Translations and text helpers for one language."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self.rtl = self.language in RIGHT_TO_LEFT
        # Dates, numbers and durations follow this locale (handlers/dates.py).
        self.locale = Locale.parse(LOCALES[self.language])
        self._translations = _catalogue(self.language)

    def _(self, message: str) -> str:
        return self._translations.gettext(message)

    def n_(self, singular: str, plural: str, n: int) -> str:
        """The plural form for ``n`` (``{n}`` in the text is filled in)."""
        return self._translations.ngettext(singular, plural, n).replace("{n}", self.number(n))

    def number(self, n: int | float) -> str:
        """``1,200`` in ``en``, ``1.200`` in ``ro``."""
        return format_decimal(n, locale=self.locale)

    def user(self, value: object) -> str:
        """What a user typed, escaped for HTML (its own bidi controls dropped, as
        :func:`handlers.html.esc` does) and, in right-to-left text, isolated."""
        text = esc(value)
        return f"{FSI}{text}{PDI}" if self.rtl and text else text

    def plain(self, value: object) -> str:
        """As :meth:`user`, for text that is not HTML (button labels, file names)."""
        text = without_bidi_controls(str(value))
        return f"{FSI}{text}{PDI}" if self.rtl and text else text


@functools.lru_cache(maxsize=len(LANGUAGES))
def texts(language: str | None = None) -> Texts:
    return Texts(language_for(language))


Built = TypeVar("Built")


def per_language(build: Callable[[Texts], Built]) -> Callable[[Texts], Built]:
    """``build(tx)`` made once per language and then reused: for what depends on the
    reader's language alone, like a menu's buttons (PTB's objects are immutable once made,
    so one keyboard can go out with any number of messages)."""
    made: dict[str, Built] = {}

    @functools.wraps(build)
    def once(tx: Texts) -> Built:
        if tx.language not in made:
            made[tx.language] = build(tx)
        return made[tx.language]

    return once


__all__ = ["FSI", "LANGUAGES", "N_", "PDI", "Texts", "language_for", "per_language", "texts"]
