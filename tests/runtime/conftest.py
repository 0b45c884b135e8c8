"""Fixtures for the tests of bot/runtime/."""

from __future__ import annotations

import pytest

from bot.config import TRANSPORTS


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    """Each HTTP transport in turn: the test runs once on aiohttp and once on httpx."""
    return str(request.param)
