"""The one place that builds the Application and wires everything together."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.warnings import PTBUserWarning

from bot.clock import Clock
from bot.config import Settings
from bot.runtime import jobs
from bot.runtime.context import RUNTIME_KEY, SERVICES_KEY, ForumApplication, ForumContext, Runtime
from bot.runtime.logs import instrument
from bot.runtime.outbox import OutboxSender, Render, SendWindow, WindowedRateLimiter
from bot.runtime.persistence import UPDATE_INTERVAL_SECONDS, SQLitePersistence
from bot.runtime.processor import PerChatOrderedProcessor
from bot.runtime.timers import JobQueueTimers
from bot.services.broadcasts import BroadcastService
from bot.services.container import Services
from handlers import (
    admin,
    availability,
    broadcast,
    commands,
    company_admin,
    errors,
    fallback,
    language,
    meeting_feedback,
    meeting_notices,
    meetings,
    meetings_admin,
    notifications,
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
from storage.db import Database
from storage.outbox import OutboxRepository, OutboxRow
from storage.persistence_store import PersistenceStore
from storage.users import UserRepository

log = logging.getLogger(__name__)

# The modules that only register notice renderers (imported for that alone).
NOTICE_RENDERERS = (meeting_notices,)

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
    language.register(app)
    reminder_handlers.register(app)
    match_handlers.register(app)
    intro_handlers.register(app)
    meeting_feedback.register(app)
    meetings.register(app)
    availability.register(app)
    meetings_admin.register(app)
    fallback.register(app)
    errors.register(app)
    instrument(app)


async def _post_init(app: ForumApplication) -> None:
    await commands.publish(app.bot, app.bot_data[SERVICES_KEY])
    await jobs.start(app)


async def _post_stop(app: ForumApplication) -> None:
    await jobs.stop(app)


def notice_renderer(services: Services) -> Render:
    """How the outbox sender turns a notice into a message: in its recipient's language."""

    async def render(row: OutboxRow) -> tuple[str, dict[str, Any]] | None:
        language = await services.languages.of(row.chat_id)
        return await notifications.render(row.kind, row.payload.get("data", {}), language, services)

    return render


def build_application(
    settings: Settings,
    db: Database,
    *,
    clock: Clock | None = None,
    rate_limiter: bool = True,
    persistence_interval: float = UPDATE_INTERVAL_SECONDS,
    max_concurrent_updates: int | None = None,
    register: bool = True,
) -> ForumApplication:
    """Build the Application and the services; the caller owns ``db`` (opened before,
    closed after)."""
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
    assert app.job_queue is not None  # the job-queue extra is a dependency
    clock = clock or Clock()
    sender = OutboxSender(
        app.bot,
        OutboxRepository(db),
        UserRepository(db),
        clock,
        rate=settings.send_rate,
        window=window,
    )
    services = Services.create(
        settings, db, clock, wake=sender.wake, timers=JobQueueTimers(app.job_queue, clock.now)
    )
    sender.render = notice_renderer(services)
    services.broadcaster = BroadcastService(app, services)
    app.bot_data[SERVICES_KEY] = services
    app.bot_data[RUNTIME_KEY] = Runtime(sender)
    if register:
        register_handlers(app)
    return app
