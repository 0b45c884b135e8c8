"""Webhook mode end to end: the sandbox POSTs each update to the bot's webhook server with
Telegram's secret-token header, and registration, an introduction and a broadcast run as
with long polling; requests without the right secret are refused with 403 and logged;
GET /healthz answers on the same server."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.clock import FakeClock
from bot.config import Settings
from sandbox import Sandbox
from tests.support.flows import accepted_in_chat, answer, compose, is_report, press, register
from tests.support.harness import (
    ADMIN_ID,
    WEBHOOK_SECRET,
    BotHarness,
    bot_env,
    bot_running,
    free_port,
    webhook_settings,
    welcoming_process,
)
from tests.support.matchkit import pair, rep


def _check_transport(sandbox: Sandbox, bot: BotHarness) -> None:
    """Webhook mode received every update by POST (none by getUpdates), polling the other
    way round."""
    attempts = sandbox.webhook_attempts
    if bot.settings.webhook_url:
        assert attempts and all(a.ok and a.secret_sent for a in attempts)
        assert not sandbox.calls_of("getUpdates")
        assert sandbox.calls_of("setWebhook")[-1].params["secret_token"] == WEBHOOK_SECRET
    else:
        assert not attempts and sandbox.calls_of("getUpdates")


async def test_registration(sandbox: Sandbox, fb_both: BotHarness) -> None:
    user = sandbox.user(6001, "Ioana")
    await register(user)
    company = await fb_both.services.companies.by_rep(user.id)
    assert company is not None and company.name == "Carpathian Code SRL"
    _check_transport(sandbox, fb_both)


async def test_introduction(sandbox: Sandbox, fb_both: BotHarness) -> None:
    ana, _ro, imran, _pk = await pair(sandbox, fb_both)
    await accepted_in_chat(ana, imran, "Hello from Cluj")
    await imran.expect("Introduction made: SoftRo Automation")
    await ana.expect("Introduction made: LahoreQA")
    _check_transport(sandbox, fb_both)


async def test_broadcast(sandbox: Sandbox, fb_both: BotHarness) -> None:
    organiser = await rep(sandbox, ADMIN_ID, "Org")
    users = [await rep(sandbox, 6100 + i, f"U{i}") for i in range(4)]
    await compose(organiser)
    await press(organiser, "Everyone", "That is the preview")
    await organiser.press("✅ Send now")
    await organiser.expect(is_report, timeout=10)
    for user in users:
        assert [m.text for m in user.messages].count("Forum starts at 10:00!") == 1
    _check_transport(sandbox, fb_both)


@pytest.fixture
async def webhook_bot(
    sandbox: Sandbox, settings: Settings, clock: FakeClock
) -> AsyncIterator[BotHarness]:
    async with bot_running(sandbox, webhook_settings(settings), clock=clock) as bot:
        yield bot


def _server_url(bot: BotHarness, path: str) -> str:
    assert bot.source is not None and bot.source.server is not None
    return f"http://127.0.0.1:{bot.source.server.port}{path}"


async def test_requests_without_the_right_secret_are_refused_and_logged(
    sandbox: Sandbox, webhook_bot: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    user = sandbox.user(6201, "Mallory")
    forged = {
        "update_id": 99_000,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": user.id, "type": "private", "first_name": "Mallory"},
            "from": {"id": user.id, "is_bot": False, "first_name": "Mallory"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    url = _server_url(webhook_bot, "/telegram")
    caplog.set_level(logging.WARNING, logger="bot.runtime.webhook")
    async with aiohttp.ClientSession() as http:
        for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "guessed"}):
            async with http.post(url, json=forged, headers=headers) as response:
                assert response.status == 403
    refusals = [r.getMessage() for r in caplog.records if "refused (403)" in r.getMessage()]
    assert len(refusals) == 2
    assert "no secret token" in refusals[0] and "wrong secret token" in refusals[1]
    assert all("guessed" not in line for line in refusals)
    # Nothing reached the bot: no welcome to the forged user. The real path still works.
    await sandbox.wait_idle()
    assert user.messages == []
    await answer(user, "/start", "Welcome")


async def test_a_failed_delivery_is_retried(sandbox: Sandbox, webhook_bot: BotHarness) -> None:
    """Telegram retries an update the webhook did not take (non-2xx): so does the sandbox,
    and the update arrives once the server takes it."""
    server = webhook_bot.source.server  # type: ignore[union-attr]
    assert server is not None
    await server.stop()  # the bot's server is down: connections are refused
    user = sandbox.user(6301, "Patient")
    await user.send("/start")
    await sandbox.wait_idle(quiet=0.3)
    failed = [a for a in sandbox.webhook_attempts if not a.ok]
    assert failed and all(a.status is None for a in failed)
    info = await webhook_bot.app.bot.get_webhook_info()  # type: ignore[union-attr]
    assert info.pending_update_count == 1 and info.last_error_message
    server.start()
    await user.expect("Welcome", timeout=10)
    assert sandbox.webhook_attempts[-1].ok


async def test_healthz_on_the_webhook_server(
    sandbox: Sandbox, webhook_bot: BotHarness, clock: FakeClock
) -> None:
    url = _server_url(webhook_bot, "/healthz")
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert response.status == 200
            body = json.loads(await response.text())
        assert body["status"] == "ok" and body["mode"] == "webhook"
        webhook_bot.services.timers.cancel("heartbeat")  # the heartbeat stops...
        clock.advance(minutes=3)  # ...for three minutes: wedged
        async with http.get(url) as response:
            assert response.status == 503
            assert json.loads(await response.text())["status"] == "wedged"
        await webhook_bot.runtime.heartbeat.beat()  # it beats again: healthy again
        async with http.get(url) as response:
            assert response.status == 200


async def test_python_m_bot_run_in_webhook_mode(sandbox: Sandbox, tmp_path: Path) -> None:
    """The production path: WEBHOOK_URL and PORT in the environment, PTB's Tornado stack,
    the refusal in the process's own log."""
    port = free_port()
    env = bot_env(
        sandbox,
        tmp_path / "w.db",
        WEBHOOK_URL=f"http://127.0.0.1:{port}/hook",
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        PORT=str(port),
    )
    async with (
        welcoming_process(sandbox, env, tmp_path, user_id=6401, timeout=20) as proc,
        aiohttp.ClientSession() as http,
    ):
        async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert response.status == 200
            assert json.loads(await response.text())["mode"] == "webhook"
        async with http.post(f"http://127.0.0.1:{port}/hook", json={}) as response:
            assert response.status == 403
    err = proc.stderr
    assert sandbox.webhook_attempts and sandbox.webhook_attempts[0].ok
    assert "(webhook)" in err and "webhook request refused (403): no secret token" in err
    assert WEBHOOK_SECRET not in err and sandbox.token not in err
