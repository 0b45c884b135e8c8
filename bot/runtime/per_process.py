"""A setting a running bot makes to its whole process, undone when the last bot stops.

The garbage collector's thresholds (:mod:`bot.runtime.heap`) and numpy's BLAS threads
(:mod:`bot.runtime.blas`) belong to the process, not to one bot; the tests run several bots
in one process, one after the other and sometimes two at once. The setting is made when the
first bot starts and undone when the last one stops, so a process that runs the bot several
times is left as it was between runs.
"""

from __future__ import annotations

from collections.abc import Callable


class PerProcess:
    """``make()`` makes the setting and returns what undoes it."""

    def __init__(self, make: Callable[[], Callable[[], None]]) -> None:
        self._make = make
        self._undo: Callable[[], None] | None = None
        self._running = 0  # bots running in this process

    def settle(self) -> None:
        self._running += 1
        if self._running == 1:
            self._undo = self._make()

    def release(self) -> None:
        if self._running == 0:
            return
        self._running -= 1
        if self._running == 0 and self._undo is not None:
            undo, self._undo = self._undo, None
            undo()


__all__ = ["PerProcess"]
