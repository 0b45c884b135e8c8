"""Parse-mode handling for the sandbox: turns HTML / MarkdownV2 / Markdown text into plain text
plus Telegram ``MessageEntity`` dicts, refusing input that Telegram would refuse.

Offsets and lengths of entities are in UTF-16 code units, as in the Bot API. Errors raise
:class:`EntityParseError` whose ``reason`` is the part after "Bad Request: can't parse entities: ".
The wording follows tdlib where known. One deliberate strictness beyond Telegram: in HTML a bare
``&`` that does not start ``&lt; &gt; &amp; &quot; &#NN; &#xNN;`` is refused (Telegram keeps it
literally), because it almost always means the bot forgot to escape user text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "EntityParseError",
    "parse_text",
    "utf16_len",
    "validate_reply_markup",
]

MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!"


class EntityParseError(ValueError):
    """Text does not parse in its parse mode; ``reason`` is Telegram's explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class MarkupError(ValueError):
    """A reply_markup Telegram would refuse; ``description`` is the full error description."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (how Telegram measures text)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


@dataclass
class _Builder:
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


# ----------------------------------------------------------------------------- HTML

_HTML_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_ATTR_NAME = re.compile(r"[A-Za-z0-9_-]+")


def _decode_entities(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return _NAMED[m.group(1)]
        code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"

    return _HTML_ENTITY.sub(repl, value)


@dataclass
class _OpenTag:
    name: str
    start: int
    attrs: dict[str, str | None]


def _parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Builder()
    stack: list[_OpenTag] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            m = _HTML_ENTITY.match(text, i)
            if m is None:
                raise EntityParseError(
                    f"Unsupported HTML entity at byte offset {_byte_offset(text, i)}"
                )
            out.add(_decode_entities(m.group(0)))
            i = m.end()
            continue
        if c != "<":
            j = i
            while j < n and text[j] not in "<&":
                j += 1
            out.add(text[i:j])
            i = j
            continue
        if i + 1 < n and text[i + 1] == "/":
            end = text.find(">", i + 2)
            if end < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {_byte_offset(text, i)}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {_byte_offset(text, i)}")
            top = stack.pop()
            if name != top.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(text, i)}, "
                    f'expected "</{top.name}>", found "</{name}>"'
                )
            _close_html(out, top)
            i = end + 1
            continue
        i = _open_html_tag(text, i, out, stack)
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    plain, ents = out.result()
    return plain, _merge_pre_code(ents)


def _open_html_tag(text: str, i: int, out: _Builder, stack: list[_OpenTag]) -> int:
    n = len(text)
    begin = i
    j = i + 1
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    if j >= n:
        raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
    name = text[i + 1 : j].lower()
    if name not in _HTML_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, begin)}'
        )
    attrs: dict[str, str | None] = {}
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {_byte_offset(text, begin)}")
        if text[j] == ">":
            j += 1
            break
        m = _ATTR_NAME.match(text, j)
        if m is None:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {_byte_offset(text, j)}'
            )
        attr = m.group(0).lower()
        j = m.end()
        while j < n and text[j].isspace():
            j += 1
        if j < n and text[j] == "=":
            j += 1
            while j < n and text[j].isspace():
                j += 1
            if j >= n:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {_byte_offset(text, begin)}"
                )
            if text[j] in "\"'":
                close = text.find(text[j], j + 1)
                if close < 0:
                    raise EntityParseError(
                        f'Unclosed attribute value of the tag "{name}" '
                        f"at byte offset {_byte_offset(text, j)}"
                    )
                value = text[j + 1 : close]
                j = close + 1
            else:
                k = j
                while k < n and not text[k].isspace() and text[k] != ">":
                    k += 1
                value = text[j:k]
                j = k
            attrs[attr] = _decode_entities(value)
        else:
            attrs[attr] = None
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise EntityParseError(
            f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, begin)}'
        )
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise EntityParseError(
            f'Tag "tg-emoji" must have attribute "emoji-id" '
            f"at byte offset {_byte_offset(text, begin)}"
        )
    stack.append(_OpenTag(name, out.u16, attrs))
    return j


def _close_html(out: _Builder, tag: _OpenTag) -> None:
    kind = _HTML_TAGS[tag.name]
    if kind == "text_link":
        href = tag.attrs.get("href")
        if href:
            out.entity("text_link", tag.start, url=href)
        return
    if kind == "blockquote" and "expandable" in tag.attrs:
        kind = "expandable_blockquote"
    if kind == "code":
        cls = tag.attrs.get("class") or ""
        lang = cls[len("language-") :] if cls.startswith("language-") else None
        out.entity("code", tag.start, language=lang)
        return
    if kind == "custom_emoji":
        out.entity(kind, tag.start, custom_emoji_id=tag.attrs.get("emoji-id"))
        return
    out.entity(kind, tag.start)


def _merge_pre_code(ents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``<pre><code class="language-x">`` is a pre entity with a language."""
    result: list[dict[str, Any]] = []
    for ent in ents:
        if ent["type"] == "code":
            outer = next(
                (
                    e
                    for e in ents
                    if e["type"] == "pre"
                    and e["offset"] == ent["offset"]
                    and e["length"] == ent["length"]
                ),
                None,
            )
            if outer is not None:
                if ent.get("language"):
                    outer["language"] = ent["language"]
                continue
            ent.pop("language", None)
        result.append(ent)
    return result


