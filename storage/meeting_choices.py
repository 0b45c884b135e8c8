"""What companies and organisers choose around meetings: slots a company cannot attend, the
"let the organisers book meetings for me" opt-in, the feedback after a meeting, the
organisers' schedule previews, and the reminder lead times users chose."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.agenda import to_utc
from storage.db import Repository
from storage.meetings import company_slots

HELD = ("yes", "no", "moved")


@dataclass(frozen=True)
class FeedbackRecord:
    meeting_id: int
    user_id: int
    held: str
    rating: int | None
    note: str


@dataclass(frozen=True)
class PlanRecord:
    id: int
    created_by: int | None
    state: str
    plan: list[dict[str, Any]]


class MeetingChoices(Repository):
    # -- availability ------------------------------------------------------------------
    async def unavailable(self, company_ids: list[int]) -> set[tuple[int, str]]:
        """(company, slot start) of every slot these companies blocked."""
        return await company_slots(self.db, "meeting_unavailable", company_ids)

    async def all_unavailable(self) -> dict[int, set[str]]:
        rows = await self.db.fetchall("SELECT company_id, slot_start FROM meeting_unavailable")
        found: dict[int, set[str]] = {}
        for company, start in rows:
            found.setdefault(int(company), set()).add(str(start))
        return found

    async def set_available(self, company_id: int, slot_start: datetime, free: bool) -> bool:
        """Free or block one slot; whether anything changed."""
        if free:
            sql = "DELETE FROM meeting_unavailable WHERE company_id = ? AND slot_start = ?"
        else:
            sql = "INSERT OR IGNORE INTO meeting_unavailable (company_id, slot_start) VALUES (?, ?)"
        return await self.db.execute(sql, (company_id, to_utc(slot_start))) > 0

    # -- the opt-in ----------------------------------------------------------------------
    async def organisers_book(self, company_id: int) -> bool:
        row = await self.db.fetchone(
            "SELECT organisers_book FROM meeting_preferences WHERE company_id = ?", (company_id,)
        )
        return bool(row and row[0])

    async def opted_in(self) -> set[int]:
        rows = await self.db.fetchall(
            "SELECT company_id FROM meeting_preferences WHERE organisers_book = 1"
        )
        return {int(r[0]) for r in rows}

    async def set_organisers_book(self, company_id: int, on: bool, *, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO meeting_preferences (company_id, organisers_book, updated_at) "
            "VALUES (?, ?, ?) ON CONFLICT (company_id) DO UPDATE SET "
            "organisers_book = excluded.organisers_book, updated_at = excluded.updated_at",
            (company_id, int(on), to_utc(now)),
        )

    # -- feedback ------------------------------------------------------------------------
    async def feedback(self, meeting_id: int, user_id: int) -> FeedbackRecord | None:
        row = await self.db.fetchone(
            "SELECT * FROM meeting_feedback WHERE meeting_id = ? AND user_id = ?",
            (meeting_id, user_id),
        )
        if row is None:
            return None
        return FeedbackRecord(
            row["meeting_id"], row["user_id"], row["held"], row["rating"], row["note"]
        )

    async def set_held(self, meeting_id: int, user_id: int, held: str, *, now: datetime) -> None:
        """Whether the meeting took place, by one rep; a new answer replaces theirs (and a
        rating given before stays only while the answer is yes)."""
        await self.db.execute(
            "INSERT INTO meeting_feedback (meeting_id, user_id, held, answered_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (meeting_id, user_id) DO UPDATE SET "
            "held = excluded.held, answered_at = excluded.answered_at, "
            "rating = CASE WHEN excluded.held = 'yes' THEN rating END, "
            "note = CASE WHEN excluded.held = 'yes' THEN note ELSE '' END",
            (meeting_id, user_id, held, to_utc(now)),
        )

    async def set_rating(self, meeting_id: int, user_id: int, rating: int) -> bool:
        return await self._after_yes("rating", rating, meeting_id, user_id)

    async def set_note(self, meeting_id: int, user_id: int, note: str) -> bool:
        return await self._after_yes("note", note, meeting_id, user_id)

    async def _after_yes(self, column: str, value: object, meeting_id: int, user_id: int) -> bool:
        """Set the rating or the note of a rep's "yes, it took place"; False without one."""
        changed = await self.db.execute(
            f"UPDATE meeting_feedback SET {column} = ? WHERE meeting_id = ? AND user_id = ? "
            "AND held = 'yes'",
            (value, meeting_id, user_id),
        )
        return changed > 0

    async def feedback_totals(self) -> tuple[int, int, int, float | None]:
        """(meetings said held, not held, moved — by at least one rep —, the mean rating)."""
        row = await self.db.fetchone(
            "SELECT count(DISTINCT CASE WHEN held = 'yes' THEN meeting_id END), "
            "count(DISTINCT CASE WHEN held = 'no' THEN meeting_id END), "
            "count(DISTINCT CASE WHEN held = 'moved' THEN meeting_id END), "
            "avg(rating) FROM meeting_feedback"
        )
        if row is None:
            return 0, 0, 0, None
        mean = None if row[3] is None else float(row[3])
        return int(row[0]), int(row[1]), int(row[2]), mean

    # -- schedule previews ---------------------------------------------------------------
    async def save_plan(
        self, plan: list[dict[str, Any]], *, created_by: int | None, now: datetime
    ) -> int:
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO meeting_plans (created_by, created_at, plan) VALUES (?, ?, ?)",
                (created_by, to_utc(now), json.dumps(plan)),
            )
            return int(cursor.lastrowid or 0)

    async def plan(self, plan_id: int) -> PlanRecord | None:
        row = await self.db.fetchone("SELECT * FROM meeting_plans WHERE id = ?", (plan_id,))
        if row is None:
            return None
        return PlanRecord(row["id"], row["created_by"], row["state"], json.loads(row["plan"]))

    async def finish_plan(self, plan_id: int, state: str, *, now: datetime) -> bool:
        """Apply or cancel a preview, once: False when it was no longer a preview."""
        changed = await self.db.execute(
            "UPDATE meeting_plans SET state = ?, finished_at = ? "
            "WHERE id = ? AND state = 'preview'",
            (state, to_utc(now), plan_id),
        )
        return changed > 0

    # -- reminders -----------------------------------------------------------------------
    async def chosen_leads(self, user_ids: list[int]) -> dict[int, set[int]]:
        """The lead times each user chose in /reminders (none chosen: not in the result)."""
        if not user_ids:
            return {}
        marks = ",".join("?" * len(user_ids))
        rows = await self.db.fetchall(
            f"SELECT user_id, minutes FROM reminder_leads WHERE user_id IN ({marks})",
            tuple(user_ids),
        )
        found: dict[int, set[int]] = {}
        for user, minutes in rows:
            found.setdefault(int(user), set()).add(int(minutes))
        return found
