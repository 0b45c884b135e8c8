"""Agenda files: CSV and .ics parsing with line numbers, refusals, and .ics export."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

from bot.domain.agenda_files import AgendaFileError, export_ics, parse_agenda, parse_csv, parse_time
from bot.domain.timefmt import zone
from tests.support.agenda import stored_session
from tests.support.harness import REPO_ROOT, run_cli

HEADER = "title,start,end,speakers,track,description,link\n"
BUCHAREST = zone("Europe/Bucharest")


def problems(content: bytes | str, name: str = "a.csv") -> list[str]:
    data = content.encode() if isinstance(content, str) else content
    with pytest.raises(AgendaFileError) as caught:
        parse_agenda(data, name, event_zone=BUCHAREST)
    return caught.value.problems


def test_sample_agenda_is_the_forum_day() -> None:
    items = parse_agenda((REPO_ROOT / "data/sample_agenda.csv").read_bytes(), "sample.csv")
    assert len(items) == 9
    assert {i.starts_at.astimezone(BUCHAREST).date().isoformat() for i in items} == {"2025-11-20"}
    titles = " ".join(i.title for i in items)
    for needed in ("Opening remarks", "landscape", "Company presentations", "Case studies", "B2B"):
        assert needed in titles
    assert all(i.ends_at > i.starts_at for i in items)


def test_times_with_offset_or_zone() -> None:
    want = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert parse_time("2025-11-20T10:00+02:00") == want
    assert parse_time("2025-11-20T08:00Z") == want
    assert parse_time("2025-11-20T10:00 Europe/Bucharest") == want
    assert parse_time("2025-11-20T13:00[Asia/Karachi]") == want
    with pytest.raises(ValueError, match="no time zone"):
        parse_time("2025-11-20T10:00")
    with pytest.raises(ValueError, match="unknown time zone"):
        parse_time("2025-11-20T10:00 Mars/Olympus")
    with pytest.raises(ValueError, match="not an ISO 8601"):
        parse_time("tomorrow at ten")


def test_columns_in_any_order_and_quoted_fields() -> None:
    items = parse_csv(
        "start,end,title,link,track,speakers,description\n"
        '2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,"A, with comma",,AI,"X; Y","line one\n'
        'line two"\n'
    )
    assert items[0].title == "A, with comma" and items[0].description == "line one\nline two"
    assert items[0].link is None


def test_every_problem_is_listed_with_its_line() -> None:
    found = problems(
        HEADER
        + "Good,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,,,,\n"
        + ",2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,,,,\n"
        + "Naive,2025-11-20T10:00,2025-11-20T11:00+02:00,,,,\n"
        + "Link,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,,,,javascript:alert(1)\n"
        + "Short,2025-11-20T10:00+02:00\n"
        + "Good,2025-11-20T12:00+02:00,2025-11-20T13:00+02:00,,,,\n"
    )
    text = "\n".join(found)
    assert "Line 3: the title is empty" in text
    assert "Line 4: start '2025-11-20T10:00' has no time zone" in text
    assert "Line 5: the link must start with https://" in text
    assert "Line 6: 2 fields, expected 7" in text


def test_duplicate_and_reversed_sessions() -> None:
    text = "\n".join(
        problems(
            HEADER
            + "A,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,,,,\n"
            + "a ,2025-11-20T15:00+02:00,2025-11-20T16:00+02:00,,,,\n"
            + "B,2025-11-20T10:00+02:00,2025-11-20T10:00+02:00,,,,\n"
        )
    )
    assert "Line 3: the same title on the same day as line 2" in text
    assert "Line 4: the end is not after the start" in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "empty"),
        ("title,start\n", "missing column(s): end, speakers, track, description, link"),
        ("titel," + HEADER[6:], "unknown column(s): 'titel'"),
        (HEADER, "no sessions"),
        (b"\xff\xfe\x00\x01garbage", "binary"),
        (b"title,start\n\xe9\n", "Line 2: not UTF-8"),
        (b"x" * 5_000_000, "5.0 MB"),
    ],
)
def test_refusals(content: bytes | str, expected: str) -> None:
    assert expected in "\n".join(problems(content))


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:1
SUMMARY:Keynote
DTSTART;TZID=Europe/Bucharest:20251120T100000
DTEND;TZID=Europe/Bucharest:20251120T103000
URL:https://forum.example.org/k
CATEGORIES:Plenary
END:VEVENT
BEGIN:VEVENT
UID:2
SUMMARY:Floating
DTSTART:20251120T110000
DURATION:PT30M
END:VEVENT
BEGIN:VEVENT
UID:3
SUMMARY:Whole day
DTSTART;VALUE=DATE:20251120
END:VEVENT
END:VCALENDAR
"""


def test_ics_import_refuses_floating_times_with_line() -> None:
    found = "\n".join(problems(ICS, "agenda.ics"))
    assert "Line 12: DTSTART has no time zone" in found
    assert "Line 18: DTSTART is a whole day" in found


