"""Cross-border matching: pure functions from company profiles to ranked, explained matches.

No I/O here, so the matcher can be tested with hypothesis and benchmarked alone.

- Candidates are pairs of matchable companies across the forum's two countries that nobody
  excluded (a "not interested", or an introduction in any state). The countries, which
  intents complement which and how a reason phrases them come from the forum file, as
  :class:`Rules` passed in (``Rules.of(forum)``); profiles carry country codes and keys.
- The score of a pair is a function of the two profiles only - no corpus statistics such as
  IDF - so adding or removing a company never changes the scores (or the order) of the others.
  Generic words get a fixed low weight instead of an IDF.
- Text similarity compares one side's ``offers`` with the other's ``seeks`` (both directions)
  over Snowball-stemmed words, expanded acronyms ("RPA" → robotic process automation) and
  word pairs, so "automation"/"automate" and "businesses"/"business" meet.
- Every match carries its reasons, phrased for the viewer; no reason, no match.
- :class:`MatchIndex` computes everyone's top lists at once with numpy (10,000 companies in
  a few seconds) and updates them when one company registers; its final ordering always comes
  from :func:`match`, so the index and the one-company path can never disagree.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import threading
from bisect import insort
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import snowballstemmer

if TYPE_CHECKING:
    from bot.forum import Forum
    from storage.companies import CompanyRecord

SIZES = ("1–10", "11–50", "51–200", "201–1000", "1000+")


@dataclass(frozen=True)
class Rules:
    """What the forum decides about matching: the two countries (codes) whose companies are
    paired, which intent keys meet which, how a reason phrases an intent ("you want
    resellers — they resell"), and what a sector key is called in "both in ..."."""

    countries: tuple[str, str]
    complements: Mapping[str, Sequence[str]] = field(default_factory=dict)
    phrases: Mapping[str, str] = field(default_factory=dict)
    sector_labels: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, forum: Forum) -> Rules:
        return cls(
            countries=forum.codes,
            complements=forum.complements(),
            phrases=forum.phrases(),
            sector_labels=forum.sector_labels(),
        )


# Weights of the score's parts; text is what makes a meeting worth having.
W_TEXT = 4.0  # per direction, times a cosine in [0, 1]
TEXT_REASON_MIN = 0.2  # a direction below this similarity is not a reason
W_INTENT = 1.5  # per complementary intent, at most MAX_INTENTS counted
MAX_INTENTS = 2
W_SECTOR = 0.75  # per shared sector, at most MAX_SECTORS counted
MAX_SECTORS = 2
W_SIZE = 0.25  # the nudge for companies of neighbouring size
SCORE_DECIMALS = 6

# -- text --------------------------------------------------------------------------------


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS = _wordset(
    """a an the and or of for to in on at by with from as into via our we us you your they
    their is are be been being it its this that these those who which what such any all
    other others also more most very can will would should may might need needs needed
    looking look seek seeking seeks want wants wanting offer offers offering provide
    provides providing help helps new etc e g i ie including include includes based
    partner partners partnership company companies firm firms team teams"""
)
# Words that say little about a need on their own: they count, but only a little.
_GENERIC = _wordset(
    "servic solut develop softwar system technolog it digit busi project product work "
    "platform custom client enterpris manag support"
)
GENERIC_WEIGHT = 0.35
_BIGRAM_WEIGHT = 1.0

_ACRONYMS: Mapping[str, str] = {
    "rpa": "robotic process automation",
    "ai": "artificial intelligence",
    "ml": "machine learning",
    "bpo": "business process outsourcing",
    "erp": "enterprise resource planning",
    "crm": "customer relationship management",
    "qa": "quality assurance testing",
    "ui": "user interface design",
    "ux": "user experience design",
    "iot": "internet things",
    "ar": "augmented reality",
    "vr": "virtual reality",
    "kyc": "know customer verification",
    "saas": "software service cloud",
    "soc": "security operations centre",
    "nlp": "natural language processing",
    "devops": "devops cloud operations",
    "llm": "large language model",
    "apps": "app",
    "application": "app",
    "applications": "app",
}

