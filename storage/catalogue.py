"""The catalogue of sectors and partnership intents: every key a stored profile may carry,
with its label and place in the list, and whether the forum file still offers it.

The forum file (``bot/forum.py``) is the truth about what is offered; at start-up the bot
syncs it here (:meth:`CatalogueRepository.sync`). An entry the file no longer lists is kept,
inactive, while a profile has it, so that profile stays readable; one nobody has is dropped.
Company rows refer to these keys (``company_sectors.sector``, ``company_partnerships.intent``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import aiosqlite

from storage.db import Repository, fetch_all

SECTORS = "sectors"
INTENTS = "partnership_intents"
# table -> (the table of company rows that refer to it, their column)
_USERS = {SECTORS: ("company_sectors", "sector"), INTENTS: ("company_partnerships", "intent")}


@dataclass(frozen=True)
class CatalogueEntry:
    key: str
    label: str
    position: int
    active: bool


class CatalogueRepository(Repository):
    async def sync(
        self, sectors: Sequence[tuple[str, str]], intents: Sequence[tuple[str, str]]
    ) -> None:
        """Make the catalogue what the forum file says: each (key, label) given is active at
        its position; the others turn inactive, and go if no profile has them."""
        async with self.db.transaction() as conn:
            await _sync(conn, SECTORS, sectors)
            await _sync(conn, INTENTS, intents)

    async def entries(self, table: str) -> list[CatalogueEntry]:
        """Every entry of ``SECTORS`` or ``INTENTS``, in list order."""
        if table not in _USERS:
            raise ValueError(f"unknown catalogue {table!r}")
        rows = await self.db.fetchall(
            f"SELECT key, label, position, active FROM {table} ORDER BY position, key"
        )
        return [CatalogueEntry(str(r[0]), str(r[1]), int(r[2]), bool(r[3])) for r in rows]

    async def retired(self, table: str) -> list[tuple[str, str]]:
        """(key, label) of the inactive entries that profiles still have."""
        return [(e.key, e.label) for e in await self.entries(table) if not e.active]


async def _sync(conn: aiosqlite.Connection, table: str, items: Sequence[tuple[str, str]]) -> None:
    users, column = _USERS[table]
    await conn.execute(f"UPDATE {table} SET active = 0")
    await conn.executemany(
        f"INSERT INTO {table} (key, label, position, active) VALUES (?, ?, ?, 1) "
        "ON CONFLICT (key) DO UPDATE SET label = excluded.label, "
        "position = excluded.position, active = 1",
        [(key, label, position) for position, (key, label) in enumerate(items, start=1)],
    )
    await conn.execute(
        f"DELETE FROM {table} WHERE active = 0 AND key NOT IN (SELECT {column} FROM {users})"
    )
    # What is kept of the retired entries comes after the offered ones, in its old order.
    retired = [
        str(r[0])
        for r in await fetch_all(
            conn, f"SELECT key FROM {table} WHERE active = 0 ORDER BY position, key"
        )
    ]
    await conn.executemany(
        f"UPDATE {table} SET position = ? WHERE key = ?",
        [(len(items) + n, key) for n, key in enumerate(retired, start=1)],
    )
