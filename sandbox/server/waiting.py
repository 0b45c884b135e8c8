"""What tests read from the sandbox and how they wait for the bot: the messages of a chat, a
transcript, the command menus, the calls made, and waiting for a message, for the answer to a
button press, or for the bot to fall idle (which is why user actions and calls mark activity
here)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from typing import Any

from ..api import BotApi
from ..state import ApiCall, Matcher, SentMessage


def _matcher(match: Matcher) -> Callable[[SentMessage], bool]:
    if isinstance(match, str):
        return lambda m: match in (m.text or "")
    if isinstance(match, re.Pattern):
        pattern = match
        return lambda m: pattern.search(m.text or "") is not None
    return match


class Observing(BotApi):
    """Inspection and waiting on top of the emulated Telegram."""

    def __init__(self, token: str, bot_username: str, enforce_rate_limits: bool) -> None:
        super().__init__(token, bot_username, enforce_rate_limits)
        self._in_flight = 0
        self._last_activity = time.monotonic()

    def _touch(self) -> None:
        self._last_activity = time.monotonic()

    def _busy(self, delta: int) -> None:
        self._in_flight += delta
        self._touch()

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Messages the bot sent to ``chat_id``, in send order, in their current state."""
        chat = self._chats.get(chat_id)
        return list(chat.sent) if chat else []

    def transcript(self, chat_id: int) -> str:
        """Readable list of what the bot sent to ``chat_id``."""
        lines = [m.describe() for m in self.messages(chat_id)]
        return "\n".join(lines) if lines else "(no messages)"

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command list set with setMyCommands for ``scope`` (default scope if None)."""
        params = {"scope": scope or {"type": "default"}, "language_code": language_code}
        return list(self._commands.get(self._commands_key(params), []))

    def calls_of(self, method: str) -> list[ApiCall]:
        """Calls of one Bot API method."""
        return [c for c in self.calls if c.method == method]

    async def _wait_message(
        self,
        chat_id: int,
        match: Matcher,
        *,
        timeout: float,  # noqa: ASYNC109
        after: int,
        edited_since: int,
        what: str,
    ) -> SentMessage:
        pred = _matcher(match)

        def find() -> SentMessage | None:
            for index, msg in enumerate(self.messages(chat_id)):
                fresh = index >= after
                edited = msg.edit_date is not None and msg.version > edited_since
                if (fresh or edited) and pred(msg):
                    return msg
            return None

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := find()) is None:
            if self._cond is None:
                raise RuntimeError("sandbox is not started")
            waiter: asyncio.Future[None] = loop.create_future()
            waiters = self._chat_waiters.setdefault(chat_id, [])
            waiters.append(waiter)
            try:
                await asyncio.wait_for(waiter, max(0.0, deadline - loop.time()))
            except TimeoutError:
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what} {match!r} in chat "
                    f"{chat_id}; transcript:\n{self.transcript(chat_id)}"
                ) from None
            finally:
                with contextlib.suppress(ValueError):
                    waiters.remove(waiter)
        return found

    async def wait_for(
        self,
        chat_id: int,
        match: Matcher,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        after: int = 0,
    ) -> SentMessage:
        """Wait until a message in ``chat_id`` with index >= ``after`` (or any edited message)
        matches ``match`` (substring of text/caption, regex, or predicate)."""
        return await self._wait_message(
            chat_id, match, timeout=timeout, after=after, edited_since=-1, what="a message"
        )

    async def wait_answer(self, query_id: str, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        """Wait until the bot answered the callback query ``query_id``; return that answer
        (``text``, ``show_alert``, ``url``, ``cache_time``)."""
        if self._cond is None:
            raise RuntimeError("sandbox is not started")
        try:
            async with self._cond:
                await asyncio.wait_for(
                    self._cond.wait_for(lambda: query_id in self.callback_answers), timeout
                )
        except TimeoutError:
            raise AssertionError(
                f"timed out after {timeout}s waiting for an answer to callback query {query_id}"
            ) from None
        return self.callback_answers[query_id]

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Return once no bot call (other than getUpdates) nor user action happened for
        ``quiet`` seconds and none is in flight. Raises TimeoutError after ``timeout``."""
        if self._cond is None:
            raise RuntimeError("sandbox is not started")
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                now = time.monotonic()
                idle_for = now - self._last_activity
                if self._in_flight == 0 and idle_for >= quiet:
                    return
                if now >= deadline:
                    raise TimeoutError(f"sandbox not idle after {timeout}s")
                wait = quiet - idle_for if self._in_flight == 0 else quiet
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._cond.wait(), max(0.001, min(wait, deadline - now)))
