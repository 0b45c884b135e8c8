"""Everyone's top-k matches at once, and their update when one company registers.

A numpy pass scores every cross-border pair in float32 blocks and keeps, per company, every
candidate within a small margin of its k-th best; those are rescored exactly by
:meth:`Matcher.scores`, so the lists are exactly what :meth:`Matcher.rank` gives. Pure: the
embeddings come in with the profiles.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.matching.core import (
    CALIBRATED,
    COMPETITOR_MIN,
    PAKISTAN,
    ROMANIA,
    SEM_REASON_MIN,
    TEXT_REASON_MIN,
    Match,
    Matcher,
    Prepared,
    Profile,
    Weights,
    eligible,
    pair_key,
)

_CHUNK = 512
# The float pass errs by less than _ERROR (float32 sums of a few dozen terms of size <= 4);
# every pair within _SELECT of the k-th best is rescored exactly.
_ERROR = 1e-4
_SELECT = 1e-3
Row = tuple[float, float, int]  # (-score, -their score for me, id): the rank order


@dataclass(frozen=True)
class AddResult:
    """What one new company changed: its own top list, and whose top lists it entered."""

    own: list[Match]
    entered: dict[int, int]  # company id -> the new company's rank (1-based) in its list


class MatchIndex:
    """Everyone's top-k at once (numpy for the candidates, :class:`Matcher` for the order)."""

    def __init__(
        self,
        profiles: Iterable[Profile],
        *,
        k: int = 10,
        excluded: Collection[tuple[int, int]] = (),
        complements: Mapping[str, str] | None = None,
        weights: Weights = CALIBRATED,
    ) -> None:
        self.k = k
        self.matcher = Matcher(complements, weights)
        self.excluded = set(excluded)
        self.profiles: dict[int, Profile] = {p.id: p for p in profiles if p.matchable}
        self.tops: dict[int, list[Row]] = {}
        self._build()

    # -- building ----------------------------------------------------------------------
    def _build(self) -> None:
        ro = [p for p in self.profiles.values() if p.country == ROMANIA]
        pk = [p for p in self.profiles.values() if p.country == PAKISTAN]
        self.tops = {p.id: [] for p in self.profiles.values()}
        if not ro or not pk:
            return
        prep_ro = [self.matcher.prepare(p) for p in ro]
        prep_pk = [self.matcher.prepare(p) for p in pk]
        # Only terms somebody offers and somebody across the border seeks can score.
        vocab = _shared_vocab(prep_ro, prep_pk)
        all_sectors = {s.casefold() for p in self.profiles.values() for s in p.sectors}
        sec_vocab = {s: i for i, s in enumerate(sorted(all_sectors))}
        int_vocab = {s: i for i, s in enumerate(sorted(self.matcher.complements))}
        dims = next(
            (len(v) for p in prep_ro + prep_pk for v in (p.offer_vec, p.seek_vec) if v is not None),
            1,
        )
        ro_m = _Matrices.of(prep_ro, vocab, sec_vocab, int_vocab, dims)
        pk_m = _Matrices.of(prep_pk, vocab, sec_vocab, int_vocab, dims)
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
            block = rm.scores(cm, start, start + _CHUNK, self.matcher.weights)
            for offset, scores in enumerate(block):
                me = rows[start + offset]
                if me.id in blocked:
                    scores[blocked[me.id]] = -np.inf
                self.tops[me.id] = self._exact_top(me, scores, cols)

    def _exact_top(
        self, me: Profile, scores: np.ndarray[Any, Any], cols: list[Profile]
    ) -> list[Row]:
        def exact(j: int) -> Row | None:
            both = self.matcher.scores(me, cols[j])
            return None if both is None else (-both[0], -both[1], cols[j].id)

        return _best(scores, self.k, exact)

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
        """Register one company: its own top list, and its place in the others' lists.

        A float screen over everyone across the border picks the pairs that can matter -
        near the new company's own k-th best, or near another's k-th - and only those are
        scored exactly.
        """
        self.profiles[profile.id] = profile
        entered: dict[int, int] = {}
        if not profile.matchable:
            self.tops[profile.id] = []
            return AddResult([], entered)
        me = self.matcher.prepare(profile)
        others = [
            o
            for o in self.profiles.values()
            if eligible(profile, o) and pair_key(profile.id, o.id) not in self.excluded
        ]
        mine, theirs = self._screen(me, others)

        def exact(j: int) -> Row | None:
            both = self.matcher.scores(profile, others[j])
            return None if both is None else (-both[0], -both[1], others[j].id)

        own = _best(mine, self.k, exact)
        self.tops[profile.id] = own[: self.k]
        for j, other in enumerate(others):
            if not np.isfinite(theirs[j]):
                continue
            current = self.tops.setdefault(other.id, [])
            if len(current) >= self.k and -theirs[j] > current[-1][0] + _SELECT:
                continue
            both = self.matcher.scores(other, profile)
            if both is None:
                continue
            row = (-both[0], -both[1], profile.id)
            if len(current) < self.k or row < current[-1]:
                current.append(row)
                current.sort()
                del current[self.k :]
                entered[other.id] = current.index(row) + 1
        return AddResult(self.top(profile.id), entered)

    def _screen(
        self, me: Prepared, others: list[Profile]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Approximate scores of ``me`` for each other, and of each other for ``me``
        (-inf where the pair has no reason)."""
        n = len(others)
        prepared = [self.matcher.prepare(o) for o in others]
        sem = np.zeros((4, n))
        if me.offer_vec is not None or me.seek_vec is not None:
            dims = next((len(v) for v in (me.offer_vec, me.seek_vec) if v is not None), 0)
            offers = _stack([p.offer_vec for p in prepared], dims)
            seeks = _stack([p.seek_vec for p in prepared], dims)
            if me.seek_vec is not None:
                sem[0] = offers @ me.seek_vec  # my need
                sem[3] = seeks @ me.seek_vec  # same seek
            if me.offer_vec is not None:
                sem[1] = seeks @ me.offer_vec  # their need
                sem[2] = offers @ me.offer_vec  # same offer
        mine = np.full(n, -np.inf)
        theirs = np.full(n, -np.inf)
        slack = _SELECT
        for j, b in enumerate(prepared):
            parts = self.matcher.parts(me, b, sem=(sem[0, j], sem[1, j], sem[2, j], sem[3, j]))
            if _loose_reason(parts, slack):
                mine[j] = self.matcher.total(parts, margin=slack)
                theirs[j] = self.matcher.total(parts.flipped(), margin=slack)
        return mine, theirs


def _best(approx: np.ndarray[Any, Any], k: int, exact: Callable[[int], Row | None]) -> list[Row]:
    """The k best rows by exact score, reading as few as the float scores ``approx`` allow.

    A pair the float pass kept may turn out to have no reason (competitors: the text does
    not count as a reason then), so the candidates widen until the k-th exact row is safely
    above every pair not yet read.
    """
    finite = int(np.isfinite(approx).sum())
    if k <= 0 or finite == 0:
        return []
    take = min(k, finite)
    read: dict[int, Row | None] = {}
    while True:
        top = np.partition(approx, len(approx) - take)[len(approx) - take]
        for j in np.flatnonzero(approx >= top - _SELECT).tolist():
            if j not in read:
                read[j] = exact(j)
        rows = sorted(r for r in read.values() if r is not None)
        if take >= finite or (len(rows) >= k and -rows[k - 1][0] >= top - _SELECT + _ERROR):
            return rows[:k]
        take = min(finite, take * 2)


def _loose_reason(parts: Any, slack: float) -> bool:
    """:meth:`PairParts.has_reason` with a little slack: the exact pass decides."""
    if parts.intents > 0 or parts.sectors > 0:
        return True
    lex = max(parts.lex_need, parts.lex_give) >= TEXT_REASON_MIN - slack
    sem = max(parts.sem_need, parts.sem_give) >= SEM_REASON_MIN - slack
    return bool(lex or sem)


def _stack(vectors: list[np.ndarray[Any, Any] | None], dims: int) -> np.ndarray[Any, Any]:
    out = np.zeros((len(vectors), dims))
    for i, v in enumerate(vectors):
        if v is not None:
            out[i] = v
    return out


def _shared_vocab(a: list[Prepared], b: list[Prepared]) -> dict[str, int]:
    offers_a = {t for p in a for t in p.offers}
    seeks_a = {t for p in a for t in p.seeks}
    offers_b = {t for p in b for t in p.offers}
    seeks_b = {t for p in b for t in p.seeks}
    useful = (offers_a & seeks_b) | (offers_b & seeks_a)
    return {t: i for i, t in enumerate(sorted(useful))}


@dataclass
class _Matrices:
    """One country's profiles as dense float32 feature matrices."""

    offers: np.ndarray[Any, Any]  # lexical
    seeks: np.ndarray[Any, Any]
    offer_vec: np.ndarray[Any, Any]  # embeddings (zero rows where there are none)
    seek_vec: np.ndarray[Any, Any]
    sectors: np.ndarray[Any, Any]
    intents: np.ndarray[Any, Any]
    wanted: np.ndarray[Any, Any]
    wanted_other_side: np.ndarray[Any, Any]
    size: np.ndarray[Any, Any]

    @classmethod
    def of(
        cls,
        prepared: list[Prepared],
        vocab: Mapping[str, int],
        sec_vocab: Mapping[str, int],
        int_vocab: Mapping[str, int],
        dims: int,
    ) -> _Matrices:
        n = len(prepared)
        offers = np.zeros((n, max(len(vocab), 1)), dtype=np.float32)
        seeks = np.zeros_like(offers)
        offer_vec = np.zeros((n, dims), dtype=np.float32)
        seek_vec = np.zeros_like(offer_vec)
        sectors = np.zeros((n, max(len(sec_vocab), 1)), dtype=np.float32)
        intents = np.zeros((n, max(len(int_vocab), 1)), dtype=np.float32)
        wanted = np.zeros_like(intents)
        wanted_other_side = np.zeros_like(intents)
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
            if p.offer_vec is not None:
                offer_vec[i] = p.offer_vec
            if p.seek_vec is not None:
                seek_vec[i] = p.seek_vec
            for s in p.sectors:
                sectors[i, sec_vocab[s]] = 1
            for s in p.intents:
                if s in int_vocab:
                    intents[i, int_vocab[s]] = 1
            for s in p.wanted:
                if s in int_vocab:
                    wanted[i, int_vocab[s]] = 1
            for s in p.wanted_other_side:
                if s in int_vocab:
                    wanted_other_side[i, int_vocab[s]] = 1
            if p.size is not None:
                size[i] = p.size
        return cls(
            offers, seeks, offer_vec, seek_vec, sectors, intents, wanted, wanted_other_side, size
        )

    def scores(self, other: _Matrices, start: int, stop: int, w: Weights) -> np.ndarray[Any, Any]:
        """Scores of rows [start, stop) against every row of ``other``; -inf = no match."""
        lex_need = self.seeks[start:stop] @ other.offers.T
        lex_give = self.offers[start:stop] @ other.seeks.T
        sem_need = self.seek_vec[start:stop] @ other.offer_vec.T
        sem_give = self.offer_vec[start:stop] @ other.seek_vec.T
        same_offer = self.offer_vec[start:stop] @ other.offer_vec.T
        same_seek = self.seek_vec[start:stop] @ other.seek_vec.T
        intents = self.intents[start:stop] @ other.wanted.T
        sectors = self.sectors[start:stop] @ other.sectors.T
        size_a = self.size[start:stop, None].astype(np.int16)
        size_b = other.size[None, :].astype(np.int16)
        size_ok = (np.abs(size_a - size_b) <= 1) & (size_a >= 0) & (size_b >= 0)
        span = w.sem_full - w.sem_floor
        # As Matcher.total: clear competitors' text does not count (the margin keeps these
        # scores from falling below the exact ones, which the candidate choice relies on).
        same_max = np.maximum(same_offer, same_seek)
        opposite = self.intents[start:stop] @ other.wanted_other_side.T
        rivals = (
            (opposite == 0)
            & (same_max >= COMPETITOR_MIN + _SELECT)
            & (same_max > np.maximum(sem_need, sem_give) + _SELECT)
        )
        fit = np.where(rivals, 0.0, 1.0) if w.semantic else 1.0
        score = (
            fit * w.need * (w.lexical * lex_need + np.clip((sem_need - w.sem_floor) / span, 0, 1))
            + fit * w.give * (w.lexical * lex_give + np.clip((sem_give - w.sem_floor) / span, 0, 1))
            + w.intent * np.minimum(intents, w.max_intents)
            + w.sector * np.minimum(sectors, w.max_sectors)
            + w.size * size_ok
            - w.competitor
            * (
                np.maximum(same_offer - w.competitor_floor, 0)
                + np.maximum(same_seek - w.competitor_floor, 0)
            )
        )
        # A little slack on the thresholds: the exact pass decides borderline cases. The
        # competitor veto on text reasons is left to the exact pass too (it only removes).
        reason = (
            (lex_need >= TEXT_REASON_MIN - _SELECT)
            | (lex_give >= TEXT_REASON_MIN - _SELECT)
            | (sem_need >= SEM_REASON_MIN - _SELECT)
            | (sem_give >= SEM_REASON_MIN - _SELECT)
            | (intents > 0)
            | (sectors > 0)
        )
        result: np.ndarray[Any, Any] = np.where(reason, score, -np.inf)
        return result


__all__ = ["COMPETITOR_MIN", "AddResult", "MatchIndex"]