def test_ics_import() -> None:
    good = ICS.split("BEGIN:VEVENT\nUID:2")[0] + "END:VCALENDAR\n"
    (item,) = parse_agenda(good.encode(), "a.ics")
    assert item.title == "Keynote" and item.track == "Plenary"
    assert item.starts_at == datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    assert item.ends_at - item.starts_at == timedelta(minutes=30)
    assert item.link == "https://forum.example.org/k"


def test_export_parses_back() -> None:
    start = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    session = stored_session(
        7,
        "Q&A <live>",
        start,
        timedelta(minutes=45),
        description="Questions; answers, \\ and more",
        speakers="Edward Crețescu",
        track="Plenary",
        link="https://forum.example.org/q",
        updated_at=start.isoformat(),
    )
    data = export_ics([session], now=start)
    event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert str(event["UID"]) == "session-7@forumbridge"
    assert "Edward Crețescu" in str(event["DESCRIPTION"])
    (back,) = parse_agenda(data, "x.ics")
    assert (back.title, back.starts_at, back.ends_at, back.description, back.speakers) == (
        session.title,
        session.starts_at,
        session.ends_at,
        session.description,
        session.speakers,
    )
    assert back.track == "Plenary" and back.link == session.link


async def test_cli_import_agenda(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "ADMIN_", "DATABASE_"))}
    env["DATABASE_PATH"] = str(tmp_path / "cli.db")
    sample = str(REPO_ROOT / "data/sample_agenda.csv")
    code, out, _ = await run_cli("import-agenda", sample, env=env, cwd=tmp_path)
    assert code == 0 and "9 added" in out
    code, out, _ = await run_cli("import-agenda", sample, env=env, cwd=tmp_path)
    assert code == 0 and "9 unchanged" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "A,2025-11-20T10:00,2025-11-20T11:00+02:00,,,,\n")
    code, _, err = await run_cli("import-agenda", str(bad), env=env, cwd=tmp_path)
    assert code == 1 and "Line 2: start '2025-11-20T10:00' has no time zone" in err


def _calendar(*events: str) -> str:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n" + "".join(events) + "END:VCALENDAR\n"
    )


DAILY_WORKSHOP = """BEGIN:VEVENT
UID:workshop
SUMMARY:Matchmaking workshop
DTSTART;TZID=Europe/Bucharest:20251118T100000
DTEND;TZID=Europe/Bucharest:20251118T110000
RRULE:FREQ=DAILY;COUNT=4
EXDATE;TZID=Europe/Bucharest:20251119T100000
END:VEVENT
"""
MOVED_OCCURRENCE = """BEGIN:VEVENT
UID:workshop
RECURRENCE-ID;TZID=Europe/Bucharest:20251120T100000
SUMMARY:Matchmaking workshop
DTSTART;TZID=Europe/Bucharest:20251120T150000
DTEND;TZID=Europe/Bucharest:20251120T160000
END:VEVENT
"""


def test_ics_repeating_event_becomes_one_session_per_occurrence() -> None:
    """COUNT=4 less one EXDATE, with one occurrence moved: three sessions, never one."""
    items = parse_agenda(_calendar(DAILY_WORKSHOP, MOVED_OCCURRENCE).encode(), "a.ics")
    starts = [i.starts_at.astimezone(BUCHAREST).strftime("%d %H:%M") for i in items]
    assert sorted(starts) == ["18 10:00", "20 15:00", "21 10:00"]
    assert {i.title for i in items} == {"Matchmaking workshop"}
    assert all(i.ends_at - i.starts_at == timedelta(hours=1) for i in items)
    moved = next(i for i in items if i.starts_at.astimezone(BUCHAREST).hour == 15)
    assert moved.line == 12  # the changed occurrence's own BEGIN:VEVENT


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("RRULE:FREQ=WEEKLY", "Line 4: the event repeats more than 100 times"),
        ("RRULE:FREQ=DAILY;COUNT=150", "Line 4: the event repeats more than 100 times"),
        ("RRULE:FREQ=SOMETIMES", "Line 4: its repetition (RRULE) cannot be read"),
        ("RRULE:FREQ=HOURLY;COUNT=3", "Line 4: the event repeats on the same day"),
    ],
)
def test_ics_repetition_refused_with_its_line(rule: str, expected: str) -> None:
    event = DAILY_WORKSHOP.replace("RRULE:FREQ=DAILY;COUNT=4", rule)
    found = problems(_calendar(event), "a.ics")
    assert any(expected in p for p in found), found


def test_ics_repeating_floating_time_is_one_problem() -> None:
    event = DAILY_WORKSHOP.replace(";TZID=Europe/Bucharest:20251118", ":20251118")
    assert problems(_calendar(event), "a.ics") == [
        "Line 4: DTSTART has no time zone (a floating time); add TZID or use UTC."
    ]


def test_ics_hundred_occurrences_are_accepted() -> None:
    event = DAILY_WORKSHOP.replace("COUNT=4", "COUNT=100").replace(
        "EXDATE;TZID=Europe/Bucharest:20251119T100000\n", ""
    )
    assert len(parse_agenda(_calendar(event).encode(), "a.ics")) == 100
