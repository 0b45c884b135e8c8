"""One-time deep-link tokens of companies: invitations of colleagues (``join_<token>``) and
claims of imported companies (``claim_<token>``). A token is used at most once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from storage.db import Repository
from storage.rows import from_row

INVITE = "invite"
CLAIM = "claim"
# Deep-link payloads allow 64 characters of [A-Za-z0-9_-]; 16 random bytes are plenty.
TOKEN_BYTES = 12


@dataclass(frozen=True)
class LinkRecord:
    token: str
    company_id: int
    kind: str
    created_by: int | None
    created_at: str
    expires_at: str | None
    used_by: int | None
    used_at: str | None

    def usable(self, now: datetime) -> bool:
        if self.used_at is not None:
            return False
        return self.expires_at is None or datetime.fromisoformat(self.expires_at) > now

    @property
    def payload(self) -> str:
        """The /start parameter: ``join_<token>`` or ``claim_<token>``."""
        return f"{'join' if self.kind == INVITE else 'claim'}_{self.token}"


def _record(r: aiosqlite.Row) -> LinkRecord:
    return from_row(LinkRecord, r)


class LinkRepository(Repository):
    async def create(
        self,
        company_id: int,
        kind: str,
        *,
        now: datetime,
        created_by: int | None = None,
        ttl: timedelta | None = None,
    ) -> LinkRecord:
        if kind not in (INVITE, CLAIM):
            raise ValueError(f"unknown link kind {kind!r}")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        expires = (now + ttl).isoformat() if ttl else None
        await self.db.execute(
            "INSERT INTO company_links (token, company_id, kind, created_by, created_at, "
            "expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            (token, company_id, kind, created_by, now.isoformat(), expires),
        )
        return LinkRecord(token, company_id, kind, created_by, now.isoformat(), expires, None, None)

    async def get(self, token: str) -> LinkRecord | None:
        return await self.read_one(_record, "SELECT * FROM company_links WHERE token = ?", (token,))

    async def use(self, token: str, user_id: int, *, now: datetime) -> bool:
        """Mark the token used by ``user_id``; False if it was used or expired meanwhile."""
        changed = await self.db.execute(
            "UPDATE company_links SET used_by = ?, used_at = ? WHERE token = ? "
            "AND used_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
            (user_id, now.isoformat(), token, now.isoformat()),
        )
        return changed > 0

    async def open_claim(self, company_id: int, *, now: datetime) -> LinkRecord | None:
        """The company's newest unused, unexpired claim link, if any."""
        return await self.read_one(
            _record,
            "SELECT * FROM company_links WHERE company_id = ? AND kind = ? AND used_at IS NULL "
            "AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at DESC LIMIT 1",
            (company_id, CLAIM, now.isoformat()),
        )

    async def open_claims(self, *, now: datetime) -> dict[int, LinkRecord]:
        """Every company's open claim link, by company id (for exports)."""
        rows = await self.db.fetchall(
            "SELECT * FROM company_links WHERE kind = ? AND used_at IS NULL "
            "AND (expires_at IS NULL OR expires_at > ?) ORDER BY created_at",
            (CLAIM, now.isoformat()),
        )
        return {int(r["company_id"]): _record(r) for r in rows}

    async def close_claims(self, company_id: int, *, now: datetime) -> None:
        """Once a company has a rep in Telegram, its remaining claim links stop working."""
        await self.db.execute(
            "UPDATE company_links SET expires_at = ? WHERE company_id = ? AND kind = ? "
            "AND used_at IS NULL",
            (now.isoformat(), company_id, CLAIM),
        )
