"""Read-only queries behind the organisers' dashboard (/stats): users, companies, agenda
subscriptions (the funnel's are in storage.funnel). Counting only; the shaping into text and
charts is in ``bot.services.stats``."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.db import Repository


@dataclass(frozen=True)
class Snapshot:
    users: int = 0
    active_users: int = 0
    blocked_users: int = 0
    organisers: int = 0
    reps: int = 0
    companies_by_country: dict[str, int] = field(default_factory=dict)
    # (sector, country) -> companies; a company with several sectors counts in each
    companies_by_sector: dict[tuple[str, str], int] = field(default_factory=dict)
    subscriptions: int = 0
    subscribers: int = 0


class StatsQueries(Repository):
    async def _one(self, sql: str, params: tuple[str, ...] = ()) -> int:
        row = await self.db.fetchone(sql, params)
        return int(row[0] or 0) if row else 0

    async def snapshot(self) -> Snapshot:
        by_country = {
            str(r[0]): int(r[1])
            for r in await self.db.fetchall(
                "SELECT country, count(*) FROM companies GROUP BY country ORDER BY country"
            )
        }
        by_sector = {
            (str(r[0]), str(r[1])): int(r[2])
            for r in await self.db.fetchall(
                "SELECT s.sector, c.country, count(*) FROM company_sectors s "
                "JOIN companies c ON c.id = s.company_id GROUP BY s.sector, c.country"
            )
        }
        return Snapshot(
            users=await self._one("SELECT count(*) FROM users"),
            active_users=await self._one("SELECT count(*) FROM users WHERE is_active = 1"),
            blocked_users=await self._one("SELECT count(*) FROM users WHERE is_active = 0"),
            organisers=await self._one("SELECT count(*) FROM users WHERE role = 'organiser'"),
            reps=await self._one("SELECT count(DISTINCT user_id) FROM company_reps"),
            companies_by_country=by_country,
            companies_by_sector=by_sector,
            subscriptions=await self._one("SELECT count(*) FROM agenda_subscriptions"),
            subscribers=await self._one("SELECT count(DISTINCT user_id) FROM agenda_subscriptions"),
        )
