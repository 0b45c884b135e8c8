"""Each company's k best from float scores, reading as few exact scores as they allow.

The float screen (:mod:`bot.domain.matching.screen`) bounds every pair's exact score from
above (to within :data:`ERROR`); these pick the candidates near a row's k-th best, score
them exactly through a callback and widen until the k-th exact score is safely above every
pair not read. Pure numpy; the index (:mod:`bot.domain.matching.index`) supplies the rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from bot.domain.matching.screen import ERROR, Workspace

SELECT = 1e-3  # every pair within this of the k-th best (float scores) is scored exactly
Row = tuple[float, float, int]  # (-score, -their score for me, id): the rank order


def best(
    approx: np.ndarray[Any, Any],
    k: int,
    exact: Callable[[list[int]], list[Row | None]],
    *,
    unseen: float = -np.inf,
    first: Shortlist | None = None,
) -> list[Row] | None:
    """The k best rows by exact score, reading as few as the float scores ``approx`` allow.

    Float scores are never below exact ones by more than ERROR, but a pair may turn out to
    have no reason (competitors' text is none), so the candidates widen until the k-th exact
    row is safely above every pair not read. ``unseen`` bounds the float scores of pairs
    not in ``approx`` at all; None when those might matter. ``first`` is the first round's
    shortlist when a whole block's were worked out at once (:func:`_shortlists`).
    """
    finite = int(np.isfinite(approx).sum()) if first is None else first[0]
    if k <= 0:
        return []
    take = min(k, finite)
    read: dict[int, Row | None] = {}
    while take > 0:
        if first is not None:
            _, top, new = first
            first = None
        else:
            top = np.partition(approx, len(approx) - take)[len(approx) - take]
            new = [j for j in np.flatnonzero(approx >= top - SELECT).tolist() if j not in read]
        read.update(zip(new, exact(new), strict=True))
        rows = sorted(r for r in read.values() if r is not None)
        if len(rows) >= k:
            kth = -rows[k - 1][0]
            if kth >= top - SELECT + ERROR and kth > unseen + ERROR:
                return rows[:k]
        if take >= finite:
            break
        take = min(finite, take * 2)
    rows = sorted(r for r in read.values() if r is not None)
    return rows[:k] if unseen == -np.inf else None


# A row's first round of _best: how many scores are finite, the k-th best, and the positions
# within SELECT of it.
Shortlist = tuple[int, Any, list[int]]


def shortlists(scores: np.ndarray[Any, Any], k: int, work: Workspace) -> list[Shortlist | None]:
    """The first round of :func:`_best` for every row of a block at once (None for a row
    with fewer than k finite scores): row by row, the numpy calls cost more than the exact
    scoring they lead to."""
    rows, n = scores.shape
    if k <= 0 or n < k:
        return [None] * rows
    finite = np.isfinite(scores).sum(axis=1).tolist()
    ordered = work.get("ordered", scores.shape)
    np.copyto(ordered, scores)
    ordered.partition(n - k, axis=1)
    kth = ordered[:, n - k]
    near = work.get("near", scores.shape, np.bool_)
    np.greater_equal(scores, (kth - SELECT)[:, None], out=near)
    cols = np.nonzero(near)[1].tolist()  # row by row, in column order
    ends = np.cumsum(near.sum(axis=1)).tolist()
    out: list[Shortlist | None] = []
    for i, end in enumerate(ends):
        begin = ends[i - 1] if i else 0
        out.append((finite[i], kth[i], cols[begin:end]) if finite[i] >= k else None)
    return out


class Kept:
    """The best few float scores per row over many column blocks, and where they came
    from: ``values``/``where`` are (rows, m); a score not kept is at most the row's
    :meth:`unseen`."""

    def __init__(self, rows: int, m: int) -> None:
        self.values = np.full((rows, m), -np.inf, dtype=np.float32)
        self.where = np.full((rows, m), -1, dtype=np.int64)
        self.m = m

    def merge(self, block: np.ndarray[Any, Any], first_col: int) -> None:
        values = np.concatenate([self.values, block], axis=1)
        cols = np.arange(first_col, first_col + block.shape[1])
        where = np.concatenate([self.where, np.broadcast_to(cols, block.shape)], axis=1)
        best = np.argpartition(values, values.shape[1] - self.m, axis=1)[:, -self.m :]
        self.values = np.take_along_axis(values, best, axis=1)
        self.where = np.take_along_axis(where, best, axis=1)

    def unseen(self, row: int) -> float:
        lowest = float(self.values[row].min())
        return lowest if np.isfinite(lowest) else -np.inf


__all__ = ["SELECT", "Kept", "Row", "Shortlist", "best", "shortlists"]
