"""Fault injection and rate accounting for the sandbox.

``FaultBook`` holds injected faults (429 retry_after, 403 blocked, 400 chat not found, any other
400, 5xx, slow answers, and timeouts: the call is carried out but its answer is held back until
the client gives up) and picks the one that applies to a call. ``RateMeter`` records
message-sending calls, computes the busiest sliding one-second window and decides whether
Telegram's limits (30 messages/s overall, 20 messages/min to one group) are exceeded.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass

from .state import ApiError

__all__ = [
    "DEFAULT_FAULT_METHODS",
    "FAULT_KINDS",
    "SEND_METHODS",
    "Fault",
    "FaultBook",
    "RateMeter",
]

DEFAULT_FAULT_METHODS: tuple[str, ...] = (
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
    "copyMessage",
)
FAULT_KINDS = frozenset(
    {
        "retry_after",
        "blocked",
        "chat_not_found",
        "bad_request",
        "server_error",
        "bad_gateway",
        "slow",
        "timeout",
    }
)
SEND_METHODS = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"}
)

GLOBAL_PER_SECOND = 30
GROUP_PER_MINUTE = 20


@dataclass
class Fault:
    """One injected fault; ``remaining`` < 0 means forever."""

    kind: str
    chat_id: int | None
    remaining: int
    retry_after: int
    delay: float
    methods: tuple[str, ...]
    description: str = ""

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.remaining == 0 or method not in self.methods:
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError | None:
        """The error this fault answers with (``None`` for "slow" and "timeout", which only
        delay the answer)."""
        if self.kind == "retry_after":
            return ApiError(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        if self.kind == "blocked":
            return ApiError(403, "Forbidden: bot was blocked by the user")
        if self.kind == "chat_not_found":
            return ApiError(400, "Bad Request: chat not found")
        if self.kind == "bad_request":
            return ApiError(400, self.description or "Bad Request: injected fault")
        if self.kind == "server_error":
            return ApiError(500, "Internal Server Error")
        if self.kind == "bad_gateway":
            return ApiError(502, "Bad Gateway")
        return None


class FaultBook:
    """Injected faults, consulted in injection order."""

    def __init__(self) -> None:
        self.faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(
                f"unknown fault kind {fault.kind!r}; expected one of {sorted(FAULT_KINDS)}"
            )
        self.faults.append(fault)

    def clear(self) -> None:
        self.faults.clear()

    def take(self, method: str, chat_id: int | None) -> Fault | None:
        """Consume and return the first fault matching this call, if any."""
        for fault in self.faults:
            if fault.matches(method, chat_id):
                if fault.remaining > 0:
                    fault.remaining -= 1
                self.faults = [f for f in self.faults if f.remaining != 0]
                return fault
        return None


class RateMeter:
    """Timestamps (monotonic) of accepted message sends, overall and per group chat."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.violations: list[tuple[float, int]] = []
        self._recent: deque[float] = deque()
        self._groups: dict[int, deque[float]] = {}

    def check(self, now: float, chat_id: int | None, enforce: bool) -> None:
        """Account for a send about to happen at ``now``; raise 429 if enforcing and over limit."""
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        count = len(self._recent) + 1
        if count > GLOBAL_PER_SECOND:
            self.violations.append((now, count))
            if enforce:
                raise _too_many(1)
        if chat_id is not None and chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            while group and group[0] <= now - 60.0:
                group.popleft()
            if len(group) + 1 > GROUP_PER_MINUTE and enforce:
                raise _too_many(1)

    def record(self, now: float, chat_id: int | None) -> None:
        self.times.append(now)
        self._recent.append(now)
        if chat_id is not None and chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(now)

    def max_per_second(self) -> int:
        """Largest number of sends within any sliding 1-second window."""
        best = 0
        times = self.times
        for i, t in enumerate(times):
            j = bisect.bisect_left(times, t + 1.0, lo=i)
            best = max(best, j - i)
        return best


def _too_many(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )
