"""The agenda's own rules, as pure code: a session as an import file describes it, how a
re-import recognises a session, the reminder lead times, and the checks every agenda file
passes (per row and across rows), whatever its format.

The parsers (``bot.domain.agenda_csv``, ``bot.domain.agenda_ics``) build
:class:`SessionInput` values; ``storage.agenda`` writes them (it reads them by their fields
and imports nothing from here).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.domain import meeting_blocks
from bot.domain.meeting_blocks import TALK

# Minutes before the start a user can be reminded: 1 day, 1 hour, 15 minutes, at start.
LEADS: tuple[int, ...] = (1440, 60, 15, 0)
MAX_SESSIONS = 500
LIMITS = {"title": 200, "speakers": 500, "track": 100, "description": 2000, "link": 500}
_LINK = re.compile(r"^https?://\S+$")


@dataclass(frozen=True)
class SessionInput:
    """One session as an import file describes it (aware datetimes)."""

    title: str
    starts_at: datetime
    ends_at: datetime
    speakers: str = ""
    track: str = ""
    description: str = ""
    link: str | None = None
    line: int = 0  # where it came from in the file, for error messages
    kind: str = TALK
    slot_minutes: int = meeting_blocks.DEFAULT_SLOT_MINUTES  # a meetings block: each slot
    tables: int = 0  # a meetings block: how many meetings run at once in a slot


class AgendaFileError(Exception):
    """The file is refused; ``problems`` are lines a person can act on."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


SessionKey = tuple[str, str]


def session_key(title: str, starts_at: datetime, tz: tzinfo) -> SessionKey:
    """How a re-import recognises a session: its title and its start date in the event zone."""
    return (" ".join(title.split()).casefold(), starts_at.astimezone(tz).date().isoformat())


def keys_in(tz: tzinfo) -> Callable[[str, datetime], SessionKey]:
    """:func:`session_key` in the event zone ``tz``: what ``apply_import`` matches by."""
    return lambda title, starts_at: session_key(title, starts_at, tz)


def session_input(
    values: dict[str, str],
    starts_at: datetime,
    ends_at: datetime,
    line: int,
    block: meeting_blocks.BlockFields,
) -> SessionInput:
    """A row (or an event) whose fields passed :func:`field_problems`, as a session."""
    return SessionInput(
        title=" ".join(values["title"].split()),
        starts_at=starts_at,
        ends_at=ends_at,
        speakers=values["speakers"],
        track=values["track"],
        description=values["description"],
        link=values["link"] or None,
        line=line,
        kind=block.kind,
        slot_minutes=block.slot_minutes,
        tables=block.tables,
    )


def clean(value: str | None) -> str:
    return (value or "").strip()


def field_problems(line: int, values: dict[str, str]) -> list[str]:
    """One row's own problems: an empty title, a field too long, a link that is not one."""
    problems = []
    if not values["title"]:
        problems.append(f"Line {line}: the title is empty.")
    for name, limit in LIMITS.items():
        if len(values.get(name, "")) > limit:
            problems.append(f"Line {line}: {name} is longer than {limit} characters.")
    link = values.get("link", "")
    if link and not _LINK.match(link):
        problems.append(f"Line {line}: the link must start with https:// (got {link[:60]!r}).")
    return problems


def check_items(items: Sequence[SessionInput], event_zone: tzinfo) -> None:
    """Checks across rows: the file is not empty, ends follow starts, no duplicates, meeting
    blocks fit; raises :class:`AgendaFileError` listing every problem."""
    problems: list[str] = []
    if not items:
        problems.append("The file has no sessions.")
    seen: dict[SessionKey, int] = {}
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
