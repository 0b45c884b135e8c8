"""1:1 meetings end to end: from an accepted introduction's "📅 Book a meeting" to a
confirmed meeting, its reminder with the link and the feedback; another slot proposed;
declined; rescheduled and cancelled with notices; /meetings and /ics."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import icalendar

from bot.clock import FakeClock
from bot.services.meeting_followup import MeetingFollowUp
from sandbox import Sandbox, SandboxUser
from storage.meeting_choices import MeetingChoices
from storage.meetings import MeetingRecord
from tests.support.flows import accepted_in_chat, answer, press
from tests.support.harness import BotHarness
from tests.support.matchkit import pair
from tests.support.meetkit import (
    LINK_PREFIX,
    add_block,
    booked,
    introduced_pair,
    live_meetings,
    meetings_of,
    open_picker,
    replan,
)


async def test_book_confirm_reminder_with_link_then_feedback(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ana, ro, imran, pk = await pair(sandbox, fb)
    # The block's first slot starts 10 minutes and 2 seconds from now: its reminder is due
    # two seconds after it is booked.
    start = clock.now() + timedelta(minutes=10, seconds=2)
    await add_block(fb, start, slots=3)
    await accepted_in_chat(ana, imran)
    card = await ana.expect("Introduction made: LahoreQA")
    assert card.buttons() == [["📅 Book a meeting"]]

    await open_picker(ana, "LahoreQA")
    picker = ana.last
    assert picker is not None
    # Three slots, each in both forum zones (Ana's own, the event's, first).
    labels = [row[0] for row in picker.buttons()]
    assert labels == [
        "Thu 20 Nov · 10:10 Bucharest · 13:10 Karachi",
        "Thu 20 Nov · 10:30 Bucharest · 13:30 Karachi",
        "Thu 20 Nov · 10:50 Bucharest · 13:50 Karachi",
    ]
    await ana.press(labels[0])
    proposed = await ana.expect("Proposed to LahoreQA")
    assert "Thu 20 Nov · 10:10 Bucharest · 13:10 Karachi (20 min)" in (proposed.text or "")

    notice = await imran.expect("proposes a 1:1 meeting")
    assert "SoftRo Automation" in (notice.text or "")
    assert notice.buttons() == [["✅ Confirm", "🔁 Another slot"], ["✖️ Decline"]]
    await imran.press("✅ Confirm")
    booked = await imran.expect("Booked")
    assert LINK_PREFIX in (booked.text or "")
    told = await ana.expect("Meeting booked")
    (meeting,) = await meetings_of(fb, ro)
    assert meeting.state == "confirmed" and {meeting.company_a, meeting.company_b} == {ro, pk}
    link = LINK_PREFIX + meeting.token
    assert link in (told.text or "")
    assert len(meeting.token) >= 16

    # The reminder, 10 minutes before, through the outbox, with the link, to both sides.
    for user in (ana, imran):
        reminder = await sandbox.wait_for(user.id, "⏰ Your meeting", timeout=6)
        assert "starts in 10 minutes" in (reminder.text or "")
        assert link in (reminder.text or "")
    rows = await fb.services.outbox.rows(kind="meeting_reminder")
    assert sorted(r.chat_id for r in rows) == [ana.id, imran.id]

    # The meeting ends: both reps are asked whether it took place.
    clock.advance(minutes=35)
    await replan(fb)
    question = await sandbox.wait_for(ana.id, "take place?", timeout=5)
    assert question.buttons() == [["✅ Yes", "✖️ No"], ["🔁 We moved it"]]
    await sandbox.wait_for(imran.id, "take place?", timeout=5)
    await ana.press("✅ Yes")
    stars = await ana.expect("How useful was the meeting?")
    assert stars.buttons() == [["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]]
    await press(ana, "⭐⭐⭐⭐", "Anything to add")
    await answer(ana, "Great <b>call</b>, next step: a pilot", "Noted. Thank you!")
    feedback = await MeetingChoices(fb.services.db).feedback(meeting.id, ana.id)
    assert feedback is not None
    assert (feedback.held, feedback.rating, feedback.note) == (
        "yes",
        4,
        "Great <b>call</b>, next step: a pilot",
    )
    # Imran says it did not take place: no rating asked, a new booking offered.
    await imran.press("✖️ No")
    no = await imran.expect("Thanks for telling us")
    assert no.buttons() == [["📅 Book a meeting"]]
    # Asked once only, whatever runs again.
    assert await MeetingFollowUp(fb.services).ask_feedback(meeting.id) == 0


async def _introduced(
    sandbox: Sandbox, fb: BotHarness, start: datetime, *, slots: int
) -> tuple[SandboxUser, int, SandboxUser, int]:
    ana, ro, imran, pk = await introduced_pair(sandbox, fb, start, slots=slots)
    await ana.expect("Introduction made: LahoreQA")
    await imran.expect("Introduction made: SoftRo Automation")
    return ana, ro, imran, pk


async def _proposed(
    sandbox: Sandbox, fb: BotHarness, start: datetime, *, slots: int
) -> tuple[SandboxUser, int, SandboxUser]:
    """Ana and Imran introduced (``_introduced``), and Ana's proposal of the block's first
    slot (12:00 Bucharest) in Imran's chat: (ana, SoftRo's id, imran)."""
    ana, ro, imran, _ = await _introduced(sandbox, fb, start, slots=slots)
    await open_picker(ana, "LahoreQA")
    await ana.press("Thu 20 Nov · 12:00 Bucharest · 15:00 Karachi")
    await imran.expect("proposes a 1:1 meeting")
    return ana, ro, imran


async def _confirmed(
    fb: BotHarness, ana: SandboxUser, imran: SandboxUser, ro: int
) -> MeetingRecord:
    """Imran confirms Ana's proposal; the meeting once Ana is told it is booked."""
    await imran.press("✅ Confirm")
    await ana.expect("Meeting booked")
    (meeting,) = await meetings_of(fb, ro)
    return meeting


