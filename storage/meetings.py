"""The meetings repository: 1:1 meetings in the slots of the agenda's meeting blocks.

Booking and moving are one ``BEGIN IMMEDIATE`` transaction each: every rule is checked on
the rows as they are inside it (the pair has no upcoming meeting, both companies are free
and available at that time, neither is at its maximum, a table is left in the slot), and the
database enforces what matters most by itself (migration 0011): a company's seat per slot
start is a primary key kept by triggers from the live meetings, and a slot's tables are a
partial unique index plus a trigger against the block's ``tables``. A booking that loses a
race to another process therefore fails on a constraint and is reported as taken.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.agenda import MEETINGS, to_utc
from storage.db import Database, Repository, fetch_all
from storage.rows import timed_from_row

PROPOSED, CONFIRMED, DECLINED, CANCELLED, EXPIRED = (
    "proposed",
    "confirmed",
    "declined",
    "cancelled",
    "expired",
)
LIVE = (PROPOSED, CONFIRMED)
LIVE_SQL = "('proposed', 'confirmed')"
BY_REP, BY_ORGANISERS = "rep", "organisers"


@dataclass(frozen=True)
class MeetingRecord:
    id: int
    company_a: int
    company_b: int
    block_id: int
    starts_at: datetime
    ends_at: datetime
    table_no: int
    state: str
    source: str
    proposer_company: int | None
    requested_by: int | None
    decided_by: int | None
    rev: int
    token: str
    created_at: str
    updated_at: str
    feedback_asked_at: str | None

    @property
    def live(self) -> bool:
        return self.state in LIVE

    def has(self, company_id: int) -> bool:
        return company_id in (self.company_a, self.company_b)

    def other(self, company_id: int) -> int:
        return self.company_b if company_id == self.company_a else self.company_a


@dataclass(frozen=True)
class BlockRecord:
    """A meetings block of the agenda (not cancelled)."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    slot_minutes: int
    tables: int


@dataclass(frozen=True)
class SlotChoice:
    """Where a meeting goes: a slot of a block."""

    block_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class Booking:
    """What a booking or a move came to. ``kind``: ``ok``; ``busy`` (``company`` has another
    meeting then); ``unavailable`` (``company`` blocked that slot); ``full`` (no table
    left); ``limit`` (``company`` is at its maximum); ``pair`` (the two already have an
    upcoming meeting); ``gone`` (no such block, or the meeting changed meanwhile)."""

    kind: str
    meeting: MeetingRecord | None = None
    company: int | None = None


async def company_slots(db: Database, table: str, company_ids: list[int]) -> set[tuple[int, str]]:
    """(company, slot start) of every row of ``table`` (``meeting_seats`` or
    ``meeting_unavailable``) for these companies."""
    if not company_ids:
        return set()
    marks = ",".join("?" * len(company_ids))
    rows = await db.fetchall(
        f"SELECT company_id, slot_start FROM {table} WHERE company_id IN ({marks})",
        tuple(company_ids),
    )
    return {(int(r[0]), str(r[1])) for r in rows}


def meeting_from_row(row: aiosqlite.Row) -> MeetingRecord:
    return timed_from_row(MeetingRecord, row)


