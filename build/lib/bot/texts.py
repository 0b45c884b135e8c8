"""Message building for HTML parse mode: escaping and splitting within Telegram's limits."""

from __future__ import annotations

import html

MAX_MESSAGE_LENGTH = 4096


def esc(value: object) -> str:
    """Escape anything a user typed before it goes into an HTML message."""
    return html.escape(str(value), quote=False)


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split a long HTML text into messages of at most ``limit`` characters, on line breaks.

    Splitting happens between lines so that tags (which never span lines in our messages)
    stay balanced; a single over-long line is cut hard as a last resort.
    """
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            parts.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            parts.append(current)
            current = line
        else:
            current = candidate
    if current:
        parts.append(current)
    return parts


FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet will not run as a formula (OWASP's CSV injection advice).

    Text that starts like a formula gets a leading apostrophe; ``from_spreadsheet`` takes it
    off again, so an exported file imports back unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def from_spreadsheet(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
