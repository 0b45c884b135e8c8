"""The outbox repository: durable queue of outgoing messages with a unique dedupe key.

A row is written before anything is sent; the sender marks it sent, failed, blocked or
unknown (a send that timed out: it may have arrived, so it is not sent again).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Repository
from storage.rows import from_row

PENDING, SENT, FAILED, BLOCKED, CANCELLED = "pending", "sent", "failed", "blocked", "cancelled"
UNKNOWN = "unknown"
STATES = (PENDING, SENT, FAILED, BLOCKED, CANCELLED, UNKNOWN)

# Lower is sent first. Introductions and reminders are time-critical; a broadcast of 10,000
# messages must never stand in front of them.
PRIORITY_URGENT = 1
PRIORITY_NORMAL = 5
PRIORITY_BULK = 9


@dataclass(frozen=True)
class NewMessage:
    """One message to enqueue. ``payload`` holds the Bot API arguments besides chat_id."""

    chat_id: int
    dedupe_key: str
    kind: str
    payload: dict[str, Any]
    method: str = "sendMessage"
    not_before: datetime | None = None
    priority: int = PRIORITY_NORMAL
    broadcast_id: int | None = None


@dataclass(frozen=True)
class OutboxRow:
    id: int
    kind: str
    chat_id: int
    method: str
    payload: dict[str, Any]
    attempts: int
    not_before: str
    broadcast_id: int | None
    priority: int = PRIORITY_NORMAL
    state: str = PENDING
    last_error: str | None = None


def _row(r: aiosqlite.Row) -> OutboxRow:
    return from_row(
        OutboxRow,
        r,
        payload=json.loads(r["payload"]),
    )


class OutboxRepository(Repository):
    async def enqueue(self, messages: Iterable[NewMessage], *, now: datetime) -> int:
        """Insert in one transaction; a dedupe key seen before is skipped. Returns rows added."""
        stamp = now.isoformat()
        rows = [
            (
                m.kind,
                m.priority,
                m.dedupe_key,
                m.chat_id,
                m.method,
                json.dumps(m.payload, ensure_ascii=False),
                (m.not_before or now).isoformat(),
                m.broadcast_id,
                stamp,
            )
            for m in messages
        ]
        if not rows:
            return 0
        async with self.db.transaction() as conn:
            before = conn.total_changes
            await conn.executemany(
                """
                INSERT OR IGNORE INTO outbox (kind, priority, dedupe_key, chat_id, method,
                                              payload, not_before, broadcast_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                rows,
            )
            return conn.total_changes - before

    async def due(self, now: datetime, limit: int = 50) -> list[OutboxRow]:
        """Pending rows whose time has come, most urgent first."""
        return await self.read_all(
            _row,
            "SELECT * FROM outbox WHERE state = 'pending' AND not_before <= ? "
            "ORDER BY priority, not_before, id LIMIT ?",
            (now.isoformat(), limit),
        )

    async def is_pending(self, row_id: int) -> bool:
        row = await self.db.fetchone("SELECT state FROM outbox WHERE id = ?", (row_id,))
        return row is not None and row[0] == PENDING

    async def next_due_time(self) -> str | None:
        row = await self.db.fetchone("SELECT min(not_before) FROM outbox WHERE state = 'pending'")
        return row[0] if row else None

    async def mark_sent(self, row_id: int, *, message_id: int | None, now: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?, message_id = ?, "
            "attempts = attempts + 1, last_error = NULL WHERE id = ?",
            (now.isoformat(), message_id, row_id),
        )

    async def mark_final(self, row_id: int, state: str, error: str) -> None:
        await self.db.execute(
            "UPDATE outbox SET state = ?, last_error = ?, attempts = attempts + 1 WHERE id = ?",
            (state, error[:500], row_id),
        )

    async def retry_later(self, row_id: int, *, error: str, not_before: datetime) -> None:
        await self.db.execute(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, not_before = ? "
            "WHERE id = ?",
            (error[:500], not_before.isoformat(), row_id),
        )

    async def cancel(
        self, *, broadcast_id: int | None = None, dedupe_prefix: str | None = None
    ) -> int:
        """Cancel pending rows of a broadcast, or whose dedupe key starts with a prefix."""
        if broadcast_id is not None:
            return await self.db.execute(
                "UPDATE outbox SET state = 'cancelled' WHERE state = 'pending' "
                "AND broadcast_id = ?",
                (broadcast_id,),
            )
        if dedupe_prefix is not None:
            escaped = dedupe_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return await self.db.execute(
                "UPDATE outbox SET state = 'cancelled' WHERE state = 'pending' "
                "AND dedupe_key LIKE ? ESCAPE '\\'",
                (escaped + "%",),
            )
        raise ValueError("say what to cancel")

    async def get(self, row_id: int) -> OutboxRow | None:
        return await self.read_one(_row, "SELECT * FROM outbox WHERE id = ?", (row_id,))

    async def counts(
        self,
        *,
        broadcast_id: int | None = None,
        kind: str | None = None,
        kind_prefix: str | None = None,
    ) -> dict[str, int]:
        """Rows per state, for one broadcast, one kind, kinds starting with a prefix, or
        everything."""
        where, params = "1 = 1", list[Any]()
        if broadcast_id is not None:
            where, params = "broadcast_id = ?", [broadcast_id]
        elif kind is not None:
            where, params = "kind = ?", [kind]
        elif kind_prefix is not None:
            # A range over the (kind, state) index: chr(0x10FFFF) sorts after any kind.
            where, params = "kind >= ? AND kind < ?", [kind_prefix, kind_prefix + "\U0010ffff"]
        rows = await self.db.fetchall(
            f"SELECT state, count(*) FROM outbox WHERE {where} GROUP BY state", params
        )
        counts = dict.fromkeys(STATES, 0)
        counts.update({r[0]: int(r[1]) for r in rows})
        return counts

    async def rows(self, *, kind: str | None = None, chat_id: int | None = None) -> list[OutboxRow]:
        """For reports and tests: every row of a kind and/or chat, oldest first."""
        clauses: list[str] = []
        params: list[Any] = []
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        if chat_id is not None:
            clauses.append("chat_id = ?")
            params.append(chat_id)
        where = " AND ".join(clauses) or "1 = 1"
        found = await self.db.fetchall(f"SELECT * FROM outbox WHERE {where} ORDER BY id", params)
        return [_row(r) for r in found]
