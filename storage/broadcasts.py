"""The broadcasts repository: organiser broadcasts, their audiences and their life cycle.

A broadcast row holds what to send (a Bot API method and its arguments, usually
``copyMessage`` of the organiser's own message) and to whom (an audience). Its copies are
outbox rows carrying its id, so delivery counts come from the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Repository
from storage.outbox import STATES as OUTBOX_STATES
from storage.outbox import OutboxRepository
from storage.rows import from_row

DRAFT, SCHEDULED, RUNNING, STOPPED, DONE, CANCELLED = (
    "draft",
    "scheduled",
    "running",
    "stopped",
    "done",
    "cancelled",
)
FINISHED_STATES = (STOPPED, DONE, CANCELLED)

# Audience kinds; ``value`` is a country code, a sector key or a session id where one is needed.
EVERYONE = "everyone"
COUNTRY = "country"
SECTOR = "sector"
COMPANIES = "companies"
NO_COMPANY = "no_company"
SESSION = "session"
AUDIENCE_KINDS = (EVERYONE, COUNTRY, SECTOR, COMPANIES, NO_COMPANY, SESSION)


@dataclass(frozen=True)
class Audience:
    kind: str
    value: str | int | None = None

    def __post_init__(self) -> None:
        if self.kind not in AUDIENCE_KINDS:
            raise ValueError(f"unknown audience {self.kind!r}")
        if self.kind in (COUNTRY, SECTOR, SESSION) and self.value in (None, ""):
            raise ValueError(f"audience {self.kind!r} needs a value")

    def to_json(self) -> str:
        return json.dumps({"kind": self.kind, "value": self.value}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> Audience:
        data = json.loads(raw)
        return cls(data["kind"], data.get("value"))


@dataclass(frozen=True)
class BroadcastRecord:
    id: int
    created_by: int
    audience: Audience
    audience_label: str
    summary: str
    method: str
    payload: dict[str, Any]
    state: str
    scheduled_for: str | None
    recipients: int
    progress_chat_id: int | None
    progress_message_id: int | None
    progress_text: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None


@dataclass(frozen=True)
class SessionChoice:
    id: int
    title: str
    starts_at: str


def _record(r: aiosqlite.Row) -> BroadcastRecord:
    return from_row(
        BroadcastRecord,
        r,
        audience=Audience.from_json(r["audience"]),
        payload=json.loads(r["payload"]),
    )


def _audience_query(audience: Audience) -> tuple[str, list[Any]]:
    """SQL selecting the distinct telegram ids of the audience's reachable users."""
    base = "SELECT DISTINCT u.telegram_id FROM users u"
    active = "u.is_active = 1"
    reps = "JOIN company_reps r ON r.user_id = u.telegram_id"
    if audience.kind == EVERYONE:
        return f"{base} WHERE {active}", []
    if audience.kind == COUNTRY:
        return (
            f"{base} {reps} JOIN companies c ON c.id = r.company_id "
            f"WHERE {active} AND c.country = ?",
            [audience.value],
        )
    if audience.kind == SECTOR:
        return (
            f"{base} {reps} JOIN company_sectors s ON s.company_id = r.company_id "
            f"WHERE {active} AND s.sector = ?",
            [audience.value],
        )
    if audience.kind == COMPANIES:
        return f"{base} {reps} WHERE {active}", []
    if audience.kind == NO_COMPANY:
        return (
            f"{base} WHERE {active} AND NOT EXISTS "
            "(SELECT 1 FROM company_reps r WHERE r.user_id = u.telegram_id)",
            [],
        )
    return (
        f"{base} JOIN agenda_subscriptions a ON a.user_id = u.telegram_id "
        f"WHERE {active} AND a.session_id = ?",
        [int(audience.value or 0)],
    )


