"""The follow-up survey's questions and answers: FOLLOWUP_DAYS after an accepted
introduction each side (company) is asked once what came of it; the first answer of any of
its reps is kept, with an optional note."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Repository
from storage.rows import from_row

NO_CONTACT, ONGOING, SIGNED, PRIVATE = "none", "ongoing", "signed", "private"
ANSWERS = (NO_CONTACT, ONGOING, SIGNED, PRIVATE)


@dataclass(frozen=True)
class FollowupRecord:
    introduction_id: int
    company_id: int
    asked_at: str
    answer: str | None
    note: str
    answered_by: int | None
    answered_at: str | None


@dataclass(frozen=True)
class FollowupRow:
    """A follow-up with the names the report shows."""

    record: FollowupRecord
    company: str
    partner: str
    accepted_at: str | None


def _record(r: aiosqlite.Row) -> FollowupRecord:
    return from_row(
        FollowupRecord,
        r,
        introduction_id=int(r["introduction_id"]),
        company_id=int(r["company_id"]),
    )


class FollowupRepository(Repository):
    async def due(self, accepted_before: datetime) -> list[tuple[int, int]]:
        """(introduction, company) pairs to ask now: sides of introductions accepted before
        ``accepted_before`` that have a rep and were not asked yet."""
        rows = await self.db.fetchall(
            """
            SELECT i.id, side.company_id FROM introductions i
            JOIN (SELECT id, requester_company_id AS company_id FROM introductions
                  UNION ALL SELECT id, target_company_id FROM introductions) side
              ON side.id = i.id
            WHERE i.state = 'accepted' AND i.decided_at <= ?
              AND EXISTS (SELECT 1 FROM company_reps r WHERE r.company_id = side.company_id)
              AND NOT EXISTS (SELECT 1 FROM followups f
                              WHERE f.introduction_id = i.id AND f.company_id = side.company_id)
            ORDER BY i.id, side.company_id
            """,
            (accepted_before.isoformat(),),
        )
        return [(int(r[0]), int(r[1])) for r in rows]

    async def ask(self, intro_id: int, company_id: int, *, now: datetime) -> bool:
        changed = await self.db.execute(
            "INSERT OR IGNORE INTO followups (introduction_id, company_id, asked_at) "
            "VALUES (?, ?, ?)",
            (intro_id, company_id, now.isoformat()),
        )
        return changed > 0

    async def get(self, intro_id: int, company_id: int) -> FollowupRecord | None:
        return await self.read_one(
            _record,
            "SELECT * FROM followups WHERE introduction_id = ? AND company_id = ?",
            (intro_id, company_id),
        )

    async def answer(
        self, intro_id: int, company_id: int, answer: str, *, by: int, now: datetime
    ) -> bool:
        """Keep the first answer only (two reps pressing at once change it once)."""
        if answer not in ANSWERS:
            raise ValueError(f"unknown follow-up answer {answer!r}")
        changed = await self.db.execute(
            "UPDATE followups SET answer = ?, answered_by = ?, answered_at = ? "
            "WHERE introduction_id = ? AND company_id = ? AND answer IS NULL",
            (answer, by, now.isoformat(), intro_id, company_id),
        )
        return changed > 0

    async def set_note(self, intro_id: int, company_id: int, note: str, *, by: int) -> bool:
        """The note goes with the answer of the rep who gave it."""
        changed = await self.db.execute(
            "UPDATE followups SET note = ? "
            "WHERE introduction_id = ? AND company_id = ? AND answered_by = ?",
            (note, intro_id, company_id, by),
        )
        return changed > 0

    async def all(self) -> list[FollowupRow]:
        rows = await self.db.fetchall(
            """
            SELECT f.*, c.name AS company, p.name AS partner, i.decided_at
            FROM followups f
            JOIN introductions i ON i.id = f.introduction_id
            JOIN companies c ON c.id = f.company_id
            JOIN companies p ON p.id = CASE WHEN i.requester_company_id = f.company_id
                                       THEN i.target_company_id ELSE i.requester_company_id END
            ORDER BY f.asked_at, f.introduction_id, f.company_id
            """
        )
        return [FollowupRow(_record(r), r["company"], r["partner"], r["decided_at"]) for r in rows]
