"""Parse-mode handling for the sandbox: turns HTML / MarkdownV2 / Markdown text into plain text
plus Telegram ``MessageEntity`` dicts, refusing input that Telegram would refuse.

Offsets and lengths of entities are in UTF-16 code units, as in the Bot API. Errors raise
:class:`EntityParseError` whose ``reason`` is the part after "Bad Request: can't parse entities: ".
The wording follows tdlib where known. One deliberate strictness beyond Telegram: in HTML a bare
``&`` that does not start ``&lt; &gt; &amp; &quot; &#NN; &#xNN;`` is refused (Telegram keeps it
literally), because it almost always means the bot forgot to escape user text.
"""

from __future__ import annotations

from typing import Any

from .entities import EntityParseError, utf16_len
from .html_mode import parse_html
from .keyboards import MarkupError, validate_reply_markup
from .markdown_mode import parse_markdown_legacy, parse_markdown_v2

__all__ = [
    "EntityParseError",
    "MarkupError",
    "parse_text",
    "utf16_len",
    "validate_reply_markup",
]


def parse_text(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """Return ``(visible_text, entities)`` for ``text`` sent with ``parse_mode``.

    Raises :class:`EntityParseError` when the text does not parse, and ``ValueError`` for an
    unknown parse mode.
    """
    if not parse_mode:
        return text, list(entities or [])
    mode = parse_mode.lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown_legacy(text)
    raise ValueError(f"unsupported parse_mode {parse_mode!r}")
