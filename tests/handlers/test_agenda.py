"""Agenda, /timezone, /reminders and /ics end to end through the sandbox, with the shipped
sample agenda imported by an organiser."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest

from bot.clock import FakeClock
from bot.domain.agenda_files import parse_agenda
from handlers.callbacks import AgendaSubscribe, ReminderLead
from sandbox import Sandbox, SandboxUser
from tests.support.flows import answer, organiser, press, send_sticker, started
from tests.support.harness import REPO_ROOT, BotHarness

SAMPLE = (REPO_ROOT / "data" / "sample_agenda.csv").read_bytes()
HEADER = "title,start,end,speakers,track,description,link\n"


@pytest.fixture
def clock() -> FakeClock:
    # The day before the forum: every sample session is ahead.
    return FakeClock(datetime(2025, 11, 19, 12, 0, tzinfo=UTC))


@pytest.fixture
def bot(fb: BotHarness) -> BotHarness:
    """The shared FakeClock bot (conftest's ``fb``), on this module's clock."""
    return fb


async def import_file(org: SandboxUser, content: bytes, name: str = "agenda.csv") -> str:
    await org.send_document(name, content, caption="/agenda_import")
    return (await org.expect(re.compile("imported|not imported"))).text or ""


async def test_organiser_imports_sample_and_user_subscribes(
    sandbox: Sandbox, bot: BotHarness
) -> None:
    org = await organiser(sandbox)
    report = await import_file(org, SAMPLE)
    assert "9 added, 0 changed, 0 removed" in report

    ana = sandbox.user(1101, "Ana")
    listing = await answer(ana, "/agenda", "Agenda")
    assert "10:00 Bucharest · 13:00 Karachi — Opening remarks" in listing
    # A title with "&" is shown as typed.
    assert "Case studies: Pakistani & Romanian partnerships" in listing

    await ana.press("10:00 Opening remarks")
    details = await ana.expect("Not subscribed")
    assert "Radu-Dinel Miruță" in (details.text or "")
    await press(ana, "🔔 Subscribe", "✅ Subscribed: reminders 15 minutes before")
    # A double press (the same callback again) acts once.
    shown = AgendaSubscribe.unpack(details.button_data()["🔕 Unsubscribe"])
    await ana.press_data(details.message_id, AgendaSubscribe(True, shown.session).pack())
    await sandbox.wait_idle()
    ids = await bot.services.agenda.subscribed_ids(1101)
    assert len(ids) == 1
    await press(ana, "🔕 Unsubscribe", "Not subscribed")
    assert await bot.services.agenda.subscribed_ids(1101) == set()

    await press(ana, "⬅ Agenda", "Agenda")
    await press(ana, "🔔 Subscribe to all", "Subscribed to all 9 upcoming sessions")
    assert len(await bot.services.agenda.subscribed_ids(1101)) == 9


async def test_start_button_opens_agenda(sandbox: Sandbox, bot: BotHarness) -> None:
    await import_file(await organiser(sandbox), SAMPLE)
    rep = await started(sandbox, 1102, "Rep")
    await press(rep, "🗓 Agenda", "Opening remarks")


async def test_forged_or_stale_session_button(sandbox: Sandbox, bot: BotHarness) -> None:
    await import_file(await organiser(sandbox), SAMPLE)
    eve = sandbox.user(1103, "Eve")
    await eve.send("/agenda")
    listing = await eve.expect("Agenda")
    await eve.press_data(listing.message_id, AgendaSubscribe(True, 99999).pack())
    await sandbox.wait_idle()
    answers = [c for c in sandbox.calls_of("answerCallbackQuery")]
    assert "no longer on the agenda" in str(answers[-1].params.get("text"))
    assert await bot.services.agenda.subscribed_ids(1103) == set()


async def test_london_user_sees_london_time(sandbox: Sandbox, bot: BotHarness) -> None:
    await import_file(await organiser(sandbox), SAMPLE)
    tom = sandbox.user(1104, "Tom")
    await answer(tom, "/timezone", "Tap a city")
    wrong = await answer(tom, "Mars/Olympus", "don't know the time zone")
    assert "Europe/London" in wrong
    await answer(tom, "europe/london", "Your time zone is now Europe/London")
    await tom.send("/agenda")
    listing = await tom.expect("Agenda")
    assert "10:00 Bucharest · 13:00 Karachi · 08:00 London — Opening remarks" in (
        listing.text or ""
    )
    # A Karachi user sees just the two forum zones.
    await answer(tom, "/timezone", "Tap a city")
    await press(tom, "Karachi", "Asia/Karachi")
    listing = await answer(tom, "/agenda", "Agenda")
    assert "London" not in listing


async def test_timezone_odd_input_and_expired_button(sandbox: Sandbox, bot: BotHarness) -> None:
    kim = sandbox.user(1105, "Kim")
    await kim.send("/timezone")
    menu = await kim.expect("Tap a city")
    await send_sticker(kim, "send the zone as text")
    await answer(kim, "/cancel", "Cancelled")
    await kim.press("Bucharest", message_id=menu.message_id)
    await sandbox.wait_idle()
    assert "expired" in str(sandbox.calls_of("answerCallbackQuery")[-1].params.get("text"))
    user = await bot.services.users.get(1105)
    assert user is not None and user.timezone is None
    await answer(kim, "/timezone Asia/Karachi", "Your time zone is now Asia/Karachi")


async def test_reminders_multi_select(sandbox: Sandbox, bot: BotHarness) -> None:
    lea = sandbox.user(1106, "Lea")
    await lea.send("/reminders")
    menu = await lea.expect("Now: 15 minutes before")
    assert ["✅ 15 minutes before"] in menu.buttons()
    await press(lea, "▫️ 1 hour before", "Now: 1 hour before and 15 minutes before")
    await lea.press("▫️ at start")
    await press(lea, "✅ 15 minutes before", "Now: 1 hour before and at start")
    assert await bot.services.agenda.leads(1106) == [60, 0]
    # The same "turn on 1 hour" press again changes nothing.
    await lea.press_data(menu.message_id, ReminderLead(True, 60).pack())
    await lea.press_data(menu.message_id, ReminderLead(True, 7).pack())  # forged: not a lead time
    await sandbox.wait_idle()
    assert await bot.services.agenda.leads(1106) == [60, 0]
    await press(lea, "Done", "Saved: reminders 1 hour before and at start")


async def test_last_lead_time_cannot_be_removed(sandbox: Sandbox, bot: BotHarness) -> None:
    max_ = sandbox.user(1107, "Max")
    await answer(max_, "/reminders", "Reminders")
    await max_.press("✅ 15 minutes before")
    await sandbox.wait_idle()
    assert await bot.services.agenda.leads(1107) == [15]


async def test_ics_round_trips(sandbox: Sandbox, bot: BotHarness) -> None:
    await import_file(await organiser(sandbox), SAMPLE)
    ivo = sandbox.user(1108, "Ivo")
    await answer(ivo, "/ics", "not subscribed to any session")
    await answer(ivo, "/agenda", "Agenda")
    await press(ivo, "🔔 Subscribe to all", "Subscribed to all")
    await ivo.send("/ics")
    doc = await ivo.expect(lambda m: m.kind == "document")
    assert doc.filename == "forum-agenda.ics" and doc.content
    calendar = icalendar.Calendar.from_ical(doc.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 9
    opening = next(e for e in events if str(e["SUMMARY"]) == "Opening remarks")
    assert opening.decoded("DTSTART") == datetime(2025, 11, 20, 8, 0, tzinfo=UTC)
    # And back in: the same sessions, the same times.
    again = parse_agenda(doc.content, "x.ics")
    original = parse_agenda(SAMPLE, "x.csv")
    assert sorted((i.title, i.starts_at, i.ends_at, i.speakers, i.link) for i in again) == sorted(
        (i.title, i.starts_at, i.ends_at, i.speakers, i.link) for i in original
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"title,start,end\nX,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00\n", "missing column"),
        (
            (
                HEADER + "A,2025-11-20T10:00+02:00,2025-11-20T11:00+02:00,,,,\n"
                "B,2025-11-20T12:00+02:00,2025-11-20T11:00+02:00,,,,\n"
            ).encode(),
            "Line 3: the end is not after the start",
        ),
        (
            (HEADER + "A,2025-11-20T10:00 Mars/Olympus,2025-11-20T11:00+02:00,,,,\n").encode(),
            "Line 2: start unknown time zone",
        ),
        (
            (HEADER + "A,2025-11-20T10:00,2025-11-20T11:00+02:00,,,,\n").encode(),
            "Line 2: start '2025-11-20T10:00' has no time zone",
        ),
        (bytes(range(256)) * 40, "not a text file"),
        (b"BEGIN:VCALENDAR\r\nthis is not ics\r\n", "not a valid iCalendar"),
    ],
)
async def test_bad_files_are_refused_whole(
    sandbox: Sandbox, bot: BotHarness, content: bytes, problem: str
) -> None:
    org = await organiser(sandbox)
    report = await import_file(org, content)
    assert "not imported" in report and problem in report, report
    assert await bot.services.agenda.all() == []


async def test_big_file_and_non_organiser_are_refused(sandbox: Sandbox, bot: BotHarness) -> None:
    org = await organiser(sandbox)
    await org.send_document("big.csv", b"x" * 5_000_000, caption="/agenda_import")
    await org.expect("5.0 MB")
    rep = sandbox.user(1109, "Rep")
    await rep.send_document("agenda.csv", SAMPLE, caption="/agenda_import")
    await rep.expect("for the forum organisers only")
    assert await bot.services.agenda.all() == []


async def test_reimport_updates_and_notifies_subscribers(
    sandbox: Sandbox, bot: BotHarness, tmp_path: Path
) -> None:
    org = await organiser(sandbox)
    await import_file(org, SAMPLE)
    ana = sandbox.user(1110, "Ana <i>")
    await answer(ana, "/agenda", "Agenda")
    await press(ana, "🔔 Subscribe to all", "Subscribed to all")
    # Opening remarks move half an hour; the closing is dropped; a title with markup added.
    text = SAMPLE.decode()
    text = text.replace(
        "Opening remarks,2025-11-20T10:00+02:00,2025-11-20T10:20+02:00",
        "Opening remarks,2025-11-20T10:30+02:00,2025-11-20T10:50+02:00",
    )
    text = "\n".join(line for line in text.splitlines() if not line.startswith("Closing"))
    text += "\n<b>Q&A</b> *live*,2025-11-20T17:00+02:00,2025-11-20T17:30+02:00,,,,\n"
    report = await import_file(org, text.encode())
    assert "1 added, 1 changed, 1 removed, 7 unchanged" in report
    assert "&lt;b&gt;Q&amp;A" not in report and "<b>Q&A</b> *live*" in report
    moved = await ana.expect("has a new time")
    assert "10:30 Bucharest · 13:30 Karachi" in (moved.text or "")
    await ana.expect("Closing and next steps is cancelled")
    listing = await answer(ana, "/agenda", "Agenda")
    assert "Closing and next steps" not in listing
    later = await press(ana, "Later ▶", "<b>Q&A</b> *live*")
    assert "17:00 Bucharest" in later
    assert len(await bot.services.agenda.subscribed_ids(1110)) == 9


async def test_summer_time_day_shows_right_offsets(sandbox: Sandbox, bot: BotHarness) -> None:
    org = await organiser(sandbox)
    report = await import_file(
        org,
        (
            HEADER
            + "Night owl,2026-03-29T00:30Z,2026-03-29T01:00Z,,,,\n"
            + "After the change,2026-03-29T10:00Z,2026-03-29T11:00Z,,,,\n"
        ).encode(),
    )
    assert "2 added" in report
    sam = sandbox.user(1111, "Sam")
    await answer(sam, "/timezone Europe/London", "Europe/London")
    text = await answer(sam, "/agenda", "Agenda")
    # Romania is UTC+2 before 03:00 local and UTC+3 after; London still on GMT; Karachi +5.
    assert "02:30 Bucharest · 05:30 Karachi · 00:30 London — Night owl" in text
    assert "13:00 Bucharest · 15:00 Karachi · 11:00 London — After the change" in text
    assert "Sun, 29 Mar 2026" in text


REPEATING_ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:b2b
SUMMARY:B2B meetings
DTSTART;TZID=Europe/Bucharest:20251120T140000
DTEND;TZID=Europe/Bucharest:20251120T160000
RRULE:FREQ=DAILY;COUNT=3
END:VEVENT
BEGIN:VEVENT
UID:forever
SUMMARY:Office hours
DTSTART;TZID=Asia/Karachi:20251120T100000
DTEND;TZID=Asia/Karachi:20251120T110000
RRULE:FREQ=WEEKLY
END:VEVENT
END:VCALENDAR
"""


async def test_repeating_ics_event_is_expanded_or_refused_never_one_session(
    sandbox: Sandbox, bot: BotHarness
) -> None:
    org = await organiser(sandbox)
    report = await import_file(org, REPEATING_ICS.encode(), "agenda.ics")
    assert "not imported" in report
    assert "Line 11: the event repeats more than 100 times" in report
    assert await bot.services.agenda.all() == []

    bounded = REPEATING_ICS.split("BEGIN:VEVENT\nUID:forever")[0] + "END:VCALENDAR\n"
    report = await import_file(org, bounded.encode(), "agenda.ics")
    assert "3 added" in report, report
    sessions = await bot.services.agenda.all()
    assert [(s.title, s.starts_at.astimezone(UTC).isoformat()) for s in sessions] == [
        ("B2B meetings", "2025-11-20T12:00:00+00:00"),
        ("B2B meetings", "2025-11-21T12:00:00+00:00"),
        ("B2B meetings", "2025-11-22T12:00:00+00:00"),
    ]
