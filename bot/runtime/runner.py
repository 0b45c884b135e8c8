"""Running the bot for real: take the database's run lock, open (and migrate) the database,
reach the Bot API, receive updates (long polling or webhook) until a signal."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import InvalidToken, NetworkError, TimedOut

from bot.app import build_application
from bot.config import ConfigError, Settings
from bot.runtime.context import ForumApplication
from bot.runtime.runlock import LockHeld, RunLock
from bot.runtime.updates import UpdateSource
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
    """Run until SIGINT/SIGTERM (or ``stop``). Raises :class:`ConfigError` for what the
    operator must fix: another bot on this database, a rejected token, a conflict with
    Telegram (see ``bot.runtime.updates``)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    lock = RunLock(settings.database_path)
    try:
        lock.acquire()
    except LockHeld as held:
        raise ConfigError(
            f"{held}: stop it first - one bot per database ({settings.database_path})"
        ) from None
    try:
        db = await Database.open(settings.database_path)
        if db.last_backup is not None:
            log.info("backed up the database before migrating it: %s", db.last_backup.path)
        try:
            await _run(settings, db, stop)
        finally:
            await db.close()
    finally:
        lock.release()


async def _run(settings: Settings, db: Database, stop: asyncio.Event) -> None:
    app = build_application(settings, db, forum=await sync_forum(db, settings.forum))
    if not await initialize_with_retry(app, settings.base_url, stop):
        return
    fatal: list[str] = []

    def on_fatal(line: str) -> None:
        fatal.append(line)
        stop.set()

    source = UpdateSource(app, settings, on_fatal=on_fatal)
    try:
        if app.post_init:
            await app.post_init(app)
        await app.start()
        await source.start()
        mode = "webhook" if source.webhook else "long polling"
        log.info("ForumBridge is running as @%s (%s); press Ctrl+C to stop", app.bot.username, mode)
        await stop.wait()
        log.info("stopping")
    finally:
        await source.stop()
        if app.running:
            await app.stop()
            # PTB calls post_stop only from run_polling/run_webhook; we start by hand.
            if app.post_stop:
                await app.post_stop(app)
        await app.shutdown()
    if fatal:
        raise ConfigError(fatal[0])
