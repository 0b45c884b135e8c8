"""Read-only queries behind the organisers' report workbook (bot.services.report) that no
other repository has: every introduction with both companies' names, and the meetings
table when there is one (issue 12 adds it), without the columns that name a person."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storage.db import Repository

# Columns that hold a person (a Telegram id) are left out of the report.
PERSON_COLUMNS = frozenset(
    {"user_id", "chat_id", "created_by", "requested_by", "decided_by", "answered_by", "used_by"}
)


@dataclass(frozen=True)
class IntroductionRow:
    id: int
    requester: str
    requester_country: str
    target: str
    target_country: str
    state: str
    created_at: str
    decided_at: str | None
    expires_at: str
    reasons: tuple[str, ...]


class ReportQueries(Repository):
    async def introductions(self) -> list[IntroductionRow]:
        rows = await self.db.fetchall(
            """
            SELECT i.id, r.name, r.country, t.name, t.country, i.state, i.created_at,
                   i.decided_at, i.expires_at, i.reasons
            FROM introductions i
            JOIN companies r ON r.id = i.requester_company_id
            JOIN companies t ON t.id = i.target_company_id
            ORDER BY i.created_at, i.id
            """
        )
        return [
            IntroductionRow(
                id=int(r[0]),
                requester=r[1],
                requester_country=r[2],
                target=r[3],
                target_country=r[4],
                state=r[5],
                created_at=r[6],
                decided_at=r[7],
                expires_at=r[8],
                reasons=tuple(json.loads(r[9] or "[]")),
            )
            for r in rows
        ]

    async def meetings(self) -> tuple[list[str], list[tuple[Any, ...]]] | None:
        """(columns, rows) of the meetings table without person columns; None without one."""
        found = await self.db.fetchone(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meetings'"
        )
        if found is None:
            return None
        info = await self.db.fetchall("PRAGMA table_info(meetings)")
        columns = [str(c[1]) for c in info if str(c[1]) not in PERSON_COLUMNS]
        if not columns:
            return None
        listed = ", ".join(f'"{c}"' for c in columns)
        rows = await self.db.fetchall(f"SELECT {listed} FROM meetings ORDER BY rowid")
        return columns, [tuple(r) for r in rows]
