"""The bulk build's blocks: one country's companies stacked, a worker thread that screens
block after block ahead of the exact pass, and what it hands over.

numpy releases the GIL, so while the exact pass (Python) scores one block's candidates, the
worker computes the next block's float scores, its shortlists (:func:`shortlists`) and the
embedding cosines of their pairs: the same 2x2 product per pair as the exact pass would do,
so the same float32 sums and the same lists as :meth:`Matcher.rank`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.domain.matching.core import Matcher
from bot.domain.matching.pair import Prepared
from bot.domain.matching.profiles import Profile
from bot.domain.matching.screen import Workspace
from bot.domain.matching.select import Shortlist, shortlists


@dataclass
class Side:
    """One country's matchable companies, in a fixed order, with their embeddings stacked
    (zero rows without embeddings); one new company is appended."""

    profiles: list[Profile]
    prepared: list[Prepared]
    offers: np.ndarray[Any, Any]
    seeks: np.ndarray[Any, Any]

    @classmethod
    def of(cls, profiles: list[Profile], matcher: Matcher) -> Side:
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


# A pair's four embedding cosines (need, give, same offer, same seek), by position across.
Cosines = dict[int, tuple[float, float, float, float]]


def as_cosines(products: list[Any]) -> list[tuple[float, float, float, float]]:
    """[[need, same seek], [same offer, give]] per pair -> (need, give, same offer, same seek)."""
    return [(n, g, o, s) for (n, s), (o, g) in products]


@dataclass
class Screened:
    """A block of rows ready for the exact pass: their float scores (and, for kept scores,
    where they came from), each row's first shortlist and the embedding cosines of its pairs."""

    approx: np.ndarray[Any, Any]
    where: np.ndarray[Any, Any] | None
    firsts: list[Shortlist | None]
    cosines: list[Cosines | None]

    @classmethod
    def of(
        cls,
        approx: np.ndarray[Any, Any],
        where: np.ndarray[Any, Any] | None,
        prepared: list[Prepared],
        side: Side,
        k: int,
        work: Workspace,
    ) -> Screened:
        firsts = shortlists(approx, k, work)
        return cls(approx, where, firsts, first_cosines(prepared, firsts, side, where))


def ahead(blocks: int, screen: Callable[[int], Screened]) -> Iterator[tuple[int, Screened]]:
    """``screen(0)``, ``screen(1)``, ... in order, each worked out by a worker thread while the
    caller scores the one before exactly (numpy releases the GIL; the exact pass is Python)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="match-screen") as pool:
        ahead = pool.submit(screen, 0)
        for block in range(blocks):
            done = ahead.result()
            if block + 1 < blocks:
                ahead = pool.submit(screen, block + 1)
            yield block, done


def first_cosines(
    prepared: list[Prepared],
    firsts: list[Shortlist | None],
    side: Side,
    where: np.ndarray[Any, Any] | None,
) -> list[Cosines | None]:
    """The embedding cosines of a block's first-round pairs (:func:`shortlists`), by position
    in ``side``, in one batched product: the same 2x2 product per pair as
    :meth:`MatchIndex._exact`, so the same float32 sums, done by the screening worker."""
    lefts: list[np.ndarray[Any, Any]] = []
    cols: list[list[int]] = []
    for i, (me, first) in enumerate(zip(prepared, firsts, strict=False)):
        at = [] if first is None or me.rows is None else first[2]
        cols.append(at if where is None else where[i][at].tolist())
        if at and me.rows is not None:
            lefts.append(np.broadcast_to(me.rows, (len(at), *me.rows.shape)))
    flat = [c for row in cols for c in row]
    if not flat:
        return [None] * len(firsts)
    theirs = np.stack([side.offers[flat], side.seeks[flat]], axis=2)
    values = as_cosines((np.concatenate(lefts) @ theirs).tolist())
    out: list[Cosines | None] = []
    start = 0
    for row in cols:
        out.append(dict(zip(row, values[start : start + len(row)], strict=True)) if row else None)
        start += len(row)
    return out


__all__ = ["Cosines", "Screened", "Side", "ahead", "as_cosines", "first_cosines"]