async def test_the_other_side_proposes_another_slot(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=2)
    ana, ro, imran, _ = await _introduced(sandbox, fb, start, slots=3)
    await open_picker(ana, "LahoreQA")
    await press(ana, "Thu 20 Nov · 12:00 Bucharest · 15:00 Karachi", "Proposed to LahoreQA")
    first = await imran.expect("proposes a 1:1 meeting")
    await imran.press("🔁 Another slot")
    choices = await imran.expect("Another time with SoftRo Automation")
    # Imran's own zone is the event's (Bucharest) until he sets one; the slot proposed is
    # not offered again.
    assert [row[0] for row in choices.buttons()] == [
        "Thu 20 Nov · 12:20 Bucharest · 15:20 Karachi",
        "Thu 20 Nov · 12:40 Bucharest · 15:40 Karachi",
    ]
    await press(
        imran,
        "Thu 20 Nov · 12:40 Bucharest · 15:40 Karachi",
        "Proposed the new time to SoftRo Automation",
    )
    moved = await ana.expect("asks to move your meeting")
    text = moved.text or ""
    assert "Thu 20 Nov · 12:40 Bucharest · 15:40 Karachi (20 min)" in text
    assert "Was: Thu 20 Nov · 12:00 Bucharest · 15:00 Karachi (20 min)" in text
    # Imran's first notice is out of date: its Confirm changes nothing.
    await imran.press("✅ Confirm", message_id=first.message_id)
    await sandbox.wait_idle()
    reply = sandbox.calls_of("answerCallbackQuery")[-1]
    assert "out of date" in str(reply.params.get("text"))
    (meeting,) = await meetings_of(fb, ro)
    assert (
        meeting.state == "proposed"
        and meeting.proposer_company == (await fb.services.companies.by_rep(imran.id)).id
    )  # type: ignore[union-attr]
    await press(ana, "✅ Confirm", "Booked")
    booked = await imran.expect("Meeting booked")
    assert "12:40 Bucharest · 15:40 Karachi" in (booked.text or "")
    (meeting,) = await meetings_of(fb, ro)
    assert meeting.state == "confirmed"
    assert meeting.starts_at == start + timedelta(minutes=40)


async def test_decline_frees_the_slot_and_tells_the_proposer(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=2)
    ana, ro, imran = await _proposed(sandbox, fb, start, slots=2)
    assert len(await live_meetings(fb)) == 1
    await press(imran, "✖️ Decline", "You declined the meeting with SoftRo Automation")
    told = await ana.expect("LahoreQA declined the meeting")
    assert "Thu 20 Nov · 12:00 Bucharest · 15:00 Karachi" in (told.text or "")
    assert await live_meetings(fb) == []
    seats = await fb.services.db.fetchall("SELECT * FROM meeting_seats")
    assert seats == []
    # A second press of Decline (the same message) changes nothing.
    await imran.press("✖️ Decline")
    await sandbox.wait_idle()
    assert [m.state for m in await meetings_of(fb, ro)] == ["declined"]


