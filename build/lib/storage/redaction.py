"""Finding a person in stored values, for erasure: whether a row carries their data, and the
same text with it replaced by a pseudonym.

Pure code, no I/O. Two kinds of marks:

* **strong** ones are specific enough to say a row is about the person wherever they occur:
  the Telegram id (a whole number, never part of a longer one), the @username, e-mail
  addresses, phone numbers in any formatting, and phrases of two or more words (the full
  name, a contact name, the name of their deleted company) or long notes they wrote;
* **weak** ones are single words of their names. "Ana" or "Data" also occur in text about
  other things, so a weak match alone never marks a row; in a row that is theirs anyway
  they are replaced too.

Text is compared after HTML unescaping (messages are stored as HTML) and without regard
to case.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

PHONE_SEPARATORS = r"[\s().\-]*"
PHONE_MIN_DIGITS = 7
# The national part of a phone number: enough to recognise it without its country code.
PHONE_TAIL_DIGITS = 9
LONG_TEXT = 20


def _bounded(body: str, text: str) -> str:
    """``body`` (a regex for ``text``) that does not start or end inside a word."""
    start = r"(?<!\w)" if text[:1].isalnum() or text[:1] == "_" else ""
    end = r"(?!\w)" if text[-1:].isalnum() or text[-1:] == "_" else ""
    return f"{start}{body}{end}"


def _phrase(text: str) -> str:
    return _bounded(r"\s+".join(re.escape(word) for word in text.split()), text.strip())


def _phone(text: str) -> str | None:
    digits = re.sub(r"\D", "", text)
    if len(digits) < PHONE_MIN_DIGITS:
        return None
    tail = PHONE_SEPARATORS.join(digits[-PHONE_TAIL_DIGITS:])
    # An optional country code or trunk zero in front of the national part.
    return rf"(?<!\d)(?:(?:\+|00)?\d{{1,3}}{PHONE_SEPARATORS})?0?{PHONE_SEPARATORS}{tail}(?!\d)"


@dataclass
class Identity:
    """Everything that identifies one person in text, and the label that replaces it."""

    telegram_id: int
    label: str
    strong: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    weak: list[tuple[re.Pattern[str], str]] = field(default_factory=list)
    _any_strong: re.Pattern[str] | None = field(default=None, repr=False)
    _every: re.Pattern[str] | None = field(default=None, repr=False)

    @classmethod
    def of(
        cls,
        telegram_id: int,
        label: str,
        *,
        names: Iterable[str | None] = (),
        usernames: Iterable[str | None] = (),
        emails: Iterable[str | None] = (),
        phones: Iterable[str | None] = (),
        texts: Iterable[str | None] = (),
        others: Iterable[tuple[str | None, str]] = (),
    ) -> Identity:
        """``names``: people's names (the full name as one string); ``texts``: things they
        wrote; ``others``: (text, label) for what is not the person but goes with them, such
        as the name of their deleted company."""
        identity = cls(telegram_id, label)
        identity._add(re.escape(str(telegram_id)).join((r"(?<!\d)", r"(?!\d)")), label)
        for username in usernames:
            handle = (username or "").strip().lstrip("@")
            if handle:
                identity._add(_bounded("@?" + re.escape(handle), handle), label)
        for email in emails:
            if email and email.strip():
                identity._add(_bounded(re.escape(email.strip()), email.strip()), label)
        for phone in phones:
            pattern = _phone(phone or "")
            if pattern:
                identity._add(pattern, label)
        for text, text_label in [*((n, label) for n in names), *others]:
            identity._name(text or "", text_label)
        for text in texts:
            text = " ".join((text or "").split())
            if len(text) >= LONG_TEXT:
                identity._add(_phrase(text), label)
        return identity

    def _add(self, pattern: str, label: str, *, weak: bool = False) -> None:
        compiled = re.compile(pattern, re.IGNORECASE)
        self._any_strong = self._every = None
        (self.weak if weak else self.strong).append((compiled, label))

    def _name(self, text: str, label: str) -> None:
        words = text.split()
        if len(words) >= 2:
            self._add(_phrase(text), label)
        for word in words:
            if len(word) >= 2:
                self._add(_bounded(re.escape(word), word), label, weak=True)

    # -- finding --------------------------------------------------------------------------
    def in_text(self, text: str) -> bool:
        """Whether a strong mark occurs in ``text`` (HTML or plain)."""
        if self._any_strong is None:
            self._any_strong = re.compile(
                "|".join(f"(?:{pattern.pattern})" for pattern, _ in self.strong), re.IGNORECASE
            )
        return self._any_strong.search(html.unescape(text) if "&" in text else text) is not None

    def in_value(self, value: Any) -> bool:
        """Whether a strong mark occurs anywhere in a JSON-like value; numbers count when
        they are the Telegram id."""
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value == self.telegram_id
        if isinstance(value, str):
            return self.in_text(value)
        if isinstance(value, dict):
            return any(self.in_value(k) or self.in_value(v) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return any(self.in_value(v) for v in value)
        return False

    # -- replacing ------------------------------------------------------------------------
    def scrub(self, text: str, *, label: str | None = None) -> str:
        """``text`` with every mark, strong and weak, replaced by its label (or by ``label``
        for all), in one pass so a label is never matched again, and a label repeated side
        by side said once."""
        marks = [*self.strong, *self.weak]
        if self._every is None:
            self._every = re.compile(
                "|".join(f"(?P<m{i}>{pattern.pattern})" for i, (pattern, _) in enumerate(marks)),
                re.IGNORECASE,
            )
        combined = self._every

        def replace(match: re.Match[str]) -> str:
            return label or marks[int((match.lastgroup or "m0")[1:])][1]

        text = combined.sub(replace, text)
        for own in {label or own for _, own in marks}:
            mark = re.escape(own)
            # A function, not a template: a label is text, never a backreference.
            text = re.sub(rf"{mark}(?:[\s,;:]*{mark})+", _constant(own), text)
        return text


def _constant(text: str) -> Callable[[re.Match[str]], str]:
    return lambda _match: text
