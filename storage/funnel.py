"""The sets of companies behind each step of the one funnel (bot.services.funnel): counting
only, by company id, so the service can intersect them with the matcher's answer."""

from __future__ import annotations

from storage.db import Repository


class FunnelQueries(Repository):
    async def _ids(self, sql: str) -> set[int]:
        return {int(r[0]) for r in await self.db.fetchall(sql)}

    async def registered(self) -> set[int]:
        """Companies with at least one rep in Telegram (registered there, or claimed)."""
        return await self._ids("SELECT DISTINCT company_id FROM company_reps")

    async def consented(self) -> set[int]:
        return await self._ids("SELECT id FROM companies WHERE consent = 1")

    async def introduced(self) -> set[int]:
        return await self._ids(
            "SELECT requester_company_id FROM introductions "
            "UNION SELECT target_company_id FROM introductions"
        )

    async def accepted(self) -> set[int]:
        return await self._ids(
            "SELECT requester_company_id FROM introductions WHERE state = 'accepted' "
            "UNION SELECT target_company_id FROM introductions WHERE state = 'accepted'"
        )

    async def answered(self, *answers: str) -> set[int]:
        """Companies whose follow-up answer (their own) is one of ``answers``."""
        marks = ", ".join("?" for _ in answers)
        rows = await self.db.fetchall(
            f"SELECT DISTINCT company_id FROM followups WHERE answer IN ({marks})", answers
        )
        return {int(r[0]) for r in rows}

    async def meetings(self) -> tuple[set[int], set[int]]:
        """Companies with a meeting booked, and with one held. This version has no meetings
        (issue 12 adds them, and their two queries belong here), so both steps are 0."""
        return set(), set()
