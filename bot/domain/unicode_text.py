"""Characters a person cannot see: bidi controls and invisible characters, for validating
what reps type and for showing a name typed by one person to another. Pure functions."""

from __future__ import annotations

import re
import unicodedata

# The Unicode bidirectional classes of the embedding, override and isolate controls
# (U+202A–U+202E, U+2066–U+2069): in a name they reverse or reorder the text shown after it.
BIDI_CONTROLS = frozenset({"LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"})
# Categories that show nothing by themselves: controls, format characters (zero-width
# characters, bidi marks), surrogates, unassigned code points, separators and marks that only
# combine with a character before them.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})


def is_bidi_control(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in BIDI_CONTROLS


# The characters of those classes (U+202A–U+202E, U+2066–U+2069; tests check this against
# unicodedata for every code point): a name or title goes through without_bidi_controls each
# time it is shown, and one regex search is far cheaper than a unicodedata lookup per character.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def is_visible(ch: str) -> bool:
    """Whether ``ch`` shows something on its own (so text made only of others looks blank)."""
    return not ch.isspace() and unicodedata.category(ch) not in INVISIBLE_CATEGORIES


def without_bidi_controls(value: str) -> str:
    """``value`` with the bidi embedding/override/isolate controls removed, for showing a name
    typed by one person to another: the text around it then reads as written."""
    if _BIDI_CONTROL.search(value) is None:
        return value
    return _BIDI_CONTROL.sub("", value)
