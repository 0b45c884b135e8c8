"""One matching index per process, built off the event loop and caught up change by change.

The index (:class:`bot.domain.matching.live.LiveIndex`: everyone's top-10) is built once, in a
worker thread (numpy releases the GIL, and the replies to other users go on meanwhile), at
start-up or at its first use. Before each use it reads the change log that triggers keep
(:mod:`storage.match_changes`: a company created, edited, paused or deleted, a pair
introduced or marked "not interested", by this process or the CLI) and applies only that, in
a worker thread too; a burst of changes (an import) builds it again instead.

A lock serialises catching up and reading. Readers of every list (the digest, the export)
take a copy of the lists under the lock and do their heavy part in a thread afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Collection, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.domain.matching import Profile, Rules
from bot.domain.matching.live import LiveIndex
from bot.services.embeddings import ProfileVectors
from storage.companies import CompanyRepository
from storage.introductions import IntroductionRepository
from storage.match_changes import Changes, MatchChangeLog

LIVE_K = 10  # each list keeps 10: /matches shows 5, the digest reads 3, the export 10
REBUILD_OVER = 200  # more changed (or short) companies than this at once: build again

log = logging.getLogger(__name__)


@dataclass(eq=False)
class LiveMatches:
    companies: CompanyRepository
    introductions: IntroductionRepository
    changes: MatchChangeLog
    vectors: Callable[[], ProfileVectors]
    rules: Rules
    clock: Clock
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)
    _index: LiveIndex | None = field(default=None, init=False)
    _seq: int = field(default=0, init=False)  # the change log is applied up to this
    # Full builds so far (the tests tell a catch-up from a rebuild).
    builds: int = field(default=0, init=False)
    # Run in a worker thread once a full build's profiles are read and again after the
    # build: the runtime gives what they freed back to the system (bot/runtime/allocator.py).
    give_back_memory: Callable[[], object] | None = field(default=None, init=False)

    @asynccontextmanager
    async def reading(self, companies: Iterable[int] | None, n: int) -> AsyncIterator[LiveIndex]:
        """The index, caught up, with the first ``n`` matches of ``companies`` (None: of
        everyone) known; nothing changes it until the block ends."""
        async with self._lock:
            index = await self._caught_up()
            wanted = index.lists if companies is None else companies
            short = [c for c in wanted if not index.ready(c, n)]
            if len(short) > REBUILD_OVER:
                index = await self._build()
            elif short:
                await asyncio.to_thread(_refresh, index, short)
            yield index

    async def warm(self) -> None:
        """Build the index now (start-up) rather than at its first use."""
        async with self.reading((), 0):
            pass

    async def _caught_up(self) -> LiveIndex:
        if self._index is None:
            return await self._build()
        changes = await self.changes.since(self._seq)
        if not changes:
            return self._index
        if changes.gap or len(changes.companies) > REBUILD_OVER:
            return await self._build()
        await self._apply(self._index, changes)
        return self._index

    async def _build(self) -> LiveIndex:
        # Read the log's position first: whatever changes while reading is applied again
        # at the next catch-up (applying a change twice gives the same lists).
        seq = await self.changes.last()
        records = await self.companies.all()
        profiles = await self.vectors().profiles(records, now=self.clock.now())
        # The records (contact details and all) are let go before the build's own peak.
        del records
        await self._give_back_memory()
        excluded = await self.introductions.excluded_pairs()
        self._index = await asyncio.to_thread(
            LiveIndex, profiles, self.rules, k=LIVE_K, excluded=excluded
        )
        self._seq = seq
        self.builds += 1
        await self._give_back_memory()
        log.info("matching index built: %d companies", len(profiles))
        return self._index

    async def _give_back_memory(self) -> None:
        if self.give_back_memory is not None:
            await asyncio.to_thread(self.give_back_memory)

    async def _apply(self, index: LiveIndex, changes: Changes) -> None:
        records = await self.companies.many(sorted(changes.companies))
        profiles = await self.vectors().profiles(records, now=self.clock.now())
        gone = changes.companies - {r.id for r in records}
        excluded = await self.introductions.excluded_pairs() if changes.reopened else None
        await asyncio.to_thread(_apply, index, profiles, gone, changes.pairs, excluded)
        self._seq = changes.last


def _refresh(index: LiveIndex, companies: Iterable[int]) -> None:
    for company in companies:
        index.refresh(company)


def _apply(
    index: LiveIndex,
    profiles: list[Profile],
    gone: Iterable[int],
    pairs: Iterable[tuple[int, int]],
    excluded: Collection[tuple[int, int]] | None,
) -> None:
    if excluded is not None:
        index.reopen(excluded, ())  # the reopened pairs' companies are in ``profiles``
    for pair in pairs:
        index.exclude(pair)
    for company in gone:
        index.remove(company)
    for profile in profiles:
        index.put(profile)


__all__ = ["LIVE_K", "LiveMatches"]
