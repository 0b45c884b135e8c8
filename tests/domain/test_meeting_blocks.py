"""Meeting blocks as pure code: slots of a block, the block columns of agenda files (CSV and
.ics, checked with line numbers), slot keys, video links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.agenda_files import AgendaFileError, export_ics, parse_agenda
from bot.domain.meeting_slots import (
    DEFAULT_LINK_TEMPLATE,
    ReaderZones,
    block_slots,
    check_link_template,
    from_minute_key,
    meeting_link,
    minute_key,
)
from tests.support.agenda import stored_session

BUCHAREST = ZoneInfo("Europe/Bucharest")
HEADER = "title,start,end,speakers,track,description,link,kind,slot_minutes,tables\n"


def problems(content: str) -> list[str]:
    with pytest.raises(AgendaFileError) as caught:
        parse_agenda(content.encode(), "a.csv", event_zone=BUCHAREST)
    return caught.value.problems


def test_a_three_hour_block_of_twenty_minutes_gives_nine_slots() -> None:
    start = datetime(2025, 11, 20, 14, 0, tzinfo=BUCHAREST)
    slots = block_slots(7, start, start + timedelta(hours=3), 20, 12)
    assert len(slots) == 9
    assert [s.starts_at.astimezone(BUCHAREST).strftime("%H:%M") for s in slots] == [
        "14:00", "14:20", "14:40", "15:00", "15:20", "15:40", "16:00", "16:20", "16:40"
    ]  # fmt: skip
    assert all(s.block_id == 7 and s.tables == 12 for s in slots)
    assert slots[-1].ends_at == start + timedelta(hours=3)
    # A last piece shorter than a slot is no slot.
    assert len(block_slots(7, start, start + timedelta(minutes=50), 20, 1)) == 2


def test_csv_block_columns_with_their_defaults() -> None:
    items = parse_agenda(
        (
            HEADER + "Opening,2025-11-20T10:00+02:00,2025-11-20T10:30+02:00,,,,,,,\n"
            "B2B meetings,2025-11-20T14:00+02:00,2025-11-20T17:00+02:00,,,,,meetings,,12\n"
            "Speed meetings,2025-11-20T17:00+02:00,2025-11-20T18:00+02:00,,,,,MEETINGS,15,\n"
        ).encode(),
        "a.csv",
        event_zone=BUCHAREST,
    )
    assert [(i.kind, i.slot_minutes, i.tables) for i in items] == [
        ("talk", 20, 0),
        ("meetings", 20, 12),
        ("meetings", 15, 10),
    ]
    # The old header without the block columns still reads as talks.
    (talk,) = parse_agenda(
        b"title,start,end,speakers,track,description,link\n"
        b"Opening,2025-11-20T10:00+02:00,2025-11-20T10:30+02:00,,,,\n",
        "a.csv",
    )
    assert talk.kind == "talk"


def test_bad_block_values_are_refused_with_their_line() -> None:
    found = problems(
        HEADER + "A,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,,,,,workshop,,\n"
        "B,2025-11-20T12:00+02:00,2025-11-20T13:00+02:00,,,,,meetings,3,5\n"
        "C,2025-11-20T14:00+02:00,2025-11-20T15:00+02:00,,,,,meetings,20,lots\n"
    )
    assert found == [
        "Line 2: kind must be talk or meetings (got 'workshop').",
        "Line 3: slot_minutes must be a whole number from 5 to 240 (got '3').",
        "Line 4: tables must be a whole number from 1 to 1000 (got 'lots').",
    ]


def test_meeting_blocks_may_not_overlap_or_be_shorter_than_a_slot() -> None:
    found = problems(
        HEADER + "A,2025-11-20T14:00+02:00,2025-11-20T16:00+02:00,,,,,meetings,20,5\n"
        "B,2025-11-20T15:00+02:00,2025-11-20T17:00+02:00,,,,,meetings,20,5\n"
        "C,2025-11-20T18:00+02:00,2025-11-20T18:10+02:00,,,,,meetings,20,5\n"
        "Talk,2025-11-20T15:00+02:00,2025-11-20T16:00+02:00,,,,,talk,,\n"
    )
    assert found == [
        "Line 4: the meetings block is shorter than one slot of 20 minutes.",
        "Line 3: this meetings block overlaps the one on line 2; a company can be in only "
        "one meeting at a time.",
    ]


def test_ics_keeps_a_meeting_block() -> None:
    start = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
    block = stored_session(
        3, "B2B meetings", start, timedelta(hours=2), kind="meetings", slot_minutes=30, tables=8
    )
    data = export_ics([block], now=start)
    (item,) = parse_agenda(data, "agenda.ics")
    assert (item.kind, item.slot_minutes, item.tables) == ("meetings", 30, 8)
    assert (item.starts_at, item.ends_at) == (block.starts_at, block.ends_at)


def test_slot_keys_links_and_zones() -> None:
    moment = datetime(2025, 11, 20, 12, 20, tzinfo=UTC)
    assert from_minute_key(minute_key(moment)) == moment
    assert minute_key(moment + timedelta(seconds=59)) == minute_key(moment)
    assert meeting_link(DEFAULT_LINK_TEMPLATE, "Ab-3") == "https://meet.jit.si/ForumBridge-Ab-3"
    assert meeting_link("none", "Ab-3") is None
    assert check_link_template(DEFAULT_LINK_TEMPLATE) is None
    assert check_link_template("none") is None
    assert check_link_template("https://meet.example/{room}") is not None
    assert check_link_template("https://meet.example/fixed") is not None
    assert check_link_template("meet.example/{token}") is not None
    assert check_link_template("https://x/{token}/{") is not None
    forum = {"Europe/Bucharest": "Bucharest", "Asia/Karachi": "Karachi"}
    assert ReaderZones("Asia/Karachi", forum).order() == ("Asia/Karachi", "Europe/Bucharest")
    london = ReaderZones("Europe/London", forum)
    assert london.order() == ("Europe/London", "Europe/Bucharest", "Asia/Karachi")
    assert [london.label(z) for z in london.order()] == ["London", "Bucharest", "Karachi"]
