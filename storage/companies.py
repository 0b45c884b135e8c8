"""The companies repository: profiles, their sectors and partnership intents; their reps
come from ``storage.company_reps``, the writes that span a company and its reps (register,
join, import) are ``storage.company_writes``.

A company's country is its two-letter code, its sectors and intents are keys of the
catalogue (``storage.catalogue``), which the forum file fills: this module names no country,
sector or intent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiosqlite

from storage.company_reps import CompanyReps
from storage.db import Repository, fetch_all
from storage.rows import from_row

PROFILE_FIELDS = (
    "name",
    "country",
    "city",
    "offers",
    "seeks",
    "size",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "telegram_username",
    "consent",
    "paused",
)
# Sectors and intents come as ordered, unit-separated lists of keys in one query.
_SELECT = """
SELECT c.*,
    (SELECT group_concat(sector, char(31)) FROM
        (SELECT cs.sector FROM company_sectors cs JOIN sectors s ON s.key = cs.sector
         WHERE cs.company_id = c.id ORDER BY s.position, s.key)) AS sector_list,
    (SELECT group_concat(intent, char(31)) FROM
        (SELECT cp.intent FROM company_partnerships cp
         JOIN partnership_intents i ON i.key = cp.intent
         WHERE cp.company_id = c.id ORDER BY i.position, i.key)) AS intent_list
FROM companies c {where} ORDER BY c.id
"""
# The fields that are a person's: who typed them is recorded (contact_entered_by), so that
# their erasure takes them along.
CONTACT_FIELDS = ("contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class CompanyRecord:
    id: int
    name: str
    country: str
    city: str | None
    sectors: tuple[str, ...]
    offers: str
    seeks: str
    partnerships: tuple[str, ...]
    size: str | None
    website: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    telegram_username: str | None
    consent: bool
    paused: bool
    source: str
    created_at: str
    updated_at: str

    @property
    def complete(self) -> bool:
        """Everything matching and introductions need is there."""
        return bool(
            self.name
            and self.country
            and self.sectors
            and self.offers
            and self.seeks
            and self.partnerships
            and self.contact_email
        )

    @property
    def matchable(self) -> bool:
        return self.complete and self.consent and not self.paused


class CompanyRepository(Repository, CompanyReps):
    # -- profiles ------------------------------------------------------------------------
    async def create(
        self,
        fields: dict[str, Any],
        *,
        sectors: Sequence[str],
        partnerships: Sequence[str],
        now: datetime,
        rep_id: int | None = None,
        source: str = "telegram",
    ) -> int:
        """Insert a company with its sectors and intents (catalogue keys; an unknown key is
        left out) and (optionally) its first rep, who typed its contact fields then."""
        check_fields(fields)
        entered_by = rep_id if any(fields.get(f) for f in CONTACT_FIELDS) else None
        async with self.db.transaction() as conn:
            company_id = await insert_company(
                conn, fields, sectors, partnerships, now=now, source=source, entered_by=entered_by
            )
            if rep_id is not None:
                await conn.execute(
                    "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
                    (company_id, rep_id, now.isoformat()),
                )
        return company_id

    async def update(
        self,
        company_id: int,
        fields: dict[str, Any],
        *,
        now: datetime,
        sectors: Sequence[str] | None = None,
        partnerships: Sequence[str] | None = None,
        by: int | None = None,
    ) -> None:
        """Change fields; ``by`` is the rep who typed them (None: an organiser's import)."""
        check_fields(fields)
        async with self.db.transaction() as conn:
            await update_company(conn, company_id, fields, sectors, partnerships, now=now, by=by)

    async def get(self, company_id: int) -> CompanyRecord | None:
        found = await self._load("WHERE c.id = ?", (company_id,))
        return found[0] if found else None

    async def by_rep(self, user_id: int) -> CompanyRecord | None:
        found = await self._load(
            "WHERE c.id = (SELECT company_id FROM company_reps WHERE user_id = ?)", (user_id,)
        )
        return found[0] if found else None

    async def by_name(self, name: str, country: str) -> CompanyRecord | None:
        found = await self._load(
            "WHERE lower(c.name) = lower(?) AND c.country = ?", (name.strip(), country)
        )
        return found[0] if found else None

    async def all(self) -> list[CompanyRecord]:
        return await self._load("", ())

    async def many(self, ids: Sequence[int]) -> list[CompanyRecord]:
        """The companies of ``ids`` that exist, read in a write transaction: on the shared
        connection no other coroutine's transaction is then half done, so what is read
        cannot roll back (the matching index applies it)."""
        marks = ",".join("?" * len(ids))
        async with self.db.transaction() as conn:
            rows = await fetch_all(conn, _SELECT.format(where=f"WHERE c.id IN ({marks})"), ids)
        return [_record(r) for r in rows]

    async def _load(self, where: str, params: Sequence[Any]) -> list[CompanyRecord]:
        return await self.read_all(_record, _SELECT.format(where=where), params)

    async def delete(self, company_id: int) -> bool:
        return await self.db.execute("DELETE FROM companies WHERE id = ?", (company_id,)) > 0

    async def count_by_country(self) -> dict[str, int]:
        """country code -> companies, for the codes that have any."""
        rows = await self.db.fetchall("SELECT country, count(*) FROM companies GROUP BY country")
        return {str(r[0]): int(r[1]) for r in rows}


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(value.split("\x1f")) if value else ()


def _record(r: aiosqlite.Row) -> CompanyRecord:
    return from_row(
        CompanyRecord,
        r,
        sectors=_split(r["sector_list"]),
        partnerships=_split(r["intent_list"]),
        consent=bool(r["consent"]),
        paused=bool(r["paused"]),
    )


def check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"unknown company fields: {sorted(unknown)}")


