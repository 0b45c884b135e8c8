"""bot.domain.unicode_text: the quick removal of bidi controls (one regex) removes exactly
the characters unicodedata puts in the embedding, override and isolate classes."""

from __future__ import annotations

import sys

from bot.domain.unicode_text import is_bidi_control, without_bidi_controls


def test_without_bidi_controls_drops_exactly_unicodedatas_bidi_controls() -> None:
    every = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    kept = without_bidi_controls(every)
    assert kept == "".join(ch for ch in every if not is_bidi_control(ch))
    assert len(every) - len(kept) == 9  # U+202A–U+202E and U+2066–U+2069


def test_a_name_without_controls_is_returned_as_it_is() -> None:
    name = "Ана\u200fМария"  # a right-to-left mark is a bidi mark, not a control: it stays
    assert without_bidi_controls(name) is name
    assert without_bidi_controls("\u202eevil\u2069") == "evil"
