"""``parse_mode=MarkdownV2`` (strict: reserved characters must be escaped) and the lenient
legacy ``Markdown``, as Telegram parses them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .entities import Builder, EntityParseError, byte_offset

MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!"


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


def parse_markdown_v2(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = Builder()
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


def _md_close(text: str, i: int, top: _MdOpen, out: Builder) -> int:
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
                    f"Can't find end of a URL at byte offset {byte_offset(text, i)}"
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


def _md_open(text: str, i: int, out: Builder, stack: list[_MdOpen]) -> int:
    c = text[i]
    nxt = text[i + 1] if i + 1 < len(text) else ""
    offset = byte_offset(text, i)
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


def parse_markdown_legacy(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Lenient legacy Markdown: recognised constructs become entities, the rest stays as is."""
    out = Builder()
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
