"""Matching as the chat and the organisers use it: a company's best cross-border matches
(or why there are none), "not interested", the daily "new matches" digest, the organisers'
figures and the export of everyone's top matches.

It returns data — matches with their reasons as data, a ``kind`` saying why a list is
empty — and never a sentence: the handlers render it in the reader's language. The digest
is a notice (``match_digest``, rendered by ``handlers/intro_notices.py``).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import BinaryIO

from bot.clock import Clock
from bot.domain.matching import Match, Matcher, MatchIndex, Profile, Rules
from bot.forum import Forum
from bot.services.embeddings import ProfileVectors
from bot.services.match_export import (
    EXPORT_COLUMNS,
    Counts,
    MatchesExport,
    export_csv,
    export_from,
    exported,
)
from bot.services.match_index import LIVE_K, LiveMatches
from bot.services.notices import Notifier
from storage.companies import CompanyRecord, CompanyRepository
from storage.embeddings import EmbeddingRepository
from storage.introductions import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    PENDING,
    IntroductionRepository,
)
from storage.match_changes import MatchChangeLog
from storage.outbox import BLOCKED, FAILED, PRIORITY_URGENT, UNKNOWN, OutboxRepository

MATCHES_SHOWN = 5
DIGEST_TOP = 3
DIGEST_EVERY = timedelta(days=1)
DIGEST_KIND = "match_digest"
NOTICE_KIND_PREFIX = "intro_"  # the introductions' outbox kinds: intro_request, ...

# Why /matches shows nothing (MatchesView.kind); "ok" when it shows matches.
OK = "ok"
NO_COMPANY = "no_company"
INCOMPLETE = "incomplete"  # sectors, offers, seeks, partnerships or e-mail missing
NO_CONSENT = "no_consent"
PAUSED = "paused"
OUTSIDE = "outside"  # the company's country is not one of the forum's two
NONE_READY = "none_ready"  # nobody across the border can be matched yet
NONE_LEFT = "none_left"  # nobody matches (or all were seen)

Company = CompanyRecord  # what handlers receive (they do not import storage)


@dataclass(frozen=True)
class MatchesView:
    """What /matches shows: the matches, or (``kind``) why there are none.
    ``other_country``: the code of the country across the border, when there is one."""

    matches: list[Match]
    kind: str = OK
    other_country: str = ""


@dataclass(frozen=True)
class Dismissed:
    """``kind``: "ok" (``name`` will not be suggested again) or "gone"."""

    kind: str
    name: str = ""


@dataclass(frozen=True)
class Digest:
    """A "new matches" digest: the company told, and the newcomers (name, country code)."""

    company: str
    fresh: list[tuple[str, str]]


@dataclass(frozen=True)
class MatchStats:
    """The organisers' matching figures (the funnel is :mod:`bot.services.funnel`'s)."""

    by_country: dict[str, int]  # country code → companies
    states: dict[str, int]  # introduction state → how many (every state, 0 included)
    # Introduction notices not delivered: given up, the rep blocked the bot, timed out.
    notices_failed: int = 0
    notices_blocked: int = 0
    notices_unknown: int = 0

    @property
    def sent(self) -> int:
        return sum(self.states.values())

    @property
    def decided(self) -> int:
        return sum(self.states.get(s, 0) for s in (ACCEPTED, DECLINED, EXPIRED))

    @property
    def acceptance(self) -> float | None:
        """Accepted of answered or expired, 0..1; None before any."""
        return self.states.get(ACCEPTED, 0) / self.decided if self.decided else None


@dataclass(eq=False)
class MatchingService:
    companies: CompanyRepository
    repo: IntroductionRepository
    embeddings: EmbeddingRepository
    outbox: OutboxRepository
    notifier: Notifier
    forum: Forum
    clock: Clock
    # False: every use reads all companies and ranks on the event loop, as before the
    # index (bench/matching.py measures both in one run).
    live: bool = field(default=True, init=False)

    def __post_init__(self) -> None:
        # The forum file decides which countries pair and which intents meet.
        self.rules = Rules.of(self.forum)
        self.index = LiveMatches(
            self.companies,
            self.repo,
            MatchChangeLog(self.companies.db),
            self._vectors,
            self.rules,
            self.clock,
        )

    def matcher(self) -> Matcher:
        return Matcher(self.rules)

    def _vectors(self) -> ProfileVectors:
        return ProfileVectors(self.embeddings, places=self.forum.place_names())

    async def profiles(self) -> tuple[list[CompanyRecord], list[Profile]]:
        """Every company, and as a matcher profile with its embeddings."""
        records = await self.companies.all()
        return records, await self._vectors().profiles(records, now=self.clock.now())

    async def pair(self, a: CompanyRecord, b: CompanyRecord) -> tuple[Profile, Profile]:
        me, them = await self._vectors().profiles([a, b], now=self.clock.now())
        return me, them

    async def match(self, me: CompanyRecord, them: CompanyRecord) -> Match | None:
        """``them`` as a match for ``me`` (reasons phrased for ``me``), or None."""
        return self.matcher().match(*await self.pair(me, them))

    def why_not(self, company: CompanyRecord) -> str | None:
        """Why the company cannot be matched at all (a :class:`MatchesView` kind), or None."""
        if not company.complete:
            return INCOMPLETE
        if not company.consent:
            return NO_CONSENT
        if company.paused:
            return PAUSED
        if company.country not in self.forum.codes:
            return OUTSIDE
        return None

    async def matches_of_rep(self, user_id: int, limit: int = MATCHES_SHOWN) -> MatchesView:
        company = await self.companies.by_rep(user_id)
        if company is None:
            return MatchesView([], NO_COMPANY)
        return await self.matches_for(company, limit)

    async def matches_for(self, company: CompanyRecord, limit: int = MATCHES_SHOWN) -> MatchesView:
        """The company's best matches, or why there are none."""
        why = self.why_not(company)
        if why is not None:
            return MatchesView([], why)
        if self.live:
            return await self._live_matches(company, limit)
        records, profiles = await self.profiles()
        other = self.forum.other(company.country).code
        if not any(r.country == other and r.matchable for r in records):
            return MatchesView([], NONE_READY, other)
        me = next(p for p in profiles if p.id == company.id)
        excluded = await self.repo.excluded_pairs()
        found = self.matcher().rank(me, profiles, excluded=excluded, limit=limit)
        return MatchesView(found, OK if found else NONE_LEFT, other)

    async def _live_matches(self, company: CompanyRecord, limit: int) -> MatchesView:
        other = self.forum.other(company.country).code
        async with self.index.reading([company.id], limit) as index:
            if other not in index.countries():
                return MatchesView([], NONE_READY, other)
            found = index.top(company.id, limit)
        return MatchesView(found, OK if found else NONE_LEFT, other)

    async def dismiss(self, user_id: int, other_id: int) -> Dismissed:
        company = await self.companies.by_rep(user_id)
        other = await self.companies.get(other_id)
        if company is None or other is None or other.id == company.id:
            return Dismissed("gone")
        await self.repo.dismiss(company.id, other.id, self.clock.now())
        return Dismissed("ok", other.name)

    # -- the daily digest ------------------------------------------------------------------
    async def send_digests(self) -> int:
        """Tell reps (at most once a day) when a company newer than their last digest entered
        their top 3. Returns how many companies were told."""
        now = self.clock.now()
        tops = await self._digest_tops()
        records = await self.companies.all()
        by_id = {r.id: r for r in records}
        told = 0
        for company in records:
            top = [i for i in tops.get(company.id, []) if i in by_id]
            if not top:
                continue
            last = await self.repo.digest_sent_at(company.id)
            if last is not None and now - datetime.fromisoformat(last) < DIGEST_EVERY:
                continue
            since = max(company.created_at, last or "")
            fresh = [i for i in top if by_id[i].created_at > since]
            if not fresh:
                continue
            await self.notifier.tell(
                await self.companies.reps(company.id),
                DIGEST_KIND,
                {"company": company.id, "fresh": fresh},
                key=f"digest:{company.id}:{now.date().isoformat()}",
                priority=PRIORITY_URGENT,
            )
            await self.repo.set_digest_sent(company.id, now)
            told += 1
        return told

    async def _digest_tops(self) -> dict[int, list[int]]:
        """Every company's top-3 ids."""
        if self.live:
            async with self.index.reading(None, DIGEST_TOP) as index:
                return {c: index.top_ids(c, DIGEST_TOP) for c in index.lists}
        _, profiles = await self.profiles()
        excluded = await self.repo.excluded_pairs()
        built = MatchIndex(profiles, self.rules, k=DIGEST_TOP, excluded=excluded)
        return {c: built.top_ids(c) for c in built.tops}

    async def digest(self, company_id: int, fresh: list[int]) -> Digest | None:
        """What a digest says when it is sent; None when the company or every newcomer is
        gone meanwhile."""
        company = await self.companies.get(company_id)
        if company is None:
            return None
        found = [await self.companies.get(i) for i in fresh]
        listed = [(c.name, c.country) for c in found if c is not None]
        return Digest(company.name, listed) if listed else None

    # -- organisers ------------------------------------------------------------------------
    async def stats(self) -> MatchStats:
        states = {PENDING: 0, ACCEPTED: 0, DECLINED: 0, EXPIRED: 0}
        states.update(await self.repo.counts())
        notices = await self.outbox.counts(kind_prefix=NOTICE_KIND_PREFIX)
        return MatchStats(
            by_country=await self.companies.count_by_country(),
            states=states,
            notices_failed=notices.get(FAILED, 0),
            notices_blocked=notices.get(BLOCKED, 0),
            notices_unknown=notices.get(UNKNOWN, 0),
        )

    @asynccontextmanager
    async def export(self, top: int) -> AsyncIterator[MatchesExport]:
        """Everyone's ``top`` matches as a CSV file (:class:`MatchesExport`), worked out in a
        thread; the file is deleted when the block ends."""
        tops: dict[int, list[int]] | None = None
        if not self.live:
            _, profiles = await self.profiles()
            excluded = await self.repo.excluded_pairs()
        else:
            async with self.index.reading(None if top <= LIVE_K else (), top) as index:
                # Copies: the index may change once the block ends, while the thread reads.
                profiles = list(index.profiles.values())
                excluded = set(index.excluded)
                if top <= LIVE_K:
                    tops = {c: index.top_ids(c, top) for c in index.lists}
                matcher = index.matcher
        work: Callable[[BinaryIO], Counts]
        if tops is None:  # no index, or more than it keeps: a full build of its own
            work = functools.partial(
                export_csv, profiles=profiles, forum=self.forum, top=top, excluded=excluded
            )
        else:
            work = functools.partial(
                export_from, profiles=profiles, tops=tops, matcher=matcher, forum=self.forum
            )
        async with exported(work) as found:
            yield found


__all__ = [
    "EXPORT_COLUMNS",
    "Company",
    "Digest",
    "Dismissed",
    "MatchStats",
    "MatchesExport",
    "MatchesView",
    "MatchingService",
    "export_csv",
]
