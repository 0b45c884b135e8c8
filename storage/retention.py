"""Retention after the forum (python -m bot purge --before DATE): who has not been active
since a date, the contact details of imported companies nobody ever claimed, and the
anonymised counts kept from just before a purge (numbers only)."""

from __future__ import annotations

from datetime import datetime

from storage.db import Repository


class RetentionRepository(Repository):
    async def inactive_users(self, before: datetime) -> list[int]:
        """Users whose last action in the bot was before ``before``."""
        rows = await self.db.fetchall(
            "SELECT telegram_id FROM users WHERE last_seen < ? ORDER BY telegram_id",
            (before.isoformat(),),
        )
        return [int(r[0]) for r in rows]

    async def clear_unclaimed_contacts(self, before: datetime, *, now: datetime) -> int:
        """Imported before ``before`` and never claimed: their contact person was never in
        the bot, so their name, e-mail, phone and @username go; the company stays."""
        return await self.db.execute(
            "UPDATE companies SET contact_name = NULL, contact_email = NULL, "
            "contact_phone = NULL, telegram_username = NULL, updated_at = ? "
            "WHERE source = 'import' AND created_at < ? "
            "AND NOT EXISTS (SELECT 1 FROM company_reps r WHERE r.company_id = companies.id) "
            "AND (contact_name IS NOT NULL OR contact_email IS NOT NULL "
            "     OR contact_phone IS NOT NULL OR telegram_username IS NOT NULL)",
            (now.isoformat(), before.isoformat()),
        )

    async def keep_counts(self, counts: dict[str, int], *, cutoff: str, now: datetime) -> None:
        await self.db.executemany(
            "INSERT OR REPLACE INTO retention_counts (purged_at, cutoff, metric, value) "
            "VALUES (?, ?, ?, ?)",
            [(now.isoformat(), cutoff, metric, int(value)) for metric, value in counts.items()],
        )

    async def latest_counts(self) -> tuple[str, str, dict[str, int]] | None:
        """(purged at, cutoff, counts) of the last purge, if any."""
        row = await self.db.fetchone(
            "SELECT purged_at, cutoff FROM retention_counts ORDER BY purged_at DESC LIMIT 1"
        )
        if row is None:
            return None
        rows = await self.db.fetchall(
            "SELECT metric, value FROM retention_counts WHERE purged_at = ?", (row[0],)
        )
        return str(row[0]), str(row[1]), {str(r[0]): int(r[1]) for r in rows}
