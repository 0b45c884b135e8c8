"""The matching change log (migration 0017): which companies and pairs changed since a
process read it last. Triggers write it; the reader deletes what it applied."""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Repository, fetch_all, fetch_one


@dataclass(frozen=True)
class Changes:
    """What changed after ``since`` up to ``last`` (the next call's ``since``)."""

    last: int
    companies: frozenset[int] = frozenset()
    pairs: frozenset[tuple[int, int]] = frozenset()  # newly excluded, as (low, high)
    reopened: bool = False  # an exclusion was taken back: read the excluded pairs again
    gap: bool = False  # rows after ``since`` were deleted before they were read

    def __bool__(self) -> bool:
        return bool(self.companies or self.pairs or self.reopened or self.gap)


class MatchChangeLog(Repository):
    async def last(self) -> int:
        """The newest change so far (0 before any): an index built after this call is
        current up to it."""
        row = await self.db.fetchone("SELECT seq FROM sqlite_sequence WHERE name = 'match_changes'")
        return int(row[0]) if row is not None else 0

    async def since(self, seq: int) -> Changes:
        """The changes after ``seq``; the rows up to ``seq`` (applied) are deleted.

        Read inside a write transaction: on the shared connection that means no other
        coroutine's transaction is half done, so nothing read here can still roll back
        (and sequence numbers, consecutive otherwise, tell a gap)."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM match_changes WHERE seq <= ?", (seq,))
            rows = await fetch_all(
                conn,
                "SELECT seq, company_id, other_id, reopened FROM match_changes "
                "WHERE seq > ? ORDER BY seq",
                (seq,),
            )
            newest = await fetch_one(
                conn, "SELECT seq FROM sqlite_sequence WHERE name = 'match_changes'"
            )
        if not rows:
            last = int(newest[0]) if newest is not None else seq
            return Changes(seq, gap=last > seq)
        companies: set[int] = set()
        pairs: set[tuple[int, int]] = set()
        reopened = False
        for _, company, other, back in rows:
            if other is None:
                companies.add(int(company))
            elif back:
                reopened = True
                companies.update((int(company), int(other)))
            else:
                pairs.add((min(int(company), int(other)), max(int(company), int(other))))
        return Changes(
            last=int(rows[-1][0]),
            companies=frozenset(companies),
            pairs=frozenset(pairs),
            reopened=reopened,
            gap=int(rows[0][0]) != seq + 1,
        )


__all__ = ["Changes", "MatchChangeLog"]
