"""Meeting blocks cut into slots, slot keys for buttons, the zones a reader sees first and
the video link of a meeting. Pure code.

A meetings block 14:00–17:00 with 20-minute slots gives 9 slots (14:00, 14:20, … 16:40);
a last piece shorter than a slot is not a slot. A slot is named by its block and its start;
in a button the start travels as whole minutes since the Unix epoch (UTC), which is short
and says exactly which time the reader was shown.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.domain.timefmt import city

DEFAULT_LINK_TEMPLATE = "https://meet.jit.si/ForumBridge-{token}"
# MEETING_LINK_TEMPLATE=none: an on-site forum; meetings get a table number, not a link.
ON_SITE = "none"
# The fixed reminder of every meeting, besides the lead times a user chose in /reminders.
MEETING_LEAD_MINUTES = 10


@dataclass(frozen=True)
class SlotTime:
    """One slot of a meetings block: ``tables`` meetings can run in it at once."""

    block_id: int
    starts_at: datetime
    ends_at: datetime
    tables: int

    @property
    def minute(self) -> int:
        return minute_key(self.starts_at)


def block_slots(
    block_id: int, starts_at: datetime, ends_at: datetime, slot_minutes: int, tables: int
) -> list[SlotTime]:
    """The slots of a block, in time order."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    length = timedelta(minutes=slot_minutes)
    slots: list[SlotTime] = []
    start = starts_at.astimezone(UTC)
    end = ends_at.astimezone(UTC)
    while start + length <= end:
        slots.append(SlotTime(block_id, start, start + length, tables))
        start += length
    return slots


def minute_key(moment: datetime) -> int:
    """Whole minutes since the epoch: how a slot's start travels in callback data."""
    if moment.tzinfo is None:
        raise ValueError("aware datetimes only")
    return int(moment.timestamp()) // 60


def from_minute_key(minutes: int) -> datetime:
    return datetime.fromtimestamp(minutes * 60, UTC)


@dataclass(frozen=True)
class ReaderZones:
    """A reader's own zone and the forum's two zones (IANA zone → the label agenda lines
    use, from the forum file): what a meeting time is shown in."""

    own: str
    forum: Mapping[str, str]

    def order(self) -> tuple[str, ...]:
        """The reader's own zone first, then the forum's other zones."""
        return (self.own, *(z for z in self.forum if z != self.own))

    def label(self, zone_name: str) -> str:
        return self.forum.get(zone_name) or city(zone_name)


def check_link_template(template: str) -> str | None:
    """Why ``template`` cannot make meeting links, or None when it can: an http(s) address
    whose only placeholder is ``{token}`` (or ``none`` for an on-site forum)."""
    if template == ON_SITE:
        return None
    if not template.startswith(("https://", "http://")):
        return "must start with https:// (or be none for an on-site forum)"
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:
        return "has an unmatched { or }"
    if fields != {"token"}:
        return "must contain {token} and no other {placeholder}"
    return None


def meeting_link(template: str, token: str) -> str | None:
    """The meeting's video link, or None for an on-site forum (the table number instead)."""
    if template == ON_SITE:
        return None
    return template.replace("{token}", token)
