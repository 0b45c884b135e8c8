"""Agenda files as CSV: reading them (every problem with its line) and writing them back.

The columns are ``title,start,end,speakers,track,description,link`` in any order, plus the
optional meeting-block columns (``bot.domain.meeting_blocks``). Times are ISO 8601 with an
offset (``2025-11-20T10:00+02:00``) or with an IANA zone (``2025-11-20T10:00 Europe/London``,
or RFC 9557's ``2025-11-20T10:00[Europe/London]``). Pure code.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfoNotFoundError

from bot.domain import meeting_blocks
from bot.domain.agenda import (
    MAX_SESSIONS,
    AgendaFileError,
    SessionInput,
    clean,
    field_problems,
    session_input,
)
from bot.domain.spreadsheet import from_spreadsheet, safe_csv_bytes
from bot.domain.timefmt import find_zone, zone

COLUMNS = ("title", "start", "end", "speakers", "track", "description", "link")
EXAMPLE_TIME = "2025-11-20T10:00+02:00"

# "2025-11-20T10:00 Europe/London" or RFC 9557's "2025-11-20T10:00[Europe/London]"
_ZONED = re.compile(r"^(?P<time>[^\s\[]+)(?:\s+|\[)(?P<zone>[A-Za-z_+\-/0-9]+)\]?$")


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


def _check_header(names: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in (*COLUMNS, *meeting_blocks.BLOCK_COLUMNS)]
    if not missing and not unknown:
        return
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


def _row(line: int, names: list[str], row: list[str]) -> tuple[SessionInput | None, list[str]]:
    """One data row as a session, or its problems."""
    if len(row) != len(names):
        return None, [f"Line {line}: {len(row)} fields, expected {len(names)}."]
    # A cell a spreadsheet-safe export defused (``'-…``) reads back as it was typed.
    values = {name: clean(from_spreadsheet(cell)) for name, cell in zip(names, row, strict=True)}
    problems = field_problems(line, values)
    block, problems_of_block = meeting_blocks.block_fields(values, line)
    problems.extend(problems_of_block)
    times: dict[str, datetime] = {}
    for which in ("start", "end"):
        try:
            times[which] = parse_time(values[which])
        except ValueError as exc:
            problems.append(f"Line {line}: {which} {exc}.")
    if problems:
        return None, problems
    return session_input(values, times["start"], times["end"], line, block), []


def parse_csv(text: str) -> list[SessionInput]:
    """The sessions of a CSV agenda; raises :class:`AgendaFileError` listing every problem."""
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise AgendaFileError(["Line 1: the header row is missing."]) from None
    names = [h.strip().lower() for h in header]
    _check_header(names)
    items: list[SessionInput] = []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            item, row_problems = _row(reader.line_num, names, row)
            problems.extend(row_problems)
            if item is not None:
                items.append(item)
            if len(items) > MAX_SESSIONS:
                raise AgendaFileError([f"More than {MAX_SESSIONS} sessions; split the file."])
    except csv.Error as exc:
        problems.append(f"Line {reader.line_num}: not valid CSV ({exc}).")
    if problems:
        raise AgendaFileError(problems)
    return items


def write_csv(items: Sequence[SessionInput], shift: timedelta = timedelta(0)) -> bytes:
    """A CSV agenda of ``items`` (moved by ``shift``), cells spreadsheet-safe, that
    :func:`parse_csv` reads back."""

    def row(i: SessionInput) -> list[object]:
        block = i.kind == meeting_blocks.MEETINGS
        return [
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

    return safe_csv_bytes((*COLUMNS, *meeting_blocks.BLOCK_COLUMNS), map(row, items))
