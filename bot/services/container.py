"""The live services one bot process shares: settings, the forum, database, repositories,
clock, the notifier (the one path for messages to other people) and the timers.

Built once in ``bot.app`` (or :meth:`Services.open` outside the bot, e.g. the CLI) and
reachable from every handler as ``context.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from bot.clock import Clock
from bot.config import Settings
from bot.forum import Forum
from bot.services.alerts import AlertService
from bot.services.broadcasts import BroadcastService
from bot.services.catalogue import sync_forum
from bot.services.companies import CompanyService
from bot.services.company_files import CompanyFiles
from bot.services.deadlines import DeadlineTimers
from bot.services.directory import DirectoryService
from bot.services.introductions import IntroductionService
from bot.services.languages import LanguageService
from bot.services.matching import MatchingService
from bot.services.notices import Notifier
from bot.services.organisers import OrganiserService
from bot.services.reminders import ReminderService
from bot.services.timers import NoTimers, Timers
from bot.services.timezones import TimezoneService
from storage.agenda import AgendaRepository
from storage.audit import AuditLog
from storage.broadcasts import BroadcastRepository
from storage.companies import CompanyRepository
from storage.db import Database
from storage.embeddings import EmbeddingRepository
from storage.introductions import IntroductionRepository
from storage.links import LinkRepository
from storage.outbox import OutboxRepository
from storage.users import UserRepository


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    # The forum file (settings.forum) with the retired sectors and intents profiles still
    # have (bot.services.catalogue): every country, sector and intent shown comes from here.
    forum: Forum
    users: UserRepository
    companies: CompanyRepository
    outbox: OutboxRepository
    notifier: Notifier
    timers: Timers
    languages: LanguageService
    # Organiser broadcasts (bot.services.broadcasts): one per process, it keeps the timers.
    broadcasts: BroadcastService
    # Organiser roles and the audit log (bot.services.organisers).
    organisers: OrganiserService
    # The companies' use cases (bot.services.companies); ``companies`` is their repository.
    company_service: CompanyService
    # The organisers' companies CSV import and export (bot.services.company_files).
    company_files: CompanyFiles
    # Session reminders and agenda change notices (one per process: it keeps what it planned).
    reminders: ReminderService
    # Each user's time zone (theirs, or the event's until they choose).
    timezones: TimezoneService
    # Organiser broadcasts (bot.services.broadcasts); set by bot.app, which it still needs.
    broadcaster: BroadcastService | None = None
    # user id -> (names last written, monotonic time of the write); see handlers.tracking
    seen_cache: dict[int, tuple[tuple[str | None, ...], float]] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        settings: Settings,
        db: Database,
        clock: Clock | None = None,
        *,
        forum: Forum | None = None,
        wake: Callable[[], None] | None = None,
        timers: Timers | None = None,
    ) -> Services:
        """Every service, complete. ``forum``: the one :func:`sync_forum` returned
        (the settings' forum otherwise). ``wake`` tells the running outbox sender that there
        is mail; without a bot (the CLI) rows wait for the next running bot, and ``timers``
        default to none (a running bot plans its own at start-up)."""
        clock = clock or Clock()
        forum = forum or settings.forum
        outbox = OutboxRepository(db)
        users = UserRepository(db)
        companies = CompanyRepository(db)
        links = LinkRepository(db)
        notifier = Notifier(outbox, clock.now, wake or (lambda: None))
        timers = timers or NoTimers()
        audit = AuditLog(db)
        return cls(
            settings=settings,
            db=db,
            clock=clock,
            forum=forum,
            users=users,
            companies=companies,
            outbox=outbox,
            notifier=notifier,
            timers=timers,
            languages=LanguageService(users),
            broadcasts=BroadcastService(
                BroadcastRepository(db),
                outbox=outbox,
                audit=audit,
                notifier=notifier,
                timers=timers,
                clock=clock,
                settings=settings,
                forum=forum,
            ),
            organisers=OrganiserService(
                users, audit, notifier, clock, settings.admin_ids, settings.tz
            ),
            company_service=CompanyService(
                db,
                companies=companies,
                links=links,
                users=users,
                notifier=notifier,
                clock=clock,
                forum=forum,
                default_zone=settings.event_timezone,
            ),
            company_files=CompanyFiles(
                db, companies=companies, links=links, clock=clock, forum=forum
            ),
            reminders=ReminderService(
                AgendaRepository(db),
                notifier,
                DeadlineTimers(timers, settings.send_rate, clock.now),
                clock.now,
            ),
            timezones=TimezoneService(users, settings.event_timezone),
        )

    @classmethod
    async def open(cls, settings: Settings, db: Database, clock: Clock | None = None) -> Services:
        """Services for a command without the bot (import, export): the catalogue synced
        from the forum file first, as the bot does at start-up."""
        return cls.create(settings, db, clock, forum=await sync_forum(db, settings.forum))

    @property
    def agenda(self) -> AgendaRepository:
        # Stateless over the shared connection, so building one per use costs nothing.
        return AgendaRepository(self.db)

    @property
    def audit(self) -> AuditLog:
        """The organisers' audit log: ``await services.audit.record(actor, action, detail,
        now=services.clock.now())``."""
        return AuditLog(self.db)

    @cached_property
    def alerts(self) -> AlertService:
        """Unhandled errors told to the organisers (one instance: it keeps the throttle)."""
        return AlertService(self.notifier, self.users, self.settings.admin_ids, self.clock)

    @property
    def embeddings(self) -> EmbeddingRepository:
        """Stored sentence embeddings of company profiles (see bot.services.embeddings)."""
        return EmbeddingRepository(self.db)

    @property
    def introductions(self) -> IntroductionRepository:
        """The introductions' repository (the service is :attr:`intros`)."""
        return IntroductionRepository(self.db)

    # -- matching, introductions and the directory (services; the repository above keeps
    # the name ``introductions`` that meetings and follow-ups read) ----------------------
    @cached_property
    def matching(self) -> MatchingService:
        """Matches, "not interested", the daily digest, the organisers' figures, export."""
        return MatchingService(
            self.companies,
            self.introductions,
            self.embeddings,
            self.outbox,
            self.notifier,
            self.forum,
            self.clock,
        )

    @cached_property
    def intros(self) -> IntroductionService:
        """Double opt-in introductions: requests, answers, expiry, reminders."""
        return IntroductionService(
            self.settings,
            self.clock,
            self.companies,
            self.introductions,
            self.users,
            self.notifier,
            self.matching,
        )

    @cached_property
    def directory(self) -> DirectoryService:
        """/companies: browse, filter and search the companies one can meet."""
        return DirectoryService(self.companies, self.db, self.forum)

    @property
    def links(self) -> LinkRepository:
        """One-time invitation and claim deep links of companies."""
        return LinkRepository(self.db)

    async def is_organiser(self, user_id: int | None) -> bool:
        """The server-side role check behind every organiser command and button (kept here
        for the many handlers that ask; ``organisers.is_organiser`` is the rule)."""
        return await self.organisers.is_organiser(user_id)
