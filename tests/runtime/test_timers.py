"""The services' timers on the JobQueue: a time is on the bot's clock. On a FakeClock that
stands in 2025 a timer one minute ahead of it fires one real minute from now, not at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import FakeClock
from tests.support.harness import BotHarness


async def test_a_timer_at_a_time_is_a_delay_from_the_clocks_now(
    fb: BotHarness, clock: FakeClock
) -> None:
    fired: list[int] = []

    async def action() -> None:
        fired.append(1)

    timers = fb.services.timers
    timers.at("test:one-minute", clock.now() + timedelta(minutes=1), action)
    assert fb.app is not None and fb.app.job_queue is not None
    (job,) = fb.app.job_queue.get_jobs_by_name("test:one-minute")
    assert job.next_t is not None
    ahead = (job.next_t - datetime.now(UTC)).total_seconds()
    assert 50 < ahead <= 60
    assert timers.names("test:") == ["test:one-minute"]
    assert timers.cancel("test:one-minute") and fired == []
