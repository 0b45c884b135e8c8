"""Agenda files: CSV and iCalendar import (validated, with line numbers) and .ics export.

A file is parsed and checked completely before anything is written, so a bad file changes
nothing. Every problem names the line it is on. A repeating .ics event (RRULE, RDATE) is
expanded into its occurrences by ``recurring-ical-events`` (at most ``MAX_OCCURRENCES``;
more, or a rule without an end, is refused with its line), never imported as one session.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from bot.domain import meeting_blocks
from bot.domain.spreadsheet import from_spreadsheet, spreadsheet_safe
from bot.domain.timefmt import find_zone, zone
from storage.agenda import Session, SessionInput, session_key

# The programme of the forum that ships with the project (data/forum.toml).
SAMPLE_AGENDA = Path(__file__).resolve().parents[2] / "data" / "sample_agenda.csv"
MAX_FILE_BYTES = 1_000_000
MAX_SESSIONS = 500
# A repeating .ics event (RRULE) becomes one session per occurrence, up to this many.
MAX_OCCURRENCES = 100
COLUMNS = ("title", "start", "end", "speakers", "track", "description", "link")
LIMITS = {"title": 200, "speakers": 500, "track": 100, "description": 2000, "link": 500}
EXAMPLE_TIME = "2025-11-20T10:00+02:00"
PRODID = "-//ForumBridge//Agenda//EN"
SPEAKERS_PROP = "X-FORUMBRIDGE-SPEAKERS"
# The description as imported; DESCRIPTION itself also carries speakers and link for people.
DESCRIPTION_PROP = "X-FORUMBRIDGE-DESCRIPTION"

# "2025-11-20T10:00 Europe/London" or RFC 9557's "2025-11-20T10:00[Europe/London]"
_ZONED = re.compile(r"^(?P<time>[^\s\[]+)(?:\s+|\[)(?P<zone>[A-Za-z_+\-/0-9]+)\]?$")


class AgendaFileError(Exception):
    """The file is refused; ``problems`` are lines a person can act on."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def _decode(data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise AgendaFileError(
            [f"The file is {len(data) / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 1000} KB."]
        )
    if not data.strip():
        raise AgendaFileError(["The file is empty."])
    if b"\x00" in data:
        raise AgendaFileError(["This is not a text file (it contains binary data)."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise AgendaFileError(
            [f"Line {line}: not UTF-8 text; save the file as UTF-8 (CSV UTF-8 in Excel)."]
        ) from None


def parse_agenda(
    data: bytes, filename: str = "", *, event_zone: tzinfo = UTC
) -> list[SessionInput]:
    """Parse a CSV or .ics agenda; raises :class:`AgendaFileError` listing every problem."""
    text = _decode(data)
    is_ics = filename.lower().endswith(
        (".ics", ".ical", ".ifb")
    ) or text.lstrip().upper().startswith("BEGIN:VCALENDAR")
    items = parse_ics(text) if is_ics else parse_csv(text)
    _check_items(items, event_zone)
    return items


def parse_time(raw: str) -> datetime:
    """An ISO 8601 time with an offset or an IANA zone; raises ValueError saying what's wrong."""
    raw = raw.strip()
    if not raw:
        raise ValueError("is empty")
    zone_name: str | None = None
    match = _ZONED.match(raw)
    if match:
        raw, zone_name = match.group("time"), match.group("zone")
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not an ISO 8601 time like {EXAMPLE_TIME}") from None
    if zone_name is not None:
        if moment.tzinfo is not None:
            raise ValueError(f"{raw!r} has both an offset and a zone; give one of them")
        found = find_zone(zone_name)
        if found is None:
            raise ValueError(
                f"unknown time zone {zone_name!r}; use an IANA name like Europe/London"
            )
        try:
            return moment.replace(tzinfo=zone(found))
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {zone_name!r}") from None
    if moment.tzinfo is None:
        raise ValueError(
            f"{raw!r} has no time zone; write it as {EXAMPLE_TIME} "
            "or 2025-11-20T10:00 Europe/London"
        )
    return moment


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _field_problems(line: int, values: dict[str, str]) -> list[str]:
    problems = []
    if not values["title"]:
        problems.append(f"Line {line}: the title is empty.")
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            problems.append(f"Line {line}: {name} is longer than {limit} characters.")
    link = values.get("link", "")
    if link and not re.match(r"^https?://\S+$", link):
        problems.append(f"Line {line}: the link must start with https:// (got {link[:60]!r}).")
    return problems


def parse_csv(text: str) -> list[SessionInput]:
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise AgendaFileError(["Line 1: the header row is missing."]) from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in (*COLUMNS, *meeting_blocks.BLOCK_COLUMNS)]
    if missing or unknown:
        what = []
        if missing:
            what.append("missing column(s): " + ", ".join(missing))
        if unknown:
            what.append("unknown column(s): " + ", ".join(repr(u) for u in unknown))
        required = ",".join(COLUMNS)
        optional = ",".join(meeting_blocks.BLOCK_COLUMNS)
        raise AgendaFileError(
            [f"Line 1: {'; '.join(what)}. The header must be: {required} (optional: {optional})"]
        )
    items: list[SessionInput] = []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                problems.append(f"Line {line}: {len(row)} fields, expected {len(names)}.")
                continue
            # A cell a spreadsheet-safe export defused (``'-…``) reads back as it was typed.
            values = {
                name: _clean(from_spreadsheet(cell)) for name, cell in zip(names, row, strict=True)
            }
            row_problems = _field_problems(line, values)
            block, problems_of_block = meeting_blocks.block_fields(values, line)
            row_problems.extend(problems_of_block)
            times: dict[str, datetime] = {}
            for which in ("start", "end"):
                try:
                    times[which] = parse_time(values[which])
                except ValueError as exc:
                    row_problems.append(f"Line {line}: {which} {exc}.")
            if row_problems:
                problems.extend(row_problems)
                continue
            items.append(
                SessionInput(
                    title=" ".join(values["title"].split()),
                    starts_at=times["start"],
                    ends_at=times["end"],
                    speakers=values["speakers"],
                    track=values["track"],
                    description=values["description"],
                    link=values["link"] or None,
                    line=line,
                    kind=block.kind,
                    slot_minutes=block.slot_minutes,
                    tables=block.tables,
                )
            )
            if len(items) > MAX_SESSIONS:
                raise AgendaFileError([f"More than {MAX_SESSIONS} sessions; split the file."])
    except csv.Error as exc:
        problems.append(f"Line {reader.line_num}: not valid CSV ({exc}).")
    if problems:
        raise AgendaFileError(problems)
    return items


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
        "title": _clean(str(event.get("SUMMARY", ""))),
        "speakers": _clean(str(event.get(SPEAKERS_PROP, ""))),
        "track": _clean(_categories(event)),
        "description": _clean(str(event.get(DESCRIPTION_PROP, event.get("DESCRIPTION", "")))),
        "link": _clean(str(event.get("URL", "") or event.get("LOCATION", ""))),
    }
    if values["link"] and not values["link"].startswith(("http://", "https://")):
        values["link"] = ""  # a room name in LOCATION is not a link
    row_problems = _field_problems(line, values)
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
    items.append(
        SessionInput(
            title=" ".join(values["title"].split()),
            starts_at=start,
            ends_at=end,
            speakers=values["speakers"],
            track=values["track"],
            description=values["description"],
            link=values["link"] or None,
            line=line,
            kind=block.kind,
            slot_minutes=block.slot_minutes,
            tables=block.tables,
        )
    )


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


