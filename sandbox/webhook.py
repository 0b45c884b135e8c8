"""Webhook delivery, as Telegram does it: while a webhook is set, each update is POSTed to
its URL as JSON with the ``X-Telegram-Bot-Api-Secret-Token`` header (when the bot gave a
secret), in order, one at a time; a non-2xx answer or no answer is retried with back-off
(short here, so tests stay quick) and shows in ``getWebhookInfo`` as ``last_error_*``.

Unlike Telegram, the sandbox posts only to this machine (127.0.0.1, localhost, ::1): a
webhook set to any other host is kept (``getUpdates`` answers 409 as Telegram does) but
nothing is ever sent there.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import aiohttp

from .state import LOCAL_HOSTS

__all__ = ["WebhookAttempt", "WebhookDeliverer"]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FIRST_RETRY_SECONDS = 0.05
MAX_RETRY_SECONDS = 1.0
POST_TIMEOUT_SECONDS = 10.0


class BotApi(Protocol):
    """What the deliverer needs of the emulated Telegram (``api.BotApi`` provides it)."""

    webhook_url: str
    webhook_secret: str
    webhook_last_error: tuple[int, str] | None
    _updates: list[dict[str, Any]]
    _closing: bool
    _cond: asyncio.Condition | None

    def _deliverable(self) -> list[dict[str, Any]]: ...
    async def _notify(self) -> None: ...


@dataclass(frozen=True)
class WebhookAttempt:
    """One POST of an update: the HTTP status it got, or the error when there was none."""

    update_id: int
    url: str
    status: int | None
    error: str | None = None
    secret_sent: bool = False

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class WebhookDeliverer:
    def __init__(self, api: BotApi, busy: Callable[[int], None] = lambda delta: None) -> None:
        """``busy(+1)`` / ``busy(-1)`` around each POST: a delivery in flight is activity
        (``Sandbox.wait_idle`` waits for it)."""
        self.api = api
        self.busy = busy
        self.attempts: list[WebhookAttempt] = []
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def start(self) -> None:
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT_SECONDS)
        )
        self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _next(self) -> dict[str, Any] | None:
        api = self.api
        if api._closing or not api.webhook_url:
            return None
        if urlsplit(api.webhook_url).hostname not in LOCAL_HOSTS:
            return None
        deliverable = api._deliverable()
        return deliverable[0] if deliverable else None

    async def _run(self) -> None:
        cond = self.api._cond
        assert cond is not None
        delay = FIRST_RETRY_SECONDS
        while True:
            async with cond:
                await cond.wait_for(lambda: self._next() is not None)
            update = self._next()
            if update is None:
                continue
            attempt = await self._post(update)
            self.attempts.append(attempt)
            if attempt.ok:
                delay = FIRST_RETRY_SECONDS
                self.api._updates = [
                    u for u in self.api._updates if u["update_id"] != update["update_id"]
                ]
            else:
                self.api.webhook_last_error = (
                    int(time.time()),
                    attempt.error or f"Wrong response from the webhook: {attempt.status}",
                )
            await self.api._notify()
            if not attempt.ok:
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_RETRY_SECONDS)

    async def _post(self, update: dict[str, Any]) -> WebhookAttempt:
        assert self._session is not None
        url, secret = self.api.webhook_url, self.api.webhook_secret
        headers = {SECRET_HEADER: secret} if secret else {}
        self.busy(+1)
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                await response.read()
                status: int | None = response.status
                error = None
        except (aiohttp.ClientError, TimeoutError) as exc:
            status, error = None, f"Connection failed: {type(exc).__name__}"
        finally:
            self.busy(-1)
        return WebhookAttempt(update["update_id"], url, status, error, bool(secret))
