"""Where updates come from: long polling, or the webhook server when ``WEBHOOK_URL`` is set.

Both end in the Application's update queue. Two conflicts with Telegram at start-up are the
operator's to settle, so each becomes one line and exit code 2 (``fatal``) instead of a
retry loop: a webhook set for the bot while this one would poll (Telegram answers
getUpdates with 409 while a webhook is set; PTB would silently delete the webhook, taking
the updates away from whatever deployment set it), and another process already polling with
the same token (409 "terminated by other getUpdates request" before our first poll
succeeded). A bot that has been polling fine and then meets a newcomer logs a warning and
keeps going: the newcomer is the one that stops.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from telegram import Update
from telegram.error import BadRequest, Conflict, TelegramError

from bot.config import ConfigError, Settings
from bot.runtime.context import RUNTIME_KEY, ForumApplication, Runtime
from bot.runtime.health import WEDGED_AFTER, Vitals
from bot.runtime.webhook import WebhookServer

log = logging.getLogger(__name__)


def webhook_is_set(url: str) -> str:
    return (
        f"a webhook is set for this bot (to {urlsplit(url).netloc or url}), so Telegram refuses "
        "long polling (409 Conflict): set WEBHOOK_URL to run in webhook mode, or run "
        "`python -m bot delete-webhook` if nothing uses that webhook any more"
    )


OTHER_POLLER = (
    "another process is polling Telegram with this bot token (409 Conflict): "
    "stop it - only one bot may run per token"
)
OTHER_POLLER_LATE = (
    "409 Conflict: another process polled Telegram with this bot token; "
    "only one bot may run per token (this one keeps running)"
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def health_answer(vitals: Vitals) -> tuple[int, dict[str, Any]]:
    """``GET /healthz``: 200 while the heartbeat is fresh, 503 once the bot is wedged."""
    age = vitals.beat_age()
    body = {
        "status": "wedged" if vitals.wedged else "ok",
        "mode": vitals.mode,
        "heartbeat_age_seconds": round(age.total_seconds(), 1) if age is not None else None,
        "wedged_after_seconds": int(WEDGED_AFTER.total_seconds()),
        "last_update": _iso(vitals.last_update_at),
        "last_api_success": _iso(vitals.last_api_ok_at),
    }
    return (503 if vitals.wedged else 200), body


@dataclass(eq=False)
class UpdateSource:
    """Starts and stops the one way this bot receives updates. ``on_fatal`` gets the line
    for the operator when a conflict makes running on pointless."""

    app: ForumApplication
    settings: Settings
    _: KW_ONLY
    on_fatal: Callable[[str], None]
    poll_interval: float = 0.0
    poll_timeout: int = 10
    # Tests serve on a free port and tell Telegram (the sandbox) that address instead.
    public_url: Callable[[int], str] | None = None
    server: WebhookServer | None = field(default=None, init=False)

    @property
    def webhook(self) -> bool:
        return bool(self.settings.webhook_url)

    async def start(self) -> None:
        if self.webhook:
            await self._start_webhook()
        else:
            await self._start_polling()

    async def _start_polling(self) -> None:
        info = await self.app.bot.get_webhook_info()
        if info.url:
            raise ConfigError(webhook_is_set(info.url))
        assert self.app.updater is not None
        await self.app.updater.start_polling(
            poll_interval=self.poll_interval,
            timeout=timedelta(seconds=self.poll_timeout),
            allowed_updates=Update.ALL_TYPES,
            error_callback=self._polling_error,
        )

    def _polling_error(self, exc: TelegramError) -> None:
        runtime: Runtime = self.app.bot_data[RUNTIME_KEY]
        if isinstance(exc, Conflict) and not runtime.vitals.polled:
            self.on_fatal(OTHER_POLLER)
        elif isinstance(exc, Conflict):
            log.warning("%s", OTHER_POLLER_LATE)
        else:
            log.warning("polling for updates failed (%s); retrying", exc)

    async def _start_webhook(self) -> None:
        runtime: Runtime = self.app.bot_data[RUNTIME_KEY]
        settings = self.settings
        self.server = WebhookServer(
            self.app,
            path=settings.webhook_path,
            secret=settings.webhook_secret,
            listen=settings.webhook_listen,
            port=settings.port,
            health=lambda: health_answer(runtime.vitals),
        )
        port = self.server.start()
        url = self.public_url(port) if self.public_url else settings.webhook_url
        try:
            await self.app.bot.set_webhook(
                url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        except BadRequest as exc:
            await self.server.stop()
            raise ConfigError(
                f"WEBHOOK_URL: Telegram refused the webhook ({exc.message})"
            ) from None
        log.info("webhook set; serving updates and /healthz on port %d", port)

    async def stop(self) -> None:
        """Stop receiving. The webhook stays set: Telegram keeps the updates that arrive
        while the bot restarts and delivers them once it is back."""
        if self.server is not None:
            await self.server.stop()
            self.server = None
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
