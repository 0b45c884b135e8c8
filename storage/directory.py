"""Keyword search over the companies' name, offers and seeks (SQLite FTS5), for /companies.

The index lives in the connection's TEMP database, in memory, and is rebuilt from the
companies table whenever that changed (count, last update or ids differ), also when
another process (a CLI import) changed it. Kept off disk on purpose: an FTS5 index keeps
deleted terms in its segments until they are merged, and this SQLite has no FTS5
secure-delete, so an on-disk index could keep an erased company's words in the file after
/deleteme. Rebuilding 10,000 companies takes a fraction of a second; a search is rarer.
"""

from __future__ import annotations

import weakref

from storage.db import Database, Repository

# bm25 weights: a word in the name counts ten times a word in offers or seeks.
RANK = "bm25(company_search, 10.0, 1.0, 1.0)"
_BUILT: weakref.WeakKeyDictionary[Database, tuple[object, ...]] = weakref.WeakKeyDictionary()


def phrase(term: str) -> str:
    """One term as an FTS5 string (quotes doubled), so no user text is query syntax."""
    return '"' + term.replace('"', '""') + '"'


class CompanySearch(Repository):
    async def _fresh(self) -> None:
        row = await self.db.fetchone(
            "SELECT count(*), coalesce(max(updated_at), ''), coalesce(sum(id), 0), "
            "coalesce(max(id), 0) FROM companies"
        )
        mark = tuple(row) if row else ()
        if _BUILT.get(self.db) == mark:
            return
        if self.db not in _BUILT:
            # In memory, never in a temporary file (set before the first temp table: a
            # change later would drop them).
            await self.db.conn.execute("PRAGMA temp_store = MEMORY")
        async with self.db.transaction() as conn:
            await conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.company_search USING fts5("
                "name, offers, seeks, tokenize = 'unicode61 remove_diacritics 2', "
                "prefix = '2 3')"
            )
            await conn.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.company_terms "
                "USING fts5vocab('temp', 'company_search', 'row')"
            )
            await conn.execute("DELETE FROM temp.company_search")
            await conn.execute(
                "INSERT INTO temp.company_search (rowid, name, offers, seeks) "
                "SELECT id, name, offers, seeks FROM companies"
            )
        _BUILT[self.db] = mark

    async def prefixes(self, words: list[str]) -> list[int]:
        """Companies with every word as the start of a word of theirs, best first."""
        if not words:
            return []
        return await self._match(" ".join(phrase(w) + "*" for w in words))

    async def any_of(self, alternatives: list[list[str]]) -> list[int]:
        """Companies with, for each group, one of its words exactly, best first."""
        if not alternatives or not all(alternatives):
            return []
        query = " AND ".join(
            "(" + " OR ".join(phrase(term) for term in group) + ")" for group in alternatives
        )
        return await self._match(query)

    async def _match(self, query: str) -> list[int]:
        await self._fresh()
        rows = await self.db.fetchall(
            f"SELECT rowid FROM temp.company_search WHERE company_search MATCH ? ORDER BY {RANK}",
            (query,),
        )
        return [int(r[0]) for r in rows]

    async def terms(self) -> list[str]:
        """Every indexed word (for the fuzzy fallback)."""
        await self._fresh()
        rows = await self.db.fetchall("SELECT term FROM temp.company_terms")
        return [str(r[0]) for r in rows]
