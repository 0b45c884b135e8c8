"""The HTTP transport (bot/transport.py) over real HTTP: PTB's timeouts, error mapping, uploads
and proxies on the aiohttp request, and the same behaviour from PTB's own httpx request.

Slow answers come from the sandbox's "slow" fault; a server that never reads, drops the
connection or never accepts is a tiny local server started by the test.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import TRANSPORTS
from bot.sandbox import Sandbox
from bot.transport import AiohttpRequest, make_request
from tests.harness import ADMIN_ID, REPO_ROOT, BotHarness, sandbox_settings

ALICE = 1001
SAMPLE = REPO_ROOT / "data" / "sample_companies.csv"
# A PNG signature and an IHDR chunk: enough for the sandbox to store it as a photo.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.fixture(params=TRANSPORTS)
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _bot(base_url: str, token: str, request: BaseRequest) -> Bot:
    return Bot(token, base_url=base_url, request=request)


async def _sandbox_bot(sandbox: Sandbox, request: BaseRequest) -> Bot:
    bot = _bot(sandbox.base_url, sandbox.token, request)
    await bot.initialize()
    sandbox.user(ALICE, "Alice")
    await sandbox.send_text(ALICE, "hi")
    return bot


class TinyServer:
    """A local Bot API stand-in whose every request is answered by ``handler``."""

    def __init__(self, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> None:
        self.handler = handler
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def __aenter__(self) -> TinyServer:
        app = web.Application(client_max_size=1024**3)
        app.router.add_route("*", "/{tail:.*}", self.handler)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self.runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.runner is not None
        await self.runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"


TOKEN = "123456:SECRET-TOKEN-NOT-IN-ANY-MESSAGE"


async def _params(request: web.Request) -> Any:
    """A Bot API call's parameters: httpx sends a form, the aiohttp transport JSON."""
    if request.content_type == "application/json":
        return await request.json()
    return await request.post()


# ---------------------------------------------------------------- timeouts


async def test_read_timeout_default_and_per_call(sandbox: Sandbox, transport: str) -> None:
    bot = await _sandbox_bot(sandbox, make_request(transport, read_timeout=0.2))
    try:
        sandbox.inject("slow", delay=0.6, count=-1)
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "default read timeout")
        # A per-call value wins over the default; None means no limit at all.
        assert (await bot.send_message(ALICE, "longer", read_timeout=5)).text == "longer"
        assert (await bot.send_message(ALICE, "none", read_timeout=None)).text == "none"
    finally:
        await bot.shutdown()
    bot = await _sandbox_bot(sandbox, make_request(transport, read_timeout=5))
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "shorter per call", read_timeout=0.2)
    finally:
        await bot.shutdown()


async def test_pool_timeout_is_timed_out_and_sends_nothing(transport: str) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    served: list[str] = []

    async def hold(request: web.Request) -> web.StreamResponse:
        served.append(str((await _params(request))["action"]))
        arrived.set()
        await release.wait()
        return web.json_response({"ok": True, "result": True})

    async with TinyServer(hold) as server:
        request = make_request(transport, connection_pool_size=1, pool_timeout=0.1)
        bot = _bot(server.base_url, TOKEN, request)
        await request.initialize()
        try:
            first = asyncio.create_task(bot.send_chat_action(1, "typing"))
            async with asyncio.timeout(10):
                await arrived.wait()
            # pool_timeout=None waits for a connection as long as it takes: it is still
            # waiting after a later call with the default 0.1 s gave up.
            waits = asyncio.create_task(bot.send_chat_action(1, "record_voice", pool_timeout=None))
            await asyncio.sleep(0)
            with pytest.raises(TimedOut, match="Pool timeout"):
                async with asyncio.timeout(10):  # fail rather than wait for ever
                    await bot.send_chat_action(1, "upload_document")
            assert not waits.done()
            release.set()
            assert await first and await waits
        finally:
            await request.shutdown()
    assert served == ["typing", "record_voice"]


def test_restart_in_a_new_event_loop() -> None:
    """PTB may shut a request down and initialise it again under another event loop."""
    request = AiohttpRequest(connection_pool_size=1)

    async def ok(_: web.Request) -> web.StreamResponse:
        return web.json_response({"ok": True, "result": True})

    async def burst() -> None:
        async with TinyServer(ok) as server:
            await request.initialize()
            bot = _bot(server.base_url, TOKEN, request)
            try:
                # Three at once on one connection: two of them wait for the pool.
                sent = [bot.send_chat_action(1, "typing") for _ in range(3)]
                assert all(await asyncio.gather(*sent))
            finally:
                await request.shutdown()

    asyncio.run(burst())
    asyncio.run(burst())


@pytest.fixture
async def never_reads() -> AsyncIterator[int]:
    """A port whose server accepts and then never reads: an upload fills the socket buffers."""
    hold = asyncio.Event()

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await hold.wait()
        writer.close()

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        hold.set()
        server.close()


