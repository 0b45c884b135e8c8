"""Everyone's top-k matches at once, and their update when one company registers.

A numpy pass scores every cross-border pair in float32 blocks and keeps, per company, every
candidate within a small margin of its k-th best; those are rescored exactly by
:meth:`Matcher.scores`, so the lists are exactly what :meth:`Matcher.rank` gives. Pure: the
embeddings come in with the profiles.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.matching.blocks import screened
from bot.domain.matching.core import Matcher
from bot.domain.matching.mirror import MISSING, Mirror
from bot.domain.matching.pair import PairParts, Prepared
from bot.domain.matching.profiles import (
    CALIBRATED,
    CONCEPT_REASON_MIN,
    SEM_REASON_MIN,
    TEXT_REASON_MIN,
    Match,
    Profile,
    Rules,
    Weights,
    pair_key,
)
from bot.domain.matching.screen import Features, Workspace
from bot.domain.matching.topk import SELECT, Exact, Kept, Row, best

_KEEP = 4  # the second country's side keeps this many times k float scores per company


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
        rules: Rules,
        *,
        k: int = 10,
        excluded: Collection[tuple[int, int]] = (),
        weights: Weights = CALIBRATED,
    ) -> None:
        self.k = k
        self.matcher = Matcher(rules, weights)
        self.excluded = set(excluded)
        self.profiles: dict[int, Profile] = {p.id: p for p in profiles if p.matchable}
        self.tops: dict[int, list[Row]] = {}
        # Per country: its companies and their embeddings stacked, for one new company.
        self._sides: dict[str, _Side] = {}
        self._build()

    # -- building ----------------------------------------------------------------------
    def _build(self) -> None:
        # "ro" and "pk" below: the forum's first and second country.
        first, second = self.matcher.rules.countries
        ro = [p for p in self.profiles.values() if p.country == first]
        pk = [p for p in self.profiles.values() if p.country == second]
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
        topics, services = _shared_concepts(prep_ro, prep_pk)
        w = self.matcher.weights
        ro_f = Features.of(prep_ro, vocab, sec_vocab, int_vocab, dims, topics, services, w)
        pk_f = Features.of(prep_pk, vocab, sec_vocab, int_vocab, dims, topics, services, w)
        ro_side = self._sides[first] = _Side(ro, prep_ro, ro_f.offer_vec, ro_f.seek_vec)
        pk_side = self._sides[second] = _Side(pk, prep_pk, pk_f.offer_vec, pk_f.seek_vec)
        blocked = self._blocked(ro, pk)
        # One product per block gives both directions: the first country's rows complete at
        # once, the second's keep only their best few per company between blocks.
        keep = Kept(len(pk), min(len(ro), _KEEP * self.k))
        mirror = Mirror(len(pk))
        for start, mine in screened(ro_f, pk_f, w, keep):
            rows = ro[start : start + len(mine)]
            _exclude(mine, rows, blocked, None)
            for i, (me, row) in enumerate(zip(rows, mine, strict=True)):
                found = best(row, self.k, self._exact(me, pk_side, None, (mirror, start + i)))
                assert found is not None  # complete rows: nothing unseen
                self.tops[me.id] = found
        # Before excluded pairs are taken out of the kept: a bound on every score not kept.
        unseen = keep.unseen()
        approx = keep.values.copy()
        _exclude(approx, pk, blocked, keep.where)
        for j, me in enumerate(pk):
            exact = self._exact(me, ro_side, keep.where[j], (mirror, j))
            found = best(approx[j], self.k, exact, unseen=float(unseen[j]))
            if found is None:  # the few kept were not enough: screen this one in full
                row = pk_f.block(ro_f, j, j + 1, w, Workspace())[0][0]
                if me.id in blocked:
                    row[blocked[me.id]] = -np.inf
                found = best(row, self.k, self._exact(me, ro_side, None))
                assert found is not None
            self.tops[me.id] = found

    def _blocked(self, ro: list[Profile], pk: list[Profile]) -> dict[int, list[int]]:
        """Company id -> the positions of the companies it was excluded with, across."""
        in_ro = {p.id: j for j, p in enumerate(ro)}
        in_pk = {p.id: j for j, p in enumerate(pk)}
        blocked: dict[int, list[int]] = {}
        for a, b in self.excluded:
            for x, y in ((a, b), (b, a)):
                if x in in_ro and y in in_pk:
                    blocked.setdefault(x, []).append(in_pk[y])
                    blocked.setdefault(y, []).append(in_ro[x])
        return blocked

    def _exact(
        self,
        me: Profile,
        side: _Side,
        where: np.ndarray[Any, Any] | None,
        mirror: tuple[Mirror, int] | None = None,
    ) -> Exact:
        """Positions in a row of float scores -> their exact rank rows (None: no match;
        ``where`` maps kept positions to ``side``). The first country's rows get their
        embedding cosines from one numpy call and put their rows in ``mirror`` (with
        ``me``'s position); the second's take a pair's row from it, turned round, when it
        reads the same from their side (see :class:`Mirror`)."""
        mine = self.matcher.prepare(me)
        parts, totals = self.matcher.parts, self.matcher.totals
        cols, prepared = side.profiles, side.prepared
        first = me.country == self.matcher.first

        def exact(js: list[int]) -> list[Row | None]:
            at = js if where is None else where[js].tolist()
            if mine.rows is None or not first:
                # (the second country's: Matcher.parts computes each, the first's on the left)
                sem: list[Any] = [None] * len(at)
            else:
                # A 2x2 product per pair as in Matcher.parts, so the same float32 sums (one
                # product over all of them adds in another order: scores move in the 6th digit)
                theirs = np.stack([side.offers[at], side.seeks[at]], axis=2)
                sem = [(n, g, o, s) for (n, s), (o, g) in (mine.rows @ theirs).tolist()]
            out: list[Row | None] = []
            for col, values in zip(at, sem, strict=True):
                other = prepared[col]
                if mirror is not None and not first:
                    found = mirror[0].get(col, mirror[1], mine, other, cols[col].id)
                    if found is not MISSING:
                        out.append(found)
                        continue
                p = parts(mine, other, sem=values if other.rows is not None else None)
                row: Row | None = None
                if p.has_reason():
                    both = totals(p)
                    row = (-both[0], -both[1], cols[col].id)
                out.append(row)
                if mirror is not None and first:
                    mirror[0].put(mirror[1], col, row)
            return out

        return exact

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

    def each_top(self) -> Iterator[tuple[int, list[Match]]]:
        """Every company's top list with its reasons, by id, one at a time (not all held)."""
        return ((company_id, self.top(company_id)) for company_id in sorted(self.tops))

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
        first, second = self.matcher.rules.countries
        across = self._side(second if profile.country == first else first)
        mine, theirs = self._screen(me, across)
        others = across.profiles

        def exact(js: list[int]) -> list[Row | None]:
            return [one(j) if np.isfinite(mine[j]) else None for j in js]

        def one(j: int) -> Row | None:
            both = self.matcher.prepared_scores(me, across.prepared[j])
            return None if both is None else (-both[0], -both[1], others[j].id)

        own = best(mine, self.k, exact) or []
        self.tops[profile.id] = own
        for j in np.flatnonzero(np.isfinite(theirs)).tolist():
            other = others[j]
            current = self.tops.setdefault(other.id, [])
            if len(current) >= self.k and -theirs[j] > current[-1][0] + SELECT:
                continue
            both = self.matcher.prepared_scores(across.prepared[j], me)
            if both is None:
                continue
            row = (-both[0], -both[1], profile.id)
            if len(current) < self.k or row < current[-1]:
                current.append(row)
                current.sort()
                del current[self.k :]
                entered[other.id] = current.index(row) + 1
        self._side(profile.country).append(profile, me)
        return AddResult(self.top(profile.id), entered)

    def _side(self, country: str) -> _Side:
        side = self._sides.get(country)
        if side is None:
            members = [p for p in self.profiles.values() if p.country == country]
            side = self._sides[country] = _Side.of(members, self.matcher)
        return side

    def _screen(
        self, me: Prepared, side: _Side
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """Float scores of ``me`` for each company of ``side``, and of each for ``me``
        (-inf where the pair has no reason or was excluded): never below the exact ones."""
        n = len(side.profiles)
        sem = np.zeros((4, n), dtype=np.float32)
        if (
            me.rows is not None
            and len(side.offers) == n
            and side.offers.shape[1] == me.rows.shape[1]
        ):
            need, offer = me.rows
            sem[0] = side.offers @ need  # my need
            sem[1] = side.seeks @ offer  # their need
            sem[2] = side.offers @ offer  # same offer
            sem[3] = side.seeks @ need  # same seek
        values = sem.T.tolist()
        mine = np.full(n, -np.inf)
        theirs = np.full(n, -np.inf)
        me_id = me.profile.id
        for j, b in enumerate(side.prepared):
            if pair_key(me_id, b.profile.id) in self.excluded or b.profile.id == me_id:
                continue
            parts = self.matcher.parts(me, b, sem=values[j])
            if _loose_reason(parts, SELECT):
                mine[j], theirs[j] = self.matcher.totals(parts, margin=SELECT)
        return mine, theirs


@dataclass
class _Side:
    """One country's matchable companies, in a fixed order, with their embeddings stacked
    (zero rows without embeddings); one new company is appended."""

    profiles: list[Profile]
    prepared: list[Prepared]
    offers: np.ndarray[Any, Any]
    seeks: np.ndarray[Any, Any]

    @classmethod
    def of(cls, profiles: list[Profile], matcher: Matcher) -> _Side:
        prepared = [matcher.prepare(p) for p in profiles]
        dims = next((len(p.rows[0]) for p in prepared if p.rows is not None), 1)
        offers = np.zeros((len(prepared), dims), dtype=np.float32)
        seeks = np.zeros_like(offers)
        for i, p in enumerate(prepared):
            if p.rows is not None:
                seeks[i], offers[i] = p.rows
        return cls(profiles, prepared, offers, seeks)

    def append(self, profile: Profile, prepared: Prepared) -> None:
        self.profiles.append(profile)
        self.prepared.append(prepared)
        dims = self.offers.shape[1]
        need, offer = (
            prepared.rows
            if prepared.rows is not None and prepared.rows.shape[1] == dims
            else (np.zeros(dims, dtype=np.float32),) * 2
        )
        self.offers = np.vstack([self.offers, offer[None, :]])
        self.seeks = np.vstack([self.seeks, need[None, :]])


def _exclude(
    scores: np.ndarray[Any, Any],
    rows: list[Profile],
    blocked: dict[int, list[int]],
    where: np.ndarray[Any, Any] | None,
) -> None:
    """-inf where a row's company was excluded with a column's (``where`` maps the columns
    of kept scores to positions across)."""
    for i, me in enumerate(rows):
        out = blocked.get(me.id)
        if out:
            scores[i, out if where is None else np.isin(where[i], out)] = -np.inf


def _loose_reason(parts: PairParts, slack: float) -> bool:
    """:meth:`PairParts.has_reason` with a little slack: the exact pass decides."""
    if parts.intents > 0 or parts.sectors > 0:
        return True
    lex = max(parts.lex_need, parts.lex_give) >= TEXT_REASON_MIN - slack
    sem = max(parts.sem_need, parts.sem_give) >= SEM_REASON_MIN - slack
    con = max(parts.con_need, parts.con_give) >= CONCEPT_REASON_MIN - slack
    return bool(lex or sem or con)


def _shared_concepts(a: list[Prepared], b: list[Prepared]) -> tuple[dict[str, int], dict[str, int]]:
    """The concepts somebody seeks and somebody across offers, and the services offered on
    both sides (the only ones that can make competitors)."""
    offers_a = {k for p in a for k in p.con_offers}
    seeks_a = {k for p in a for k in p.con_seeks}
    offers_b = {k for p in b for k in p.con_offers}
    seeks_b = {k for p in b for k in p.con_seeks}
    topics = (offers_a & seeks_b) | (offers_b & seeks_a)
    services = {k for p in a for k in p.con_same} & {k for p in b for k in p.con_same}
    return (
        {k: i for i, k in enumerate(sorted(topics))},
        {k: i for i, k in enumerate(sorted(services))},
    )


def _shared_vocab(a: list[Prepared], b: list[Prepared]) -> dict[str, int]:
    offers_a = {t for p in a for t in p.offers}
    seeks_a = {t for p in a for t in p.seeks}
    offers_b = {t for p in b for t in p.offers}
    seeks_b = {t for p in b for t in p.seeks}
    useful = (offers_a & seeks_b) | (offers_b & seeks_a)
    return {t: i for i, t in enumerate(sorted(useful))}


__all__ = ["AddResult", "MatchIndex"]
