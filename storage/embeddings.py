"""The company embeddings repository: one row of packed vectors per company (see migration
0007); what the vectors mean is :mod:`bot.domain.matching.vectors`' business, not this module's."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.db import Repository


@dataclass(frozen=True)
class StoredEmbedding:
    company_id: int
    model: str
    text_key: str
    dims: int
    vectors: bytes


_COLUMNS = "SELECT company_id, model, text_key, dims, vectors FROM company_embeddings"


def _stored(r: aiosqlite.Row) -> StoredEmbedding:
    return StoredEmbedding(int(r[0]), r[1], r[2], int(r[3]), bytes(r[4]))


class EmbeddingRepository(Repository):
    async def all(self) -> dict[int, StoredEmbedding]:
        return await self.of()

    async def of(self, company_ids: Sequence[int] | None = None) -> dict[int, StoredEmbedding]:
        """The rows of these companies (all of them when None)."""
        if company_ids is None:
            rows = await self.read_all(_stored, _COLUMNS)
        else:
            ids = [int(i) for i in company_ids]
            where = f" WHERE company_id IN ({', '.join('?' for _ in ids)})"
            rows = await self.read_all(_stored, _COLUMNS + where, ids)
        return {r.company_id: r for r in rows}

    async def pages(self, size: int = 500) -> AsyncIterator[list[StoredEmbedding]]:
        """Every row, ``size`` at a time in company order: a reader that decodes each page
        before the next never holds every blob at once (~30 MB at 10,000 companies)."""
        after = 0
        while page := await self.read_all(
            _stored, _COLUMNS + " WHERE company_id > ? ORDER BY company_id LIMIT ?", (after, size)
        ):
            yield page
            after = page[-1].company_id

    async def put_many(self, rows: Iterable[StoredEmbedding], *, now: datetime) -> None:
        """Insert or replace; rows of companies deleted meanwhile are skipped."""
        stamp = now.isoformat()
        async with self.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO company_embeddings "
                "(company_id, model, text_key, dims, vectors, updated_at) "
                "SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM companies WHERE id = ?) "
                "ON CONFLICT (company_id) DO UPDATE SET model = excluded.model, "
                "text_key = excluded.text_key, dims = excluded.dims, "
                "vectors = excluded.vectors, updated_at = excluded.updated_at",
                [
                    (r.company_id, r.model, r.text_key, r.dims, r.vectors, stamp, r.company_id)
                    for r in rows
                ],
            )