class MeetingRepository(Repository):
    # -- reading -------------------------------------------------------------------------
    async def get(self, meeting_id: int) -> MeetingRecord | None:
        return await self.read_one(
            meeting_from_row, "SELECT * FROM meetings WHERE id = ?", (meeting_id,)
        )

    async def for_company(self, company_id: int) -> list[MeetingRecord]:
        return await self.read_all(
            meeting_from_row,
            "SELECT * FROM meetings WHERE company_a = ? OR company_b = ? ORDER BY starts_at, id",
            (company_id, company_id),
        )

    async def mark_feedback_asked(self, meeting_id: int, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE meetings SET feedback_asked_at = ? WHERE id = ? AND feedback_asked_at IS NULL",
            (to_utc(now), meeting_id),
        )
        return changed > 0

    # -- booking -------------------------------------------------------------------------
    async def book(
        self,
        a: int,
        b: int,
        slot: SlotChoice,
        *,
        state: str,
        source: str,
        proposer_company: int | None,
        requested_by: int | None,
        token: str,
        max_per_company: int,
        now: datetime,
    ) -> Booking:
        """A new live meeting of ``a`` and ``b`` in ``slot``, if every rule allows it."""
        low, high = min(a, b), max(a, b)
        try:
            async with self.db.transaction() as conn:
                refused = await self._check(
                    conn, low, high, slot, None, now=now, max_per_company=max_per_company
                )
                if isinstance(refused, Booking):
                    return refused
                stamp = to_utc(now)
                cursor = await conn.execute(
                    "INSERT INTO meetings (company_a, company_b, block_id, starts_at, ends_at, "
                    "table_no, state, source, proposer_company, requested_by, token, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        low,
                        high,
                        slot.block_id,
                        to_utc(slot.starts_at),
                        to_utc(slot.ends_at),
                        refused,
                        state,
                        source,
                        proposer_company,
                        requested_by,
                        token,
                        stamp,
                        stamp,
                    ),
                )
                meeting_id = int(cursor.lastrowid or 0)
        except sqlite3.IntegrityError:
            # Another process won the seat or the table between our check and our insert.
            return Booking("busy")
        return Booking("ok", await self.get(meeting_id))

    async def move(
        self,
        meeting_id: int,
        rev: int,
        slot: SlotChoice,
        *,
        proposer_company: int,
        requested_by: int,
        now: datetime,
    ) -> Booking:
        """Propose a new slot for a live meeting (a counter-proposal or a reschedule): it
        leaves its old seats and table for the new ones, or stays where it was."""
        current = await self.get(meeting_id)
        if current is None:
            return Booking("gone")
        try:
            async with self.db.transaction() as conn:
                rows = await fetch_all(
                    conn,
                    f"SELECT rev FROM meetings WHERE id = ? AND state IN {LIVE_SQL}",
                    (meeting_id,),
                )
                if not rows or rows[0][0] != rev:
                    return Booking("gone")
                refused = await self._check(
                    conn,
                    current.company_a,
                    current.company_b,
                    slot,
                    meeting_id,
                    now=now,
                    max_per_company=None,
                )
                if isinstance(refused, Booking):
                    return refused
                await conn.execute(
                    "UPDATE meetings SET block_id = ?, starts_at = ?, ends_at = ?, table_no = ?, "
                    "state = 'proposed', proposer_company = ?, requested_by = ?, "
                    "decided_by = NULL, decided_at = NULL, rev = rev + 1, updated_at = ? "
                    "WHERE id = ?",
                    (
                        slot.block_id,
                        to_utc(slot.starts_at),
                        to_utc(slot.ends_at),
                        refused,
                        proposer_company,
                        requested_by,
                        to_utc(now),
                        meeting_id,
                    ),
                )
        except sqlite3.IntegrityError:
            return Booking("busy")
        return Booking("ok", await self.get(meeting_id))

    async def _check(
        self,
        conn: aiosqlite.Connection,
        a: int,
        b: int,
        slot: SlotChoice,
        itself: int | None,
        *,
        now: datetime,
        max_per_company: int | None,
    ) -> Booking | int:
        """Inside the transaction: the refusal, or the table the meeting gets."""
        start = to_utc(slot.starts_at)
        other = itself or 0
        block = await fetch_all(
            conn,
            "SELECT tables FROM agenda_sessions WHERE id = ? AND kind = ? AND cancelled = 0",
            (slot.block_id, MEETINGS),
        )
        if not block:
            return Booking("gone")
        pair = await fetch_all(
            conn,
            f"SELECT 1 FROM meetings WHERE company_a = ? AND company_b = ? AND state IN {LIVE_SQL} "
            "AND ends_at > ? AND id <> ?",
            (a, b, to_utc(now), other),
        )
        if pair:
            return Booking("pair")
        for company in (a, b):
            if await fetch_all(
                conn,
                "SELECT 1 FROM meeting_seats WHERE company_id = ? AND slot_start = ? "
                "AND meeting_id <> ?",
                (company, start, other),
            ):
                return Booking("busy", company=company)
            if await fetch_all(
                conn,
                "SELECT 1 FROM meeting_unavailable WHERE company_id = ? AND slot_start = ?",
                (company, start),
            ):
                return Booking("unavailable", company=company)
            if max_per_company is not None:
                count = await fetch_all(
                    conn,
                    f"SELECT count(*) FROM meetings WHERE state IN {LIVE_SQL} "
                    "AND (company_a = ? OR company_b = ?)",
                    (company, company),
                )
                if int(count[0][0]) >= max_per_company:
                    return Booking("limit", company=company)
        taken = {
            int(r[0])
            for r in await fetch_all(
                conn,
                f"SELECT table_no FROM meetings WHERE block_id = ? AND starts_at = ? "
                f"AND state IN {LIVE_SQL} AND id <> ?",
                (slot.block_id, start, other),
            )
        }
        tables = int(block[0][0])
        free = next((n for n in range(1, tables + 1) if n not in taken), None)
        return Booking("full") if free is None else free

    # -- answers -------------------------------------------------------------------------
    async def set_state(
        self,
        meeting_id: int,
        rev: int,
        state: str,
        *,
        allowed_from: tuple[str, ...],
        by: int | None,
        now: datetime,
    ) -> MeetingRecord | None:
        """Change the state if the meeting is still at ``rev`` in one of ``allowed_from``;
        the new record, or None when it changed meanwhile (a double press, a stale button)."""
        marks = ",".join("?" * len(allowed_from))
        changed = await self.db.execute(
            f"UPDATE meetings SET state = ?, decided_by = ?, decided_at = ?, rev = rev + 1, "
            f"updated_at = ? WHERE id = ? AND rev = ? AND state IN ({marks})",
            (state, by, to_utc(now), to_utc(now), meeting_id, rev, *allowed_from),
        )
        return await self.get(meeting_id) if changed else None

    async def expire_proposals(self, now: datetime) -> int:
        """Proposals nobody answered before their slot began: expired, seats freed."""
        return await self.db.execute(
            "UPDATE meetings SET state = 'expired', rev = rev + 1, updated_at = ? "
            "WHERE state = 'proposed' AND starts_at <= ?",
            (to_utc(now), to_utc(now)),
        )
