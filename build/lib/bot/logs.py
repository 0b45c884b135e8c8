"""Logging: one line per handled update (update id, user id, handler, duration), and no
bot token in any log line, whoever logs it (httpx logs full request URLs)."""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler

TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
log = logging.getLogger("bot.updates")


class RedactTokens(logging.Filter):
    """Replaces anything shaped like a bot token (and the configured one) with a marker."""

    def __init__(self, token: str = "") -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_PATTERN.sub("<token>", message)
        if self.token:
            redacted = redacted.replace(self.token, "<token>")
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def setup_logging(level: str, token: str = "") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactTokens(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request at INFO, URL (and so token) included: too noisy and unsafe.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


Callback = Callable[[Any, Any], Coroutine[Any, Any, Any]]


def _logged(callback: Callback, name: str) -> Callback:
    @functools.wraps(callback)
    async def wrapper(update: Any, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return await callback(update, context)
        finally:
            if isinstance(update, Update) and log.isEnabledFor(logging.INFO):
                user = update.effective_user
                log.info(
                    "update=%s user=%s handler=%s ms=%.1f",
                    update.update_id,
                    user.id if user else None,
                    name,
                    (time.perf_counter() - started) * 1000,
                )

    return wrapper


def _instrument_handler(handler: BaseHandler[Any, Any, Any]) -> None:
    if isinstance(handler, ConversationHandler):
        for inner in handler.entry_points + handler.fallbacks:
            _instrument_handler(inner)
        for handlers in handler.states.values():
            for inner in handlers:
                _instrument_handler(inner)
        return
    callback = handler.callback
    if getattr(callback, "__wrapped__", None) is not None:
        return
    name = f"{callback.__module__}.{callback.__qualname__}"
    handler.callback = _logged(callback, name)


def instrument(app: Application) -> None:
    """Wrap every registered handler so each handled update logs one line."""
    for handlers in app.handlers.values():
        for handler in handlers:
            _instrument_handler(handler)
