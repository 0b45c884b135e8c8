"""``parse_mode=HTML`` as Telegram parses it: the supported tags and entities, the errors it
gives (with tdlib's byte offsets), and ``<pre><code class="language-x">`` as one pre entity."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .entities import Builder, EntityParseError, byte_offset

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


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    out = Builder()
    stack: list[_OpenTag] = []
    n = len(text)
    i = 0
    while i < n:
        c = text[i]
        if c == "&":
            m = _HTML_ENTITY.match(text, i)
            if m is None:
                raise EntityParseError(
                    f"Unsupported HTML entity at byte offset {byte_offset(text, i)}"
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
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(text, i)}")
            name = text[i + 2 : end].strip().lower()
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(text, i)}")
            top = stack.pop()
            if name != top.name:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(text, i)}, "
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


def _open_html_tag(text: str, i: int, out: Builder, stack: list[_OpenTag]) -> int:
    n = len(text)
    begin = i
    j = i + 1
    while j < n and not text[j].isspace() and text[j] != ">":
        j += 1
    if j >= n:
        raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
    name = text[i + 1 : j].lower()
    if name not in _HTML_TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {byte_offset(text, begin)}'
        )
    attrs: dict[str, str | None] = {}
    while True:
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(text, begin)}")
        if text[j] == ">":
            j += 1
            break
        m = _ATTR_NAME.match(text, j)
        if m is None:
            raise EntityParseError(
                f'Empty attribute name in the tag "{name}" at byte offset {byte_offset(text, j)}'
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
                    f"Unclosed start tag at byte offset {byte_offset(text, begin)}"
                )
            if text[j] in "\"'":
                close = text.find(text[j], j + 1)
                if close < 0:
                    raise EntityParseError(
                        f'Unclosed attribute value of the tag "{name}" '
                        f"at byte offset {byte_offset(text, j)}"
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
            f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(text, begin)}'
        )
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise EntityParseError(
            f'Tag "tg-emoji" must have attribute "emoji-id" '
            f"at byte offset {byte_offset(text, begin)}"
        )
    stack.append(_OpenTag(name, out.u16, attrs))
    return j


def _close_html(out: Builder, tag: _OpenTag) -> None:
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