# ----------------------------------------------------------------------------- MarkdownV2


@dataclass
class _MdOpen:
    kind: str
    start: int  # utf16 offset in output
    byte_offset: int
    extra: dict[str, Any] = field(default_factory=dict)


_MD_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


def _parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = _Builder()
    stack: list[_MdOpen] = []
    n = len(text)
    i = 0
    quote_start: int | None = None
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and 0 < ord(text[i + 1]) <= 126:
            out.add(text[i + 1])
            i += 2
            continue
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        # a blockquote ends at the first line that does not start with '>'
        if c == "\n" and quote_start is not None and not in_code and text[i + 1 : i + 2] != ">":
            out.entity("blockquote", quote_start)
            quote_start = None
        reserved = "`" if in_code else MARKDOWN_V2_RESERVED
        if c not in reserved:
            out.add(c)
            i += 1
            continue
        if c == ">" and not in_code and (i == 0 or text[i - 1] == "\n"):
            if quote_start is None:
                quote_start = out.u16
            i += 1
            continue
        top = stack[-1] if stack else None
        if top is not None and _md_closes(top.kind, text, i):
            stack.pop()
            i = _md_close(text, i, top, out)
            continue
        i = _md_open(text, i, out, stack)
    if stack:
        top = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MD_NAMES.get(top.kind, top.kind)} entity "
            f"at byte offset {top.byte_offset}"
        )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.result()


def _md_closes(kind: str, text: str, i: int) -> bool:
    c = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if kind == "bold":
        return c == "*"
    if kind == "italic":
        return c == "_" and nxt != "_"
    if kind == "underline":
        return c == "_" and nxt == "_"
    if kind == "strikethrough":
        return c == "~"
    if kind == "spoiler":
        return c == "|" and nxt == "|"
    if kind == "code":
        return c == "`"
    if kind == "pre":
        return text.startswith("```", i)
    if kind in ("text_link", "custom_emoji"):
        return c == "]"
    return False


def _md_close(text: str, i: int, top: _MdOpen, out: _Builder) -> int:
    kind = top.kind
    if kind in ("underline", "spoiler"):
        out.entity(kind, top.start)
        return i + 2
    if kind == "pre":
        out.entity("pre", top.start, language=top.extra.get("language"))
        return i + 3
    if kind in ("text_link", "custom_emoji"):
        i += 1
        url: str
        if i < len(text) and text[i] == "(":
            chars: list[str] = []
            j = i + 1
            while j < len(text) and text[j] != ")":
                if text[j] == "\\" and j + 1 < len(text) and 0 < ord(text[j + 1]) <= 126:
                    j += 1
                chars.append(text[j])
                j += 1
            if j >= len(text):
                raise EntityParseError(
                    f"Can't find end of a URL at byte offset {_byte_offset(text, i)}"
                )
            url = "".join(chars)
            i = j + 1
        elif kind == "custom_emoji":
            raise EntityParseError(
                f"Custom emoji entity must contain a tg://emoji URL "
                f"at byte offset {top.byte_offset}"
            )
        else:  # "[text]" without "(url)": Telegram uses the text itself as the URL
            url = "".join(out.parts[top.extra.get("part_index", len(out.parts)) :])
        if kind == "custom_emoji":
            m = re.match(r"tg://emoji\?id=(\d+)$", url)
            if not m:
                raise EntityParseError(
                    f"Custom emoji URL must have an emoji identifier "
                    f"at byte offset {top.byte_offset}"
                )
            out.entity("custom_emoji", top.start, custom_emoji_id=m.group(1))
        elif url:
            out.entity("text_link", top.start, url=url)
        return i
    out.entity(kind, top.start)
    return i + 1


