"""Concepts in a text: the entries of :mod:`bot.domain.matching.lexicon` whose phrasings occur
in it. A third channel of text fit next to words and embeddings: "a QA crew for regression
runs" and "software testing" share no word and sit far apart in a static embedding, but both
name the concept *software testing*.

Pure functions of one text (no corpus statistics), like :mod:`bot.domain.matching.text`, so
a company's concepts never depend on who else registered.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from bot.domain.matching.lexicon import CHANNELS, LEXICON, SEGMENT, SERVICE
from bot.domain.matching.text import stem

_WORD = re.compile(r"[a-z0-9]+")
_GAP = "..."  # in a phrase: up to _GAP_WORDS words in between
_GAP_WORDS = 3


@dataclass(frozen=True, slots=True)
class Concept:
    key: str
    label: str  # how a reason names it
    kind: str  # SERVICE or SEGMENT


def _stems(text: str) -> list[str]:
    """Every word's stem, stopwords included ("one version of the truth")."""
    return [stem(w) for w in _WORD.findall(text.lower())]


Pattern = tuple[str, ...]


@dataclass(frozen=True)
class _Compiled:
    concepts: dict[str, Concept]
    # first stem -> the phrases that start with it
    starts: dict[str, list[_Phrase]]


class _Phrase(NamedTuple):
    pattern: Pattern
    key: str  # its concept
    need_only: bool  # counts only in seeks
    second: str | None  # its second stem, when that is a word (most candidates fail there)
    fixed: int  # its length when it has no gap, else 0


def _pattern(phrase: str) -> Pattern:
    out: list[str] = []
    for part in phrase.split(_GAP):
        if out:
            out.append(_GAP)
        out.extend(_stems(part))
    return tuple(out)


@functools.cache
def _compiled() -> _Compiled:
    concepts: dict[str, Concept] = {}
    starts: dict[str, list[_Phrase]] = {}
    for key, entry in LEXICON.items():
        if entry.kind not in (SERVICE, SEGMENT):
            raise ValueError(f"concept {key}: unknown kind {entry.kind!r}")
        concepts[key] = Concept(key, entry.label, entry.kind)
        for phrases, need_only in ((entry.phrases, False), (entry.needs, True)):
            for phrase in phrases:
                pattern = _pattern(phrase)
                if not pattern or pattern[0] == _GAP or pattern[-1] == _GAP:
                    raise ValueError(f"concept {key}: bad phrase {phrase!r}")
                second = pattern[1] if len(pattern) > 1 and pattern[1] != _GAP else None
                fixed = 0 if _GAP in pattern else len(pattern)
                starts.setdefault(pattern[0], []).append(
                    _Phrase(pattern, key, need_only, second, fixed)
                )
    return _Compiled(concepts, starts)


def keys() -> list[str]:
    """Every concept's key, in the lexicon's order (the columns of the index's matrices)."""
    return list(_compiled().concepts)


def _end(stems: list[str], at: int, pattern: Pattern) -> int:
    """Where ``pattern`` ends if it matches at ``at``, else -1."""
    i = at
    for j, part in enumerate(pattern):
        if part == _GAP:
            window = stems[i : i + _GAP_WORDS + 1]
            following = pattern[j + 1]
            if following not in window:
                return -1
            # The nearest occurrence: a longer gap never helps a phrase this short.
            i += window.index(following)
            continue
        if i >= len(stems) or stems[i] != part:
            return -1
        i += 1
    return i


def _scan(stems: list[str], seeks: bool) -> list[tuple[int, str]]:
    """(start, concept) of every phrase found, longest first where phrases overlap."""
    starts = _compiled().starts
    out: list[tuple[int, str]] = []
    n = len(stems)
    i = 0
    while i < n:
        candidates = starts.get(stems[i])
        if not candidates:
            i += 1
            continue
        following = stems[i + 1] if i + 1 < n else None
        best, keys = -1, set()
        for pattern, key, need_only, second, fixed in candidates:
            if need_only and not seeks:
                continue
            if second is not None and second != following:
                continue
            # Without a gap, one or two words are matched by now.
            end = i + fixed if 0 < fixed <= 2 else _end(stems, i, pattern)
            if end > best:
                best, keys = end, {key}
            elif end == best and end > 0:
                keys.add(key)
        if best > 0:
            out.extend((i, key) for key in sorted(keys))
            i = best
        else:
            i += 1
    return out