_WORD = re.compile(r"[a-z0-9]+")
_PHRASE_SPLIT = re.compile(r"[,;\n•·|]+|\.\s+|\.$|\s+-\s+")


# A Snowball stemmer keeps state while it works, so each thread gets its own.
_stemmers = threading.local()


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The English Snowball stem: "businesses" → "busi", "automation"/"automated" → "autom"."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    result: str = stemmer.stemWord(word)
    return result


def _words(text: str) -> list[str]:
    out: list[str] = []
    for word in _WORD.findall(text.lower()):
        expansion = _ACRONYMS.get(word)
        if expansion:
            if word not in ("apps", "application", "applications"):
                out.append(word)
            out.extend(expansion.split())
        elif word not in _STOPWORDS:
            out.append(word)
    return [stem(w) for w in out if w not in _STOPWORDS]


def terms(text: str) -> dict[str, float]:
    """The weighted terms of a text: stems (generic ones weigh less) and adjacent pairs."""
    found: dict[str, float] = {}
    for phrase in _PHRASE_SPLIT.split(text):
        stems = _words(phrase)
        for s in stems:
            found[s] = GENERIC_WEIGHT if s in _GENERIC else 1.0
        for a, b in itertools.pairwise(stems):
            if a != b:
                found[f"{a} {b}"] = _BIGRAM_WEIGHT
    return found


