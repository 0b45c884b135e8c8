"""The C allocator of the bot's process kept to one arena (glibc; elsewhere nothing changes).

glibc's malloc gives each thread that allocates an arena of its own, up to eight per core,
and memory freed in an arena stays with that arena: the process keeps it. The bot's big,
short-lived allocations happen on threads — the embedding model computes on one, the index
build screens its blocks on another and runs in a third, aiosqlite reads on a fourth — so
each left its own tens of megabytes behind. Measured with bench/memory.py (20,000
participants, 10,000 companies whose embeddings are all computed at start): peak RSS 359 MB
with glibc's default, 320 MB with one arena (``MALLOC_ARENA_MAX=1`` set from outside). The
threads then share one arena's lock; Python's own small objects do not take it (pymalloc,
under the GIL), and numpy's large buffers are few, so the cost is not measurable in
bench/matching.py.

:func:`trim` hands the memory a big build freed back to the system at once (glibc returns
only what is free at the top of its heap by itself): after the index's build, RSS fell from
257 to 238 MB in a run of the start-up build alone, and the rest of the bot's work starts
from there.

glibc fixes its arena limit the first time it needs one past its eighth arena, so
:func:`limit` must run early (the bot does it first thing at start); once fixed, it cannot
be raised again, and no bot in the process needs it raised.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import platform

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc's malloc.h
ARENAS = 1


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


@functools.cache
def limit() -> bool:
    """Cap this process's malloc arenas at :data:`ARENAS`; False where the C library is not
    glibc (or refuses), and nothing changes."""
    libc = _libc()
    if libc is None:
        return False
    done = bool(libc.mallopt(M_ARENA_MAX, ARENAS))
    if not done:
        log.warning("could not limit the allocator's arenas; memory use may be higher")
    return done


def trim() -> bool:
    """Give the memory free in the allocator's heap back to the system; False where the C
    library is not glibc or there was nothing to give."""
    libc = _libc()
    return libc is not None and bool(libc.malloc_trim(0))


__all__ = ["ARENAS", "limit", "trim"]