def _check_items(items: list[SessionInput], event_zone: tzinfo) -> None:
    """Checks across rows: the file is not empty, ends follow starts, no duplicates."""
    problems: list[str] = []
    if not items:
        problems.append("The file has no sessions.")
    seen: dict[tuple[str, str], int] = {}
    for item in items:
        if item.ends_at <= item.starts_at:
            problems.append(f"Line {item.line}: the end is not after the start.")
        elif item.ends_at - item.starts_at > timedelta(days=2):
            problems.append(f"Line {item.line}: the session lasts more than two days.")
        key = session_key(item.title, item.starts_at, event_zone)
        if key in seen and seen[key] == item.line:
            problems.append(
                f"Line {item.line}: the event repeats on the same day; a session needs its "
                "own title each day."
            )
        elif key in seen:
            problems.append(
                f"Line {item.line}: the same title on the same day as line {seen[key]}."
            )
        else:
            seen[key] = item.line
    problems.extend(meeting_blocks.check_blocks(items))
    if problems:
        raise AgendaFileError(problems)


def export_ics(
    sessions: Sequence[Session],
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
        event = icalendar.Event()
        event.add("uid", f"session-{session.id}@forumbridge")
        event.add("dtstamp", now.astimezone(UTC))
        event.add("dtstart", session.starts_at.astimezone(UTC))
        event.add("dtend", session.ends_at.astimezone(UTC))
        event.add("summary", session.title)
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


def shifted_csv(data: bytes, first_start: datetime) -> bytes:
    """The same agenda moved in time so that its first session starts at ``first_start``
    (the demo rehearses the forum "today")."""
    items = parse_agenda(data, "agenda.csv")
    shift = first_start - min(i.starts_at for i in items)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((*COLUMNS, *meeting_blocks.BLOCK_COLUMNS))
    for i in items:
        block = i.kind == meeting_blocks.MEETINGS
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in [
                i.title,
                (i.starts_at + shift).isoformat(timespec="seconds"),
                (i.ends_at + shift).isoformat(timespec="seconds"),
                i.speakers,
                i.track,
                i.description,
                i.link or "",
                i.kind,
                str(i.slot_minutes) if block else "",
                str(i.tables) if block else "",
            ]
        )
    return out.getvalue().encode()
