"""The bot on either transport, over real HTTP against the sandbox: uploads arrive intact, the
proxy setting (and the environment's) carries the traffic, and the bot works end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from telegram import InputFile
from telegram.request import HTTPXRequest

from bot.runtime.health import ObservedRequest
from bot.runtime.transport import AiohttpRequest, make_request
from sandbox import Sandbox
from tests.support.flows import answer
from tests.support.harness import ADMIN_ID, REPO_ROOT, BotHarness, bot_running, sandbox_settings
from tests.support.transportkit import ALICE, PNG, ForwardProxy, sandbox_bot

SAMPLE = REPO_ROOT / "data" / "sample_companies.csv"


# ---------------------------------------------------------------- uploads


async def test_uploads_arrive_intact(sandbox: Sandbox, transport: str) -> None:
    bot = await sandbox_bot(sandbox, make_request(transport))
    csv_bytes = 'name,country\nȘtefan & Co,RO\n"Lahore, Ltd",PK\n'.encode()
    report = json.dumps({"user": "Ana", "note": "ăîșț 😀"}).encode()
    try:
        await bot.send_document(
            ALICE,
            InputFile(csv_bytes, filename="companies-Ș.csv"),
            caption="<b>CSV</b>",
            parse_mode="HTML",
        )
        await bot.send_document(ALICE, InputFile(report, filename="mydata.json"))
        await bot.send_photo(ALICE, InputFile(PNG, filename="chart.png"), caption="chart")
    finally:
        await bot.shutdown()
    csv_msg, json_msg, photo = sandbox.messages(ALICE)
    assert csv_msg.kind == "document" and csv_msg.content == csv_bytes
    assert csv_msg.filename == "companies-Ș.csv" and csv_msg.caption == "CSV"
    assert json_msg.content == report and json_msg.filename == "mydata.json"
    assert photo.kind == "photo" and photo.content == PNG and photo.caption == "chart"


# ---------------------------------------------------------------- proxies


async def test_proxy_setting_carries_both_connections(
    sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    async with ForwardProxy() as proxy:
        settings = sandbox_settings(
            sandbox, tmp_path / "fb.db", http_transport=transport, proxy_url=proxy.url
        )
        async with bot_running(sandbox, settings):
            ana = sandbox.user(ALICE, "Ana")
            await answer(ana, "/start", "Welcome to ForumBridge")
        assert "getUpdates" in proxy.seen and "sendMessage" in proxy.seen


@pytest.mark.parametrize("bypass", [False, True])
async def test_environment_proxy_unless_no_proxy(
    sandbox: Sandbox, transport: str, bypass: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with ForwardProxy() as proxy:
        for name in ("ALL_PROXY", "HTTPS_PROXY", "all_proxy", "https_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1" if bypass else "")
        bot = await sandbox_bot(sandbox, make_request(transport))
        try:
            assert (await bot.send_message(ALICE, "via the environment")).text
        finally:
            await bot.shutdown()
        assert proxy.seen == ([] if bypass else ["getMe", "sendMessage"])


def test_proxy_must_be_http() -> None:
    with pytest.raises(ValueError, match="proxy"):
        AiohttpRequest(proxy="socks5://127.0.0.1:1080")


# ---------------------------------------------------------------- the bot end to end


async def test_bot_end_to_end_on_each_transport(
    sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    settings = sandbox_settings(sandbox, tmp_path / "fb.db", http_transport=transport)
    bot = BotHarness(sandbox, settings)
    app = await bot.start()
    try:
        expected = AiohttpRequest if transport == "aiohttp" else HTTPXRequest
        # Every request is observed (health: the last successful Bot API call) around it.
        assert isinstance(app.bot.request, ObservedRequest)
        assert isinstance(app.bot.request.inner, expected)
        ana = sandbox.user(ALICE, "Ana")
        await answer(ana, "/start", "Welcome to ForumBridge")
        await ana.send("/mydata")
        export = await ana.expect(lambda m: m.kind == "document")
        assert export.content and json.loads(export.content)
        org = sandbox.user(ADMIN_ID, "Org")
        # The bot downloads the file it is sent (getFile, then a GET of the file URL).
        await org.send_document("companies.csv", SAMPLE.read_bytes(), caption="/import")
        await org.expect("Imported 33 companies")
        await org.send("/stats")
        chart = await org.expect(lambda m: m.kind == "photo")
        assert chart.content and chart.content.startswith(PNG[:8])
    finally:
        await bot.stop()
