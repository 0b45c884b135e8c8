"""The heartbeat row: what the running bot says about itself, for readers outside it.

The bot writes it at start-up, every 30 s and at a graceful stop; ``python -m bot status``
reads it (with the outbox counts) from another process. Times are ISO 8601 UTC strings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.db import Repository
from storage.rows import from_row


@dataclass(frozen=True)
class Beat:
    pid: int
    mode: str
    started_at: str
    beat_at: str
    last_update_at: str | None = None
    last_api_ok_at: str | None = None
    jobs: list[dict[str, Any]] = field(default_factory=list)
    job_count: int = 0
    stopped_at: str | None = None


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


class HeartbeatRepository(Repository):
    async def started(self, *, pid: int, mode: str, now: datetime) -> None:
        """A new run: the previous run's row is replaced whole."""
        await self.db.execute(
            "INSERT OR REPLACE INTO heartbeat (id, pid, mode, started_at, beat_at) "
            "VALUES (1, ?, ?, ?, ?)",
            (pid, mode, now.isoformat(), now.isoformat()),
        )

    async def beat(
        self,
        *,
        now: datetime,
        last_update_at: datetime | None,
        last_api_ok_at: datetime | None,
        jobs: list[dict[str, Any]],
        job_count: int,
    ) -> None:
        await self.db.execute(
            "UPDATE heartbeat SET beat_at = ?, last_update_at = ?, last_api_ok_at = ?, "
            "jobs = ?, job_count = ? WHERE id = 1",
            (
                now.isoformat(),
                _iso(last_update_at),
                _iso(last_api_ok_at),
                json.dumps(jobs),
                job_count,
            ),
        )

    async def stopped(self, *, now: datetime) -> None:
        await self.db.execute(
            "UPDATE heartbeat SET stopped_at = ? WHERE id = 1", (now.isoformat(),)
        )

    async def get(self) -> Beat | None:
        row = await self.db.fetchone("SELECT * FROM heartbeat WHERE id = 1")
        if row is None:
            return None
        return from_row(Beat, row, jobs=json.loads(row["jobs"]))
