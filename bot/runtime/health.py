"""The running bot's vital signs and its heartbeat.

``Vitals`` keeps, in memory, when the last update came in and when the Bot API last answered
a call with success (every HTTP request goes through :class:`ObservedRequest`, around the
transport). The heartbeat, a JobQueue job started with the other background jobs
(``bot.runtime.jobs``), writes them with the time and the scheduled jobs to the
``heartbeat`` row every 30 s; ``python -m bot status`` and ``GET /healthz`` judge the bot by
it: a bot whose heartbeat is older than two minutes is wedged (its event loop or its
scheduler has stopped), even if its process still exists.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from telegram import Update
from telegram.ext import JobQueue
from telegram.request import BaseRequest, RequestData

from bot.clock import Clock
from storage.heartbeat import HeartbeatRepository

HEARTBEAT_EVERY = timedelta(seconds=30)
WEDGED_AFTER = timedelta(minutes=2)
HEARTBEAT_JOB = "heartbeat"
# The status shows the next few jobs; all of them would be thousands of reminders.
JOBS_SHOWN = 5


@dataclass
class Vitals:
    clock: Clock
    mode: str = "polling"
    last_update_at: datetime | None = None
    last_api_ok_at: datetime | None = None
    last_beat_at: datetime | None = None
    # Whether a getUpdates call has succeeded in this run: a 409 before it is a start-up
    # conflict (bot.runtime.updates).
    polled: bool = False

    def saw_update(self) -> None:
        self.last_update_at = self.clock.now()

    def api_ok(self) -> None:
        self.last_api_ok_at = self.clock.now()

    def beat_age(self) -> timedelta | None:
        return None if self.last_beat_at is None else self.clock.now() - self.last_beat_at

    @property
    def wedged(self) -> bool:
        age = self.beat_age()
        return age is None or age > WEDGED_AFTER


class ObservedRequest(BaseRequest):
    """Any of the bot's transports (aiohttp or httpx, bot.runtime.transport), noting every
    2xx answer as a sign of life."""

    def __init__(self, inner: BaseRequest, vitals: Vitals) -> None:
        self.inner = inner
        self.vitals = vitals

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        code, payload = await self.inner.do_request(
            url,
            method,
            request_data,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        if 200 <= code < 300:
            self.vitals.api_ok()
            if url.endswith("/getUpdates"):
                self.vitals.polled = True
        return code, payload


def update_watcher(vitals: Vitals) -> Any:
    """A handler callback for every update, before any feature sees it."""

    async def saw(update: Update, context: object) -> None:
        vitals.saw_update()

    return saw


def scheduled_jobs(
    job_queue: JobQueue[Any], now: datetime | None = None
) -> tuple[list[dict[str, Any]], int]:
    """The next jobs (name and time, ISO 8601) and how many there are in all. The JobQueue
    keeps real time; with ``now`` (the bot's clock) the times are told on that clock, as the
    rest of the heartbeat is (they differ only where a test or the demo moves the clock)."""
    shift = timedelta(0) if now is None else now - datetime.now(UTC)
    planned: list[tuple[datetime, str]] = []
    for job in job_queue.jobs():
        try:
            when = job.next_t
        except AttributeError:  # not planned yet: the scheduler has not started
            continue
        if when is not None and not job.removed:
            planned.append((when, job.name or "?"))
    planned.sort()
    shown = [
        {"name": name, "next": (when + shift).isoformat()} for when, name in planned[:JOBS_SHOWN]
    ]
    return shown, len(planned)


class Heartbeat:
    def __init__(self, repo: HeartbeatRepository, vitals: Vitals, job_queue: JobQueue[Any]):
        self.repo = repo
        self.vitals = vitals
        self.job_queue = job_queue

    async def started(self) -> None:
        now = self.vitals.clock.now()
        await self.repo.started(pid=os.getpid(), mode=self.vitals.mode, now=now)
        self.vitals.last_beat_at = now

    async def beat(self) -> None:
        now = self.vitals.clock.now()
        jobs, count = scheduled_jobs(self.job_queue, now)
        await self.repo.beat(
            now=now,
            last_update_at=self.vitals.last_update_at,
            last_api_ok_at=self.vitals.last_api_ok_at,
            jobs=jobs,
            job_count=count,
        )
        self.vitals.last_beat_at = now

    async def stopped(self) -> None:
        await self.repo.stopped(now=self.vitals.clock.now())
