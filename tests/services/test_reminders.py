"""The reminder planner end to end: real JobQueue jobs a second or two ahead (the FakeClock
places sessions relative to "now"), delivery through the outbox and the sandbox, restarts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest

from bot.clock import FakeClock
from bot.domain.agenda import SessionInput
from bot.services.agenda import AgendaService
from bot.services.container import Services
from sandbox import Sandbox, SentMessage
from storage.db import Database
from tests.support.agenda import add_to_agenda
from tests.support.flows import started
from tests.support.harness import ADMIN_ID, BotHarness, down_while

TITLE = "Opening <remarks> & *welcome*_"


@pytest.fixture
def bot(fb: BotHarness) -> BotHarness:
    """The shared FakeClock bot (conftest's ``fb``), on this module's clock."""
    return fb


async def add_session(
    bot: BotHarness, start: datetime, title: str = TITLE, minutes: int = 30
) -> int:
    item = SessionInput(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        speakers="Sajjad Syed",
        link="https://forum.example.org/live",
    )
    session_id = await add_to_agenda(bot, item)
    await bot.services.reminders.rebuild(late=False)
    return session_id


async def join(sandbox: Sandbox, bot: BotHarness, user_id: int, *sessions: int) -> None:
    await started(sandbox, user_id, f"U{user_id}")
    await bot.services.agenda.subscribe(user_id, sessions, now=bot.services.clock.now())


async def joined(sandbox: Sandbox, bot: BotHarness, user_id: int, start: datetime) -> int:
    """A session from ``start`` (``add_session``) that ``user_id`` joined; its id."""
    sid = await add_session(bot, start)
    await join(sandbox, bot, user_id, sid)
    return sid


@asynccontextmanager
async def other_process(bot: BotHarness, clock: FakeClock) -> AsyncIterator[Services]:
    """Services on the bot's database file opened a second time: what the CLI, another
    process, works with."""
    other = await Database.open(bot.settings.database_path)
    try:
        yield Services.create(bot.settings, other, clock)
    finally:
        await other.close()


def reminders_of(sandbox: Sandbox, user_id: int) -> list[SentMessage]:
    return [m for m in sandbox.messages(user_id) if (m.text or "").startswith("⏰")]


async def settled(sandbox: Sandbox, user_id: int, seconds: float = 1.2) -> list[SentMessage]:
    """``reminders_of`` after long enough for a wrong extra reminder (paced 1/s per chat) to
    show up."""
    await asyncio.sleep(seconds)
    return reminders_of(sandbox, user_id)


async def test_reminder_arrives_once_at_its_lead_time(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(minutes=15, seconds=1.5)
    sid = await joined(sandbox, bot, 5001, start)
    assert reminders_of(sandbox, 5001) == []  # not before its time
    names = bot.services.reminders.planned()
    # The 1-day and 1-hour marks are already past: one job for each lead still ahead.
    assert names == [f"reminder:{sid}:0", f"reminder:{sid}:15"]
    got = await sandbox.wait_for(5001, "⏰", timeout=4)
    assert TITLE in (got.text or "")  # shown as typed, not as markup
    assert "starts in 15 minutes" in (got.text or "")
    assert "Bucharest" in (got.text or "") and "Karachi" in (got.text or "")
    assert "https://forum.example.org/live" in (got.text or "")
    assert len(await settled(sandbox, 5001)) == 1
    rows = await bot.services.outbox.rows(kind="reminder")
    assert [r.chat_id for r in rows] == [5001]


async def test_two_lead_times_give_two_reminders(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(minutes=15, seconds=1)
    await joined(sandbox, bot, 5002, start)
    await bot.services.agenda.set_leads(5002, [15, 0])
    first = await sandbox.wait_for(5002, "⏰", timeout=4)
    assert "in 15 minutes" in (first.text or "")
    # Fifteen minutes pass: the "at start" job, re-planned at the new now, fires a second later.
    clock.advance(minutes=15)
    await bot.services.reminders.rebuild(late=False)
    second = await sandbox.wait_for(5002, "starting now", timeout=4)
    assert second.message_id != first.message_id
    assert len(await settled(sandbox, 5002)) == 2


async def test_restart_before_due_still_gives_exactly_one(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    await joined(sandbox, bot, 5003, clock.now() + timedelta(minutes=15, seconds=2))
    await bot.restart()
    await sandbox.wait_for(5003, "⏰", timeout=4)
    # And a restart after it was sent does not send it again.
    await bot.restart()
    assert len(await settled(sandbox, 5003)) == 1


async def test_restart_after_due_before_start_sends_a_late_one(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    await joined(sandbox, bot, 5004, clock.now() + timedelta(minutes=20))
    await bot.services.agenda.set_leads(5004, [60, 15])
    await down_while(bot, clock, minutes=10)  # the 15-minute reminder was due 5 minutes ago
    late = await sandbox.wait_for(5004, "⏰", timeout=4)
    assert "in 10 minutes" in (late.text or "")
    # One late reminder, not one per missed lead time.
    assert len(await settled(sandbox, 5004)) == 1


async def test_restart_after_start_sends_nothing(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    await joined(sandbox, bot, 5005, clock.now() + timedelta(minutes=20))
    await down_while(bot, clock, minutes=21)
    assert await settled(sandbox, 5005, 1.5) == []
    assert await bot.services.outbox.rows(kind="reminder") == []


async def test_moving_a_session_retimes_reminders_and_notifies(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    sid = await joined(sandbox, bot, 5006, clock.now() + timedelta(hours=3))
    new_start = clock.now() + timedelta(minutes=15, seconds=1.5)
    change = await AgendaService(bot.services).change_session(sid, starts_at=new_start)
    assert change is not None
    notice = await sandbox.wait_for(5006, "has a new time", timeout=3)
    assert "Was:" in (notice.text or "") and TITLE in (notice.text or "")
    jobs = bot.services.reminders.planned()
    assert set(jobs) == {f"reminder:{sid}:15", f"reminder:{sid}:0"}  # 1 h and 1 day passed
    reminder = await sandbox.wait_for(5006, "⏰", timeout=4)
    assert "in 15 minutes" in (reminder.text or "")
    assert len(await settled(sandbox, 5006)) == 1
    notices = [m for m in sandbox.messages(5006) if "new time" in (m.text or "")]
    assert len(notices) == 1


async def test_cancelling_a_session_removes_jobs_and_notifies(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    sid = await joined(sandbox, bot, 5007, clock.now() + timedelta(hours=3))
    agenda = AgendaService(bot.services)
    assert bot.services.reminders.planned()
    await agenda.change_session(sid, cancel=True)
    await sandbox.wait_for(5007, "is cancelled", timeout=3)
    assert bot.services.reminders.planned() == []
    # A second cancel is a no-op: no second notice.
    assert await agenda.change_session(sid, cancel=True) is None


async def test_blocked_subscriber_is_skipped(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    sid = await add_session(bot, clock.now() + timedelta(hours=3))
    await join(sandbox, bot, 5008, sid)
    await join(sandbox, bot, 5009, sid)
    await sandbox.block(5009)
    await sandbox.wait_idle()
    added = await bot.services.reminders.fire(sid, 15)
    assert added == 1
    await sandbox.wait_for(5008, "⏰", timeout=3)
    # Fired twice (e.g. a restart right after): the dedupe key keeps it to one.
    assert await bot.services.reminders.fire(sid, 15) == 0


async def test_stale_job_for_an_old_time_does_nothing(bot: BotHarness, clock: FakeClock) -> None:
    start = clock.now() + timedelta(hours=3)
    sid = await add_session(bot, start)
    assert await bot.services.reminders.fire(sid, 15, start - timedelta(hours=1)) == 0


async def test_import_by_another_process_is_noticed(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    """The CLI writes the table; the running bot's watcher job re-plans from it."""
    from bot.services.reminders import WATCH_JOB

    planner = bot.services.reminders
    assert planner.planned() == []
    # bot.runtime.jobs runs the watch every half minute.
    assert bot.services.timers.names(WATCH_JOB) == [WATCH_JOB]
    async with other_process(bot, clock) as cli:
        start = (clock.now() + timedelta(hours=2)).isoformat()
        end = (clock.now() + timedelta(hours=3)).isoformat()
        data = f"title,start,end,speakers,track,description,link\nLate add,{start},{end},,,,\n"
        await AgendaService(cli).import_file(data.encode(), "agenda.csv")
    assert planner.planned() == []  # the other process planned nothing
    assert await planner.watch() is True
    assert await planner.watch() is False  # planned from this agenda already
    names = set(planner.planned())
    (session,) = await bot.services.agenda.all()
    assert names == {f"reminder:{session.id}:{lead}" for lead in (60, 15, 0)}


async def test_a_timed_out_reminder_is_not_sent_twice(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    """The reminder reaches its subscriber but Telegram's answer is lost: at most once, so
    it is not sent again, and the dashboard counts it as timed out."""
    sender = bot.sender
    sender.send_timeout = 0.3
    start = clock.now() + timedelta(minutes=15, seconds=1)
    await joined(sandbox, bot, 5011, start)
    sandbox.inject("timeout", chat_id=5011, delay=60, methods=("sendMessage",))
    await sandbox.wait_for(5011, "⏰", timeout=4)
    await sandbox.wait_idle(timeout=15)  # the send has ended (timed out)
    clock.advance(minutes=1)  # past any back-off: a retry would go out now
    sender.wake()
    assert len(await settled(sandbox, 5011)) == 1
    rows = await bot.services.outbox.rows(kind="reminder")
    assert [r.state for r in rows] == ["unknown"]
    admin = sandbox.user(ADMIN_ID, "Org")
    await admin.send("/stats")
    dashboard = await admin.expect("Forum dashboard")
    assert "Session reminders: sent 0 · failed 0 · blocked 0 · timed out (maybe delivered) 1" in (
        dashboard.text or ""
    )


async def test_the_reminder_says_how_long_is_left_when_it_is_sent(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    """A reminder is a notice rendered at sending time: queued 15 minutes before the start
    while the bot was down, it says "in 10 minutes" when it goes out 5 minutes later."""
    sid = await joined(sandbox, bot, 5012, clock.now() + timedelta(minutes=15))
    await bot.stop()
    async with other_process(bot, clock) as cli:
        assert await cli.reminders.fire(sid, 15) == 1
    clock.advance(minutes=5)
    await bot.start()
    got = await sandbox.wait_for(5012, "⏰", timeout=4)
    assert "starts in 10 minutes" in (got.text or "")
    assert "in 15 minutes" not in (got.text or "")
    # The start-up's late reminder for the same lead time is the same notice: not a second one.
    assert len(await settled(sandbox, 5012)) == 1


async def test_a_reminder_for_a_session_moved_meanwhile_is_dropped(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    """Queued for the old time, rendered after the session moved: nothing is sent for the
    old time (the subscriber gets the change notice and reminders for the new time)."""
    sid = await joined(sandbox, bot, 5013, clock.now() + timedelta(minutes=15))
    await bot.stop()
    async with other_process(bot, clock) as cli:
        assert await cli.reminders.fire(sid, 15) == 1
        # Moved by a direct write, as a crash between the move and its notices would leave it.
        await cli.agenda.move(
            sid,
            clock.now() + timedelta(hours=3),
            clock.now() + timedelta(hours=3, minutes=30),
            now=clock.now(),
        )
    await bot.start()
    for _ in range(50):  # the sender renders it soon after start-up
        (row,) = await bot.services.outbox.rows(kind="reminder")
        if row.state != "pending":
            break
        await asyncio.sleep(0.1)
    assert (row.state, row.last_error) == ("cancelled", "nothing to say any more")
    assert reminders_of(sandbox, 5013) == []


async def test_a_cancellation_undone_before_it_was_sent_is_not_sent(
    sandbox: Sandbox, bot: BotHarness, clock: FakeClock
) -> None:
    """Change notices are written when sent, from the session as it is then: a session
    cancelled and put back while the bot was down gets only "back on the agenda"."""
    sid = await add_session(bot, clock.now() + timedelta(hours=3))
    session = await bot.services.agenda.get(sid)
    assert session is not None
    await join(sandbox, bot, 5014, sid)
    await bot.stop()
    async with other_process(bot, clock) as cli:
        agenda = AgendaService(cli)
        assert await agenda.change_session(sid, cancel=True) is not None
        row = f"{TITLE},{session.starts_at.isoformat()},{session.ends_at.isoformat()},,,,\n"
        header = "title,start,end,speakers,track,description,link\n"
        update = await agenda.import_file((header + row).encode(), "agenda.csv")
        assert (len(update.result.changed), update.notices) == (1, 1)
    await bot.start()
    back = await sandbox.wait_for(5014, "is back on the agenda", timeout=4)
    assert TITLE in (back.text or "")
    await settled(sandbox, 5014)
    assert [m for m in sandbox.messages(5014) if "is cancelled" in (m.text or "")] == []
