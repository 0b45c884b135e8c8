"""The webhook server: Telegram posts updates here (``WEBHOOK_URL`` set), and ``GET /healthz``
answers on the same port.

python-telegram-bot's ``Updater.start_webhook`` serves the webhook with Tornado but offers
no public way to add a route to its server (its maintainers answered the health-endpoint
request, PTB issue #1438, with the "custom webhook bot" example). This follows that example:
our own Tornado application (Tornado is what PTB's ``webhooks`` extra installs) puts each
update on ``Application.update_queue``, exactly where PTB's own server puts it, and the
Application processes it as any other. What PTB's server does is done here the same way: a
request must carry Telegram's ``X-Telegram-Bot-Api-Secret-Token`` header with our secret,
or it is refused with 403 — and, unlike PTB's server, which notes it only at DEBUG, the
refusal is logged as a warning (with the caller's address, never the token it sent).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import socket
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import tornado.web
from telegram import Update
from telegram.ext import Application, ExtBot
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"

# The health answer: HTTP status and a JSON body.
HealthCheck = Callable[[], tuple[int, dict[str, Any]]]


class _UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(
        self, app: Application[Any, Any, Any, Any, Any, Any], secret: str, queue: asyncio.Queue[Any]
    ) -> None:
        self.app = app
        self.secret = secret
        self.queue = queue

    def _refuse(self, status: HTTPStatus, why: str) -> None:
        log.warning(
            "webhook request refused (%d): %s, from %s", status.value, why, self.request.remote_ip
        )
        self.set_status(status.value)
        self.finish()

    async def post(self) -> None:
        sent = self.request.headers.get(SECRET_HEADER)
        if sent is None:
            return self._refuse(HTTPStatus.FORBIDDEN, "no secret token")
        if not hmac.compare_digest(sent.encode(), self.secret.encode()):
            return self._refuse(HTTPStatus.FORBIDDEN, "wrong secret token")
        try:
            data = json.loads(self.request.body)
            update = Update.de_json(data, self.app.bot)
        except (ValueError, TypeError, KeyError) as exc:
            return self._refuse(HTTPStatus.BAD_REQUEST, f"not an update ({type(exc).__name__})")
        if isinstance(self.app.bot, ExtBot):
            # As PTB's own server does (arbitrary callback data, when switched on).
            self.app.bot.insert_callback_data(update)
        await self.queue.put(update)
        self.set_status(HTTPStatus.OK.value)
        self.finish()


class _HealthHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET",)

    def initialize(self, check: HealthCheck) -> None:
        self.check = check

    def get(self) -> None:
        status, body = self.check()
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


class _Routes(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: refusals are logged above, updates by the handlers."""


class WebhookServer:
    """Serves ``path`` (updates) and ``/healthz`` on ``listen:port``; port 0 picks a free one
    (then :attr:`port` says which)."""

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        *,
        path: str,
        secret: str,
        listen: str,
        port: int,
        health: HealthCheck,
    ) -> None:
        if path == HEALTH_PATH:
            raise ValueError(f"the webhook path cannot be {HEALTH_PATH}")
        routes = _Routes(
            [
                (
                    rf"{re.escape(path.rstrip('/'))}/?",
                    _UpdateHandler,
                    {"app": app, "secret": secret, "queue": app.update_queue},
                ),
                (HEALTH_PATH, _HealthHandler, {"check": health}),
            ]
        )
        self.listen = listen
        self.port = port
        self._server = HTTPServer(routes)
        self._sockets: list[socket.socket] = []

    def start(self) -> int:
        self._sockets = bind_sockets(self.port, address=self.listen)
        self._server.add_sockets(self._sockets)
        self.port = int(self._sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        self._server.stop()
        await self._server.close_all_connections()
