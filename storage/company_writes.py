"""Writes that span a company and its reps in one transaction: registering a company with
its first rep, a rep joining (by invitation or by claiming an imported company), the
organisers' import (which never touches a company a rep owns) and pausing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import aiosqlite

from storage.companies import CompanyRepository, check_fields, insert_company, update_company
from storage.db import Repository, fetch_one

# What an import did with a row (``CompanyWrites.upsert_import``).
IMPORT_CREATED = "created"
IMPORT_UPDATED = "updated"
IMPORT_MANAGED = "managed"  # the company has a rep, who owns its profile: nothing changed


class CompanyWrites(Repository):
    """Writes that span a company and its reps in one transaction."""

    async def register(
        self,
        fields: dict[str, Any],
        *,
        sectors: Sequence[str],
        partnerships: Sequence[str],
        rep_id: int,
        now: datetime,
    ) -> int | None:
        """Create a company with ``rep_id`` as its first rep, unless the user already
        represents one (a double press, two devices); returns the new id or None."""
        repo = CompanyRepository(self.db)
        if await repo.by_rep(rep_id) is not None:
            return None
        try:
            return await repo.create(
                fields, sectors=sectors, partnerships=partnerships, now=now, rep_id=rep_id
            )
        except aiosqlite.IntegrityError:
            # Lost a race against the same user's other update; the first one won.
            if await repo.by_rep(rep_id) is not None:
                return None
            raise

    async def upsert_import(
        self,
        fields: dict[str, Any],
        *,
        sectors: Sequence[str],
        partnerships: Sequence[str],
        now: datetime,
    ) -> tuple[int, str]:
        """Insert or update (same name and country) an imported company: (id, outcome), the
        outcome being ``IMPORT_CREATED``, ``IMPORT_UPDATED`` or ``IMPORT_MANAGED``.

        Once a company has a rep, the rep owns its profile, consent and pause included: the
        import changes nothing of it. The check and the write are one transaction, so a claim
        that lands in the middle of an import still wins.
        """
        check_fields(fields)
        async with self.db.transaction() as conn:
            row = await fetch_one(
                conn,
                "SELECT c.id, EXISTS (SELECT 1 FROM company_reps r WHERE r.company_id = c.id) "
                "FROM companies c WHERE lower(c.name) = lower(?) AND c.country = ?",
                (str(fields["name"]).strip(), fields["country"]),
            )
            if row is None:
                company_id = await insert_company(
                    conn, fields, sectors, partnerships, now=now, source="import"
                )
                return company_id, IMPORT_CREATED
            company_id = int(row[0])
            if row[1]:
                return company_id, IMPORT_MANAGED
            await update_company(conn, company_id, fields, sectors, partnerships, now=now)
            return company_id, IMPORT_UPDATED

    async def set_paused(self, company_id: int, paused: bool, *, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE companies SET paused = ?, updated_at = ? WHERE id = ? AND paused <> ?",
            (int(paused), now.isoformat(), company_id, int(paused)),
        )
        return changed > 0

    async def join(
        self, company_id: int, user_id: int, *, now: datetime, claim: bool = False
    ) -> None:
        """Make ``user_id`` a rep of the company. A claim (the first rep of an imported
        company) also closes its other claim links and takes the organisers' consent back:
        from now on consent is the rep's, and the company is not matched until they give it."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
                (company_id, user_id, now.isoformat()),
            )
            if claim:
                await conn.execute(
                    "UPDATE companies SET consent = 0, updated_at = ? WHERE id = ?",
                    (now.isoformat(), company_id),
                )
                await conn.execute(
                    "UPDATE company_links SET expires_at = ? WHERE company_id = ? "
                    "AND kind = 'claim' AND used_at IS NULL",
                    (now.isoformat(), company_id),
                )

    async def set_consent(self, company_id: int, consent: bool, *, now: datetime) -> bool:
        changed = await self.db.execute(
            "UPDATE companies SET consent = ?, updated_at = ? WHERE id = ? AND consent <> ?",
            (int(consent), now.isoformat(), company_id, int(consent)),
        )
        return changed > 0
