"""Meetings in calendar files. Meeting blocks in agenda files: the optional ``kind``,
``slot_minutes`` and ``tables`` columns of the CSV (``X-FORUMBRIDGE-KIND`` / ``-SLOT-MINUTES``
/ ``-TABLES`` in .ics), read and checked with line numbers (``bot.domain.agenda_files`` calls
it); a user's meetings as events of their .ics file; and the VEVENT every exported event
(session or meeting) starts from. Pure code.

``kind`` is ``talk`` (the default, an ordinary session) or ``meetings``: a block of 1:1
meeting slots of ``slot_minutes`` (default 20) with ``tables`` meetings at once in each slot
(default 10). Meeting blocks may not overlap one another (a company is in one meeting at a
time) and must hold at least one slot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import icalendar

TALK, MEETINGS = "talk", "meetings"
KINDS = (TALK, MEETINGS)
BLOCK_COLUMNS = ("kind", "slot_minutes", "tables")
DEFAULT_SLOT_MINUTES = 20
DEFAULT_TABLES = 10
SLOT_MINUTES_RANGE = (5, 240)
MAX_TABLES = 1000
ICS_PROPS = {
    "kind": "X-FORUMBRIDGE-KIND",
    "slot_minutes": "X-FORUMBRIDGE-SLOT-MINUTES",
    "tables": "X-FORUMBRIDGE-TABLES",
}


@dataclass(frozen=True)
class BlockFields:
    kind: str = TALK
    slot_minutes: int = DEFAULT_SLOT_MINUTES
    tables: int = 0


def _number(raw: str, name: str, low: int, high: int, line: int) -> tuple[int | None, str | None]:
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        problem = f"Line {line}: {name} must be a whole number from {low} to {high}"
        return None, problem + f" (got {raw[:20]!r})."
    return int(raw), None


def block_fields(values: Mapping[str, str], line: int) -> tuple[BlockFields, list[str]]:
    """The block columns of one row (absent or empty: the defaults), and its problems."""
    kind = values.get("kind", "").strip().lower() or TALK
    problems: list[str] = []
    if kind not in KINDS:
        problems.append(f"Line {line}: kind must be talk or meetings (got {kind[:30]!r}).")
        return BlockFields(), problems
    if kind == TALK:
        return BlockFields(), problems
    minutes, tables = DEFAULT_SLOT_MINUTES, DEFAULT_TABLES
    raw = values.get("slot_minutes", "").strip()
    if raw:
        number, problem = _number(raw, "slot_minutes", *SLOT_MINUTES_RANGE, line)
        if problem:
            problems.append(problem)
        minutes = number or minutes
    raw = values.get("tables", "").strip()
    if raw:
        number, problem = _number(raw, "tables", 1, MAX_TABLES, line)
        if problem:
            problems.append(problem)
        tables = number or tables
    return BlockFields(MEETINGS, minutes, tables), problems


def ics_values(event: icalendar.Component) -> dict[str, str]:
    """The block properties of a VEVENT as the CSV columns would hold them."""
    return {column: str(event.get(prop, "")) for column, prop in ICS_PROPS.items()}


def add_ics_props(event: icalendar.Component, kind: str, slot_minutes: int, tables: int) -> None:
    """Write a meetings block's properties into its VEVENT (a talk needs none)."""
    if kind == MEETINGS:
        event.add(ICS_PROPS["kind"], kind)
        event.add(ICS_PROPS["slot_minutes"], str(slot_minutes))
        event.add(ICS_PROPS["tables"], str(tables))


class Timed(Protocol):
    """What the cross-row check needs of an item (``SessionInput`` has it)."""

    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def slot_minutes(self) -> int: ...
    @property
    def line(self) -> int: ...


def check_blocks(items: Sequence[Timed]) -> list[str]:
    """Problems across rows: a block too short for one slot, meeting blocks that overlap."""
    problems: list[str] = []
    blocks = sorted((i for i in items if i.kind == MEETINGS), key=lambda i: i.starts_at)
    for item in blocks:
        if item.ends_at - item.starts_at < timedelta(minutes=item.slot_minutes):
            problems.append(
                f"Line {item.line}: the meetings block is shorter than one slot of "
                f"{item.slot_minutes} minutes."
            )
    latest = None  # the block that ends last among those before
    for item in blocks:
        if latest is not None and item.starts_at < latest.ends_at:
            problems.append(
                f"Line {item.line}: this meetings block overlaps the one on line {latest.line}; "
                "a company can be in only one meeting at a time."
            )
        if latest is None or item.ends_at > latest.ends_at:
            latest = item
    return problems


@dataclass(frozen=True)
class CalendarMeeting:
    """A meeting as one calendar event; the texts are already in the reader's language."""

    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str
    link: str | None
    location: str


def calendar_event(
    kind: str, item_id: int, title: str, starts_at: datetime, ends_at: datetime, *, now: datetime
) -> icalendar.Event:
    """A VEVENT with what every event of ours carries: a UID stable across exports
    (``<kind>-<id>@forumbridge``, so a calendar app updates rather than duplicates), the
    stamp, the times in UTC and the title."""
    event = icalendar.Event()
    event.add("uid", f"{kind}-{item_id}@forumbridge")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", starts_at.astimezone(UTC))
    event.add("dtend", ends_at.astimezone(UTC))
    event.add("summary", title)
    return event


def meeting_events(meetings: Sequence[CalendarMeeting], *, now: datetime) -> list[icalendar.Event]:
    """VEVENTs for the user's meetings, with the video link as URL and LOCATION."""
    events = []
    for meeting in meetings:
        event = calendar_event(
            "meeting", meeting.id, meeting.title, meeting.starts_at, meeting.ends_at, now=now
        )
        event.add("description", meeting.description)
        event.add("location", meeting.link or meeting.location)
        if meeting.link:
            event.add("url", meeting.link)
        events.append(event)
    return events
