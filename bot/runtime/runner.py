"""Running the bot for real: open the database, reach the Bot API, poll until a signal."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.app import build_application
from bot.config import ConfigError, Settings
from bot.runtime.context import ForumApplication
from bot.services.catalogue import sync_forum
from storage.db import Database

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 60.0


async def initialize_with_retry(app: ForumApplication, base_url: str, stop: asyncio.Event) -> bool:
    """Initialise the Application, retrying while the Bot API is unreachable.

    Returns False if ``stop`` was set while waiting. A rejected token is the operator's to
    fix, so it becomes a :class:`ConfigError`.
    """
    delay = 1.0
    while True:
        try:
            await app.initialize()
            return True
        except InvalidToken:
            raise ConfigError(
                "BOT_TOKEN was rejected by the Bot API (401 Unauthorized): "
                "copy the token again from @BotFather"
            ) from None
        except (NetworkError, TimedOut) as exc:
            log.warning("Bot API at %s unreachable (%s); retrying in %.0f s", base_url, exc, delay)
            try:
                await asyncio.wait_for(stop.wait(), delay)
                return False
            except TimeoutError:
                pass
            delay = min(delay * 2, MAX_BACKOFF_SECONDS)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    db = await Database.open(settings.database_path)
    try:
        app = build_application(settings, db, forum=await sync_forum(db, settings.forum))
        if not await initialize_with_retry(app, settings.base_url, stop):
            return
        try:
            if app.post_init:
                await app.post_init(app)
            assert app.updater is not None
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)
            await app.start()
            me = app.bot.username
            log.info("ForumBridge is running as @%s; press Ctrl+C to stop", me)
            await stop.wait()
            log.info("stopping")
            await app.updater.stop()
            await app.stop()
            # PTB calls post_stop only from run_polling/run_webhook; we start by hand.
            if app.post_stop:
                await app.post_stop(app)
        finally:
            await app.shutdown()
    finally:
        await db.close()
