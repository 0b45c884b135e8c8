"""The introductions repository: double opt-in requests between companies, "not interested"
marks, and when each company last got a "new matches" digest.

State changes are compare-and-set (``WHERE state = 'pending'``), so a double press or two
reps answering at once change an introduction exactly once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.db import Repository, fetch_one
from storage.rows import from_row

PENDING, ACCEPTED, DECLINED, EXPIRED = "pending", "accepted", "declined", "expired"
STATES = (PENDING, ACCEPTED, DECLINED, EXPIRED)


@dataclass(frozen=True)
class IntroductionRecord:
    id: int
    requester_company_id: int
    target_company_id: int
    requested_by: int | None
    note: str
    reasons: tuple[
        Any, ...
    ]  # JSON values: reason data (bot.domain.matching.reasons), or old strings
    state: str
    created_at: str
    decided_at: str | None
    decided_by: int | None
    expires_at: str
    reminded_at: str | None

    def other(self, company_id: int) -> int:
        if company_id == self.requester_company_id:
            return self.target_company_id
        return self.requester_company_id


@dataclass(frozen=True)
class CreateOutcome:
    """What :meth:`IntroductionRepository.create` did."""

    kind: str  # "created", "mutual" (the reverse request was accepted), "exists", "limit"
    introduction: IntroductionRecord | None = None
    sent_today: int = 0
    oldest_today: str | None = None


def _record(r: aiosqlite.Row) -> IntroductionRecord:
    return from_row(
        IntroductionRecord,
        r,
        reasons=tuple(json.loads(r["reasons"] or "[]")),
    )


class IntroductionRepository(Repository):
    async def create(
        self,
        requester_id: int,
        target_id: int,
        *,
        requested_by: int,
        note: str,
        reasons: list[Any],
        now: datetime,
        expires_at: datetime,
        daily_limit: int,
        day_start: datetime,
    ) -> CreateOutcome:
        """Ask for an introduction, all in one transaction so the limit cannot be raced.

        If the other side already asked us (and is still waiting), that request becomes
        accepted instead: both sides said yes.
        """
        async with self.db.transaction() as conn:
            existing = await fetch_one(
                conn,
                "SELECT * FROM introductions WHERE requester_company_id = ? "
                "AND target_company_id = ?",
                (requester_id, target_id),
            )
            if existing is not None:
                return CreateOutcome("exists", _record(existing))
            reverse = await fetch_one(
                conn,
                "SELECT * FROM introductions WHERE requester_company_id = ? "
                "AND target_company_id = ?",
                (target_id, requester_id),
            )
            if reverse is not None:
                if reverse["state"] != PENDING:
                    return CreateOutcome("exists", _record(reverse))
                await conn.execute(
                    "UPDATE introductions SET state = ?, decided_at = ?, decided_by = ? "
                    "WHERE id = ? AND state = ?",
                    (ACCEPTED, now.isoformat(), requested_by, reverse["id"], PENDING),
                )
                row = await fetch_one(
                    conn, "SELECT * FROM introductions WHERE id = ?", (reverse["id"],)
                )
                assert row is not None  # updated just now, in this transaction
                return CreateOutcome("mutual", _record(row))
            counted = await fetch_one(
                conn,
                "SELECT count(*), min(created_at) FROM introductions "
                "WHERE requester_company_id = ? AND created_at > ?",
                (requester_id, day_start.isoformat()),
            )
            assert counted is not None  # count(*) always has its row
            sent_today = int(counted[0])
            if sent_today >= daily_limit:
                return CreateOutcome("limit", None, sent_today, counted[1])
            cursor = await conn.execute(
                "INSERT INTO introductions (requester_company_id, target_company_id, "
                "requested_by, note, reasons, state, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    requester_id,
                    target_id,
                    requested_by,
                    note,
                    json.dumps(reasons, ensure_ascii=False),
                    PENDING,
                    now.isoformat(),
                    expires_at.isoformat(),
                ),
            )
            row = await fetch_one(
                conn, "SELECT * FROM introductions WHERE id = ?", (cursor.lastrowid,)
            )
            assert row is not None  # inserted just now, in this transaction
            return CreateOutcome("created", _record(row), sent_today + 1)

    async def get(self, intro_id: int) -> IntroductionRecord | None:
        return await self.read_one(_record, "SELECT * FROM introductions WHERE id = ?", (intro_id,))

    async def decide(self, intro_id: int, state: str, *, by: int | None, now: datetime) -> bool:
        """Move a pending introduction to ``state``; False if it was no longer pending."""
        if state not in (ACCEPTED, DECLINED, EXPIRED):
            raise ValueError(f"not a final state: {state!r}")
        changed = await self.db.execute(
            "UPDATE introductions SET state = ?, decided_at = ?, decided_by = ? "
            "WHERE id = ? AND state = ?",
            (state, now.isoformat(), by, intro_id, PENDING),
        )
        return changed > 0

    async def for_company(self, company_id: int) -> list[IntroductionRecord]:
        return await self.read_all(
            _record,
            "SELECT * FROM introductions WHERE requester_company_id = ? "
            "OR target_company_id = ? ORDER BY created_at DESC, id DESC",
            (company_id, company_id),
        )

    async def expired(self, now: datetime) -> list[IntroductionRecord]:
        return await self.read_all(
            _record,
            "SELECT * FROM introductions WHERE state = ? AND expires_at <= ? ORDER BY id",
            (PENDING, now.isoformat()),
        )

    async def without_notice(
        self, state: str, what: str, *, receiver: str
    ) -> list[IntroductionRecord]:
        """Introductions in ``state`` whose ``intro:<id>:<what>:*`` outbox rows are missing
        although the receiving company has reps: a crash came between the state change and
        the enqueue. ``receiver`` is the column naming that company."""
        if receiver not in ("requester_company_id", "target_company_id"):
            raise ValueError(f"unknown receiver column {receiver!r}")
        # A range over the unique dedupe_key index: ';' sorts right after ':'.
        return await self.read_all(
            _record,
            f"""
            SELECT i.* FROM introductions i
            WHERE i.state = ?
              AND EXISTS (SELECT 1 FROM company_reps r WHERE r.company_id = i.{receiver})
              AND NOT EXISTS (
                  SELECT 1 FROM outbox o
                  WHERE o.dedupe_key >= 'intro:' || i.id || ':' || ? || ':'
                    AND o.dedupe_key < 'intro:' || i.id || ':' || ? || ';')
            ORDER BY i.id
            """,
            (state, what, what),
        )

    async def pending(self) -> list[IntroductionRecord]:
        return await self.read_all(
            _record, "SELECT * FROM introductions WHERE state = ? ORDER BY id", (PENDING,)
        )

    async def mark_reminded(self, intro_id: int, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE introductions SET reminded_at = ? "
            "WHERE id = ? AND state = ? AND reminded_at IS NULL",
            (now.isoformat(), intro_id, PENDING),
        )
        return changed > 0

    async def excluded_pairs(self) -> set[tuple[int, int]]:
        """Every pair with an introduction (any state) or a "not interested", as (low, high)."""
        rows = await self.db.fetchall(
            "SELECT requester_company_id, target_company_id FROM introductions "
            "UNION SELECT company_id, other_id FROM match_dismissals"
        )
        return {(min(a, b), max(a, b)) for a, b in ((int(r[0]), int(r[1])) for r in rows)}

    async def dismiss(self, company_id: int, other_id: int, now: datetime) -> bool:
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO match_dismissals (company_id, other_id, created_at) "
            "VALUES (?, ?, ?)",
            (company_id, other_id, now.isoformat()),
        )
        return changed > 0

    async def is_dismissed(self, company_id: int, other_id: int) -> bool:
        """Whether either side marked the pair "not interested"."""
        row = await self.db.fetchone(
            "SELECT 1 FROM match_dismissals WHERE (company_id = ? AND other_id = ?) "
            "OR (company_id = ? AND other_id = ?)",
            (company_id, other_id, other_id, company_id),
        )
        return row is not None

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT state, count(*) FROM introductions GROUP BY state")
        counts = dict.fromkeys(STATES, 0)
        counts.update({r[0]: int(r[1]) for r in rows})
        return counts

    async def digest_sent_at(self, company_id: int) -> str | None:
        row = await self.db.fetchone(
            "SELECT sent_at FROM match_digests WHERE company_id = ?", (company_id,)
        )
        return str(row[0]) if row else None

    async def set_digest_sent(self, company_id: int, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO match_digests (company_id, sent_at) VALUES (?, ?) "
            "ON CONFLICT (company_id) DO UPDATE SET sent_at = excluded.sent_at",
            (company_id, now.isoformat()),
        )
