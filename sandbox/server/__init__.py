"""The sandbox server: an aiohttp Bot API emulator on 127.0.0.1 plus the Python API to act as
users, inspect what they received, wait for the bot, and inject faults.

Typical use::

    async with Sandbox() as sb:
        app = ApplicationBuilder().token(sb.token).base_url(sb.base_url)
                .base_file_url(sb.base_file_url).build()
        ...
        alice = sb.user(1001, "Alice")
        await alice.send("/start")
        await alice.expect("Welcome")
"""

from __future__ import annotations

import secrets

from ..faults import DEFAULT_FAULT_METHODS, Fault
from ..state import Matcher
from .http_layer import HttpServer

__all__ = ["Matcher", "Sandbox"]


class Sandbox(HttpServer):
    """A local Telegram Bot API emulator. See the module docstring.

    The layers, each on the one below: ``api.BotApi`` (the Bot API methods), ``waiting``
    (inspection and waiting), ``actions`` (users acting), ``http_layer`` (the server); this
    class adds fault injection and the rate readings.
    """

    def __init__(
        self,
        token: str | None = None,
        *,
        bot_username: str = "forumbridge_test_bot",
        latency: float = 0.0,
        enforce_rate_limits: bool = False,
    ) -> None:
        # A fresh token per sandbox: a bot left over from an earlier test that finds this
        # sandbox on a reused port gets 401 instead of stealing its updates.
        token = token or f"{secrets.randbelow(10**9) + 10**8}:TEST-{secrets.token_hex(12)}"
        super().__init__(token, bot_username, enforce_rate_limits, latency)

    def inject(
        self,
        kind: str,
        *,
        chat_id: int | None = None,
        count: int = 1,
        retry_after: int = 1,
        delay: float = 0.0,
        methods: tuple[str, ...] = DEFAULT_FAULT_METHODS,
        description: str = "",
    ) -> None:
        """Make the next ``count`` matching calls (-1: all) fail with ``kind``: "retry_after",
        "blocked", "chat_not_found", "bad_request" (a 400 saying ``description``),
        "server_error" (500), "bad_gateway" (502), "slow" (wait ``delay`` seconds, then carry
        the call out and answer) or "timeout" (carry the call out at once, then hold the answer
        back for ``delay`` seconds or until the client hangs up: the message has arrived but
        the client cannot know)."""
        self._faults.add(
            Fault(kind, chat_id, count, retry_after, delay, tuple(methods), description)
        )

    def clear_faults(self) -> None:
        self._faults.clear()

    def max_sends_per_second(self) -> int:
        """Most message sends (sendMessage/sendDocument/sendPhoto/copyMessage/forwardMessage)
        in any sliding one-second window."""
        return self._rate.max_per_second()

    @property
    def rate_violations(self) -> list[tuple[float, int]]:
        """(monotonic time, count) for each send that made a 1 s window exceed 30 sends."""
        return self._rate.violations
