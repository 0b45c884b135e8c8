"""``python -m bot status``: how the bot on a database is doing, read from outside it.

Whether a bot runs comes from the run lock (``bot.runtime.runlock``); whether it is alive
from its heartbeat row (``bot.runtime.health``); the rest from the database. The verdict
and its exit code:

- ``healthy`` (0): running, heartbeat younger than two minutes;
- ``starting`` (0): running, no heartbeat of this run yet, started less than two minutes ago;
- ``wedged`` (1): running, but no heartbeat for two minutes;
- ``not running`` (3): no bot holds the lock (or there is no database yet).
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.runtime.health import WEDGED_AFTER
from bot.runtime.runlock import Holder, running_holder
from storage.db import Database, migration_files
from storage.heartbeat import Beat, HeartbeatRepository
from storage.outbox import OutboxRepository

EXIT_CODES = {"healthy": 0, "starting": 0, "wedged": 1, "not running": 3}


@dataclass(frozen=True)
class Status:
    database: Path
    now: datetime
    verdict: str
    holder: Holder | None = None
    beat: Beat | None = None
    schema_version: int | None = None
    latest_version: int = 0
    outbox: dict[str, int] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.verdict]


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def judge(
    holder: Holder | None, beat: Beat | None, now: datetime, max_age: timedelta = WEDGED_AFTER
) -> str:
    if holder is None:
        return "not running"
    if beat is not None and beat.pid == holder.pid and beat.stopped_at is None:
        beat_at = _time(beat.beat_at)
        return "healthy" if beat_at is not None and now - beat_at <= max_age else "wedged"
    # The lock is taken before the database is opened and migrated: this run has not
    # written its first heartbeat yet.
    try:
        since = datetime.fromisoformat(holder.since)
    except ValueError:
        return "wedged"
    return "starting" if now - since <= max_age else "wedged"


async def read_status(database: Path, now: datetime, max_age: timedelta = WEDGED_AFTER) -> Status:
    latest = len(migration_files())
    holder = running_holder(database)
    if not await asyncio.to_thread(database.is_file):
        return Status(
            database, now, judge(holder, None, now, max_age), holder, latest_version=latest
        )
    db = await Database.open(database, migrate=False)
    try:
        version = await db.schema_version()
        try:
            beat = await HeartbeatRepository(db).get()
        except sqlite3.OperationalError:  # a database from before the heartbeat
            beat = None
        try:
            counts = await OutboxRepository(db).counts()
        except sqlite3.OperationalError:
            counts = {}
    finally:
        await db.close()
    return Status(
        database,
        now,
        judge(holder, beat, now, max_age),
        holder,
        beat,
        version,
        latest,
        counts,
    )


def _span(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _ago(value: str | None, now: datetime) -> str:
    """A stored time, in UTC, and how long ago (or in how long) it is."""
    when = _time(value)
    if when is None:
        return "never"
    seconds = int((now - when).total_seconds())
    relative = f"{_span(seconds)} ago" if seconds >= 0 else f"in {_span(-seconds)}"
    return f"{when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC ({relative})"


def render(status: Status) -> str:
    """The report, one fact a line."""
    now, beat, holder = status.now, status.beat, status.holder
    lines = [f"ForumBridge: {status.verdict.upper()}", f"database: {status.database}"]
    if status.schema_version is None:
        lines.append("schema version: no database yet (the first start creates it)")
    else:
        behind = status.latest_version - status.schema_version
        note = f" ({behind} migration(s) to apply)" if behind > 0 else ""
        lines.append(f"schema version: {status.schema_version} of {status.latest_version}{note}")
    if holder is not None:
        lines.append(f"process: pid {holder.pid}, running since {holder.since}")
    if beat is not None:
        lines.append(f"mode: {beat.mode}")
        lines.append(f"last heartbeat: {_ago(beat.beat_at, now)}")
        if beat.stopped_at:
            lines.append(f"stopped: {_ago(beat.stopped_at, now)}")
        lines.append(f"last update received: {_ago(beat.last_update_at, now)}")
        lines.append(f"last successful Bot API call: {_ago(beat.last_api_ok_at, now)}")
        jobs = ", ".join(f"{j['name']} at {_ago(j['next'], now)}" for j in beat.jobs)
        lines.append(f"scheduled jobs: {beat.job_count}" + (f" (next: {jobs})" if jobs else ""))
    elif status.schema_version is not None:
        lines.append("last heartbeat: never")
    if status.outbox:
        lines.append(
            f"outbox: {status.outbox.get('pending', 0)} pending, "
            f"{status.outbox.get('failed', 0)} failed"
        )
    return "\n".join(lines)
