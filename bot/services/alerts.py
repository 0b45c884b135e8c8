"""Unhandled errors, told to the organisers: each gets a short trace id (for the log), and
the organisers hear of one distinct error at most once per ten minutes.

"Distinct" is the error's type and the innermost line of our own code it passed through,
not its message (which may name a user, or differ on every occurrence). An alert carries no
message text either, only type, place and trace id: personal data stays in the server's log.
The throttle lives in memory, per process: after a restart the first occurrence is told
again, which is what an organiser wants to know anyway.
"""

from __future__ import annotations

import logging
import secrets
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import PurePath

from bot.clock import Clock
from bot.services.notices import Notifier
from storage.outbox import PRIORITY_URGENT
from storage.users import UserRepository

log = logging.getLogger(__name__)

ALERT_EVERY = timedelta(minutes=10)
ALERT_KIND = "error_alert"
# The project's own top-level packages: the innermost frame in one of them names the error.
OWN_PACKAGES = ("bot", "handlers", "storage")


def new_trace_id() -> str:
    return secrets.token_hex(4)


def _own_path(filename: str) -> str | None:
    parts = PurePath(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        below = parts[:index]
        if parts[index] in OWN_PACKAGES and "site-packages" not in below and "tests" not in below:
            return "/".join(parts[index:])
    return None


def fingerprint(error: BaseException) -> tuple[str, str]:
    """(error type, place): the place is ``path:line`` of the innermost frame in our code,
    or of the innermost frame at all when none is ours."""
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    place = "unknown place"
    for frame in reversed(frames):
        own = _own_path(frame.filename)
        if own is not None:
            place = f"{own}:{frame.lineno}"
            break
    else:
        if frames:
            place = f"{PurePath(frames[-1].filename).name}:{frames[-1].lineno}"
    return type(error).__name__, place


@dataclass(frozen=True)
class ErrorReport:
    trace_id: str
    error: str
    place: str
    alerted: bool  # whether the organisers are told of this occurrence
    suppressed: int = 0  # occurrences since the previous alert that were not told


@dataclass
class _Seen:
    alerted_at: datetime
    suppressed: int = 0


@dataclass(eq=False)
class AlertService:
    notifier: Notifier
    users: UserRepository
    admin_ids: frozenset[int]
    clock: Clock
    every: timedelta = ALERT_EVERY
    _seen: dict[tuple[str, str], _Seen] = field(default_factory=dict, init=False)

    async def organiser_ids(self) -> list[int]:
        ids = set(self.admin_ids)
        ids.update(u.telegram_id for u in await self.users.organisers() if u.is_active)
        return sorted(ids)

    async def report(self, error: BaseException, *, source: str) -> ErrorReport:
        """Note one unhandled error (``source``: what was running, e.g. "update 17" or
        "job reminders"); tell the organisers unless this error was told within the window.
        Never raises: a failure to queue the alert is logged, the error report stands."""
        key = fingerprint(error)
        trace_id = new_trace_id()
        now = self.clock.now()
        seen = self._seen.get(key)
        if seen is not None and now - seen.alerted_at < self.every:
            seen.suppressed += 1
            return ErrorReport(trace_id, *key, alerted=False)
        suppressed = seen.suppressed if seen is not None else 0
        self._seen[key] = _Seen(now)
        data = {
            "trace_id": trace_id,
            "error": key[0],
            "place": key[1],
            "source": source,
            "suppressed": suppressed,
        }
        try:
            await self.notifier.tell(
                await self.organiser_ids(),
                ALERT_KIND,
                data,
                key=f"alert:{trace_id}",
                priority=PRIORITY_URGENT,
            )
        except Exception:
            log.exception("trace=%s the organisers could not be alerted", trace_id)
        return ErrorReport(trace_id, *key, alerted=True, suppressed=suppressed)
