"""The users repository: who has talked to the bot, their zone, role and reachability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Repository
from storage.rows import from_row

PARTICIPANT = "participant"
ORGANISER = "organiser"


@dataclass(frozen=True)
class UserRecord:
    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    timezone: str | None
    role: str
    is_active: bool
    blocked_at: str | None
    first_seen: str
    last_seen: str
    language: str | None = None  # chosen with /language; None follows the Telegram client

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p) or str(self.telegram_id)


def _record(row: aiosqlite.Row) -> UserRecord:
    return from_row(
        UserRecord,
        row,
        is_active=bool(row["is_active"]),
    )


class UserRepository(Repository):
    async def seen(
        self,
        telegram_id: int,
        *,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str | None,
        now: datetime,
    ) -> None:
        """Record a user who just did something: create them or refresh their names.

        Talking to the bot again means they can be reached again, so it clears a block.
        """
        stamp = now.isoformat()
        await self.db.execute(
            """
            INSERT INTO users (telegram_id, first_name, last_name, username, language_code,
                               first_seen, last_seen)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (telegram_id) DO UPDATE SET
                first_name = excluded.first_name,
                last_name = excluded.last_name,
                username = excluded.username,
                language_code = excluded.language_code,
                last_seen = excluded.last_seen,
                is_active = 1,
                blocked_at = NULL
            """,
            (telegram_id, first_name, last_name, username, language_code, stamp, stamp),
        )

    async def get(self, telegram_id: int) -> UserRecord | None:
        return await self.read_one(
            _record, "SELECT * FROM users WHERE telegram_id = ?", (telegram_id,)
        )

    async def with_username(self, username: str) -> list[UserRecord]:
        """Every stored user with this username, compared without case as Telegram does.

        More than one is possible: a username freed by one account can be taken by another,
        and the first keeps the old one here until they write to the bot again.
        """
        return await self.read_all(
            _record,
            "SELECT * FROM users WHERE lower(username) = lower(?) ORDER BY last_seen DESC",
            (username.lstrip("@"),),
        )

    async def set_timezone(self, telegram_id: int, timezone: str) -> None:
        await self.db.execute(
            "UPDATE users SET timezone = ? WHERE telegram_id = ?", (timezone, telegram_id)
        )

    async def set_language(self, telegram_id: int, language: str | None) -> bool:
        changed = await self.db.execute(
            "UPDATE users SET language = ? WHERE telegram_id = ?", (language, telegram_id)
        )
        return changed > 0

    async def languages(self) -> dict[int, str]:
        """Every user who chose a language: id → language."""
        rows = await self.db.fetchall(
            "SELECT telegram_id, language FROM users WHERE language IS NOT NULL"
        )
        return {int(r[0]): str(r[1]) for r in rows}

    async def set_role(self, telegram_id: int, role: str) -> bool:
        if role not in (PARTICIPANT, ORGANISER):
            raise ValueError(f"unknown role {role!r}")
        changed = await self.db.execute(
            "UPDATE users SET role = ? WHERE telegram_id = ?", (role, telegram_id)
        )
        return changed > 0

    async def set_active(self, telegram_id: int, active: bool, *, now: datetime) -> None:
        await self.db.execute(
            "UPDATE users SET is_active = ?, blocked_at = ? WHERE telegram_id = ?",
            (int(active), None if active else now.isoformat(), telegram_id),
        )

    async def organisers(self) -> list[UserRecord]:
        return await self.read_all(_record, "SELECT * FROM users WHERE role = ?", (ORGANISER,))

    async def active_ids(self) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT telegram_id FROM users WHERE is_active = 1 ORDER BY telegram_id"
        )
        return [int(r[0]) for r in rows]

    async def count(self) -> int:
        row = await self.db.fetchone("SELECT count(*) FROM users")
        return int(row[0]) if row else 0

    async def delete(self, telegram_id: int) -> bool:
        return await self.db.execute("DELETE FROM users WHERE telegram_id = ?", (telegram_id,)) > 0
