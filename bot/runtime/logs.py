"""Logging: one line per handled update (update id, user id, handler, duration), as text or
as JSON (``LOG_FORMAT=json``, one object per line with the same fields), and no bot token in
any log line, whoever logs it (httpx logs full request URLs) and wherever it sits (message,
traceback, extra field): the finished line is redacted, not only the message.

With ``SENTRY_DSN`` set, errors go to Sentry too (the ``sentry`` extra); without it nothing
of Sentry is imported."""

from __future__ import annotations

import functools
import logging
import re
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import Application, BaseHandler, ConversationHandler

from bot.config import ConfigError

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


def redact(text: str, token: str = "") -> str:
    text = TOKEN_PATTERN.sub("<token>", text)
    return text.replace(token, "<token>") if token else text


class RedactingFormatter(logging.Formatter):
    """Formats with ``inner`` and takes any token out of the finished line."""

    def __init__(self, inner: logging.Formatter, token: str = "") -> None:
        super().__init__()
        self.inner = inner
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record), self.token)


def formatter(log_format: str, token: str = "") -> logging.Formatter:
    inner: logging.Formatter
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        # Fields a handled update adds (extra=): update_id, user_id, handler, duration_ms;
        # an error adds trace_id and error.
        inner = JsonFormatter(
            "{asctime}{levelname}{name}{message}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    else:
        inner = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    return RedactingFormatter(inner, token)


def setup_logging(level: str, token: str = "", log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(formatter(log_format, token))
    handler.addFilter(RedactTokens(token))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request at INFO, URL (and so token) included: too noisy and unsafe.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def _scrub(value: Any, token: str) -> Any:
    if isinstance(value, str):
        return redact(value, token)
    if isinstance(value, dict):
        return {k: _scrub(v, token) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v, token) for v in value]
    return value


def setup_sentry(dsn: str, token: str = "") -> bool:
    """Report errors to Sentry when ``dsn`` is set; whether it was switched on."""
    if not dsn:
        return False
    try:
        import sentry_sdk
    except ImportError:
        raise ConfigError(
            "SENTRY_DSN is set but sentry-sdk is not installed: "
            "pip install 'forumbridge[sentry]', or unset SENTRY_DSN"
        ) from None

    def before_send(event: Any, hint: Any) -> Any:
        return _scrub(event, token)

    # No personal data: no user ids, IPs or request bodies leave the server.
    sentry_sdk.init(dsn=dsn, send_default_pii=False, before_send=before_send)
    return True


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
                fields = {
                    "update_id": update.update_id,
                    "user_id": user.id if user else None,
                    "handler": name,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                }
                log.info(
                    "update=%s user=%s handler=%s ms=%.1f",
                    *fields.values(),
                    extra=fields,
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
