"""What the broadcast service returns: the organiser's draft, an audience as the chat names
it, a broadcast's progress (counts, time left, time taken) and a line of /broadcasts. Data
only; handlers.broadcast renders it in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.broadcasts import BroadcastRecord


@dataclass(frozen=True)
class Draft:
    """The organiser's message a broadcast copies: where it is and how to list it."""

    chat_id: int
    message_id: int
    summary: str


@dataclass(frozen=True)
class AudienceView:
    """An audience as the chat names it: its kind and value, and for a session audience
    the session's title (bidi controls removed), None when the session is gone."""

    kind: str
    value: str | int | None
    title: str | None = None


@dataclass(frozen=True)
class Progress:
    """A broadcast and its delivery counts now, for the progress message and the report."""

    record: BroadcastRecord
    audience: AudienceView
    counts: dict[str, int]
    rate: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def handled(self) -> int:
        return self.total - self.counts["pending"]

    @property
    def eta_seconds(self) -> float:
        return self.counts["pending"] / self.rate if self.rate > 0 else 0.0

    @property
    def took_seconds(self) -> float | None:
        record = self.record
        if not (record.started_at and record.finished_at):
            return None
        finished = datetime.fromisoformat(record.finished_at)
        return (finished - datetime.fromisoformat(record.started_at)).total_seconds()


@dataclass(frozen=True)
class Listed:
    """One line of /broadcasts."""

    record: BroadcastRecord
    audience: AudienceView
    counts: dict[str, int]


def summary_of(text: str | None, kind: str = "text", limit: int = 60) -> str:
    """How a broadcast is listed: its text on one line, cut; a photo or document marked."""
    body = " ".join((text or "").split())
    if len(body) > limit:
        body = body[: limit - 1] + "…"
    if kind != "text":
        return f"[{kind}] {body}".strip()
    return body or "(empty)"
