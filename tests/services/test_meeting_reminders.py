"""Meeting reminders on the FakeClock: restart-safe (rebuilt from the database at start-up),
one late reminder after a restart past its time, the lead times a rep chose on top of the
fixed 10 minutes, and none for a meeting cancelled or moved after it was queued."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import FakeClock
from bot.services.meeting_followup import MeetingFollowUp
from handlers.notifications import render
from sandbox import Sandbox, SentMessage
from storage.meetings import CANCELLED, LIVE, MeetingRepository
from tests.support.harness import BotHarness, down_while
from tests.support.meetkit import LINK_PREFIX, booked, booked_pair, introduced_pair


def reminders_of(sandbox: Sandbox, user_id: int) -> list[SentMessage]:
    return [m for m in sandbox.messages(user_id) if (m.text or "").startswith("⏰ Your meeting")]


async def settle() -> None:
    """Long enough for a wrong extra reminder (paced 1/s per chat) to show up."""
    await asyncio.sleep(1.2)


async def test_restart_between_booking_and_reminder_gives_exactly_one(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(minutes=10, seconds=3)
    ana, imran, meeting = await booked_pair(sandbox, fb, start, slots=1)
    await fb.restart()
    # After the restart the reminder still comes, once, from the timers made at start-up.
    names = fb.services.timers.names(f"meeting:{meeting.id}:")
    assert f"meeting:{meeting.id}:remind:10" in names
    got = await sandbox.wait_for(ana.id, "⏰ Your meeting", timeout=8)
    assert "with LahoreQA starts in 10 minutes" in (got.text or "")
    assert LINK_PREFIX + meeting.token in (got.text or "")
    await sandbox.wait_for(imran.id, "⏰ Your meeting", timeout=5)
    # A restart after it was sent does not send it again.
    await fb.restart()
    await settle()
    assert len(reminders_of(sandbox, ana.id)) == 1
    assert len(reminders_of(sandbox, imran.id)) == 1


async def test_restart_past_the_reminder_sends_one_late_reminder(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(minutes=20)
    ana, _, imran, pk = await introduced_pair(sandbox, fb, start, slots=1)
    await fb.services.agenda.set_leads(ana.id, [60, 15])
    await booked(fb, ana.id, pk, imran.id, start)
    await down_while(fb, clock, minutes=8)  # Ana's 15-minute mark passed while the bot was down
    late = await sandbox.wait_for(ana.id, "⏰ Your meeting", timeout=5)
    assert "starts in 12 minutes" in (late.text or "")
    await settle()
    # One late reminder (the nearest lead that passed), not one per missed lead; Imran
    # chose nothing, and his 10-minute mark is still ahead.
    assert len(reminders_of(sandbox, ana.id)) == 1
    assert reminders_of(sandbox, imran.id) == []


async def test_chosen_lead_times_come_on_top_of_the_ten_minutes(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(minutes=10, seconds=2)
    ana, _, imran, pk = await introduced_pair(sandbox, fb, start, slots=1)
    await fb.services.agenda.set_leads(ana.id, [0])  # "at start" chosen in /reminders
    await booked(fb, ana.id, pk, imran.id, start)
    first = await sandbox.wait_for(ana.id, "⏰ Your meeting", timeout=6)
    assert "starts in 10 minutes" in (first.text or "")
    clock.advance(minutes=10)  # two seconds before the start; the timers are planned again
    await MeetingFollowUp(fb.services).plan_all(late=False)
    second = await sandbox.wait_for(ana.id, "is starting now", timeout=6)
    assert second.message_id != first.message_id
    await settle()
    assert len(reminders_of(sandbox, ana.id)) == 2
    assert len(reminders_of(sandbox, imran.id)) == 1  # the fixed 10 minutes only


async def test_a_queued_reminder_of_a_cancelled_or_moved_meeting_is_dropped(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=1)
    ana, _, meeting = await booked_pair(sandbox, fb, start, slots=2)
    data = {
        "meeting": meeting.id,
        "company": meeting.company_a,
        "lead": 10,
        "start": start.isoformat(),
        "to": ana.id,
    }
    services = fb.services
    assert await render("meeting_reminder", data, "en", services) is not None
    moved = {**data, "start": (start + timedelta(minutes=20)).isoformat()}
    assert await render("meeting_reminder", moved, "en", services) is None
    repo = MeetingRepository(services.db)
    assert await repo.set_state(
        meeting.id, meeting.rev, CANCELLED, allowed_from=LIVE, by=None, now=clock.now()
    )
    assert await render("meeting_reminder", data, "en", services) is None
    assert await MeetingFollowUp(services).remind(meeting.id, 10, start) == 0
