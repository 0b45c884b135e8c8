"""The outbox sender: drains the ``outbox`` table within Telegram's limits.

One sender per process sends one message at a time, so a crash can send at most one message
twice (sent, not yet marked). Pacing: at most ``rate`` messages/s overall and one per
``per_chat_interval`` to a chat; urgent rows (introductions, reminders) overtake a running
broadcast at the next message. PTB's AIORateLimiter sits underneath for the hard limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.clock import Clock
from storage.outbox import (
    BLOCKED,
    FAILED,
    PRIORITY_BULK,
    NewMessage,
    OutboxRepository,
    OutboxRow,
)
from storage.users import UserRepository

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BATCH = 25
IDLE_WAIT_SECONDS = 1.0

SentHook = Callable[[OutboxRow, str], Awaitable[None]]


class OutboxSender:
    def __init__(
        self,
        bot: Bot,
        outbox: OutboxRepository,
        users: UserRepository,
        clock: Clock,
        *,
        rate: float = 25.0,
        per_chat_interval: float = 1.0,
        max_attempts: int = MAX_ATTEMPTS,
        retry_base_seconds: float = 1.0,
    ) -> None:
        self.bot = bot
        self.outbox = outbox
        self.users = users
        self.clock = clock
        self.interval = 1.0 / rate
        self.per_chat_interval = per_chat_interval
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._last_to_chat: dict[int, float] = {}
        self.hooks: list[SentHook] = []
        self.sent_count = 0

    # -- public --------------------------------------------------------------------------
    async def enqueue(self, messages: list[NewMessage]) -> int:
        added = await self.outbox.enqueue(messages, now=self.clock.now())
        if added:
            self.wake()
        return added

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="OutboxSender")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # -- the loop ------------------------------------------------------------------------
    async def _run(self) -> None:
        while True:
            try:
                busy = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox sender failed; retrying in a second")
                busy = False
            if not busy:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), IDLE_WAIT_SECONDS)

    async def drain_once(self) -> bool:
        """Send what is due now (one batch). Returns whether anything was sent or tried."""
        rows = await self.outbox.due(self.clock.now(), limit=BATCH)
        if not rows:
            return False
        tried = False
        self._wake.clear()
        for row in rows:
            last = self._last_to_chat.get(row.chat_id)
            if last is not None and time.monotonic() - last < self.per_chat_interval:
                continue  # this chat had a message less than a second ago; next round
            await self._pace()
            await self._send(row)
            tried = True
            if self._wake.is_set() and row.priority >= PRIORITY_BULK:
                break  # something new was enqueued: it may be more urgent than this batch
        if not tried:
            await asyncio.sleep(self.per_chat_interval / 4)
        return True

    async def _pace(self) -> None:
        now = time.monotonic()
        wait = max(self._next_slot, self._paused_until) - now
        if wait > 0:
            await asyncio.sleep(wait)
        self._next_slot = max(now, self._next_slot) + self.interval

    async def _send(self, row: OutboxRow) -> None:
        self._last_to_chat[row.chat_id] = time.monotonic()
        kwargs: dict[str, Any] = {"chat_id": row.chat_id, **row.payload}
        try:
            result = await self.bot.do_api_request(row.method, api_kwargs=kwargs)
        except RetryAfter as exc:
            pause = exc.retry_after
            seconds = pause.total_seconds() if isinstance(pause, timedelta) else float(pause)
            self._paused_until = time.monotonic() + seconds
            log.warning("outbox paused for %.1f s by Telegram (RetryAfter)", seconds)
            return  # the row stays pending and is tried again after the pause
        except Forbidden as exc:
            await self.outbox.mark_final(row.id, BLOCKED, exc.message)
            await self.users.set_active(row.chat_id, False, now=self.clock.now())
            await self._notify(row, BLOCKED)
            return
        except BadRequest as exc:
            await self.outbox.mark_final(row.id, FAILED, exc.message)
            await self._notify(row, FAILED)
            return
        except (NetworkError, TelegramError) as exc:
            # NetworkError covers 5xx and TimedOut. A timed-out send may have arrived: that
            # is the one duplicate the design allows.
            if row.attempts + 1 >= self.max_attempts:
                await self.outbox.mark_final(row.id, FAILED, f"{type(exc).__name__}: {exc}")
                await self._notify(row, FAILED)
            else:
                backoff = self.retry_base_seconds * 2**row.attempts
                await self.outbox.retry_later(
                    row.id,
                    error=f"{type(exc).__name__}: {exc}",
                    not_before=self.clock.now() + timedelta(seconds=backoff),
                )
            return
        message_id = result.get("message_id") if isinstance(result, dict) else None
        await self.outbox.mark_sent(row.id, message_id=message_id, now=self.clock.now())
        self.sent_count += 1
        await self._notify(row, "sent")

    async def _notify(self, row: OutboxRow, outcome: str) -> None:
        for hook in self.hooks:
            try:
                await hook(row, outcome)
            except Exception:
                log.exception("outbox hook failed for row %s", row.id)
