"""numpy's BLAS on one thread in the bot's process.

OpenBLAS starts a thread per core and keeps them spinning between two products. In the bot,
the matching index is built in a worker thread while the event loop answers users: a second
BLAS thread takes the core the event loop needs, and when anything else runs on the machine
the spinning threads fight it too. Measured with bench/matching_live.py's new path
(10,000 companies) on a 2-core machine that other work was loading: the index's build took
31.9 s with two BLAS threads and 8.1 s with one; /matches p99 went from 11.1 to 3.8 ms and
the reply p99 during an export and a digest from 75.6 to 31.2 ms. The build uses the second
core itself: it screens the next block on a thread of its own while the exact pass reads the
last (bot/domain/matching/blocks.py), so on an idle machine one BLAS thread is the faster
setting too (10,000 companies: about 3.9 s, against 4.8 s for the build before that thread
with BLAS's two). :func:`settle` sets one thread while a bot runs; :func:`release` puts back
what was there once the last bot in the process stops.
"""

from __future__ import annotations

from collections.abc import Callable

from threadpoolctl import ThreadpoolController

from bot.runtime.per_process import PerProcess

BLAS_THREADS = 1


def _settle() -> Callable[[], None]:
    limits = ThreadpoolController().limit(limits=BLAS_THREADS, user_api="blas")
    return limits.restore_original_limits


_blas = PerProcess(_settle)
settle, release = _blas.settle, _blas.release
