"""Agenda files: one entry point for an uploaded CSV or iCalendar agenda, checked completely
before anything is written, so a bad file changes nothing; every problem names its line.

The formats live in ``bot.domain.agenda_csv`` and ``bot.domain.agenda_ics``; the rules every
file passes in ``bot.domain.agenda``. Pure code (the sample agenda's path is a constant).
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from pathlib import Path

from bot.domain.agenda import AgendaFileError, SessionInput, check_items
from bot.domain.agenda_csv import parse_csv, parse_time, write_csv
from bot.domain.agenda_ics import MAX_OCCURRENCES, export_ics, parse_ics

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_OCCURRENCES",
    "SAMPLE_AGENDA",
    "AgendaFileError",
    "export_ics",
    "parse_agenda",
    "parse_csv",
    "parse_ics",
    "parse_time",
    "shifted_csv",
]

# The programme of the forum that ships with the project (data/forum.toml).
SAMPLE_AGENDA = Path(__file__).resolve().parents[2] / "data" / "sample_agenda.csv"
MAX_FILE_BYTES = 1_000_000
_ICS_NAMES = (".ics", ".ical", ".ifb")


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
    is_ics = filename.lower().endswith(_ICS_NAMES) or text.lstrip().upper().startswith(
        "BEGIN:VCALENDAR"
    )
    items = parse_ics(text) if is_ics else parse_csv(text)
    check_items(items, event_zone)
    return items


def shifted_csv(data: bytes, first_start: datetime) -> bytes:
    """The same agenda moved in time so that its first session starts at ``first_start``
    (the demo rehearses the forum "today")."""
    items = parse_agenda(data, "agenda.csv")
    return write_csv(items, first_start - min(i.starts_at for i in items))