async def test_reschedule_and_cancel_tell_the_other_side(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=2)
    ana, ro, imran = await _proposed(sandbox, fb, start, slots=3)
    meeting = await _confirmed(fb, ana, imran, ro)
    timers = fb.services.timers
    # A timer per lead time anyone may have chosen (1 day is past); who gets which is
    # decided when it fires.
    assert timers.names(f"meeting:{meeting.id}:") == [
        f"meeting:{meeting.id}:end",
        f"meeting:{meeting.id}:remind:0",
        f"meeting:{meeting.id}:remind:10",
        f"meeting:{meeting.id}:remind:15",
        f"meeting:{meeting.id}:remind:60",
    ]

    page = await answer(ana, "/meetings", "1:1 meetings of SoftRo Automation")
    assert "LahoreQA" in page and "✅ Confirmed." in page
    assert LINK_PREFIX + meeting.token in page
    await press(ana, "🔁 Reschedule LahoreQA", "Another time with LahoreQA")
    await press(
        ana, "Thu 20 Nov · 12:20 Bucharest · 15:20 Karachi", "Proposed the new time to LahoreQA"
    )
    moved = await imran.expect("asks to move your meeting")
    assert "Was: Thu 20 Nov · 12:00 Bucharest" in (moved.text or "")
    # Moved back to a proposal: no reminders until it is confirmed again.
    assert timers.names(f"meeting:{meeting.id}:") == []
    await imran.press("✅ Confirm")
    await ana.expect("Meeting booked")
    assert f"meeting:{meeting.id}:remind:10" in timers.names(f"meeting:{meeting.id}:")

    await answer(imran, "/meetings", "1:1 meetings of LahoreQA")
    await press(imran, "❌ Cancel SoftRo Automation", "Cancel this meeting?")
    await press(imran, "Yes, cancel it", "The meeting with SoftRo Automation is cancelled")
    told = await ana.expect("LahoreQA cancelled your meeting")
    assert "12:20 Bucharest" in (told.text or "")
    assert timers.names(f"meeting:{meeting.id}:") == []
    (meeting,) = await meetings_of(fb, ro)
    assert meeting.state == "cancelled"
    # A reminder queued before the cancel is dropped at sending time, not sent.
    assert await MeetingFollowUp(fb.services).remind(meeting.id, 10, meeting.starts_at) == 0


async def test_meetings_in_ics_with_their_link(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=2)
    ana, ro, imran = await _proposed(sandbox, fb, start, slots=2)
    # A proposal is not in the calendar yet.
    await answer(ana, "/ics", "not subscribed to any session")
    meeting = await _confirmed(fb, ana, imran, ro)
    await ana.send("/ics")
    doc = await ana.expect(lambda m: m.kind == "document")
    assert doc.caption == (
        "🗓 Your 0 session(s) and 1 meeting(s). Open the file to add them to your calendar."
    )
    assert doc.content is not None
    (event,) = icalendar.Calendar.from_ical(doc.content).walk("VEVENT")
    link = LINK_PREFIX + meeting.token
    assert str(event["SUMMARY"]) == "1:1 meeting: LahoreQA"
    assert str(event["URL"]) == link and str(event["LOCATION"]) == link
    assert link in str(event["DESCRIPTION"])
    assert event.decoded("DTSTART") == start.astimezone(UTC)
    assert event.decoded("DTEND") == start.astimezone(UTC) + timedelta(minutes=20)
    assert re.fullmatch(r"meeting-\d+@forumbridge", str(event["UID"]))


async def test_we_moved_it_offers_the_free_slots_to_book_the_new_time(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=1)
    ana, ro, imran, pk = await _introduced(sandbox, fb, start, slots=3)
    meeting = await booked(fb, ana.id, pk, imran.id, start)
    await ana.expect("Meeting booked")
    clock.advance(hours=1, minutes=21)  # the first slot is over; the other two are ahead
    await replan(fb)
    await sandbox.wait_for(imran.id, "take place?", timeout=5)
    await press(imran, "🔁 We moved it", "Noted: you moved the meeting with SoftRo Automation.")
    picker = await imran.expect("Book a meeting with SoftRo Automation")
    assert [row[0] for row in picker.buttons()] == [
        "Thu 20 Nov · 11:40 Bucharest · 14:40 Karachi"
    ]  # 11:20 began a minute ago; 11:40 is the one left
    feedback = await MeetingChoices(fb.services.db).feedback(meeting.id, imran.id)
    assert feedback is not None and (feedback.held, feedback.rating) == ("moved", None)
    await press(
        imran, "Thu 20 Nov · 11:40 Bucharest · 14:40 Karachi", "Proposed to SoftRo Automation"
    )
    await ana.expect("proposes a 1:1 meeting")
    assert [m.state for m in await meetings_of(fb, ro)] == ["confirmed", "proposed"]
