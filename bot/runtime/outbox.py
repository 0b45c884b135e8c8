"""The outbox sender: drains the ``outbox`` table within Telegram's limits.

One sender per process sends one message at a time, so a crash can send at most one message
twice (sent, not yet marked); a graceful stop lets the send in flight finish and be marked
first, so a restart sends nothing twice. A send that timed out after its request reached
Telegram may have arrived: it is marked "unknown" and never sent again (at most once; the
rules are in bot/delivery.py). Each row is re-read just before its send, so a row cancelled
meanwhile (a stopped broadcast) is never sent from a batch already in memory.

Pacing: at most ``rate`` messages/s overall and one per
``per_chat_interval`` to a chat; urgent rows (introductions, reminders) overtake a running
broadcast at the next message. PTB's AIORateLimiter sits underneath for the hard limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import KW_ONLY, InitVar, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import AIORateLimiter
from telegram.warnings import PTBUserWarning

from bot.clock import Clock
from bot.runtime.delivery import may_have_arrived, recipient_gone
from bot.services.notices import NOTICE_METHOD
from storage.outbox import (
    BLOCKED,
    CANCELLED,
    FAILED,
    PRIORITY_BULK,
    UNKNOWN,
    NewMessage,
    OutboxRepository,
    OutboxRow,
)
from storage.users import UserRepository

log = logging.getLogger(__name__)
# What a Bot API call returns, as PTB's rate limiter passes it through.
JSONDict = dict[str, Any]
# The outbox calls methods by name on purpose (rows store the Bot API method); PTB's hint to
# use the typed method instead is noise here.
warnings.filterwarnings(
    "ignore", message=r"Please use 'Bot\.", category=PTBUserWarning, module=r"bot\.runtime\.outbox"
)

# Network errors and 5xx: the first try plus five retries with back-off, then "failed".
MAX_RETRIES = 5
MAX_ATTEMPTS = MAX_RETRIES + 1
# A 400 that is not about the recipient: the first try plus three retries, then given up.
BAD_REQUEST_ATTEMPTS = 4
# How long a graceful stop waits for the send in flight (HTTP timeouts bound it anyway).
STOP_GRACE_SECONDS = 15.0
BATCH = 25
IDLE_WAIT_SECONDS = 1.0

SentHook = Callable[[OutboxRow, str], Awaitable[None]]
# Turns a notice row (method "notice", see bot.services.notices) into the Bot API method and
# its arguments for its recipient, at sending time; None when there is nothing to say any more.
Render = Callable[[OutboxRow], Awaitable[tuple[str, dict[str, Any]] | None]]

# Telegram's limit is about 30 messages/s overall, direct replies included. The outbox keeps
# everything this process sends within WINDOW_CAP per sliding second, so the replies of users
# chatting during a broadcast always find room (and never trip a 429 that would pause all).
# Every send waits for room below HARD_CAP (one under Telegram's limit, for clock skew);
# the outbox stops at WINDOW_CAP, so a reply always finds a slot within a few milliseconds.
TELEGRAM_PER_SECOND = 30
HARD_CAP = TELEGRAM_PER_SECOND - 1
REPLY_HEADROOM = 1
WINDOW_CAP = HARD_CAP - REPLY_HEADROOM
SEND_ENDPOINTS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "forwardMessage",
        "sendPhoto",
        "sendDocument",
        "sendMediaGroup",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendPoll",
        "copyMessages",
        "forwardMessages",
    }
)


class SendWindow:
    """Times of this process's message sends (all of them) over the last second."""

    def __init__(self) -> None:
        self._times: deque[float] = deque()

    def record(self, at: float | None = None) -> None:
        self._times.append(time.monotonic() if at is None else at)

    def count(self, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        while self._times and self._times[0] <= now - 1.0:
            self._times.popleft()
        return len(self._times)

    def free_in(self, cap: int, now: float | None = None) -> float:
        """Seconds until fewer than ``cap`` sends lie in the last second (0 if already)."""
        now = time.monotonic() if now is None else now
        if self.count(now) < cap:
            return 0.0
        return self._times[len(self._times) - cap] + 1.0 - now


class WindowedRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter plus a strict sliding one-second window over every message send
    (PTB's leaky bucket lets a burst of 30 follow a busy second); the outbox reads the same
    window to leave room for direct replies."""

    def __init__(self, window: SendWindow, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.window = window

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        if endpoint in SEND_ENDPOINTS:
            for _ in range(100):  # bounded: the window empties within a second anyway
                room = self.window.free_in(HARD_CAP)
                if room <= 0:
                    break
                await asyncio.sleep(room)
            # No await between the last check and this: concurrent sends cannot overbook.
            self.window.record()
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


@dataclass(eq=False)
class OutboxSender:
    bot: Bot
    outbox: OutboxRepository
    users: UserRepository
    clock: Clock
    _: KW_ONLY
    rate: InitVar[float] = 25.0
    per_chat_interval: float = 1.0
    max_attempts: int = MAX_ATTEMPTS
    bad_request_attempts: int = BAD_REQUEST_ATTEMPTS
    retry_base_seconds: float = 1.0
    # Seconds to wait for Telegram's answer to a send (None: PTB's read timeout).
    send_timeout: float | None = None
    window: SendWindow | None = None
    window_cap: int = WINDOW_CAP
    render: Render | None = None
    hooks: list[SentHook] = field(default_factory=list, init=False)

    def __post_init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._last_to_chat: dict[int, float] = {}
        self._stopping = False
        self._send_done = asyncio.Event()
        self._send_done.set()

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
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name="OutboxSender")

    async def stop(self, grace: float = STOP_GRACE_SECONDS) -> None:
        """Stop sending. A send in flight is let finish and marked first: cut off, it might
        arrive and still be pending, and the next start would send it again."""
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping = True  # no new send starts from here on
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._send_done.wait(), grace)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    # -- the loop ------------------------------------------------------------------------
    async def _run(self) -> None:
        while not self._stopping:
            try:
                busy = await self.drain_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("outbox sender failed; retrying in a second")
                busy = False
            if not busy:
                self._wake.clear()
                # The wait is asked for before Event.wait() is made: a stop while it is being
                # worked out would otherwise leave that coroutine never awaited.
                idle = await self._idle_wait()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), idle)

    async def _idle_wait(self) -> float:
        """Until the next row falls due (a retry after back-off), at most a second."""
        try:
            upcoming = await self.outbox.next_due_time()
        except Exception:
            return IDLE_WAIT_SECONDS
        if upcoming is None:
            return IDLE_WAIT_SECONDS
        delta = (datetime.fromisoformat(upcoming) - self.clock.now()).total_seconds()
        return min(IDLE_WAIT_SECONDS, max(0.01, delta))

    async def drain_once(self) -> bool:
        """Send what is due now (one batch). Returns whether anything was sent or tried."""
        rows = await self.outbox.due(self.clock.now(), limit=BATCH)
        if not rows:
            return False
        tried = False
        self._wake.clear()
        for row in rows:
            if self._stopping:
                break
            if not await self.outbox.is_pending(row.id):
                continue  # cancelled (or handled) since the batch was read
            last = self._last_to_chat.get(row.chat_id)
            if last is not None and time.monotonic() - last < self.per_chat_interval:
                continue  # this chat had a message less than a second ago; next round
            await self._pace()
            if self._stopping:
                break
            self._send_done.clear()
            try:
                await self._send(row)
            finally:
                self._send_done.set()
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
        if self.window is not None:
            # Direct replies went out meanwhile: wait for room in the overall second.
            for _ in range(100):  # bounded: the window empties within a second anyway
                room = self.window.free_in(self.window_cap)
                if room <= 0:
                    break
                await asyncio.sleep(room)
        self._next_slot = max(now, self._next_slot) + self.interval

    async def _send(self, row: OutboxRow) -> None:
        now = time.monotonic()
        if len(self._last_to_chat) > 50_000:
            # Only the last second matters; forget the rest so a long run stays small.
            self._last_to_chat = {
                c: t for c, t in self._last_to_chat.items() if now - t < self.per_chat_interval
            }
        self._last_to_chat[row.chat_id] = now
        call = await self._api_call(row)
        if call is None:
            return
        method, params = call
        kwargs: dict[str, Any] = {"chat_id": row.chat_id, **params}
        timeout: dict[str, Any] = {}
        if self.send_timeout is not None:
            timeout["read_timeout"] = self.send_timeout
        try:
            result = await self.bot.do_api_request(method, api_kwargs=kwargs, **timeout)
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
            if method.startswith("edit") and "not modified" in exc.message:
                # An edit to what the message already says: done, not failed.
                await self.outbox.mark_sent(row.id, message_id=None, now=self.clock.now())
                await self._notify(row, "sent")
                return
            if recipient_gone(exc.message):
                await self.outbox.mark_final(row.id, FAILED, exc.message)
                await self._notify(row, FAILED)
                return
            # Most other 400s repeat, but a notice must not be lost to a passing one.
            await self._retry_or_fail(row, exc, self.bad_request_attempts)
            return
        except (NetworkError, TelegramError) as exc:
            if may_have_arrived(exc):
                # Telegram got the request and its answer was lost: sending again could
                # deliver it twice. At most once: the row ends "unknown".
                log.warning("outbox row %s (%s) timed out; not sent again", row.id, row.kind)
                await self.outbox.mark_final(row.id, UNKNOWN, f"{type(exc).__name__}: {exc}")
                await self._notify(row, UNKNOWN)
                return
            # 5xx, or the request never reached Telegram: retry with back-off.
            await self._retry_or_fail(row, exc, self.max_attempts)
            return
        except Exception as exc:
            # A bug or a malformed payload must not wedge the queue: the row is retried like
            # a network error and ends "failed", and the rows behind it keep moving.
            log.exception("outbox row %s could not be sent", row.id)
            await self._retry_or_fail(row, exc, self.max_attempts)
            return
        message_id = result.get("message_id") if isinstance(result, dict) else None
        await self.outbox.mark_sent(row.id, message_id=message_id, now=self.clock.now())
        await self._notify(row, "sent")

    async def _api_call(self, row: OutboxRow) -> tuple[str, dict[str, Any]] | None:
        """The method and arguments to send for ``row``: as stored, or its notice rendered
        now. None when the row was settled here (nothing to say any more, or a renderer
        failure, retried like a network error)."""
        if row.method != NOTICE_METHOD:
            return row.method, dict(row.payload)
        try:
            if self.render is None:
                raise RuntimeError("a notice row, and no renderer")
            call = await self.render(row)
        except Exception as exc:
            log.exception("outbox row %s (%s) could not be rendered", row.id, row.kind)
            await self._retry_or_fail(row, exc, self.max_attempts)
            return None
        if call is None:
            await self.outbox.mark_final(row.id, CANCELLED, "nothing to say any more")
            await self._notify(row, CANCELLED)
        return call

    async def _retry_or_fail(self, row: OutboxRow, exc: Exception, attempts: int) -> None:
        """Try ``row`` again after back-off, or give it up ("failed") after ``attempts``."""
        error = f"{type(exc).__name__}: {exc}"
        if row.attempts + 1 >= attempts:
            await self.outbox.mark_final(row.id, FAILED, error)
            await self._notify(row, FAILED)
            return
        backoff = self.retry_base_seconds * 2**row.attempts
        await self.outbox.retry_later(
            row.id, error=error, not_before=self.clock.now() + timedelta(seconds=backoff)
        )

    async def _notify(self, row: OutboxRow, outcome: str) -> None:
        for hook in self.hooks:
            try:
                await hook(row, outcome)
            except Exception:
                log.exception("outbox hook failed for row %s", row.id)
