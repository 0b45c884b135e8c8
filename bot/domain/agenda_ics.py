"""Agenda files as iCalendar (.ics): reading them (every problem with the line of its
VEVENT) and writing the reader's calendar file.

A repeating event (RRULE, RDATE) is expanded into its occurrences by
``recurring-ical-events`` (at most ``MAX_OCCURRENCES``; more, or a rule without an end, is
refused with its line), never imported as one session; a changed occurrence (RECURRENCE-ID)
replaces the one it changes. An exported file reads back as the same sessions: speakers and
the description travel in ``X-FORUMBRIDGE-*`` properties besides the human DESCRIPTION. Pure
code.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from itertools import islice
from typing import Protocol

import icalendar
import recurring_ical_events

from bot.domain import meeting_blocks
from bot.domain.agenda import (
    MAX_SESSIONS,
    AgendaFileError,
    SessionInput,
    clean,
    field_problems,
    session_input,
)

# A repeating .ics event (RRULE) becomes one session per occurrence, up to this many.
MAX_OCCURRENCES = 100
PRODID = "-//ForumBridge//Agenda//EN"
SPEAKERS_PROP = "X-FORUMBRIDGE-SPEAKERS"
# The description as imported; DESCRIPTION itself also carries speakers and link for people.
DESCRIPTION_PROP = "X-FORUMBRIDGE-DESCRIPTION"


class CalendarSession(Protocol):
    """What an exported session needs (``storage.agenda.Session`` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def speakers(self) -> str: ...
    @property
    def track(self) -> str: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def link(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def slot_minutes(self) -> int: ...
    @property
    def tables(self) -> int: ...


def _ics_event_lines(text: str) -> list[int]:
    """The line number of each BEGIN:VEVENT, so problems can point into the file."""
    return [
        number
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _ics_time(value: object, what: str) -> datetime:
    moment = getattr(value, "dt", None)
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"{what} has no time zone (a floating time); add TZID or use UTC")
        return moment
    if isinstance(moment, date):
        raise ValueError(f"{what} is a whole day; give a time of day")
    raise ValueError(f"{what} is missing")


def parse_ics(text: str) -> list[SessionInput]:
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as exc:
        raise AgendaFileError([f"This is not a valid iCalendar file ({str(exc)[:200]})."]) from None
    if not isinstance(calendar, icalendar.Calendar):
        raise AgendaFileError(["This is not a valid iCalendar file."])
    lines = _ics_event_lines(text)
    events = [
        (event, lines[index] if index < len(lines) else 0)
        for index, event in enumerate(calendar.walk("VEVENT"))
    ]
    series = {str(e["UID"]) for e, _ in events if _repeats(e) and e.get("UID") is not None}
    # A changed occurrence of a series (RECURRENCE-ID) is placed by its series' expansion.
    changed = {
        _occurrence_key(e): line
        for e, line in events
        if e.get("RECURRENCE-ID") is not None and str(e.get("UID")) in series
    }
    problems: list[str] = []
    items: list[SessionInput] = []
    for event, line in events:
        if _repeats(event):
            occurrences, refused = _expand(calendar, event, line)
            problems.extend(refused)
            for occurrence in occurrences:
                _add_event(
                    occurrence, changed.get(_occurrence_key(occurrence), line), items, problems
                )
        elif _occurrence_key(event) in changed:
            continue
        else:
            _add_event(event, line, items, problems)
    if len(items) > MAX_SESSIONS:
        problems.append(f"More than {MAX_SESSIONS} sessions; split the file.")
    if problems:
        raise AgendaFileError(problems)
    return items


def _occurrence_key(event: icalendar.Component) -> tuple[str, object]:
    """Which occurrence of which series an event is: (UID, RECURRENCE-ID)."""
    return str(event.get("UID")), getattr(event.get("RECURRENCE-ID"), "dt", None)


def _repeats(event: icalendar.Component) -> bool:
    return event.get("RRULE") is not None or event.get("RDATE") is not None


def _expand(
    calendar: icalendar.Calendar, event: icalendar.Component, line: int
) -> tuple[list[icalendar.Component], list[str]]:
    """The occurrences of a repeating event (RRULE / RDATE, less EXDATE, with its changed
    occurrences), or the reason it is refused: it repeats more than MAX_OCCURRENCES times
    (a rule without an end included) or its rule cannot be read."""
    try:
        # Checked once here; per occurrence the same problem would be listed many times.
        _ics_time(event.get("DTSTART"), "DTSTART")
    except ValueError as exc:
        return [], [f"Line {line}: {exc}."]
    one = icalendar.Calendar()
    for timezone in calendar.walk("VTIMEZONE"):
        one.add_component(timezone)
    uid = event.get("UID")
    for other in calendar.walk("VEVENT"):
        if other is event or (
            uid is not None and other.get("UID") == uid and other.get("RECURRENCE-ID") is not None
        ):
            one.add_component(other)
    try:
        found = list(islice(recurring_ical_events.of(one).all(), MAX_OCCURRENCES + 1))
    except (ValueError, TypeError, KeyError) as exc:
        return [], [f"Line {line}: its repetition (RRULE) cannot be read ({str(exc)[:120]})."]
    if len(found) > MAX_OCCURRENCES:
        return [], [
            f"Line {line}: the event repeats more than {MAX_OCCURRENCES} times; give its "
            "RRULE a COUNT or an UNTIL, or list the sessions one by one."
        ]
    return found, []


def _add_event(
    event: icalendar.Component, line: int, items: list[SessionInput], problems: list[str]
) -> None:
    """One event (or one occurrence of a repeating one) as a session, or its problems."""
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return
    values = {
        "title": clean(str(event.get("SUMMARY", ""))),
        "speakers": clean(str(event.get(SPEAKERS_PROP, ""))),
        "track": clean(_categories(event)),
        "description": clean(str(event.get(DESCRIPTION_PROP, event.get("DESCRIPTION", "")))),
        "link": clean(str(event.get("URL", "") or event.get("LOCATION", ""))),
    }
    if values["link"] and not values["link"].startswith(("http://", "https://")):
        values["link"] = ""  # a room name in LOCATION is not a link
    row_problems = field_problems(line, values)
    block, problems_of_block = meeting_blocks.block_fields(meeting_blocks.ics_values(event), line)
    row_problems.extend(problems_of_block)
    try:
        start = _ics_time(event.get("DTSTART"), "DTSTART")
        if event.get("DTEND") is not None:
            end = _ics_time(event.get("DTEND"), "DTEND")
        elif event.get("DURATION") is not None:
            end = start + event.decoded("DURATION")
        else:
            raise ValueError("DTEND (or DURATION) is missing")
    except ValueError as exc:
        row_problems.append(f"Line {line}: {exc}.")
    if row_problems:
        problems.extend(row_problems)
        return
    items.append(session_input(values, start, end, line, block))


def _categories(event: icalendar.Component) -> str:
    value = event.get("CATEGORIES")
    if value is None:
        return ""
    entries = value if isinstance(value, list) else [value]
    names: list[str] = []
    for entry in entries:
        cats = getattr(entry, "cats", None)
        names.extend(str(c) for c in cats) if cats is not None else names.append(str(entry))
    return ", ".join(names)


def export_ics(
    sessions: Sequence[CalendarSession],
    *,
    now: datetime,
    name: str = "Forum agenda",
    extra: Sequence[icalendar.Event] = (),
) -> bytes:
    """An iCalendar file of ``sessions`` (and ``extra`` events, e.g. the reader's meetings)
    that calendar apps import (times in UTC)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for session in sessions:
        event = meeting_blocks.calendar_event(
            "session", session.id, session.title, session.starts_at, session.ends_at, now=now
        )
        body = [p for p in (session.speakers, session.description, session.link) if p]
        if body:
            event.add("description", "\n\n".join(body))
        if session.description:
            event.add(DESCRIPTION_PROP, session.description)
        if session.speakers:
            event.add(SPEAKERS_PROP, session.speakers)
        if session.track:
            event.add("categories", [session.track])
        if session.link:
            event.add("url", session.link)
            event.add("location", session.link)
        meeting_blocks.add_ics_props(event, session.kind, session.slot_minutes, session.tables)
        calendar.add_component(event)
    for event in extra:
        calendar.add_component(event)
    return calendar.to_ical()