def _md_open(text: str, i: int, out: _Builder, stack: list[_MdOpen]) -> int:
    c = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    offset = _byte_offset(text, i)
    if c == "_" and nxt == "_":
        stack.append(_MdOpen("underline", out.u16, offset))
        return i + 2
    if c == "_":
        stack.append(_MdOpen("italic", out.u16, offset))
        return i + 1
    if c == "*":
        stack.append(_MdOpen("bold", out.u16, offset))
        return i + 1
    if c == "~":
        stack.append(_MdOpen("strikethrough", out.u16, offset))
        return i + 1
    if c == "|" and nxt == "|":
        stack.append(_MdOpen("spoiler", out.u16, offset))
        return i + 2
    if c == "[":
        stack.append(_MdOpen("text_link", out.u16, offset, {"part_index": len(out.parts)}))
        return i + 1
    if c == "!" and nxt == "[":
        stack.append(_MdOpen("custom_emoji", out.u16, offset))
        return i + 2
    if c == "`" and text.startswith("```", i):
        j = i + 3
        k = j
        while k < len(text) and not text[k].isspace() and text[k] != "`":
            k += 1
        language: str | None = None
        if k != j and k < len(text) and text[k] != "`":
            language = text[j:k]
            j = k
        if text.startswith("\r\n", j):
            j += 2
        elif j < len(text) and text[j] in "\r\n":
            j += 1
        stack.append(_MdOpen("pre", out.u16, offset, {"language": language}))
        return j
    if c == "`":
        stack.append(_MdOpen("code", out.u16, offset))
        return i + 1
    raise EntityParseError(
        f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
    )


# ----------------------------------------------------------------------------- Markdown (legacy)

_LEGACY = re.compile(
    r"```(?P<pre>.*?)```|`(?P<code>[^`]*)`|\*(?P<bold>[^*]+)\*|_(?P<italic>[^_]+)_"
    r"|\[(?P<ltext>[^\]]+)\]\((?P<url>[^)]*)\)",
    re.DOTALL,
)


def _parse_markdown_legacy(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Lenient legacy Markdown: recognised constructs become entities, the rest stays as is."""
    out = _Builder()
    pos = 0
    for m in _LEGACY.finditer(text):
        out.add(text[pos : m.start()])
        start = out.u16
        kind = m.lastgroup or ""
        if kind == "url":
            out.add(m.group("ltext"))
            out.entity("text_link", start, url=m.group("url"))
        else:
            out.add(m.group(kind))
            out.entity(kind, start)
        pos = m.end()
    out.add(text[pos:])
    return out.result()


# ----------------------------------------------------------------------------- entry points


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
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown_v2(text)
    if mode == "markdown":
        return _parse_markdown_legacy(text)
    raise ValueError(f"unsupported parse_mode {parse_mode!r}")


_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_RE = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|tg://[a-z_]+[^\s]*)$", re.IGNORECASE)


def validate_reply_markup(markup: Any) -> None:
    """Raise :class:`MarkupError` for a reply_markup Telegram would refuse."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise MarkupError(
                "Bad Request: can't parse inline keyboard button: Field "
                '"inline_keyboard" must be an Array of Arrays'
            )
        if sum(len(r) for r in rows) > 100:
            raise MarkupError("Bad Request: reply markup is too long")
        for row in rows:
            for button in row:
                _validate_inline_button(button)
        return
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not isinstance(label, str) or not label:
                    raise MarkupError("Bad Request: keyboard button text must be non-empty")
        return
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return
    raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an "
            "Object"
        )
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MarkupError("Bad Request: can't parse inline keyboard button: Text must be non-empty")
    actions = [a for a in _BUTTON_ACTIONS if a in button]
    if not actions:
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in "
            "the inline keyboard"
        )
    if len(actions) > 1:
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: exactly one of the optional fields "
            f"must be used, got {', '.join(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise MarkupError("Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _URL_RE.match(url):
            raise MarkupError("Bad Request: BUTTON_URL_INVALID")
