"""Claim invitations by e-mail: which imported companies nobody has claimed yet, and every
attempt to invite them (sent, bounced with the server's answer, or failed for a while).

An attempt is reserved (``sending``) before the e-mail goes out and finished after the
server answered; a unique index allows one invitation and one reminder in flight or sent
per company, so two runs at once cannot mail a company twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Repository
from storage.rows import from_row

INVITATION, REMINDER = "invitation", "reminder"
SENDING, SENT, BOUNCED, FAILED = "sending", "sent", "bounced", "failed"

# Imported companies that no rep has taken over in Telegram.
UNCLAIMED = (
    "c.source = 'import' AND NOT EXISTS (SELECT 1 FROM company_reps r WHERE r.company_id = c.id)"
)


@dataclass(frozen=True)
class Unclaimed:
    """An unclaimed imported company and where its invitations stand."""

    company_id: int
    name: str
    contact_name: str | None
    contact_email: str | None
    updated_at: str
    invited_at: str | None  # the invitation in flight or sent
    reminded: bool  # a reminder in flight or sent
    bounced_at: str | None  # the last bounce
    bounce_answer: str


@dataclass(frozen=True)
class InvitationRecord:
    id: int
    company_id: int
    company_name: str
    kind: str
    state: str
    answer: str
    created_at: str
    finished_at: str | None
    claimed: bool


class InvitationRepository(Repository):
    async def unclaimed(self) -> list[Unclaimed]:
        rows = await self.db.fetchall(
            f"""
            SELECT c.id, c.name, c.contact_name, c.contact_email, c.updated_at,
                (SELECT max(created_at) FROM company_invitations i WHERE i.company_id = c.id
                    AND i.kind = '{INVITATION}' AND i.state IN ('{SENDING}', '{SENT}'))
                    AS invited_at,
                EXISTS (SELECT 1 FROM company_invitations i WHERE i.company_id = c.id
                    AND i.kind = '{REMINDER}' AND i.state IN ('{SENDING}', '{SENT}'))
                    AS reminded,
                (SELECT created_at FROM company_invitations i WHERE i.company_id = c.id
                    AND i.state = '{BOUNCED}' ORDER BY i.created_at DESC, i.id DESC LIMIT 1)
                    AS bounced_at,
                (SELECT answer FROM company_invitations i WHERE i.company_id = c.id
                    AND i.state = '{BOUNCED}' ORDER BY i.created_at DESC, i.id DESC LIMIT 1)
                    AS bounce_answer
            FROM companies c WHERE {UNCLAIMED} ORDER BY lower(c.name), c.id
            """
        )
        return [
            from_row(
                Unclaimed,
                r,
                company_id=int(r["id"]),
                reminded=bool(r["reminded"]),
                bounce_answer=r["bounce_answer"] or "",
            )
            for r in rows
        ]

    async def count_unclaimed(self) -> int:
        row = await self.db.fetchone(f"SELECT count(*) FROM companies c WHERE {UNCLAIMED}")
        return int(row[0]) if row else 0

    async def reserve(self, company_id: int, kind: str, *, now: datetime) -> int | None:
        """Write the attempt before sending; None if one of this kind is already in flight
        or sent (another run got there first)."""
        if kind not in (INVITATION, REMINDER):
            raise ValueError(f"unknown invitation kind {kind!r}")
        try:
            async with self.db.transaction() as conn:
                cursor = await conn.execute(
                    "INSERT INTO company_invitations (company_id, kind, state, created_at) "
                    "SELECT id, ?, ?, ? FROM companies WHERE id = ?",
                    (kind, SENDING, now.isoformat(), company_id),
                )
                return int(cursor.lastrowid or 0) if cursor.rowcount else None
        except aiosqlite.IntegrityError:
            return None

    async def finish(self, attempt_id: int, state: str, answer: str, *, now: datetime) -> None:
        if state not in (SENT, BOUNCED, FAILED):
            raise ValueError(f"not a final state: {state!r}")
        await self.db.execute(
            "UPDATE company_invitations SET state = ?, answer = ?, finished_at = ? WHERE id = ?",
            (state, answer, now.isoformat(), attempt_id),
        )

    async def all(self) -> list[InvitationRecord]:
        rows = await self.db.fetchall(
            """
            SELECT i.*, c.name AS company_name,
                EXISTS (SELECT 1 FROM company_reps r WHERE r.company_id = i.company_id)
                    AS claimed
            FROM company_invitations i JOIN companies c ON c.id = i.company_id
            ORDER BY i.created_at, i.id
            """
        )
        return [
            from_row(
                InvitationRecord,
                r,
                id=int(r["id"]),
                company_id=int(r["company_id"]),
                claimed=bool(r["claimed"]),
            )
            for r in rows
        ]

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall(
            "SELECT state, count(*) FROM company_invitations GROUP BY state"
        )
        counts = dict.fromkeys((SENDING, SENT, BOUNCED, FAILED), 0)
        counts.update({str(r[0]): int(r[1]) for r in rows})
        return counts
