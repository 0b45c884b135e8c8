"""Building the Bot API's view of a formatted text: visible text plus ``MessageEntity`` dicts.

Shared by the parse modes: :class:`Builder` accumulates text and entities with offsets and
lengths in UTF-16 code units (as Telegram counts); :class:`EntityParseError` is the refusal
every parse mode raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class EntityParseError(ValueError):
    """Text does not parse in its parse mode; ``reason`` is Telegram's explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram measures text)."""
    # The codec counts in C; a lone surrogate (a str can hold one) is one unit, as it was.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def byte_offset(text: str, index: int) -> int:
    """Where ``index`` falls in the UTF-8 bytes: tdlib's error messages count that way."""
    return len(text[:index].encode("utf-8"))


@dataclass
class Builder:
    """Accumulates the visible text and tracks its UTF-16 length."""

    parts: list[str] = field(default_factory=list)
    u16: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)

    def add(self, chunk: str) -> None:
        self.parts.append(chunk)
        self.u16 += utf16_len(chunk)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        length = self.u16 - start
        if length > 0:
            ent: dict[str, Any] = {"type": kind, "offset": start, "length": length}
            ent.update({k: v for k, v in extra.items() if v is not None})
            self.entities.append(ent)

    def result(self) -> tuple[str, list[dict[str, Any]]]:
        ents = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.parts), ents
