"""The HTTP transport (bot/transport.py) over real HTTP: PTB's timeouts and error mapping on
the aiohttp request, and the same behaviour from PTB's own httpx request.

Slow answers come from the sandbox's "slow" fault; a server that never reads, drops the
connection or never accepts is a tiny local server started by the test.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.runtime.transport import AiohttpRequest, make_request
from sandbox import Sandbox
from tests.support.transportkit import (
    ALICE,
    TOKEN,
    TinyServer,
    bot_at,
    chain,
    params,
    sandbox_bot,
)

# ---------------------------------------------------------------- timeouts


async def test_read_timeout_default_and_per_call(sandbox: Sandbox, transport: str) -> None:
    bot = await sandbox_bot(sandbox, make_request(transport, read_timeout=0.2))
    try:
        sandbox.inject("slow", delay=0.6, count=-1)
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "default read timeout")
        # A per-call value wins over the default; None means no limit at all.
        assert (await bot.send_message(ALICE, "longer", read_timeout=5)).text == "longer"
        assert (await bot.send_message(ALICE, "none", read_timeout=None)).text == "none"
    finally:
        await bot.shutdown()
    bot = await sandbox_bot(sandbox, make_request(transport, read_timeout=5))
    try:
        with pytest.raises(TimedOut):
            await bot.send_message(ALICE, "shorter per call", read_timeout=0.2)
    finally:
        await bot.shutdown()


async def test_pool_timeout_is_timed_out_and_sends_nothing(transport: str) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    served: list[str] = []

    async def hold(request: web.Request) -> web.StreamResponse:
        served.append(str((await params(request))["action"]))
        arrived.set()
        await release.wait()
        return web.json_response({"ok": True, "result": True})

    async with TinyServer(hold) as server:
        request = make_request(transport, connection_pool_size=1, pool_timeout=0.1)
        bot = bot_at(server.base_url, TOKEN, request)
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
            bot = bot_at(server.base_url, TOKEN, request)
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
    bot = bot_at(f"http://127.0.0.1:{never_reads}/bot", TOKEN, request)
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
    bot = bot_at(f"http://127.0.0.1:{port}/bot", TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(TimedOut) as info:
            async with asyncio.timeout(20):
                await bot.get_me()
        assert TOKEN not in chain(info.value)
    finally:
        await request.shutdown()
        for s in (*fillers, listener):
            s.close()


# ---------------------------------------------------------------- connection errors


async def test_refused_connection_is_a_network_error(transport: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = make_request(transport)
    bot = bot_at(f"http://127.0.0.1:{port}/bot", TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as info:
            await bot.get_me()
        assert not isinstance(info.value, TimedOut)
        assert TOKEN not in chain(info.value)
    finally:
        await request.shutdown()


async def test_dropped_connection_is_a_network_error(transport: str) -> None:
    async def drop(request: web.Request) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response()

    async with TinyServer(drop) as server:
        request = make_request(transport)
        bot = bot_at(server.base_url, TOKEN, request)
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
    bot = await sandbox_bot(sandbox, make_request(transport))
    try:
        sandbox.inject(fault)
        with pytest.raises(error) as info:
            await bot.send_message(ALICE, "x")
        assert type(info.value) is error and str(info.value) == message
    finally:
        await bot.shutdown()


async def test_429_is_retry_after(sandbox: Sandbox, transport: str) -> None:
    bot = await sandbox_bot(sandbox, make_request(transport))
    try:
        sandbox.inject("retry_after", retry_after=7)
        with pytest.raises(RetryAfter) as info:
            await bot.send_message(ALICE, "x")
        assert info.value.retry_after in (7, dtm.timedelta(seconds=7))
    finally:
        await bot.shutdown()


async def test_wrong_token_is_invalid_token(sandbox: Sandbox, transport: str) -> None:
    request = make_request(transport)
    bot = bot_at(sandbox.base_url, TOKEN, request)
    await request.initialize()
    try:
        with pytest.raises(InvalidToken):
            await bot.get_me()
    finally:
        await request.shutdown()
