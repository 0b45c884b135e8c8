"""Timers for batches that must be *out* by a due time, not merely queued at it.

Session and meeting reminders are planned here instead of straight on the
:class:`~bot.services.timers.Timers`: each (session, lead) or (meeting, lead) is a batch with
its due time and the number of messages it will queue, and its timer runs at the start that
``bot.domain.send_plan`` gives it at the outbox's rate (``SEND_RATE``), so the last message
leaves by the due time. All batches of the process are planned together: two sessions at
10:00 with 5,000 subscribers each start 400 s (+5 %) ahead, one after the other. Reminders are
urgent rows in the outbox, so a broadcast queued meanwhile waits behind them, and direct
replies keep the room the outbox leaves them within Telegram's limit.

With ``early`` off (the benchmark's baseline) every batch runs at its due time, as before.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.domain.send_plan import SendPlan
from bot.services.timers import Action, Timers


class DeadlineTimers:
    def __init__(
        self,
        timers: Timers,
        rate: float,
        now: Callable[[], datetime],
        *,
        early: bool = True,
    ) -> None:
        self.timers = timers
        self.now = now
        self.early = early
        self.plan = SendPlan(rate)
        self._actions: dict[str, Action] = {}

    def at(self, name: str, due: datetime, size: int, action: Action) -> datetime:
        """Run ``action`` early enough that ``size`` messages it queues are out by ``due``
        (replacing ``name``). Returns when it is planned to run."""
        self._actions[name] = action
        if not self.early:
            self.plan.remove(name)
            self.timers.at(name, due, self._run(name, action))
            return due
        self._rearm(self.plan.put(name, due, size))
        return self.plan.start_of(name)

    def start_of(self, name: str) -> datetime | None:
        return self.plan.start_of(name) if name in self.plan else None

    def cancel(self, name: str) -> bool:
        self._actions.pop(name, None)
        self._rearm(self.plan.remove(name))
        return self.timers.cancel(name)

    def names(self, prefix: str = "") -> list[str]:
        return self.timers.names(prefix)

    def _rearm(self, moved: dict[str, datetime]) -> None:
        for name, start in moved.items():
            self.timers.at(name, start, self._run(name, self._actions[name]))

    def _run(self, name: str, action: Action) -> Action:
        async def run() -> object:
            # Queued now: its rows are in the outbox, ahead of every batch planned after it.
            self._actions.pop(name, None)
            self._rearm(self.plan.remove(name))
            return await action()

        return run
