"""glibc's malloc set for a long-running bot: big blocks always on their own mappings, and
what a big build freed handed back to the system (elsewhere than glibc nothing changes).

glibc serves a request of 128 KB or more from a mapping of its own, returned to the system
when freed, but raises that threshold (up to 32 MB) each time such a block is freed. After
the first index build has freed its buffers, numpy's arrays of a few MB come from the heaps
of whichever threads allocate them (the embedding model's, the build's, the screen's), and
what is freed there stays with the process. :func:`settle` fixes the threshold at 128 KB, as
it starts. :func:`trim` hands back what is free in every heap at once (``malloc_trim``): the
service calls it after a build's profiles are read and after the build.

Measured with bench/memory.py (20,000 participants, 10,000 companies whose embeddings are all
computed at start): with the index's own savings, peak RSS 318 MB with glibc's default
threshold, 296 MB with it fixed. One arena for the whole process (``M_ARENA_MAX=1``) saved as
much, but cost 5–10 % more CPU per update (bench/throughput.py, bench/registration.py): the
event loop and aiosqlite's thread then take one lock for every block they allocate.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import logging
import platform

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
MAPPED_FROM = 128 * 1024  # glibc's own starting threshold


@functools.cache
def _libc() -> ctypes.CDLL | None:
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return None


@functools.cache
def settle() -> bool:
    """Fix the mapping threshold at :data:`MAPPED_FROM` for this process (once; glibc has
    no call that lets it slide again, and no bot needs it to); False where the C library is
    not glibc or refuses."""
    libc = _libc()
    if libc is None:
        return False
    done = bool(libc.mallopt(M_MMAP_THRESHOLD, MAPPED_FROM))
    if not done:
        log.warning("could not fix malloc's mapping threshold; memory use may be higher")
    return done


def trim() -> bool:
    """Give the memory free in every malloc heap back to the system; False where the C
    library is not glibc or there was nothing to give."""
    libc = _libc()
    return libc is not None and bool(libc.malloc_trim(0))


__all__ = ["MAPPED_FROM", "settle", "trim"]
