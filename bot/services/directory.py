"""The company directory behind /companies: browse the companies of the other country (or
of your own, which are not matched), filter by sector, search by keywords over name, offers
and seeks, page by page; open a company's public card.

Only companies that can be matched appear (complete, consented, not paused): a paused or
non-consenting company is never listed, searched or shown. The search is SQLite FTS5 on
word prefixes ("cyber" finds "cybersecurity"); when that finds nothing, each word is
replaced by the indexed words closest to it (difflib), so "cybersecurty" still finds it.
Introductions from a card go through the introductions service, with its double opt-in,
its daily limit and its refusal of same-country requests.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from bot.forum import Forum
from storage.companies import CompanyRecord, CompanyRepository
from storage.db import Database
from storage.directory import CompanySearch

PAGE_SIZE = 5
OTHER, SAME = "o", "s"
FUZZY_CUTOFF = 0.75
FUZZY_MIN_LENGTH = 4
MAX_WORDS = 8
Company = CompanyRecord  # what handlers receive (they do not import storage)

__all__ = ["OTHER", "PAGE_SIZE", "SAME", "Card", "Company", "DirectoryService", "Page"]


def words_of(query: str) -> list[str]:
    return re.findall(r"\w+", query.casefold())[:MAX_WORDS]


@dataclass(frozen=True)
class Page:
    """One page of the directory. ``kind``: "ok", or "no_company" (the user has none, so
    there is no "other country" to show)."""

    kind: str
    entries: list[Company]
    total: int = 0
    page: int = 0
    pages: int = 1
    scope: str = OTHER
    country: str = ""  # the code of the country listed
    sector: str = ""  # the sector's key, "" for all
    query: str = ""
    fuzzy: bool = False  # found by close spellings, not as typed


@dataclass(frozen=True)
class Card:
    """A company's card. ``kind``: "ok", "gone" (not listed any more) or "no_company"."""

    kind: str
    company: Company | None = None
    same_country: bool = False


class DirectoryService:
    def __init__(self, companies: CompanyRepository, db: Database, forum: Forum) -> None:
        self.companies = companies
        self.search = CompanySearch(db)
        self.forum = forum

    async def sectors(self) -> list[str]:
        """The key of every sector the forum offers, in the file's order."""
        return [s.key for s in self.forum.sectors]

    async def browse(
        self, user_id: int, *, scope: str = OTHER, sector: str = "", query: str = "", page: int = 0
    ) -> Page:
        mine = await self.companies.by_rep(user_id)
        if mine is None:
            return Page("no_company", [])
        forum = self.forum
        if scope == SAME or mine.country not in forum.codes:
            country = mine.country
        else:
            country = forum.other(mine.country).code
        if sector not in await self.sectors():
            sector = ""  # one the file no longer offers (or a forged key): all sectors
        listed = [
            c
            for c in await self.companies.all()
            if c.matchable
            and c.id != mine.id
            and c.country == country
            and (not sector or sector in c.sectors)
        ]
        fuzzy = False
        words = words_of(query)
        if words:
            ranked = await self.search.prefixes(words)
            hits = set(ranked)
            if not any(c.id in hits for c in listed):
                ranked = await self._close(words)
                fuzzy = bool(ranked)
            order = {company_id: n for n, company_id in enumerate(ranked)}
            listed = sorted((c for c in listed if c.id in order), key=lambda c: order[c.id])
        else:
            listed.sort(key=lambda c: (c.name.casefold(), c.id))
        pages = max(1, -(-len(listed) // PAGE_SIZE))
        page = max(0, min(page, pages - 1))
        return Page(
            "ok",
            listed[page * PAGE_SIZE : (page + 1) * PAGE_SIZE],
            total=len(listed),
            page=page,
            pages=pages,
            scope=scope,
            country=country,
            sector=sector,
            query=" ".join(words),
            fuzzy=fuzzy and bool(listed),
        )

    async def _close(self, words: list[str]) -> list[int]:
        """The fuzzy fallback: every word replaced by the indexed words spelled closest."""
        terms = await self.search.terms()
        groups = []
        for word in words:
            close = (
                difflib.get_close_matches(word, terms, n=5, cutoff=FUZZY_CUTOFF)
                if len(word) >= FUZZY_MIN_LENGTH
                else []
            )
            groups.append(close or [word])
        return await self.search.any_of(groups)

    async def card(self, user_id: int, company_id: int) -> Card:
        mine = await self.companies.by_rep(user_id)
        if mine is None:
            return Card("no_company")
        company = await self.companies.get(company_id)
        if company is None or not company.matchable or company.id == mine.id:
            return Card("gone")
        return Card("ok", company, same_country=company.country == mine.country)
