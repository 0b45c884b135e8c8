"""When to start queueing batches of messages that must be out by a due time, at a send rate.

The outbox sends at most ``rate`` messages/s, so 5,000 reminders take 200 s at 25/s: a batch
queued at its due time reaches its last reader minutes late. A :class:`SendPlan` holds every
batch still to queue (its due time and size) and gives each the *latest* start at which it,
and every batch due after it, is still out by its due time: working back from the last due
batch, a batch must finish by its own due time and before the next batch starts, and takes
``size / rate`` seconds stretched by ``MARGIN``. Batches due at the same time are thus planned
one after the other, and none starts earlier than it needs to.

The plan is incremental (a change re-plans only the batches before it, and stops at the first
one whose start did not move), so re-planning thousands of timers one by one stays cheap.
Pure code: the timers that act on it are ``bot.services.deadlines``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta

# Slack on top of the time the batch needs at the nominal rate: rendering, a few direct
# replies in the same second and the timer's own delay make the real rate a little lower.
# Kept under 10 % so no reminder goes out much earlier than needed.
MARGIN = 0.05


@dataclass(frozen=True)
class Batch:
    name: str
    due: datetime
    size: int


class SendPlan:
    """Batches by due time; :meth:`start_of` is when each should be queued."""

    def __init__(self, rate: float, margin: float = MARGIN) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.margin = margin
        self._order: list[tuple[datetime, str]] = []
        self._batches: dict[str, Batch] = {}
        self._starts: dict[str, datetime] = {}

    def needs(self, size: int) -> timedelta:
        """How long ``size`` messages take at the rate, with the margin."""
        return timedelta(seconds=size / self.rate * (1 + self.margin))

    def start_of(self, name: str) -> datetime:
        return self._starts[name]

    def __contains__(self, name: str) -> bool:
        return name in self._batches

    def __len__(self) -> int:
        return len(self._batches)

    def put(self, name: str, due: datetime, size: int) -> dict[str, datetime]:
        """Add (or replace) a batch. Returns the batches whose start changed (this one
        included), with their new start."""
        moved = self._drop(name)
        batch = Batch(name, due, max(0, size))
        self._batches[name] = batch
        key = (due, name)
        at = bisect.bisect_left(self._order, key)
        self._order.insert(at, key)
        moved.update(self._replan(at, force=at))
        return moved

    def remove(self, name: str) -> dict[str, datetime]:
        """Forget a batch (queued, or cancelled). Returns the batches whose start changed."""
        return self._drop(name)

    def _drop(self, name: str) -> dict[str, datetime]:
        batch = self._batches.pop(name, None)
        if batch is None:
            return {}
        at = bisect.bisect_left(self._order, (batch.due, name))
        del self._order[at]
        del self._starts[name]
        return self._replan(at - 1, force=-1)

    def _replan(self, index: int, *, force: int) -> dict[str, datetime]:
        """Recompute starts from ``index`` back to the first batch, stopping at the first one
        (other than ``force``) whose start stays as it was: the ones before it cannot move."""
        moved: dict[str, datetime] = {}
        for i in range(index, -1, -1):
            due, name = self._order[i]
            finish = due
            if i + 1 < len(self._order):
                finish = min(due, self._starts[self._order[i + 1][1]])
            start = finish - self.needs(self._batches[name].size)
            if i != force and self._starts.get(name) == start:
                break
            self._starts[name] = start
            moved[name] = start
        return moved
