"""Each company's k best matches from float scores, reading as few exact scores as possible.

The float pass (:mod:`bot.domain.matching.screen`) gives every pair a score never below its
exact one by more than :data:`~bot.domain.matching.screen.ERROR`; the functions here pick the
pairs near each company's k-th best, have them scored exactly, and widen only when a pair
turns out to have no reason. :class:`Kept` holds the best few float scores per company when a
row's scores arrive over many blocks. Pure numpy; the exact scores come from a callback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from bot.domain.matching.screen import ERROR

SELECT = 1e-3  # every pair within this of the k-th best (float scores) is scored exactly
Row = tuple[float, float, int]  # (-score, -their score for me, id): the rank order
Exact = Callable[[list[int]], list[Row | None]]


def best(
    approx: np.ndarray[Any, Any],
    k: int,
    exact: Exact,
    *,
    unseen: float = -np.inf,
) -> list[Row] | None:
    """The k best rows by exact score, reading as few as the float scores ``approx`` allow.

    Float scores are never below exact ones by more than ERROR, but a pair may turn out to
    have no reason (competitors' text is none), so the candidates widen until the k-th exact
    row is safely above every pair not read. ``unseen`` bounds the float scores of pairs
    not in ``approx`` at all; None when those might matter.
    """
    finite = int(np.isfinite(approx).sum())
    if k <= 0:
        return []
    take = min(k, finite)
    read: dict[int, Row | None] = {}
    while take > 0:
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


class Kept:
    """The best few float scores per row over many column blocks, and where they came
    from: ``values``/``where`` are (rows, m); a score not kept is at most the row's
    :meth:`unseen`."""

    def __init__(self, rows: int, m: int) -> None:
        self.values = np.full((rows, m), -np.inf, dtype=np.float32)
        # A position among the first country's companies: int32 halves the biggest buffer.
        self.where = np.full((rows, m), -1, dtype=np.int32)
        self.m = m

    def merge(self, block: np.ndarray[Any, Any], first_col: int) -> None:
        values = np.concatenate([self.values, block], axis=1)
        cols = np.arange(first_col, first_col + block.shape[1], dtype=np.int32)
        where = np.concatenate([self.where, np.broadcast_to(cols, block.shape)], axis=1)
        best = np.argpartition(values, values.shape[1] - self.m, axis=1)[:, -self.m :]
        self.values = np.take_along_axis(values, best, axis=1)
        self.where = np.take_along_axis(where, best, axis=1)

    def unseen(self) -> np.ndarray[Any, Any]:
        """Per row, the lowest score kept (-inf while fewer than m were seen)."""
        return self.values.min(axis=1).astype(np.float64)


__all__ = ["SELECT", "Exact", "Kept", "Row", "best"]