_CLAUSES = re.compile(r"[.;!?\n•]+|\s[-–—]\s")
_OUR = stem("our")
_OWN_WORDS = 5  # "for our VR safety courses": the product named right after "our"


# No cache: a profile's concepts are kept with its features (Matcher.prepare) and a quote's
# with the quote; a cache filled while an index is built pins memory the index frees (10,000
# companies: 30 MB more peak RSS in bench/matching.py).
def found(text: str, *, seeks: bool) -> frozenset[str]:
    """The keys of the concepts a text names; ``seeks``: the text is a seek, so a client's
    description of the problem (the entries' ``needs``) counts too."""
    return frozenset(
        key for clause in _CLAUSES.split(text) for _, key in _scan(_stems(clause), seeks)
    )


def own(seeks: str) -> frozenset[str]:
    """The concepts a seek names only as the seeker's own product: after "our" in a clause
    that asks for a channel, an investor or market entry ("distributors for our VR safety
    courses"); see :data:`bot.domain.matching.lexicon.CHANNELS`."""
    return _own(_read(seeks))


def sought(seeks: str) -> frozenset[str]:
    """What a seek asks for: :func:`found` less, when it asks for a channel, what it names
    only as its own product (:func:`own`); each clause read once."""
    clauses = _read(seeks)
    keys = frozenset(key for _, hits in clauses for _, key in hits)
    return keys if keys.isdisjoint(CHANNELS) else keys - _own(clauses)


_Clause = tuple[list[str], list[tuple[int, str]]]  # its stems, the concepts found in them


def _read(seeks: str) -> list[_Clause]:
    return [(stems, _scan(stems, True)) for stems in map(_stems, _CLAUSES.split(seeks))]


def _own(clauses: list[_Clause]) -> frozenset[str]:
    inside: set[str] = set()
    outside: set[str] = set()
    for stems, hits in clauses:
        if not any(key in CHANNELS for _, key in hits):
            outside.update(key for _, key in hits)
            continue
        ours = [i for i, s in enumerate(stems) if s == _OUR]
        for at, key in hits:
            mine = any(o < at <= o + _OWN_WORDS for o in ours)
            (inside if mine and key not in CHANNELS else outside).add(key)
    return frozenset(inside - outside)


def weights(
    keys: Iterable[str], *, segment: float, discount: Iterable[str] = (), keep: float = 1.0
) -> dict[str, float]:
    """A unit vector over concepts: services weigh 1, segments ``segment``; the services in
    ``discount`` (what a company offers, named again in its seeks) weigh ``keep`` times as
    much."""
    table = _compiled().concepts
    lowered = frozenset(discount)
    raw: dict[str, float] = {}
    for key in keys:
        c = table[key]
        w = segment if c.kind == SEGMENT else 1.0
        if c.kind == SERVICE and key in lowered:
            w *= keep
        if w > 0:
            raw[key] = w
    norm = math.sqrt(sum(w * w for w in raw.values()))
    return {k: w / norm for k, w in raw.items()} if norm else {}


def services(keys: Iterable[str]) -> frozenset[str]:
    table = _compiled().concepts
    return frozenset(k for k in keys if table[k].kind == SERVICE)


def label(key: str, language: str | None = None) -> str:
    """How a reason names a concept in ``language`` (the lexicon's English label where it
    has no translation); a key the lexicon no longer has (a reason stored by an older
    version) reads as its words."""
    found = LEXICON.get(key)
    return found.label_in(language) if found else key.replace("_", " ")


def strongest(shared: Mapping[str, float]) -> list[str]:
    """The shared concepts, most weight first (ties in the lexicon's order)."""
    order = {k: i for i, k in enumerate(_compiled().concepts)}
    return sorted(shared, key=lambda k: (-shared[k], order[k]))
