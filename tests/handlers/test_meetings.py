"""1:1 meetings end to end: from an accepted introduction's "📅 Book a meeting" to a
confirmed meeting, its reminder with the link and the feedback; another slot proposed;
declined; rescheduled and cancelled with notices; /meetings and /ics."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from bot.services.meeting_followup import MeetingFollowUp
from sandbox import Sandbox
from storage.meeting_choices import MeetingChoices
from tests.support.flows import request_intro
from tests.support.harness import BotHarness
from tests.support.matchkit import pair
from tests.support.meetkit import (
    LINK_PREFIX,
    add_block,
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
    await request_intro(ana)
    await imran.expect("Introduction request")
    await imran.press("✅ Accept")
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
    await ana.press("⭐⭐⭐⭐")
    await ana.expect("Anything to add")
    await ana.send("Great <b>call</b>, next step: a pilot")
    await ana.expect("Noted. Thank you!")
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
