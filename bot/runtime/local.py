"""A bot running inside the current event loop against a given Bot API (usually the sandbox).

Used by the demo, the benchmarks and the tests: the same Application as in production,
started and stopped by hand instead of through signals.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.runtime.clock import Clock
from bot.runtime.context import ForumApplication
from bot.services.catalogue import sync_forum
from bot.services.container import Services
from storage.db import Database


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


class LocalBot:
    """Database + Application + long polling, started and stopped on demand."""

    def __init__(self, settings: Settings, *, clock: Clock | None = None, **build: Any) -> None:
        self.settings = settings
        self.clock = clock
        self.build_options = build
        self.db: Database | None = None
        self.app: ForumApplication | None = None

    @property
    def services(self) -> Services:
        assert self.app is not None, "the bot is not running"
        services: Services = self.app.bot_data["services"]
        return services

    async def start(self) -> ForumApplication:
        self.db = await Database.open(self.settings.database_path)
        forum = await sync_forum(self.db, self.settings.forum)
        self.app = build_application(
            self.settings, self.db, clock=self.clock, forum=forum, **self.build_options
        )
        await self.app.initialize()
        if self.app.post_init:
            await self.app.post_init(self.app)
        assert self.app.updater is not None
        # poll_interval=0: against a local server there is no reason to wait between polls.
        await self.app.updater.start_polling(
            poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES
        )
        await self.app.start()
        return self.app

    async def stop(self) -> None:
        """A graceful stop, as on SIGTERM: in-flight updates finish, persistence is flushed."""
        app, db = self.app, self.db
        self.app = self.db = None
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

    async def restart(self) -> ForumApplication:
        await self.stop()
        return await self.start()