async def insert_company(
    conn: aiosqlite.Connection,
    fields: dict[str, Any],
    sectors: Sequence[str],
    partnerships: Sequence[str],
    *,
    now: datetime,
    source: str,
    entered_by: int | None = None,
) -> int:
    columns = [*fields, "source", "created_at", "updated_at", "contact_entered_by"]
    values = [*fields.values(), source, now.isoformat(), now.isoformat(), entered_by]
    cursor = await conn.execute(
        f"INSERT INTO companies ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        values,
    )
    company_id = int(cursor.lastrowid or 0)
    await _write_lists(conn, company_id, sectors, partnerships)
    return company_id


async def update_company(
    conn: aiosqlite.Connection,
    company_id: int,
    fields: dict[str, Any],
    sectors: Sequence[str] | None,
    partnerships: Sequence[str] | None,
    *,
    now: datetime,
    by: int | None = None,
) -> None:
    """Change fields; who typed the contact fields is recorded with them (``by``; None for an
    organiser's import), so that their erasure takes them along."""
    values = dict(fields)
    if set(fields) & set(CONTACT_FIELDS):
        values["contact_entered_by"] = by
    assignments = [f"{name} = ?" for name in values] + ["updated_at = ?"]
    await conn.execute(
        f"UPDATE companies SET {', '.join(assignments)} WHERE id = ?",
        [*values.values(), now.isoformat(), company_id],
    )
    if sectors is not None:
        await conn.execute("DELETE FROM company_sectors WHERE company_id = ?", (company_id,))
    if partnerships is not None:
        await conn.execute("DELETE FROM company_partnerships WHERE company_id = ?", (company_id,))
    await _write_lists(conn, company_id, sectors or (), partnerships or ())


async def _write_lists(
    conn: aiosqlite.Connection,
    company_id: int,
    sectors: Sequence[str],
    partnerships: Sequence[str],
) -> None:
    await conn.executemany(
        "INSERT INTO company_sectors (company_id, sector) SELECT ?, key FROM sectors WHERE key = ?",
        [(company_id, s) for s in sectors],
    )
    await conn.executemany(
        "INSERT INTO company_partnerships (company_id, intent) "
        "SELECT ?, key FROM partnership_intents WHERE key = ?",
        [(company_id, p) for p in partnerships],
    )
