"""The garbage collector set for a long-running bot: what start-up built is left out of its
scans, and young objects are collected less often.

Each update allocates thousands of short-lived objects (PTB parses every update and every
answer of the Bot API into objects), and CPython's cyclic collector runs every 700 net
allocations; each older-generation run walks every object the process holds — modules,
the forum, the services, PTB itself — although almost none of it ever becomes garbage.
Measured with bench/registration.py (1,000 reps registering at once), that walking was about
a fifth of the process's CPU time. :func:`settle` freezes what exists once the bot has
started (``gc.freeze``: those objects are never scanned again; reference counting still
frees them) and raises the first generation's threshold; :func:`release` undoes both at
stop (of the last bot running in the process, if several are), so a process that runs
the bot several times (the tests) collects between runs.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from bot.runtime.per_process import PerProcess

# Net allocations between two collections of the youngest generation (CPython: 700). Most
# of an update's objects are freed by reference counting before a collection sees them;
# bench/throughput.py's /start: 1.00 ms of CPU per update at 700, 0.89 at 10,000, 0.83 here.
YOUNG_THRESHOLD = 50_000


def _settle() -> Callable[[], None]:
    gc.freeze()
    young, middle, old = before = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_THRESHOLD), middle, old)

    def undo() -> None:
        gc.set_threshold(*before)
        gc.unfreeze()

    return undo


_heap = PerProcess(_settle)
settle, release = _heap.settle, _heap.release
