"""Read-only queries over the meetings: what the timers, the slot pickers, the organisers'
grid and the dashboard need, and the live meetings an agenda change left without a slot."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.agenda import MEETINGS, to_utc
from storage.db import Repository
from storage.meetings import (
    CANCELLED,
    CONFIRMED,
    DECLINED,
    EXPIRED,
    LIVE_SQL,
    PROPOSED,
    BlockRecord,
    MeetingRecord,
    company_slots,
    meeting_from_row,
)
from storage.rows import timed_from_row


class MeetingQueries(Repository):
    async def live(self) -> list[MeetingRecord]:
        """Every proposed or confirmed meeting, past ones too, by time."""
        return await self.read_all(
            meeting_from_row,
            f"SELECT * FROM meetings WHERE state IN {LIVE_SQL} ORDER BY starts_at, table_no",
        )

    async def confirmed_from(self, moment: datetime) -> list[MeetingRecord]:
        """Confirmed meetings that end after ``moment`` (those that need timers)."""
        return await self.read_all(
            meeting_from_row,
            "SELECT * FROM meetings WHERE state = 'confirmed' AND ends_at > ? ORDER BY starts_at",
            (to_utc(moment),),
        )

    async def feedback_due(self, now: datetime) -> list[MeetingRecord]:
        """Confirmed meetings that have ended and whose reps were not asked about them yet."""
        return await self.read_all(
            meeting_from_row,
            "SELECT * FROM meetings WHERE state = 'confirmed' AND ends_at <= ? "
            "AND feedback_asked_at IS NULL ORDER BY ends_at, id",
            (to_utc(now),),
        )

    async def blocks(self) -> list[BlockRecord]:
        rows = await self.db.fetchall(
            "SELECT id, title, starts_at, ends_at, slot_minutes, tables FROM agenda_sessions "
            "WHERE kind = ? AND cancelled = 0 ORDER BY starts_at, id",
            (MEETINGS,),
        )
        return [timed_from_row(BlockRecord, r) for r in rows]

    async def seats(self, company_ids: list[int]) -> set[tuple[int, str]]:
        """(company, slot start) of every live meeting of these companies."""
        return await company_slots(self.db, "meeting_seats", company_ids)

    async def load(self) -> dict[tuple[int, str], int]:
        """Live meetings per (block, slot start)."""
        rows = await self.db.fetchall(
            f"SELECT block_id, starts_at, count(*) FROM meetings WHERE state IN {LIVE_SQL} "
            "GROUP BY block_id, starts_at"
        )
        return {(int(r[0]), str(r[1])): int(r[2]) for r in rows}

    async def counts(self) -> dict[str, int]:
        rows = await self.db.fetchall("SELECT state, count(*) FROM meetings GROUP BY state")
        found = {str(r[0]): int(r[1]) for r in rows}
        return {s: found.get(s, 0) for s in (PROPOSED, CONFIRMED, DECLINED, CANCELLED, EXPIRED)}

    async def orphans(self) -> list[MeetingRecord]:
        """Live meetings whose slot no longer exists: their block was cancelled, is no
        longer a meetings block, or was moved or re-cut so that no slot starts then."""
        rows = await self.db.fetchall(
            f"SELECT m.*, s.kind AS block_kind, s.cancelled AS block_cancelled, "
            f"s.starts_at AS block_start, s.ends_at AS block_end, s.slot_minutes AS minutes, "
            f"s.tables AS block_tables FROM meetings m JOIN agenda_sessions s ON s.id = m.block_id "
            f"WHERE m.state IN {LIVE_SQL}"
        )
        gone = []
        for row in rows:
            meeting = meeting_from_row(row)
            start = datetime.fromisoformat(row["block_start"])
            end = datetime.fromisoformat(row["block_end"])
            length = timedelta(minutes=int(row["minutes"]))
            offset = meeting.starts_at - start
            fits = (
                row["block_kind"] == MEETINGS
                and not row["block_cancelled"]
                and offset >= timedelta(0)
                and offset % length == timedelta(0)
                and meeting.ends_at - meeting.starts_at == length
                and meeting.ends_at <= end
                and meeting.table_no <= row["block_tables"]
            )
            if not fits:
                gone.append(meeting)
        return gone

    async def accepted_pairs(self) -> set[tuple[int, int]]:
        """Every pair of companies with an accepted introduction, as (low, high)."""
        rows = await self.db.fetchall(
            "SELECT requester_company_id, target_company_id FROM introductions "
            "WHERE state = 'accepted'"
        )
        return {(min(a, b), max(a, b)) for a, b in ((int(r[0]), int(r[1])) for r in rows)}

    async def pairs_with_meetings(self) -> dict[tuple[int, int], set[str]]:
        """(low, high) -> the states of the pair's meetings, for pairs that had any."""
        rows = await self.db.fetchall("SELECT company_a, company_b, state FROM meetings")
        found: dict[tuple[int, int], set[str]] = {}
        for a, b, state in rows:
            found.setdefault((int(a), int(b)), set()).add(str(state))
        return found
