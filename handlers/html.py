"""Messages in Telegram's HTML parse mode: escaping what users typed, and splitting a long
message within Telegram's limits, never inside an entity or a tag."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from bot.domain.unicode_text import without_bidi_controls

MAX_MESSAGE_LENGTH = 4096


def esc(value: object) -> str:
    """Escape anything a user typed before it goes into an HTML message (bidi controls are
    dropped: what one person typed must not reorder the rest of another person's message)."""
    return html.escape(without_bidi_controls(str(value)), quote=False)


# -- splitting -------------------------------------------------------------------------------

# A tag, an entity, or one character. A lone "<" or "&" (which Telegram refuses in HTML
# anyway) is one character, so that odd input never breaks the splitting.
_TOKEN = re.compile(
    r"<[^<>]*>|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);|[^<&]|[<&]", re.DOTALL
)
_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")


@dataclass(frozen=True, slots=True)
class _Token:
    raw: str  # as it stands in the HTML
    shown: str = ""  # what Telegram shows for it: nothing for a tag
    width: int = 0  # Telegram's measure of ``shown``: UTF-16 code units
    space: bool = False  # ``shown`` is whitespace
    tag: str = ""  # a tag's lower-case name
    closing: bool = False


def _tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    for match in _TOKEN.finditer(text):
        raw = match.group(0)
        if len(raw) == 1:
            out.append(_Token(raw, raw, 2 if ord(raw) > 0xFFFF else 1, raw.isspace()))
            continue
        tag = _TAG.match(raw) if raw[0] == "<" else None
        if tag is not None:
            out.append(_Token(raw, tag=tag.group(2).lower(), closing=bool(tag.group(1))))
            continue
        shown = html.unescape(raw) if raw[0] == "&" else raw
        width = len(shown) + sum(1 for ch in shown if ord(ch) > 0xFFFF)
        out.append(_Token(raw, shown, width, shown.isspace()))
    return out


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split an HTML message into parts whose shown text is at most ``limit`` UTF-16 code units
    (Telegram's measure, after entity parsing), each part valid HTML on its own.

    A cut is never inside a tag or an entity. It prefers a line break, then a space, in the
    second half of the part, then anywhere; a word longer than a whole part is cut hard
    (not before a combining mark or after a joiner). The whitespace at a cut is dropped
    (Telegram trims it from each message anyway), so the parts' shown texts, joined by that
    whitespace, are the original's. Tags open across a cut are closed at its end and opened
    again at the start of the next part.
    """
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return [text]  # the shown text is never longer than the HTML
    tokens = _tokens(text)
    chars = [t for t in tokens if not t.tag]
    if sum(t.width for t in chars) <= limit:
        return [text]
    return _assemble(tokens, _cuts(chars, limit))


def _cuts(chars: list[_Token], limit: int) -> dict[int, int]:
    """Where to cut: {a: b} drops characters a..b-1 (whitespace, or nothing when a == b)
    between the part ending before a and the next part starting at b."""
    cuts: dict[int, int] = {}
    n = len(chars)
    start = 0
    while start < n:
        end, total = start, 0
        while end < n and total + chars[end].width <= limit:
            total += chars[end].width
            end += 1
        end = max(end, start + 1)  # a character wider than the whole limit goes alone
        if end >= n:
            break
        a, b = _choose_cut(chars, start, end, limit)
        cuts[a] = b
        start = b
    return cuts


def _choose_cut(chars: list[_Token], start: int, end: int, limit: int) -> tuple[int, int]:
    """The cut for a part starting at ``start`` that can hold ``chars[start:end]``."""
    n = len(chars)
    first_shown = next((i for i in range(start, n) if not chars[i].space), n)

    def run(k: int) -> tuple[int, int]:
        a, b = k, k
        while a > start and chars[a - 1].space:
            a -= 1
        while b < n and chars[b].space:
            b += 1
        return a, b

    def next_word_fits(b: int) -> bool:
        width = 0
        while b < n and not chars[b].space:
            width += chars[b].width
            b += 1
        return width <= limit

    if first_shown >= end:
        # Nothing but whitespace fits (only at the very beginning): drop that whitespace.
        return start, first_shown
    middle = start + (end - start) // 2
    for low, high, wanted in (
        (middle, end, "\n"),
        (middle, end, None),
        (start + 1, middle, "\n"),
        (start + 1, middle, None),
    ):
        for k in range(high, low - 1, -1):
            if chars[k].space and (wanted is None or chars[k].shown == wanted):
                a, b = run(k)
                # An early cut is worth a short part only if the word after it then fits
                # whole; otherwise that word is cut anyway, and the part may as well be full.
                if first_shown < a and (low == middle or next_word_fits(b)):
                    return a, b
    cut = end
    while cut > first_shown + 1 and _joined(chars[cut - 1].shown, chars[cut].shown):
        cut -= 1
    if _joined(chars[cut - 1].shown, chars[cut].shown):
        cut = end  # one unbreakable run longer than a part: cut it where it must be
    return cut, cut


def _joined(before: str, after: str) -> bool:
    """Whether cutting between these two would break one visible character apart."""
    first = unicodedata.category(after[:1] or " ")
    last = unicodedata.category(before[-1:] or " ")
    return first in ("Mn", "Me", "Mc", "Sk", "Cf") or last == "Cf"


def _assemble(tokens: list[_Token], cuts: dict[int, int]) -> list[str]:
    parts: list[str] = []
    part: list[str] = []
    written: list[_Token] = []  # tags open in ``part``
    stack: list[_Token] = []  # tags open in the original at this point
    pending: list[_Token] = []  # tags since the last character written
    started = False
    skip_until = 0
    index = -1

    def close_part() -> None:
        nonlocal part, written, started
        if started:
            parts.append("".join(part) + "".join(f"</{t.tag}>" for t in reversed(written)))
        part, written, started = [], [], False

    for token in tokens:
        if token.tag:
            pending.append(token)
            _apply(stack, token)
            continue
        index += 1
        if index in cuts:
            close_part()
            skip_until = cuts[index]
        if index < skip_until:
            continue
        if not started:
            part = [t.raw for t in stack]
            written = list(stack)
            started = True
        else:
            for tag in pending:
                if not tag.closing or any(t.tag == tag.tag for t in written):
                    part.append(tag.raw)
                    _apply(written, tag)
        pending = []
        part.append(token.raw)
    if started:
        for tag in pending:
            if not tag.closing or any(t.tag == tag.tag for t in written):
                part.append(tag.raw)
                _apply(written, tag)
    close_part()
    return parts


def _apply(stack: list[_Token], tag: _Token) -> None:
    if not tag.closing:
        stack.append(tag)
        return
    for i in range(len(stack) - 1, -1, -1):
        if stack[i].tag == tag.tag:
            del stack[i]
            return
