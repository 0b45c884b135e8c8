"""A company's reps: the people in Telegram who represent it (``company_reps``).

Mixed into :class:`storage.companies.CompanyRepository`, so ``companies.reps(id)`` reads as
before; kept apart because who represents a company is its own concern (joining, leaving,
the last rep leaving takes the company along)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Database, fetch_one


class CompanyReps:
    db: Database

    async def reps(self, company_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM company_reps WHERE company_id = ? ORDER BY joined_at, user_id",
            (company_id,),
        )
        return [int(r[0]) for r in rows]

    async def rep_counts(self) -> dict[int, int]:
        rows = await self.db.fetchall(
            "SELECT company_id, count(*) FROM company_reps GROUP BY company_id"
        )
        return {int(r[0]): int(r[1]) for r in rows}

    async def add_rep(self, company_id: int, user_id: int, *, now: datetime) -> None:
        await self.db.execute(
            "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
            (company_id, user_id, now.isoformat()),
        )

    async def remove_rep(self, user_id: int) -> int | None:
        """Remove a user from their company; deletes the company if they were its last rep.

        Returns the id of the company that was deleted, if any.
        """
        async with self.db.transaction() as conn:
            row = await fetch_one(
                conn, "SELECT company_id FROM company_reps WHERE user_id = ?", (user_id,)
            )
            if row is None:
                return None
            company_id = int(row[0])
            await conn.execute("DELETE FROM company_reps WHERE user_id = ?", (user_id,))
            left = await fetch_one(
                conn, "SELECT count(*) FROM company_reps WHERE company_id = ?", (company_id,)
            )
            if left is not None and int(left[0]) == 0:
                await conn.execute("DELETE FROM companies WHERE id = ?", (company_id,))
                return company_id
        return None
