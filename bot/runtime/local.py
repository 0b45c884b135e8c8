"""A bot running inside the current event loop against a given Bot API (usually the sandbox).

Used by the demo, the benchmarks and the tests: the same Application as in production,
started and stopped by hand instead of through signals.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.app import build_application
from bot.clock import Clock
from bot.config import Settings
from bot.runtime.context import RUNTIME_KEY, ForumApplication, Runtime
from bot.runtime.outbox import OutboxSender
from bot.runtime.runlock import RunLock
from bot.runtime.updates import UpdateSource
from bot.services.catalogue import sync_forum
from bot.services.container import Services
from storage.db import Database

log = logging.getLogger(__name__)


def local_settings(
    token: str, base_url: str, base_file_url: str, db_path: Path, **overrides: Any
) -> Settings:
    settings = Settings(
        bot_token=token,
        base_url=base_url,
        base_file_url=base_file_url,
        database_path=db_path,
    )
    return replace(settings, **overrides)


def _local_address(settings: Settings) -> Any:
    """With PORT 0 the webhook server takes a free port, and Telegram (the sandbox) is told
    to post to it on 127.0.0.1 instead of to ``WEBHOOK_URL``'s own address."""
    if not settings.webhook_url or settings.port != 0:
        return None
    parts = urlsplit(settings.webhook_url)

    def address(port: int) -> str:
        return urlunsplit((parts.scheme, f"127.0.0.1:{port}", parts.path, "", ""))

    return address


class LocalBot:
    """Run lock + database + Application + updates (long polling, or the webhook when the
    settings have a ``webhook_url``), started and stopped on demand."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, **build: Any) -> None:
        self.settings = settings
        self.clock = clock
        self.build_options = build
        self.db: Database | None = None
        self.app: ForumApplication | None = None
        self.source: UpdateSource | None = None
        self.lock: RunLock | None = None
        # What made the bot stop receiving (a conflict with Telegram), as for the operator.
        self.fatal: list[str] = []

    @property
    def services(self) -> Services:
        assert self.app is not None, "the bot is not running"
        services: Services = self.app.bot_data["services"]
        return services

    @property
    def sender(self) -> OutboxSender:
        return self.runtime.sender

    @property
    def runtime(self) -> Runtime:
        assert self.app is not None, "the bot is not running"
        runtime: Runtime = self.app.bot_data[RUNTIME_KEY]
        return runtime

    def _fatal(self, line: str) -> None:
        log.error("%s", line)
        self.fatal.append(line)

    async def start(self) -> ForumApplication:
        self.lock = RunLock(self.settings.database_path).acquire()
        self.db = await Database.open(self.settings.database_path)
        forum = await sync_forum(self.db, self.settings.forum)
        self.app = build_application(
            self.settings, self.db, clock=self.clock, forum=forum, **self.build_options
        )
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)
        await self.app.start()
        # poll_interval=0: against a local server there is no reason to wait between polls.
        self.source = UpdateSource(
            self.app,
            self.settings,
            on_fatal=self._fatal,
            poll_interval=0.0,
            poll_timeout=1,
            public_url=_local_address(self.settings),
        )
        await self.source.start()
        return self.app

    async def stop(self) -> None:
        """A graceful stop, as on SIGTERM: in-flight updates finish, persistence is flushed."""
        app, db, source, lock = self.app, self.db, self.source, self.lock
        self.app = self.db = self.source = self.lock = None
        if source is not None:
            await source.stop()
        if app is not None:
            if app.updater and app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
                # PTB calls post_stop only from run_polling/run_webhook; we start by hand.
                if app.post_stop:
                    await app.post_stop(app)
            await app.shutdown()
        if db is not None:
            await db.close()
        if lock is not None:
            lock.release()

    async def restart(self) -> ForumApplication:
        await self.stop()
        return await self.start()