def _unit(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    shared = a.keys() & b.keys()
    return sum([a[t] * b[t] for t in shared]) if shared else 0.0


def _phrases(text: str) -> list[str]:
    return [p.strip(" .-–—:") for p in _PHRASE_SPLIT.split(text) if p.strip(" .-–—:")]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
        text = cut.rstrip(",;:") + "…"
    # "Mobile apps" reads better mid-sentence as "mobile apps"; "RPA" stays "RPA".
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        text = text[0].lower() + text[1:]
    return text


# -- profiles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    """What the matcher knows of a company (no contact details)."""

    id: int
    name: str
    country: str
    sectors: tuple[str, ...] = ()
    offers: str = ""
    seeks: str = ""
    partnerships: tuple[str, ...] = ()
    size: str | None = None
    matchable: bool = True
    city: str | None = None


def profile_from_record(record: CompanyRecord) -> Profile:
    return Profile(
        id=record.id,
        name=record.name,
        country=record.country,
        sectors=tuple(record.sectors),
        offers=record.offers or "",
        seeks=record.seeks or "",
        partnerships=tuple(record.partnerships),
        size=record.size,
        matchable=record.matchable,
        city=record.city,
    )


@dataclass(frozen=True)
class Match:
    """``other`` as a match for company ``company_id``; reasons are phrased for its reps."""

    company_id: int
    other: Profile
    score: float
    reasons: tuple[str, ...]


def pair_key(a: int, b: int) -> tuple[int, int]:
    """The unordered pair, as stored in exclusion sets."""
    return (a, b) if a < b else (b, a)


def eligible(me: Profile, other: Profile, countries: Collection[str]) -> bool:
    """Cross-border between the forum's ``countries``, not the same company, both
    matchable."""
    return (
        me.id != other.id
        and me.matchable
        and other.matchable
        and me.country in countries
        and other.country in countries
        and me.country != other.country
    )


@dataclass
class _Prepared:
    """A profile's features, computed once per profile."""

    profile: Profile
    offers: dict[str, float]
    seeks: dict[str, float]
    sectors: frozenset[str]
    intents: frozenset[str]
    wanted: frozenset[str]  # the complements of its intents, casefolded
    size: int | None
    offer_phrases: list[tuple[str, dict[str, float]]] = field(default_factory=list)


class Matcher:
    """Scores and explains pairs with one forum's :class:`Rules`; caches per-profile
    features."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.countries = frozenset(rules.countries)
        self.complements = {
            k.casefold(): tuple(v.casefold() for v in vs) for k, vs in rules.complements.items()
        }
        self.phrases = {k.casefold(): v for k, v in rules.phrases.items()}
        # Keyed by object identity (hashing a profile costs more than the lookup saves);
        # the entry keeps the profile alive, so an id is never reused while cached.
        self._cache: dict[int, _Prepared] = {}

    def prepare(self, p: Profile) -> _Prepared:
        found = self._cache.get(id(p))
        if found is None or found.profile is not p:
            intents = frozenset(i.casefold() for i in p.partnerships)
            found = _Prepared(
                profile=p,
                offers=_unit(terms(p.offers)),
                seeks=_unit(terms(p.seeks)),
                sectors=frozenset(s.casefold() for s in p.sectors),
                intents=intents,
                wanted=frozenset(c for i in intents for c in self.complements.get(i, ())),
                size=SIZES.index(p.size) if p.size in SIZES else None,
            )
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[id(p)] = found
        return found

    # -- the score ---------------------------------------------------------------------
    def parts(self, a: _Prepared, b: _Prepared) -> tuple[float, float, int, int, bool]:
        """(a's need met by b's offer, b's need met by a's offer, complementary intents,
        shared sectors, neighbouring size)."""
        met_a = _cosine(a.seeks, b.offers)
        met_b = _cosine(b.seeks, a.offers)
        intents = len(a.intents & b.wanted)
        sectors = len(a.sectors & b.sectors)
        size = a.size is not None and b.size is not None and abs(a.size - b.size) <= 1
        return met_a, met_b, intents, sectors, size

    @staticmethod
    def total(met_a: float, met_b: float, intents: int, sectors: int, size: bool) -> float:
        score = (
            W_TEXT * (met_a + met_b)
            + W_INTENT * min(intents, MAX_INTENTS)
            + W_SECTOR * min(sectors, MAX_SECTORS)
            + (W_SIZE if size else 0.0)
        )
        return round(score, SCORE_DECIMALS)

    @staticmethod
    def has_reason(met_a: float, met_b: float, intents: int, sectors: int) -> bool:
        return met_a >= TEXT_REASON_MIN or met_b >= TEXT_REASON_MIN or intents > 0 or sectors > 0

    def score(self, me: Profile, other: Profile) -> float | None:
        """The pair's score, or None when it is not a match (ineligible or no reason)."""
        if not eligible(me, other, self.countries):
            return None
        parts = self.parts(self.prepare(me), self.prepare(other))
        if not self.has_reason(*parts[:4]):
            return None
        return self.total(*parts)

    def match(self, me: Profile, other: Profile) -> Match | None:
        """``other`` as a match for ``me``, with reasons phrased for ``me``; None if none."""
        if not eligible(me, other, self.countries):
            return None
        a, b = self.prepare(me), self.prepare(other)
        met_a, met_b, intents, sectors, size = self.parts(a, b)
        if not self.has_reason(met_a, met_b, intents, sectors):
            return None
        reasons: list[str] = []
        if met_a >= TEXT_REASON_MIN:
            phrase = self._best_phrase(b, a.seeks, offers=True)
            reasons.append(f"they offer {phrase} — you seek it")
        if met_b >= TEXT_REASON_MIN:
            phrase = self._best_phrase(a, b.seeks, offers=True)
            reasons.append(f"you offer {phrase} — they seek it")
        reasons.extend(self._intent_reasons(me, other))
        shared = [s for s in me.sectors if s.casefold() in b.sectors]
        if shared:
            reasons.append("both in " + _join([self.rules.sector_labels.get(s, s) for s in shared]))
        return Match(me.id, other, self.total(met_a, met_b, intents, sectors, size), tuple(reasons))

    def _best_phrase(self, who: _Prepared, need: Mapping[str, float], *, offers: bool) -> str:
        if not who.offer_phrases:
            who.offer_phrases = [(p, terms(p)) for p in _phrases(who.profile.offers)] or [
                (who.profile.offers, terms(who.profile.offers))
            ]
        best, best_overlap = who.offer_phrases[0][0], -1.0
        for phrase, phrase_terms in who.offer_phrases:
            overlap = sum(need[t] * w for t, w in phrase_terms.items() if t in need)
            if overlap > best_overlap:
                best, best_overlap = phrase, overlap
        return _short(best)

    def _intent_reasons(self, me: Profile, other: Profile) -> list[str]:
        theirs = {i.casefold(): i for i in other.partnerships}
        out: list[str] = []
        for mine in me.partnerships:
            for complement in self.complements.get(mine.casefold(), ()):
                if complement not in theirs:
                    continue
                if complement == mine.casefold():
                    out.append(f"both want {self._phrase(mine)}")
                else:
                    out.append(
                        f"you {self._phrase(mine)} — they {self._phrase(theirs[complement])}"
                    )
        return out

    def _phrase(self, intent: str) -> str:
        return self.phrases.get(intent.casefold(), f"“{intent}”")

    # -- ranking -----------------------------------------------------------------------
    def rank(
        self,
        me: Profile,
        others: Iterable[Profile],
        *,
        excluded: Collection[tuple[int, int]] = (),
        limit: int | None = None,
    ) -> list[Match]:
        """``me``'s matches, best first; ties by name then id, so the order is stable."""
        found: list[tuple[float, str, int, Profile]] = []
        for other in others:
            if pair_key(me.id, other.id) in excluded:
                continue
            score = self.score(me, other)
            if score is not None:
                found.append((-score, other.name.casefold(), other.id, other))
        found.sort(key=lambda row: row[:3])
        chosen = found if limit is None else found[:limit]
        out = []
        for row in chosen:
            m = self.match(me, row[3])
            assert m is not None
            out.append(m)
        return out


def _join(items: Sequence[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def rank(
    me: Profile,
    others: Iterable[Profile],
    rules: Rules,
    *,
    excluded: Collection[tuple[int, int]] = (),
    limit: int | None = None,
) -> list[Match]:
    """One company's matches among ``others``, best first (see :meth:`Matcher.rank`)."""
    return Matcher(rules).rank(me, others, excluded=excluded, limit=limit)


def match(me: Profile, other: Profile, rules: Rules) -> Match | None:
    return Matcher(rules).match(me, other)


# -- many companies at once --------------------------------------------------------------

_CHUNK = 512
_MARGIN = 1e-3  # float32 arithmetic; candidates within this of the k-th are rescored exactly


@dataclass(frozen=True)
class AddResult:
    """What one new company changed: its own top list, and whose top lists it entered."""

    own: list[Match]
    entered: dict[int, int]  # company id -> the new company's rank (1-based) in its list


class MatchIndex:
    """Everyone's top-k at once (numpy for the candidates, :class:`Matcher` for the order).

    The numpy pass scores every cross-border pair in float32 blocks and keeps, per company,
    every candidate within a small margin of its k-th best; those are rescored exactly by
    :meth:`Matcher.score`, so the final lists are exactly what :meth:`Matcher.rank` gives.
    """

    def __init__(
        self,
        profiles: Iterable[Profile],
        rules: Rules,
        *,
        k: int = 10,
        excluded: Collection[tuple[int, int]] = (),
    ) -> None:
        self.k = k
        self.matcher = Matcher(rules)
        self.excluded = set(excluded)
        self.profiles: dict[int, Profile] = {p.id: p for p in profiles if p.matchable}
        # company id -> sorted [(-score, name, id)] of its best k
        self.tops: dict[int, list[tuple[float, str, int]]] = {}
        self._build()

    # -- building ----------------------------------------------------------------------
    def _build(self) -> None:
        first, second = self.matcher.rules.countries
        ro = [p for p in self.profiles.values() if p.country == first]
        pk = [p for p in self.profiles.values() if p.country == second]
        if not ro or not pk:
            self.tops = {p.id: [] for p in self.profiles.values()}
            return
        prep_ro = [self.matcher.prepare(p) for p in ro]
        prep_pk = [self.matcher.prepare(p) for p in pk]
        # Only terms somebody offers and somebody across the border seeks can score.
        vocab = _shared_vocab(prep_ro, prep_pk)
        all_sectors = {s.casefold() for p in self.profiles.values() for s in p.sectors}
        sec_vocab = {s: i for i, s in enumerate(sorted(all_sectors))}
        int_vocab = {s: i for i, s in enumerate(sorted(self.matcher.complements))}
        ro_m = _Matrices.of(prep_ro, vocab, sec_vocab, int_vocab, self.matcher.complements)
        pk_m = _Matrices.of(prep_pk, vocab, sec_vocab, int_vocab, self.matcher.complements)
        self._select(ro, ro_m, pk, pk_m)
        self._select(pk, pk_m, ro, ro_m)

    def _select(
        self, rows: list[Profile], rm: _Matrices, cols: list[Profile], cm: _Matrices
    ) -> None:
        col_index = {p.id: j for j, p in enumerate(cols)}
        blocked: dict[int, list[int]] = {}
        for a, b in self.excluded:
            if b in col_index:
                blocked.setdefault(a, []).append(col_index[b])
            if a in col_index:
                blocked.setdefault(b, []).append(col_index[a])
        for start in range(0, len(rows), _CHUNK):
            block = rm.scores(cm, start, start + _CHUNK)
            for offset, scores in enumerate(block):
                me = rows[start + offset]
                if me.id in blocked:
                    scores[blocked[me.id]] = -np.inf
                self.tops[me.id] = self._exact_top(me, scores, cols)

    def _exact_top(
        self, me: Profile, scores: np.ndarray[Any, Any], cols: list[Profile]
    ) -> list[tuple[float, str, int]]:
        k = min(self.k, len(cols))
        if k == 0:
            return []
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        if not np.isfinite(kth):
            candidates = np.flatnonzero(np.isfinite(scores))
        else:
            candidates = np.flatnonzero(scores >= kth - _MARGIN)
        rows: list[tuple[float, str, int]] = []
        for j in candidates.tolist():
            other = cols[j]
            score = self.matcher.score(me, other)
            if score is not None:
                rows.append((-score, other.name.casefold(), other.id))
        rows.sort()
        return rows[: self.k]

    # -- reading -----------------------------------------------------------------------
    def top(self, company_id: int) -> list[Match]:
        me = self.profiles.get(company_id)
        if me is None:
            return []
        out = []
        for _, _, other_id in self.tops.get(company_id, []):
            m = self.matcher.match(me, self.profiles[other_id])
            if m is not None:
                out.append(m)
        return out

    def top_all(self) -> dict[int, list[Match]]:
        return {company_id: self.top(company_id) for company_id in sorted(self.tops)}

    def top_ids(self, company_id: int) -> list[int]:
        return [row[2] for row in self.tops.get(company_id, [])]

    # -- one new company ---------------------------------------------------------------
    def add(self, profile: Profile) -> AddResult:
        """Register one company: its own top list, and its place in the others' lists."""
        self.profiles[profile.id] = profile
        own: list[tuple[float, str, int]] = []
        entered: dict[int, int] = {}
        if profile.matchable:
            me = self.matcher.prepare(profile)
            key = (profile.name.casefold(), profile.id)
            for other in self.profiles.values():
                if (
                    not eligible(profile, other, self.matcher.countries)
                    or pair_key(profile.id, other.id) in self.excluded
                ):
                    continue
                parts = self.matcher.parts(me, self.matcher.prepare(other))
                if not self.matcher.has_reason(*parts[:4]):
                    continue
                score = self.matcher.total(*parts)
                own.append((-score, other.name.casefold(), other.id))
                theirs = self.tops.setdefault(other.id, [])
                row = (-score, *key)
                if len(theirs) < self.k or row < theirs[-1]:
                    insort(theirs, row)
                    del theirs[self.k :]
                    entered[other.id] = theirs.index(row) + 1
            own.sort()
        self.tops[profile.id] = own[: self.k]
        return AddResult(self.top(profile.id), entered)


def _shared_vocab(a: list[_Prepared], b: list[_Prepared]) -> dict[str, int]:
    offers_a = {t for p in a for t in p.offers}
    seeks_a = {t for p in a for t in p.seeks}
    offers_b = {t for p in b for t in p.offers}
    seeks_b = {t for p in b for t in p.seeks}
    useful = (offers_a & seeks_b) | (offers_b & seeks_a)
    return {t: i for i, t in enumerate(sorted(useful))}


@dataclass
class _Matrices:
    """One country's profiles as dense float32 feature matrices."""

    offers: np.ndarray[Any, Any]
    seeks: np.ndarray[Any, Any]
    sectors: np.ndarray[Any, Any]
    intents: np.ndarray[Any, Any]
    wanted: np.ndarray[Any, Any]
    size: np.ndarray[Any, Any]

    @classmethod
    def of(
        cls,
        prepared: list[_Prepared],
        vocab: Mapping[str, int],
        sec_vocab: Mapping[str, int],
        int_vocab: Mapping[str, int],
        complements: Mapping[str, Sequence[str]],
    ) -> _Matrices:
        n = len(prepared)
        offers = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
        seeks = np.zeros_like(offers)
        sectors = np.zeros((n, max(len(sec_vocab), 1)), dtype=np.float32)
        intents = np.zeros((n, max(len(int_vocab), 1)), dtype=np.float32)
        wanted = np.zeros_like(intents)
        size = np.full(n, -10, dtype=np.int8)
        for i, p in enumerate(prepared):
            for t, w in p.offers.items():
                j = vocab.get(t)
                if j is not None:
                    offers[i, j] = w
            for t, w in p.seeks.items():
                j = vocab.get(t)
                if j is not None:
                    seeks[i, j] = w
            for s in p.sectors:
                sectors[i, sec_vocab[s]] = 1
            for s in p.intents:
                if s in int_vocab:
                    intents[i, int_vocab[s]] = 1
            for s in p.wanted:
                if s in int_vocab:
                    wanted[i, int_vocab[s]] = 1
            if p.size is not None:
                size[i] = p.size
        return cls(offers, seeks, sectors, intents, wanted, size)

    def scores(self, other: _Matrices, start: int, stop: int) -> np.ndarray[Any, Any]:
        """Scores of rows [start, stop) against every row of ``other``; -inf = no match."""
        met_a = self.seeks[start:stop] @ other.offers.T
        met_b = self.offers[start:stop] @ other.seeks.T
        intents = self.intents[start:stop] @ other.wanted.T
        sectors = self.sectors[start:stop] @ other.sectors.T
        size_a = self.size[start:stop, None].astype(np.int16)
        size_b = other.size[None, :].astype(np.int16)
        size_ok = (np.abs(size_a - size_b) <= 1) & (size_a >= 0) & (size_b >= 0)
        score = (
            W_TEXT * (met_a + met_b)
            + W_INTENT * np.minimum(intents, MAX_INTENTS)
            + W_SECTOR * np.minimum(sectors, MAX_SECTORS)
            + W_SIZE * size_ok
        )
        # A little slack on the threshold: the exact pass decides borderline cases.
        reason = (
            (met_a >= TEXT_REASON_MIN - _MARGIN)
            | (met_b >= TEXT_REASON_MIN - _MARGIN)
            | (intents > 0)
            | (sectors > 0)
        )
        result: np.ndarray[Any, Any] = np.where(reason, score, -np.inf)
        return result