class BroadcastRepository(Repository):
    # -- audiences -------------------------------------------------------------------
    async def recipients(self, audience: Audience) -> list[int]:
        sql, params = _audience_query(audience)
        rows = await self.db.fetchall(f"{sql} ORDER BY u.telegram_id", params)
        return [int(r[0]) for r in rows]

    async def count_recipients(self, audience: Audience) -> int:
        sql, params = _audience_query(audience)
        row = await self.db.fetchone(f"SELECT count(*) FROM ({sql})", params)
        return int(row[0]) if row else 0

    async def sessions(self, *, after: datetime | None = None) -> list[SessionChoice]:
        """Sessions one can broadcast to the subscribers of (not cancelled), soonest first."""
        where, params = "cancelled = 0", list[Any]()
        if after is not None:
            where += " AND ends_at > ?"
            params.append(after.isoformat())
        rows = await self.db.fetchall(
            f"SELECT id, title, starts_at FROM agenda_sessions WHERE {where} "
            "ORDER BY starts_at, id",
            params,
        )
        return [SessionChoice(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    async def session_title(self, session_id: int) -> str | None:
        row = await self.db.fetchone(
            "SELECT title FROM agenda_sessions WHERE id = ?", (session_id,)
        )
        return str(row[0]) if row else None

    # -- life cycle ------------------------------------------------------------------
    async def create(
        self,
        *,
        created_by: int,
        audience: Audience,
        audience_label: str,
        summary: str,
        method: str,
        payload: dict[str, Any],
        now: datetime,
        scheduled_for: datetime | None = None,
        recipients: int = 0,
    ) -> int:
        state = SCHEDULED if scheduled_for is not None else DRAFT
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                """
                INSERT INTO broadcasts (created_by, audience, audience_label, summary, method,
                                        payload, state, scheduled_for, recipients, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                (
                    created_by,
                    audience.to_json(),
                    audience_label,
                    summary,
                    method,
                    json.dumps(payload, ensure_ascii=False),
                    state,
                    scheduled_for.isoformat() if scheduled_for else None,
                    recipients,
                    now.isoformat(),
                ),
            )
            assert cursor.lastrowid is not None
            return int(cursor.lastrowid)

    async def get(self, broadcast_id: int) -> BroadcastRecord | None:
        return await self.read_one(
            _record, "SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,)
        )

    async def with_state(self, *states: str) -> list[BroadcastRecord]:
        marks = ", ".join("?" for _ in states)
        return await self.read_all(
            _record, f"SELECT * FROM broadcasts WHERE state IN ({marks}) ORDER BY id", states
        )

    async def recent(self, limit: int = 20) -> list[BroadcastRecord]:
        return await self.read_all(
            _record, "SELECT * FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,)
        )

    async def transition(
        self,
        broadcast_id: int,
        to: str,
        *,
        from_states: Sequence[str],
        now: datetime,
        recipients: int | None = None,
    ) -> bool:
        """Move to ``to`` only from one of ``from_states``; False if it was elsewhere.

        The condition makes every organiser action idempotent: a second Stop, a Cancel of a
        broadcast that already started, a start-up racing a job all change nothing.
        """
        marks = ", ".join("?" for _ in from_states)
        sets = ["state = ?"]
        params: list[Any] = [to]
        if to == RUNNING:
            sets.append("started_at = coalesce(started_at, ?)")
            params.append(now.isoformat())
        if to in FINISHED_STATES:
            sets.append("finished_at = ?")
            params.append(now.isoformat())
        if recipients is not None:
            sets.append("recipients = ?")
            params.append(recipients)
        changed = await self.db.execute(
            f"UPDATE broadcasts SET {', '.join(sets)} WHERE id = ? AND state IN ({marks})",
            [*params, broadcast_id, *from_states],
        )
        return changed > 0

    async def set_progress_message(self, broadcast_id: int, chat_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET progress_chat_id = ?, progress_message_id = ?, "
            "progress_text = NULL WHERE id = ?",
            (chat_id, message_id, broadcast_id),
        )

    async def set_progress_text(self, broadcast_id: int, text: str) -> None:
        await self.db.execute(
            "UPDATE broadcasts SET progress_text = ? WHERE id = ?", (text, broadcast_id)
        )

    async def sent_message_id(self, dedupe_key: str) -> int | None:
        """The Telegram message id of the outbox row ``dedupe_key`` once it was sent."""
        row = await self.db.fetchone(
            "SELECT message_id FROM outbox WHERE dedupe_key = ? AND state = 'sent'",
            (dedupe_key,),
        )
        return int(row[0]) if row and row[0] is not None else None

    async def pending_with_prefix(self, prefix: str) -> int:
        """Pending outbox rows whose dedupe key starts with ``prefix`` (a range over the
        unique index: the character after ``:`` is ``;``)."""
        row = await self.db.fetchone(
            "SELECT count(*) FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? "
            "AND state = 'pending'",
            (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)),
        )
        return int(row[0]) if row else 0

    async def delivery(self, broadcast_id: int) -> dict[str, int]:
        """Copies per outbox state for one broadcast."""
        return await OutboxRepository(self.db).counts(broadcast_id=broadcast_id)

    async def delivery_totals(self) -> dict[str, int]:
        """Copies per outbox state over every broadcast, for the dashboard."""
        rows = await self.db.fetchall(
            "SELECT state, count(*) FROM outbox WHERE broadcast_id IS NOT NULL GROUP BY state"
        )
        counts = dict.fromkeys(OUTBOX_STATES, 0)
        counts.update({str(r[0]): int(r[1]) for r in rows})
        return counts
