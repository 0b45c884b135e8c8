"""An update processor: different chats concurrently, each chat strictly in order.

PTB's plain ``concurrent_updates`` runs any two updates at once, which breaks conversations
(two answers of one user racing through one ConversationHandler). Here every chat has a
FIFO chain: an update waits for the previous update of its chat, and only then takes one of
``max_concurrent_updates`` slots, so one user's backlog never holds slots other users need.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own semaphore (sized by the number given to BaseUpdateProcessor) is acquired before
# do_process_update; making it effectively unbounded means updates enter do_process_update in
# arrival order, which is what fixes per-chat order. The real bound is ours, ``_limit``.
_ADMISSION_LIMIT = 1_000_000


def ordering_key(update: object) -> int | None:
    """The chat (or, failing that, the user) whose updates must not overtake each other."""
    if isinstance(update, Update):
        if update.effective_chat is not None:
            return update.effective_chat.id
        if update.effective_user is not None:
            return update.effective_user.id
    return None


class PerChatOrderedProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("max_concurrent_updates must be a positive integer")
        self._bound = max_concurrent_updates  # before super(): its check reads the property
        super().__init__(_ADMISSION_LIMIT)
        self._limit = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._running = 0
        self._tails: dict[int, asyncio.Future[None]] = {}

    @property
    def max_concurrent_updates(self) -> int:
        return self._bound

    @property
    def current_concurrent_updates(self) -> int:
        return self._running

    async def _run(self, coroutine: Awaitable[Any]) -> None:
        async with self._limit:
            self._running += 1
            try:
                await coroutine
            finally:
                self._running -= 1

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = ordering_key(update)
        if key is None:
            await self._run(coroutine)
            return
        # Everything up to the first await runs synchronously, so the chain is extended in
        # exactly the order PTB hands updates over.
        previous = self._tails.get(key)
        mine: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._tails[key] = mine
        try:
            if previous is not None:
                await asyncio.shield(previous)
            await self._run(coroutine)
        finally:
            mine.set_result(None)
            if self._tails.get(key) is mine:
                del self._tails[key]

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None
