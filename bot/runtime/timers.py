"""The services' :class:`~bot.services.timers.Timers` on python-telegram-bot's JobQueue.

One JobQueue job per name; a failing action is logged (and, through ``on_error``, told to
the organisers) and does not stop the queue (a repeating job runs again at its next time). A
time given to :meth:`JobQueueTimers.at` is on the bot's clock: it becomes a delay from the
clock's now (the JobQueue runs on real time, and the tests move a FakeClock by hand); a time
already past runs at once (APScheduler would drop a job more than a second late).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram.ext import ContextTypes, JobQueue

from bot.services.timers import Action

log = logging.getLogger(__name__)
# Returns the trace id the failure is known by (bot.services.alerts).
ErrorHook = Callable[[str, Exception], Awaitable[str]]


class JobQueueTimers:
    def __init__(
        self,
        job_queue: JobQueue[Any],
        on_error: ErrorHook | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.job_queue = job_queue
        self.on_error = on_error
        self.now = now or (lambda: datetime.now(UTC))

    def _runner(self, name: str, action: Action) -> Any:
        async def run(_: ContextTypes.DEFAULT_TYPE) -> None:
            try:
                await action()
            except Exception as exc:
                trace = await self.on_error(name, exc) if self.on_error else None
                log.exception("timer %s failed trace=%s", name, trace, extra={"trace_id": trace})

        return run

    def at(self, name: str, when: datetime, action: Action) -> None:
        self.cancel(name)
        delay = max(0.0, (when - self.now()).total_seconds())
        self.job_queue.run_once(self._runner(name, action), when=delay, name=name)

    def every(self, name: str, interval: timedelta, action: Action, *, first: float = 0) -> None:
        self.cancel(name)
        self.job_queue.run_repeating(
            self._runner(name, action), interval=interval, first=first, name=name
        )

    def cancel(self, name: str) -> bool:
        jobs = self.job_queue.get_jobs_by_name(name)
        for job in jobs:
            job.schedule_removal()
        return bool(jobs)

    def names(self, prefix: str = "") -> list[str]:
        return sorted(
            job.name
            for job in self.job_queue.jobs()
            if job.name and job.name.startswith(prefix) and not job.removed
        )
