"""The sandbox over HTTP: an aiohttp server on 127.0.0.1 that answers the Bot API
(``/bot<token>/<method>``, with latency and injected faults), serves files
(``/file/bot<token>/...``) and a small control API for users acting from outside Python; it
also starts the webhook deliverer."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Self

from aiohttp import web

from ..api import Upload, decode_params
from ..state import ApiCall, ApiError
from ..webhook import WebhookAttempt, WebhookDeliverer
from .actions import UserActions


class HttpServer(UserActions):
    """Serving the emulated Telegram on an ephemeral port."""

    def __init__(
        self, token: str, bot_username: str, enforce_rate_limits: bool, latency: float
    ) -> None:
        super().__init__(token, bot_username, enforce_rate_limits)
        self.latency = latency
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._deliverer = WebhookDeliverer(self, self._busy)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Start serving on 127.0.0.1 on an ephemeral port."""
        self._cond = asyncio.Condition()
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_post("/control/users/{user_id}/send", self._control_send)
        app.router.add_post("/control/users/{user_id}/press", self._control_press)
        app.router.add_get("/control/chats/{chat_id}", self._control_chat)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])
        self._deliverer.start()

    async def stop(self) -> None:
        """Release pending long polls and stop the server."""
        self._closing = True
        await self._notify()
        await self._deliverer.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @staticmethod
    async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, Upload]]:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, Upload] = {}
        if request.method != "POST" or not request.can_read_body:
            return raw, files
        ctype = request.content_type
        if ctype == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise ApiError(400, "Bad Request: can't parse JSON request body") from None
            if isinstance(body, dict):
                raw.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    raw[key] = value
        return raw, files

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").to_json(), status=401)
        requested = request.match_info["method"]
        entry = self._methods.get(requested.lower())
        method = entry[0] if entry else requested
        is_poll = method == "getUpdates"
        call = ApiCall(method=method, params={}, time=time.monotonic())
        self.calls.append(call)
        if not is_poll:
            self._in_flight += 1
            self._touch()
        status = 200
        try:
            raw, files = await self._read_params(request)
            call.params = params = decode_params(raw, files)
            if self.latency > 0:
                await asyncio.sleep(self.latency / 2)
            if entry is None:
                raise ApiError(404, "Not Found: method not found")
            chat_id = params.get("chat_id")
            fault = self._faults.take(method, chat_id if isinstance(chat_id, int) else None)
            if fault is not None:
                error = fault.error()
                if error is not None:
                    raise error
                if fault.kind == "slow":
                    await asyncio.sleep(fault.delay)
            result = await entry[1](params, files)
            call.result = result
            body: dict[str, Any] = {"ok": True, "result": result}
            if fault is not None and fault.kind == "timeout":
                # Done (the message is in the chat), but the answer is late: the client
                # times out not knowing whether its call took effect.
                await self._notify()
                await self._hold_answer(request, fault.delay)
        except ApiError as exc:
            call.error = (exc.code, exc.description)
            body = exc.to_json()
            status = exc.code
        finally:
            call.done = True
            if not is_poll:
                self._in_flight -= 1
                self._touch()
        await self._notify()
        if self.latency > 0 and not self._closing:
            await asyncio.sleep(self.latency / 2)
        return web.json_response(body, status=status)

    async def _hold_answer(self, request: web.Request, seconds: float) -> None:
        """Wait ``seconds``, or until the client hangs up (it timed out) or we shut down."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._closing:
            transport = request.transport
            if transport is None or transport.is_closing():
                return
            await asyncio.sleep(0.02)

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if request.match_info["token"] == self.token:
            for stored in self._files.values():
                if stored.file_path == path:
                    return web.Response(body=stored.content, content_type=stored.mime_type)
        return web.json_response(ApiError(404, "Not Found").to_json(), status=404)

    async def _control_send(self, request: web.Request) -> web.Response:
        body = await request.json()
        update = await self.send_text(int(request.match_info["user_id"]), str(body["text"]))
        return web.json_response(update)

    async def _control_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            update = await self.press(
                int(request.match_info["user_id"]),
                str(body["button"]),
                message_id=body.get("message_id"),
            )
        except LookupError as exc:
            return web.json_response({"error": str(exc)}, status=404)
        return web.json_response(update)

    async def _control_chat(self, request: web.Request) -> web.Response:
        chat_id = int(request.match_info["chat_id"])
        return web.json_response([m.to_json() for m in self.messages(chat_id)])

    @property
    def webhook_attempts(self) -> list[WebhookAttempt]:
        """Every POST of an update to the webhook, in order, with the status it got."""
        return list(self._deliverer.attempts)
