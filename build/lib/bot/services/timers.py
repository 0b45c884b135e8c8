"""What services need of a scheduler: run a coroutine at a time or every so often, by name.

Services plan reminders and scheduled broadcasts through this protocol and never see the
JobQueue; ``bot.runtime.timers`` implements it on python-telegram-bot's JobQueue (APScheduler)
and the tests can use the same. A name identifies one timer: planning a name again replaces
it, so re-planning after a restart or an agenda change never doubles a job.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Protocol

Action = Callable[[], Awaitable[object]]


class Timers(Protocol):
    def at(self, name: str, when: datetime, action: Action) -> None:
        """Run ``action`` once at ``when`` (at once if it is past), replacing ``name``."""

    def every(self, name: str, interval: timedelta, action: Action, *, first: float = 0) -> None:
        """Run ``action`` every ``interval``, the first time after ``first`` seconds."""

    def cancel(self, name: str) -> bool:
        """Drop the timer ``name``; whether there was one."""

    def names(self, prefix: str = "") -> list[str]:
        """The planned timers whose name starts with ``prefix``."""


class NoTimers:
    """Timers for a process without a scheduler (the CLI): nothing is planned; a running
    bot plans everything from the database at its start-up."""

    def at(self, name: str, when: datetime, action: Action) -> None:
        return None

    def every(self, name: str, interval: timedelta, action: Action, *, first: float = 0) -> None:
        return None

    def cancel(self, name: str) -> bool:
        return False

    def names(self, prefix: str = "") -> list[str]:
        return []
