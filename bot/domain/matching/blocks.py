"""The float pass of the bulk build a block at a time: the first country's companies,
BLOCK_ROWS at once, against every company of the second, with the next block screened on a
thread while the caller reads this one.

numpy lets go of the GIL in its products, so the screen runs on the second core alongside the
exact pass's Python; the order and every score are as in one thread. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from bot.domain.matching.profiles import Weights
from bot.domain.matching.screen import Features, Workspace
from bot.domain.matching.topk import Kept

BLOCK_ROWS = 64  # rows per block: ~25 MB of buffers at 5,000 companies a side


def screened(
    ro_f: Features, pk_f: Features, w: Weights, keep: Kept
) -> Iterator[tuple[int, np.ndarray[Any, Any]]]:
    """The first country's float rows against the second's, a block at a time: (its first
    row, the block's scores); the second's side of each block goes into ``keep``, merged on
    the caller's thread (the screen is the longer of the two). Only what is handed over needs
    a second buffer; the screen's own workspace stays the worker's."""
    work = Workspace()
    handed = (Workspace(), Workspace())
    starts = range(0, ro_f.count, BLOCK_ROWS)

    def screen(turn: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        start = starts[turn]
        mine, theirs = ro_f.block(pk_f, start, start + BLOCK_ROWS, w, work)
        into = handed[turn % 2]
        out = into.get("mine", mine.shape), into.get("theirs", theirs.shape)
        np.copyto(out[0], mine)
        np.copyto(out[1], theirs)
        return out

    with ThreadPoolExecutor(max_workers=1) as pool:
        ahead = pool.submit(screen, 0) if starts else None
        for turn, start in enumerate(starts):
            assert ahead is not None
            mine, theirs = ahead.result()
            # Into the buffers this block does not use: the caller is done with them.
            ahead = pool.submit(screen, turn + 1) if turn + 1 < len(starts) else None
            keep.merge(theirs.T, start)
            yield start, mine


__all__ = ["BLOCK_ROWS", "screened"]
