"""Reminders planned to be *out* by their due time: the sender works at SEND_RATE, so the
timer of a session's reminders runs early by the time its subscribers take (+5 %), sessions
due together are planned one after the other, and a restart in the early window still gives
exactly one reminder each. The outbox is slowed to 1 message/s so a few subscribers stand
for thousands."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.domain.agenda import SessionInput, keys_in
from bot.services.reminders import job_name
from sandbox import Sandbox
from tests.support.flows import started
from tests.support.harness import BotHarness, sandbox_settings

RATE = 1.0


@pytest.fixture
def settings(sandbox: Sandbox, db_path: Path) -> Settings:
    return sandbox_settings(sandbox, db_path, send_rate=RATE)


async def add_sessions(bot: BotHarness, start: datetime, *titles: str) -> list[int]:
    services = bot.services
    items = [
        SessionInput(title=title, starts_at=start, ends_at=start + timedelta(minutes=30), link=None)
        for title in titles
    ]
    result = await services.agenda.apply_import(
        items, now=services.clock.now(), key=keys_in(services.settings.tz)
    )
    return [s.id for s in result.added]


async def join(sandbox: Sandbox, bot: BotHarness, users: range, *sessions: int) -> None:
    for user_id in users:
        await started(sandbox, user_id, f"U{user_id}")
        await bot.services.agenda.subscribe(user_id, sessions, now=bot.services.clock.now())


def reminders_of(sandbox: Sandbox, user_id: int) -> list[str]:
    return [m.text or "" for m in sandbox.messages(user_id) if (m.text or "").startswith("⏰")]


async def test_the_first_reminder_goes_out_the_sending_time_before_it_is_due(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    users = range(7001, 7021)  # 20 subscribers at 1/s: 20 s to send them all
    needed = len(users) / RATE
    due = clock.now() + timedelta(seconds=needed * 1.05 + 0.5)
    (sid,) = await add_sessions(fb, due + timedelta(minutes=15), "Keynote")
    await join(sandbox, fb, users, sid)
    planned_at = time.monotonic()
    await fb.services.reminders.rebuild(late=False)
    due_real = planned_at + (due - clock.now()).total_seconds()

    got = await sandbox.wait_for(users[0], "⏰", timeout=4)  # the old path: 20 s from now
    sent = [c for c in sandbox.calls_of("sendMessage") if c.params.get("chat_id") == users[0]]
    # Time left for the other 19 at the rate, and not more than 10 % on top of that.
    assert needed <= due_real - sent[-1].time <= needed * 1.1
    # Said when it is sent: more than the 15 minutes chosen are left, and the start is named.
    assert "starts in 15 minutes" in (got.text or "")  # 15 min 20 s rounds down
    assert "Keynote" in (got.text or "")


async def test_sessions_due_together_are_planned_one_after_the_other(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(hours=2)
    first, second = await add_sessions(fb, start, "Panel A", "Panel B")
    await join(sandbox, fb, range(7101, 7111), first, second)
    await fb.services.reminders.rebuild(late=False)
    timers = fb.services.reminders.timers
    due = start - timedelta(minutes=15)
    leads = sorted(
        (due - s).total_seconds()
        for s in (timers.start_of(job_name(first, 15)), timers.start_of(job_name(second, 15)))
        if s is not None
    )
    assert len(leads) == 2
    assert 10 <= leads[0] <= 11 and 20 <= leads[1] <= 22


async def test_a_restart_in_the_early_window_still_gives_exactly_one(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    users = range(7201, 7204)
    due = clock.now() + timedelta(seconds=len(users) / RATE * 1.05 + 0.5)
    (sid,) = await add_sessions(fb, due + timedelta(minutes=15), "Workshop")
    await join(sandbox, fb, users, sid)
    await fb.services.reminders.rebuild(late=False)
    await sandbox.wait_for(users[0], "⏰", timeout=3)  # before its due time: in the window
    await fb.restart()  # still before the due time on the bot's clock: planned again
    for user_id in users:
        await sandbox.wait_for(user_id, "⏰", timeout=6)
    rows = await fb.services.outbox.rows(kind="reminder")
    assert sorted(r.chat_id for r in rows) == list(users)
    assert all(len(reminders_of(sandbox, u)) == 1 for u in users)