@pytest.mark.parametrize(
    ("options", "per_call"),
    [
        ({"media_write_timeout": 0.3}, {}),  # uploads use the media timeout by default
        ({"media_write_timeout": 60}, {"write_timeout": 0.3}),  # a per-call value wins
    ],
)
async def test_write_timeout_on_a_peer_that_stops_reading(
    never_reads: int, transport: str, options: dict[str, Any], per_call: dict[str, Any]
) -> None:
    big = bytes(48 * 1024 * 1024)  # far more than loopback's socket buffers hold
    request = make_request(transport, write_timeout=60, **options)
    bot = _bot(f"http://127.0.0.1:{never_reads}/bot", TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            # Without a write timeout this upload would hang; fail instead of hanging.
            async with asyncio.timeout(20):
                await bot.send_document(1, InputFile(big, filename="big.bin"), **per_call)
    finally:
        await request.shutdown()


async def test_connect_timeout_on_a_full_backlog(transport: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    # Connections nobody accepts fill the queue; the kernel then ignores new handshakes.
    fillers = [socket.socket() for _ in range(3)]
    for filler in fillers:
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
    request = make_request(transport, connect_timeout=0.3)
    bot = _bot(f"http://127.0.0.1:{port}/bot", TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as info:
            async with asyncio.timeout(20):
                await bot.get_me()
        assert TOKEN not in _chain(info.value)
    finally:
        await request.shutdown()
        for s in (*fillers, listener):
            s.close()


def _chain(exc: BaseException | None) -> str:
    """Every message in an exception's chain (what a logged traceback shows)."""
    parts: list[str] = []
    while exc is not None:
        parts.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return "\n".join(parts)


# ---------------------------------------------------------------- connection errors


async def test_refused_connection_is_a_network_error(transport: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = make_request(transport)
    bot = _bot(f"http://127.0.0.1:{port}/bot", TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as info:
            await bot.get_me()
        assert not isinstance(info.value, TimedOut)
        assert TOKEN not in _chain(info.value)
    finally:
        await request.shutdown()


async def test_dropped_connection_is_a_network_error(transport: str) -> None:
    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    async with TinyServer(drop) as server:
        request = make_request(transport)
        bot = _bot(server.base_url, TOKEN, request)
        await request.initialize()
        try:
            with pytest.raises(NetworkError) as info:
                await bot.send_message(1, "lost")
            assert not isinstance(info.value, TimedOut)
        finally:
            await request.shutdown()


# ---------------------------------------------------------------- Telegram's errors


@pytest.mark.parametrize(
    ("fault", "error", "message"),
    [
        ("chat_not_found", BadRequest, "Chat not found"),
        ("blocked", Forbidden, "Forbidden: bot was blocked by the user"),
        ("server_error", NetworkError, "Internal Server Error"),
    ],
)
async def test_telegram_errors_arrive_unchanged(
    sandbox: Sandbox, transport: str, fault: str, error: type[Exception], message: str
) -> None:
    bot = await _sandbox_bot(sandbox, make_request(transport))
    try:
        sandbox.inject(fault)
        with pytest.raises(error) as info:
            await bot.send_message(ALICE, "x")
        assert type(info.value) is error and str(info.value) == message
    finally:
        await bot.shutdown()


async def test_429_is_retry_after(sandbox: Sandbox, transport: str) -> None:
    bot = await _sandbox_bot(sandbox, make_request(transport))
    try:
        sandbox.inject("retry_after", retry_after=7)
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(ALICE, "x")
        assert info.value.retry_after in (7, dtm.timedelta(seconds=7))
    finally:
        await bot.shutdown()


async def test_wrong_token_is_invalid_token(sandbox: Sandbox, transport: str) -> None:
    request = make_request(transport)
    bot = _bot(sandbox.base_url, TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(InvalidToken):
            await bot.get_me()
    finally:
        await request.shutdown()


# ---------------------------------------------------------------- uploads


async def test_uploads_arrive_intact(sandbox: Sandbox, transport: str) -> None:
    bot = await _sandbox_bot(sandbox, make_request(transport))
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


class ForwardProxy(TinyServer):
    """A plain HTTP forward proxy: it relays absolute-form requests and remembers them."""

    def __init__(self) -> None:
        super().__init__(self._relay)
        self.seen: list[str] = []
        self.session: aiohttp.ClientSession | None = None

    async def _relay(self, request: web.Request) -> web.StreamResponse:
        self.seen.append(request.url.path.rsplit("/", 1)[-1])
        if self.session is None:
            self.session = aiohttp.ClientSession()
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}
        async with self.session.request(
            request.method, request.url, headers=headers, data=await request.read()
        ) as answer:
            return web.Response(
                status=answer.status,
                body=await answer.read(),
                content_type=answer.content_type,
            )

    async def __aexit__(self, *exc: object) -> None:
        if self.session is not None:
            await self.session.close()
        await super().__aexit__(*exc)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


_HOP_HEADERS = {"host", "proxy-connection", "connection", "keep-alive", "content-length"}


async def test_proxy_setting_carries_both_connections(
    sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    async with ForwardProxy() as proxy:
        settings = sandbox_settings(
            sandbox, tmp_path / "fb.db", http_transport=transport, proxy_url=proxy.url
        )
        bot = BotHarness(sandbox, settings)
        await bot.start()
        try:
            ana = sandbox.user(ALICE, "Ana")
            await ana.send("/start")
            await ana.expect("Welcome to ForumBridge")
        finally:
            await bot.stop()
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
        bot = await _sandbox_bot(sandbox, make_request(transport))
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
        assert isinstance(app.bot.request, expected)
        ana = sandbox.user(ALICE, "Ana")
        await ana.send("/start")
        await ana.expect("Welcome to ForumBridge")
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
