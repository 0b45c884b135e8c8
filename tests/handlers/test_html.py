"""Splitting long HTML messages, checked against the sandbox's parser (which measures and
refuses text the way Telegram does): every part parses, fits, shows something, keeps its
formatting, and the parts put back together show the original text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.profiles import TEXT_MAX, Profile
from bot.domain.spreadsheet import spreadsheet_safe
from bot.forum import load_forum
from handlers.company_texts import card
from handlers.html import MAX_MESSAGE_LENGTH, esc, split_message
from handlers.i18n import texts
from sandbox import parse_text, utf16_len

# The characters that broke splitting or measuring: HTML specials, astral characters (two
# UTF-16 units), combining marks, joiners, right-to-left letters, line breaks and spaces.
FORUM = load_forum(Path(__file__).resolve().parents[2] / "data" / "forum.toml")
SPECIALS = [*"&<>\"' \n\t;#ax", "😀", "𝕏", "\u0301", "\u200d", "ش", "é", "\u00a0"]
TYPED = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPECIALS), st.characters(exclude_categories=("Cs",), max_codepoint=0x1FFFF)
    ),
    max_size=TEXT_MAX,
)
TAGS = st.sampled_from(["", "b", "i", "code", "a", "tg-spoiler"])


def shown(html: str) -> tuple[str, list[frozenset[tuple[str, str]]]]:
    """The text Telegram shows for ``html`` and, per character, the formatting on it."""
    text, entities = parse_text(html, "HTML")
    units: list[int] = []  # the UTF-16 offset of each character
    offset = 0
    for ch in text:
        units.append(offset)
        offset += utf16_len(ch)
    styles: list[frozenset[tuple[str, str]]] = []
    for start in units:
        styles.append(
            frozenset(
                (e["type"], e.get("url", ""))
                for e in entities
                if e["offset"] <= start < e["offset"] + e["length"]
            )
        )
    return text, styles


def assert_splits_well(html: str, limit: int) -> list[str]:
    parts = split_message(html, limit)
    original, original_styles = shown(html)
    rendered = []
    for part in parts:
        text, styles = shown(part)  # parses (raises EntityParseError otherwise)
        assert utf16_len(text) <= limit, (limit, part)
        assert text.strip(), (limit, part)  # Telegram refuses a blank message
        rendered.append((text, styles))
    # Joined by whitespace (the cuts drop it), the parts show the original text...
    pattern = r"\s*" + r"\s*".join(f"({re.escape(text)})" for text, _ in rendered) + r"\s*"
    match = re.fullmatch(pattern, original, flags=re.DOTALL)
    assert match is not None, (limit, html, parts)
    # ...and every character keeps the formatting it had.
    for index, (text, styles) in enumerate(rendered, start=1):
        at = match.start(index)
        assert styles == original_styles[at : at + len(text)], (limit, html, parts)
    return parts


def segment(tag: str, text: str) -> str:
    if not tag:
        return esc(text)
    if tag == "a":
        return f'<a href="https://x.example/?a=1&amp;b=2">{esc(text)}</a>'
    return f"<{tag}>{esc(text)}</{tag}>"


@st.composite
def html_messages(draw: Any) -> str:
    """Messages shaped like the bot's: formatted labels, typed text, nested tags, lines."""
    pieces = []
    for _ in range(draw(st.integers(1, 6))):
        outer, inner = draw(TAGS), draw(TAGS)
        body = segment(inner, draw(TYPED)) if inner not in ("", outer) else esc(draw(TYPED))
        text = esc(draw(TYPED)) + body + esc(draw(st.text(SPECIALS, max_size=5)))
        pieces.append(f"<{outer}>{text}</{outer}>" if outer and outer != "a" else text)
    return draw(st.sampled_from(["\n", "", " ", "\n\n"])).join(pieces)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=html_messages(), limit=st.integers(2, 400))
@example(html=" ;\u0301", limit=2)  # a hard cut must not leave only the leading space
def test_any_message_splits_into_parts_that_send_and_reassemble(html: str, limit: int) -> None:
    if not parse_text(html, "HTML")[0].strip():
        return  # nothing to show: not a message anyone sends
    assert_splits_well(html, limit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.text(st.sampled_from(SPECIALS), min_size=2, max_size=100),
    offers=TYPED,
    seeks=TYPED,
    contact=st.text(st.sampled_from(SPECIALS), max_size=100),
)
def test_profile_cards_up_to_the_field_limits_split_at_telegrams_limit(
    name: str, offers: str, seeks: str, contact: str
) -> None:
    shown = card(
        texts(),
        Profile(
            name=name,
            country="RO",
            city="Iași",
            sectors=["fintech", "rpa"],
            offers=offers,
            seeks=seeks,
            contact_name=contact,
            contact_email="ana@exämple.ro",
            consent=True,
        ),
        FORUM,
    )
    text = f"<b>Step 12 of 12 · Check and confirm</b>\n\n{shown}"
    for limit in (MAX_MESSAGE_LENGTH, 1000):
        assert_splits_well(text, limit)


def test_entities_count_once_and_cuts_never_fall_inside_them() -> None:
    # 1,000 "&<" typed into two fields: 9,000 characters of HTML, 2,000 shown.
    typed = "&<" * 500
    html = f"<b>Offers:</b> {esc(typed)}\n<b>Seeks:</b> {esc(typed)}"
    assert len(html) > MAX_MESSAGE_LENGTH
    assert split_message(html) == [html]
    parts = assert_splits_well(html, 700)
    # A full part, then the rest of the line, then the next line: no part is just a label.
    assert [utf16_len(shown(p)[0]) for p in parts] == [700, 308, 700, 307]


def test_astral_characters_count_twice() -> None:
    html = "<i>" + "😀" * 3000 + "</i>"  # 3,000 characters, 6,000 UTF-16 units
    parts = assert_splits_well(html, MAX_MESSAGE_LENGTH)
    assert [utf16_len(shown(p)[0]) for p in parts] == [4096, 1904]
    assert all(p.startswith("<i>") and p.endswith("</i>") for p in parts)


def test_cuts_prefer_line_breaks_then_spaces_and_reopen_tags() -> None:
    html = "<b>first line here\nsecond line, longer one</b>"
    assert split_message(html, 30) == ["<b>first line here</b>", "<b>second line, longer one</b>"]
    html = '<a href="https://a.example">one two three four</a>'
    assert split_message(html, 10) == [
        '<a href="https://a.example">one two</a>',
        '<a href="https://a.example">three four</a>',
    ]
    # A word longer than a part is cut hard, but never between a letter and its accent.
    assert split_message("abcde\u0301fgh", 5) == ["abcd", "e\u0301fgh"]


def test_a_message_that_fits_is_unchanged() -> None:
    html = "<b>x</b> &amp; " + "y" * 4000
    assert split_message(html) == [html]


def test_bidi_controls_never_reach_a_message_or_an_export() -> None:
    name = "\u202eevil\u202c Soft \u2067x\u2069"
    assert esc(name) == "evil Soft x"
    assert spreadsheet_safe("\u202d=HYPERLINK(1)") == "'=HYPERLINK(1)"
