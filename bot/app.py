"""The one place that builds the Application and wires everything together."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults, TypeHandler
from telegram.warnings import PTBUserWarning

from bot.clock import Clock
from bot.config import Settings
from bot.forum import Forum
from bot.runtime import allocator, blas, heap, jobs
from bot.runtime.context import RUNTIME_KEY, SERVICES_KEY, ForumApplication, ForumContext, Runtime
from bot.runtime.health import Heartbeat, ObservedRequest, Vitals, update_watcher
from bot.runtime.logs import instrument
from bot.runtime.outbox import OutboxSender, Render, SendWindow, WindowedRateLimiter
from bot.runtime.persistence import UPDATE_INTERVAL_SECONDS, SQLitePersistence
from bot.runtime.processor import PerChatOrderedProcessor
from bot.runtime.timers import JobQueueTimers
from bot.runtime.transport import build_requests
from bot.services.container import Services
from handlers import (
    admin,
    agenda_admin,
    agenda_notices,
    availability,
    broadcast,
    commands,
    company_admin,
    company_links,
    company_notices,
    directory,
    errors,
    fallback,
    followups,
    intro_notices,
    intro_request,
    invitations,
    language,
    meeting_feedback,
    meeting_notices,
    meetings,
    meetings_admin,
    notifications,
    outcomes,
    privacy,
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
from storage.heartbeat import HeartbeatRepository
from storage.outbox import OutboxRepository, OutboxRow
from storage.persistence_store import PersistenceStore
from storage.users import UserRepository

log = logging.getLogger(__name__)
# Before every feature's group (tracking is at -11 and -10): the vital signs see each update.
VITALS_GROUP = -1000

# The modules that only register notice renderers (imported for that alone).
NOTICE_RENDERERS = (meeting_notices, intro_notices, company_notices, agenda_notices)

# Our conversations keep their state per user and accept presses on any of their messages,
# which is exactly the per_message=False choice PTB warns about at construction.
warnings.filterwarnings("ignore", message=r"If 'per_message=False'", category=PTBUserWarning)


def register_handlers(app: Application) -> None:
    """Every feature's handlers, in priority order; the fallbacks come last."""
    tracking.register(app)
    # Before start: /start join_<token> and claim_<token> deep links are company_links'.
    company_links.register(app)
    profile.register(app)
    privacy.register(app)
    registration.register(app)
    company_admin.register(app)
    start.register(app)
    broadcast.register(app)
    admin.register(app)
    agenda_handlers.register(app)
    agenda_admin.register(app)
    timezone_handlers.register(app)
    language.register(app)
    reminder_handlers.register(app)
    intro_request.register(app)
    match_handlers.register(app)
    intro_handlers.register(app)
    invitations.register(app)
    followups.register(app)
    directory.register(app)
    outcomes.register(app)
    meeting_feedback.register(app)
    meetings.register(app)
    availability.register(app)
    meetings_admin.register(app)
    fallback.register(app)
    errors.register(app)
    instrument(app)


async def _post_init(app: ForumApplication) -> None:
    allocator.settle()  # before the start-up jobs' threads allocate
    await commands.publish(app.bot, app.bot_data[SERVICES_KEY])
    await jobs.start(app)
    blas.settle()
    heap.settle()


async def _post_stop(app: ForumApplication) -> None:
    heap.release()
    blas.release()
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
    forum: Forum | None = None,
) -> ForumApplication:
    """Build the Application and the services; the caller owns ``db`` (opened before,
    closed after) and passes the ``forum`` that :func:`bot.services.catalogue.sync_forum`
    returned for it."""
    concurrency = max_concurrent_updates or settings.max_concurrent_updates
    clock = clock or Clock()
    vitals = Vitals(clock, mode="webhook" if settings.webhook_url else "polling")
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
    )
    # Replies get their own pool, sized for the concurrency; long polling has its own.
    replies, updates = build_requests(settings, concurrency)
    builder = builder.request(ObservedRequest(replies, vitals)).get_updates_request(
        ObservedRequest(updates, vitals)
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
    sender = OutboxSender(
        app.bot,
        OutboxRepository(db),
        UserRepository(db),
        clock,
        rate=settings.send_rate,
        window=window,
    )
    timers = JobQueueTimers(app.job_queue, now=clock.now)
    services = Services.create(settings, db, clock, forum=forum, wake=sender.wake, timers=timers)

    async def job_failed(name: str, exc: Exception) -> str:
        return (await services.alerts.report(exc, source=f"job {name}")).trace_id

    timers.on_error = job_failed
    sender.render = notice_renderer(services)
    app.bot_data[SERVICES_KEY] = services
    heartbeat = Heartbeat(HeartbeatRepository(db), vitals, app.job_queue)
    app.bot_data[RUNTIME_KEY] = Runtime(sender, vitals, heartbeat)
    if register:
        register_handlers(app)
    # After instrument(): noting the time is not a handled update worth a log line.
    app.add_handler(TypeHandler(Update, update_watcher(vitals)), group=VITALS_GROUP)
    return app
