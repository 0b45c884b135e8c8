"""The one place that builds the Application and wires everything together."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.warnings import PTBUserWarning

from bot.config import Settings
from bot.forum import Forum
from bot.runtime.clock import Clock
from bot.runtime.context import SERVICES_KEY, ForumApplication, ForumContext
from bot.runtime.logs import instrument
from bot.runtime.outbox import OutboxSender, SendWindow, WindowedRateLimiter
from bot.runtime.persistence import UPDATE_INTERVAL_SECONDS, SQLitePersistence
from bot.runtime.processor import PerChatOrderedProcessor
from bot.services import reminders as reminder_planner
from bot.services.broadcasts import BroadcastService
from bot.services.container import Services
from handlers import (
    admin,
    broadcast,
    company_admin,
    errors,
    fallback,
    profile,
    registration,
    start,
    tracking,
)
from handlers import agenda as agenda_handlers
from handlers import intros as intro_handlers
from handlers import matches as match_handlers
from handlers import reminders as reminder_handlers
from handlers import timezone as timezone_handlers
from handlers.commands import organiser_commands, user_commands
from storage.db import Database
from storage.persistence_store import PersistenceStore

log = logging.getLogger(__name__)

# Our conversations keep their state per user and accept presses on any of their messages,
# which is exactly the per_message=False choice PTB warns about at construction.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)


def register_handlers(app: Application) -> None:
    """Every feature's handlers, in priority order; the fallbacks come last."""
    tracking.register(app)
    # Before start: /start join_<token> and claim_<token> deep links are profile's.
    profile.register(app)
    registration.register(app)
    company_admin.register(app)
    start.register(app)
    broadcast.register(app)
    admin.register(app)
    agenda_handlers.register(app)
    timezone_handlers.register(app)
    reminder_handlers.register(app)
    match_handlers.register(app)
    intro_handlers.register(app)
    fallback.register(app)
    errors.register(app)
    instrument(app)


async def publish_commands(app: Application) -> None:
    """The command menu: user commands for everyone, organiser ones in organisers' chats."""
    services: Services = app.bot_data[SERVICES_KEY]
    await app.bot.set_my_commands(
        [BotCommand(c.name, c.description) for c in user_commands()],
        scope=BotCommandScopeDefault(),
    )
    organiser_ids = set(services.settings.admin_ids)
    organiser_ids.update(u.telegram_id for u in await services.users.organisers())
    menu = [BotCommand(c.name, c.description) for c in organiser_commands()]
    for user_id in sorted(organiser_ids):
        try:
            await app.bot.set_my_commands(menu, scope=BotCommandScopeChat(user_id))
        except (BadRequest, Forbidden) as exc:
            # An organiser who never opened the bot has no chat yet; not a reason to stop.
            log.warning("organiser=%s command menu not set: %s", user_id, exc.message)


async def _post_init(app: Application) -> None:
    services: Services = app.bot_data[SERVICES_KEY]
    await publish_commands(app)
    # Resume whatever was pending when the process last stopped.
    services.outbox_sender.start()
    # Running broadcasts carry on, scheduled ones get their jobs back.
    if services.broadcaster is not None:
        await services.broadcaster.startup()
    # Reminder jobs from the agenda in the database, plus the late ones missed while down.
    await reminder_planner.start(app)


async def _post_stop(app: Application) -> None:
    services: Services = app.bot_data[SERVICES_KEY]
    await services.outbox_sender.stop()


def build_application(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    rate_limiter: bool = True,
    persistence_interval: float = UPDATE_INTERVAL_SECONDS,
    max_concurrent_updates: int | None = None,
    register: bool = True,
    forum: Forum | None = None,
) -> ForumApplication:
    """Build the Application; the caller owns ``db`` (opened before, closed after) and
    passes the ``forum`` that :func:`bot.services.catalogue.sync_forum` returned for it."""
    services = Services.create(settings, db, clock, forum=forum)
    concurrency = max_concurrent_updates or settings.max_concurrent_updates
    builder: Any = (
        ApplicationBuilder()
        .token(settings.bot_token)
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .context_types(ContextTypes(context=ForumContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .persistence(SQLitePersistence(PersistenceStore(db), update_interval=persistence_interval))
        .post_init(_post_init)
        .post_stop(_post_stop)
        # Replies get their own pool (long polling has its own connection). Measured through
        # the sandbox at 100 ms latency: a pool of 3/4 of the concurrency served 2.6x the
        # updates/s of a pool as large as it, where httpcore's pool bookkeeping churns.
        .connection_pool_size(max(8, min(concurrency * 3 // 4, 256)))
        .get_updates_read_timeout(30)
    )
    if concurrency > 1:
        builder = builder.concurrent_updates(PerChatOrderedProcessor(concurrency))
    window = SendWindow()
    if rate_limiter:
        # Overall 30/s and 20/min per group, and retry a RetryAfter twice for direct replies.
        # The window lets the outbox see (and leave room for) the direct replies too.
        builder = builder.rate_limiter(WindowedRateLimiter(window, max_retries=2))
    app: ForumApplication = builder.build()
    app.bot_data[SERVICES_KEY] = services
    services.sender = OutboxSender(
        app.bot,
        services.outbox,
        services.users,
        services.clock,
        rate=settings.send_rate,
        window=window,
    )
    services.broadcaster = BroadcastService(app, services)
    if register:
        register_handlers(app)
    return app
