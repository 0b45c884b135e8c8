"""Shared fixtures: the sandbox, a temporary database file, and the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from sandbox import Sandbox
from tests.support.harness import (
    BotHarness,
    BotProcess,
    bot_running,
    sandbox_settings,
    webhook_settings,
)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as box:
        yield box


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "forumbridge.db"


@pytest.fixture
def settings(sandbox: Sandbox, db_path: Path) -> Settings:
    return sandbox_settings(sandbox, db_path)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def harness(sandbox: Sandbox, settings: Settings) -> AsyncIterator[BotHarness]:
    bot = BotHarness(sandbox, settings)
    try:
        yield bot
    finally:
        await bot.stop()


@pytest.fixture
async def fb(sandbox: Sandbox, settings: Settings, clock: FakeClock) -> AsyncIterator[BotHarness]:
    """The bot, started on the test's FakeClock (``clock``), which the test moves by hand."""
    async with bot_running(sandbox, settings, clock=clock) as bot:
        yield bot


@pytest.fixture(params=["polling", "webhook"])
async def fb_both(
    request: pytest.FixtureRequest, sandbox: Sandbox, settings: Settings, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    """``fb`` once with long polling and once with the webhook (updates POSTed by the
    sandbox with the secret token): for the flows that must work in both modes."""
    if request.param == "webhook":
        settings = webhook_settings(settings)
    async with bot_running(sandbox, settings, clock=clock) as bot:
        yield bot


@pytest.fixture
async def running(harness: BotHarness) -> BotHarness:
    """The bot, started; stopped by the ``harness`` fixture."""
    await harness.start()
    return harness


@pytest.fixture(autouse=True)
async def bot_processes() -> AsyncIterator[None]:
    """Kill any ``python -m bot run`` child a test left alive, even when it failed."""
    yield
    await BotProcess.kill_all()
