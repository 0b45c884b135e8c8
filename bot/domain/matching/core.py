"""Scoring and explaining one pair of companies, and ranking one company's matches.

The score of a pair is a function of the two profiles only (no corpus statistics), so adding
or removing a company never changes the scores, or the order, of the others. From the
viewer's side ("me") it adds:

- the **text fit** of my seeks with their offers (my need met) and of their seeks with my
  offers (theirs met), each the lexical cosine of stemmed terms, plus the cosine of the
  texts' sentence embeddings rescaled so that unrelated texts give 0, plus the cosine of the
  **concepts** they name (:mod:`bot.domain.matching.concepts`: "QA crew for regression runs"
  and "software testing" share no word, but both name software testing). What a company
  offers and names again in its seeks describes it ("investors for OUR VR platform"), so
  that share of its seeks is taken out first;
- complementary partnership intents and shared sectors, each capped, worth less than a real
  text fit;
- minus a **competitor** term: the same thing on the same side (both offer it, or both seek
  it) lowers the pair, and its text is never given as a reason. Two companies are
  competitors when the services they both offer outweigh any concept one seeks and the
  other offers, or when their texts on the same side are closer in meaning than across and
  no concept crosses (a city that runs parking is not a rival of a smart-parking vendor
  whose sensors it seeks).

My need weighs more than theirs, so the two sides of a pair may rank each other differently;
ties are broken by the other side's score (mutual interest first), then by id. The weights
were calibrated on the train split of the evaluation set in ``tests/data`` (see
``bench/matching.py``). Reasons are built by :mod:`bot.domain.matching.explain`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np

from bot.domain.matching import concepts, explain, text
from bot.domain.matching.pair import PairParts, Prepared
from bot.domain.matching.profiles import (
    CALIBRATED,
    SCORE_DECIMALS,
    SIZES,
    Match,
    Profile,
    Rules,
    Weights,
    eligible,
    pair_key,
)
from bot.domain.matching.vectors import TextVectors, for_embedding

_NO_COSINES = ((0.0, 0.0), (0.0, 0.0))


class Matcher:
    """Scores and explains pairs with one intent taxonomy; caches per-profile features."""

    def __init__(self, rules: Rules, weights: Weights = CALIBRATED) -> None:
        self.rules = rules
        self.countries = frozenset(rules.countries)
        self.first = rules.countries[0]  # its companies on the left of what both sides share
        self.complements = {
            k.casefold(): tuple(v.casefold() for v in vs) for k, vs in rules.complements.items()
        }
        self.weights = weights
        # Keyed by object identity (hashing a profile costs more than the lookup saves);
        # the entry keeps the profile alive, so an id is never reused while cached.
        self._cache: dict[int, Prepared] = {}
        # A forum's companies name a few dozen combinations of sectors and intents: each
        # set is held once (8.6 MB less at 10,000 companies).
        self._sets: dict[frozenset[str], frozenset[str]] = {}

    def _shared(self, items: Iterable[str]) -> frozenset[str]:
        found = frozenset(items)
        return self._sets.setdefault(found, found)

    def prepare(self, p: Profile) -> Prepared:
        found = self._cache.get(id(p))
        if found is None or found.profile is not p:
            w = self.weights
            intents = self._shared(i.casefold() for i in p.partnerships)
            vectors = p.vectors if w.semantic else None
            places = self.rules.places if w.semantic else ()
            offers = text.terms(for_embedding(p.offers, places) if places else p.offers)
            keep = 1.0 - w.self_in_seeks
            seeks = {
                t: x * keep if t in offers else x
                for t, x in text.terms(
                    for_embedding(p.seeks, places) if places else p.seeks
                ).items()
            }
            found = Prepared(
                profile=p,
                offers=text.unit(offers),
                seeks=text.unit(seeks),
                sectors=self._shared(s.casefold() for s in p.sectors),
                intents=intents,
                wanted=self._shared(c for i in intents for c in self.complements.get(i, ())),
                wanted_other_side=self._shared(
                    c for i in intents for c in self.complements.get(i, ()) if c != i
                ),
                size=SIZES.index(p.size) if p.size in SIZES else None,
            )
            if w.concept > 0:
                offered = concepts.found(p.offers, seeks=False)
                found.con_offers = concepts.weights(offered, segment=w.segment)
                sought = concepts.sought(p.seeks)
                found.con_seeks = concepts.weights(
                    sought,
                    segment=w.segment,
                    discount=offered,
                    keep=w.self_concept,
                )
                same = concepts.weights(concepts.services(offered), segment=0.0)
                # Usually the same as con_offers (no segment named): one dict for both.
                found.con_same = found.con_offers if same == found.con_offers else same
            need = None if vectors is None else self._need(vectors)
            offer = None if vectors is None else _as32(vectors.offers)
            some = offer if offer is not None else need
            if some is not None:
                zero = np.zeros(len(some), dtype=np.float32)
                found.share_rows(
                    np.stack(
                        [need if need is not None else zero, offer if offer is not None else zero]
                    )
                )
            if len(self._cache) > 50_000:
                self._cache.clear()
                self._sets.clear()
            self._cache[id(p)] = found
        return found

    def _words(self, source: str) -> str:
        """The text whose words count: without the names of markets and of the forum's
        countries, which every pair shares (the word-only matcher kept them)."""
        return for_embedding(source, self.rules.places) if self.weights.semantic else source

    def _need(self, vectors: TextVectors) -> np.ndarray[Any, Any] | None:
        """The seeks' vector less its share along the company's own offers, as a unit."""
        seeks, offers = _as32(vectors.seeks), _as32(vectors.offers)
        if seeks is None or offers is None:
            return seeks
        need = seeks - self.weights.self_in_seeks * float(np.dot(seeks, offers)) * offers
        norm = float(np.linalg.norm(need))
        return (need / norm).astype(np.float32) if norm > 1e-6 else None

    # -- the score ---------------------------------------------------------------------
    def parts(self, a: Prepared, b: Prepared, sem: Sequence[float] | None = None) -> PairParts:
        """The pair's measurements from ``a``'s side. ``sem`` passes the four embedding
        cosines (need, give, same offer, same seek) when a caller computed them in bulk."""
        # What both sides measure alike is computed with the forum's first country on the
        # left, as the bulk build does: both sides of a pair get the very same floats.
        a_first = a.profile.country == self.first
        if sem is None:
            a_cols, b_cols = a.cols, b.cols
            if a.rows is None or a_cols is None or b.rows is None or b_cols is None:
                (need, same_seek), (same_offer, give) = _NO_COSINES
            elif a_first:  # [[need, same seek], [same offer, give]]
                (need, same_seek), (same_offer, give) = (a.rows @ b_cols).tolist()
            else:
                (give, same_seek), (same_offer, need) = (b.rows @ a_cols).tolist()
            sem = (need, give, same_offer, same_seek)
        return PairParts(
            lex_need=text.cosine(a.seeks, b.offers),
            lex_give=text.cosine(b.seeks, a.offers),
            sem_need=float(sem[0]),
            sem_give=float(sem[1]),
            same_offer=float(sem[2]),
            same_seek=float(sem[3]),
            intents=len(a.intents & b.wanted),
            sectors=len(a.sectors & b.sectors),
            size=a.size is not None and b.size is not None and abs(a.size - b.size) <= 1,
            opposite=len(a.intents & b.wanted_other_side),
            con_need=text.cosine(a.con_seeks, b.con_offers),
            con_give=text.cosine(b.con_seeks, a.con_offers),
            con_same=text.cosine(a.con_same, b.con_same)
            if a_first
            else text.cosine(b.con_same, a.con_same),
        )

    def totals(self, p: PairParts, *, margin: float = 0.0) -> tuple[float, float]:
        """The pair's score from ``p``'s side, and from the other side. A float pass over
        many pairs gives a ``margin``: only pairs that are competitors by more than it lose
        their text fit, so its scores are never below the exact ones."""
        w = self.weights
        span = w.sem_full - w.sem_floor
        sem_need = min(max((p.sem_need - w.sem_floor) / span, 0.0), 1.0)
        sem_give = min(max((p.sem_give - w.sem_floor) / span, 0.0), 1.0)
        same = max(p.same_offer - w.competitor_floor, 0.0) + max(
            p.same_seek - w.competitor_floor, 0.0
        )
        # Competitors' texts look alike because they are alike, not because one meets the
        # other's need: their text fit does not count.
        fit = 0.0 if w.semantic and p.clearly_competitors(margin) else 1.0
        need = fit * (w.lexical * p.lex_need + sem_need + w.concept * p.con_need)
        give = fit * (w.lexical * p.lex_give + sem_give + w.concept * p.con_give)
        rest = (
            w.intent * min(p.intents, w.max_intents)
            + w.sector * min(p.sectors, w.max_sectors)
            + (w.size if p.size else 0.0)
            - w.competitor * same
        )
        return (
            round(w.need * need + w.give * give + rest, SCORE_DECIMALS),
            round(w.need * give + w.give * need + rest, SCORE_DECIMALS),
        )

    def total(self, p: PairParts, *, margin: float = 0.0) -> float:
        """The score from ``p``'s side (see :meth:`totals`)."""
        return self.totals(p, margin=margin)[0]

    def scores(self, me: Profile, other: Profile) -> tuple[float, float] | None:
        """(my score for them, theirs for me), or None when they are not a match."""
        if not eligible(me, other, self.countries):
            return None
        return self.prepared_scores(self.prepare(me), self.prepare(other))

    def prepared_scores(self, a: Prepared, b: Prepared) -> tuple[float, float] | None:
        """:meth:`scores` of two prepared, eligible profiles."""
        parts = self.parts(a, b)
        return self.totals(parts) if parts.has_reason() else None

    def score(self, me: Profile, other: Profile) -> float | None:
        """The pair's score for ``me``, or None when it is not a match."""
        found = self.scores(me, other)
        return None if found is None else found[0]

    # -- the reasons (bot.domain.matching.explain) ---------------------------------------
    def match(self, me: Profile, other: Profile) -> Match | None:
        """``other`` as a match for ``me``, with reasons phrased for ``me``; None if none."""
        if not eligible(me, other, self.countries):
            return None
        a, b = self.prepare(me), self.prepare(other)
        parts = self.parts(a, b)
        if not parts.has_reason():
            return None
        mine, theirs = self.totals(parts)
        return Match(
            me.id,
            other,
            mine,
            explain.reasons(
                a, b, parts, semantic=self.weights.semantic, complements=self.complements
            ),
            theirs,
        )

    # -- ranking -----------------------------------------------------------------------
    def rank(
        self,
        me: Profile,
        others: Iterable[Profile],
        *,
        excluded: Collection[tuple[int, int]] = (),
        limit: int | None = None,
    ) -> list[Match]:
        """``me``'s matches, best first; ties go to the side that wants ``me`` more, then
        to the lower id, so the order is stable and means something."""
        found: list[tuple[float, float, int, Profile]] = []
        for other in others:
            if pair_key(me.id, other.id) in excluded:
                continue
            both = self.scores(me, other)
            if both is not None:
                found.append((-both[0], -both[1], other.id, other))
        found.sort(key=lambda row: row[:3])
        chosen = found if limit is None else found[:limit]
        out = []
        for row in chosen:
            m = self.match(me, row[3])
            assert m is not None
            out.append(m)
        return out


def _as32(v: np.ndarray[Any, Any] | None) -> np.ndarray[Any, Any] | None:
    return None if v is None else np.asarray(v, dtype=np.float32)


def rank(
    me: Profile,
    others: Iterable[Profile],
    rules: Rules,
    *,
    excluded: Collection[tuple[int, int]] = (),
    limit: int | None = None,
    weights: Weights = CALIBRATED,
) -> list[Match]:
    """One company's matches among ``others``, best first (see :meth:`Matcher.rank`)."""
    return Matcher(rules, weights).rank(me, others, excluded=excluded, limit=limit)


def match(me: Profile, other: Profile, rules: Rules, weights: Weights = CALIBRATED) -> Match | None:
    return Matcher(rules, weights).match(me, other)
