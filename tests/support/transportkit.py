"""Helpers for the transport tests: tiny local servers standing in for the Bot API or a
proxy, and bots built on a given request object."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from aiohttp import web
from telegram import Bot
from telegram.request import BaseRequest

from sandbox import Sandbox

ALICE = 1001
TOKEN = "123456:SECRET-TOKEN-NOT-IN-ANY-MESSAGE"
# A PNG signature and an IHDR chunk: enough for the sandbox to store it as a photo.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


def bot_at(base_url: str, token: str, request: BaseRequest) -> Bot:
    return Bot(token, base_url=base_url, request=request)


async def sandbox_bot(sandbox: Sandbox, request: BaseRequest) -> Bot:
    """An initialised Bot on ``request`` against the sandbox, with ALICE's chat open."""
    bot = bot_at(sandbox.base_url, sandbox.token, request)
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


async def params(request: web.Request) -> Any:
    """A Bot API call's parameters: httpx sends a form, the aiohttp transport JSON."""
    if request.content_type == "application/json":
        return await request.json()
    return await request.post()


def chain(exc: BaseException | None) -> str:
    """Every message in an exception's chain (what a logged traceback shows)."""
    parts: list[str] = []
    while exc is not None:
        parts.append(f"{type(exc).__name__}: {exc}")
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return "\n".join(parts)


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
