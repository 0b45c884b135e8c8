"""The live services one bot process shares: settings, the forum, database, repositories
and clock.

Built once in ``bot.app`` (or :meth:`Services.open` outside the bot) and reachable from every
handler as ``context.services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.forum import Forum
from bot.runtime.clock import Clock
from bot.services.catalogue import sync_forum
from storage.agenda import AgendaRepository
from storage.audit import AuditLog
from storage.broadcasts import BroadcastRepository
from storage.companies import CompanyRepository
from storage.db import Database
from storage.introductions import IntroductionRepository
from storage.links import LinkRepository
from storage.outbox import OutboxRepository
from storage.users import ORGANISER, UserRepository

if TYPE_CHECKING:
    from bot.runtime.outbox import OutboxSender
    from bot.services.broadcasts import BroadcastService


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
    # Set by bot.app once the Application (and so the Bot) exists.
    sender: OutboxSender | None = None
    # Organiser broadcasts (bot.services.broadcasts); set by bot.app like the sender.
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
    ) -> Services:
        """``forum``: the one :func:`sync_forum` returned; the settings' forum otherwise."""
        return cls(
            settings=settings,
            db=db,
            clock=clock or Clock(),
            forum=forum or settings.forum,
            users=UserRepository(db),
            companies=CompanyRepository(db),
            outbox=OutboxRepository(db),
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

    @property
    def broadcasts(self) -> BroadcastRepository:
        return BroadcastRepository(self.db)

    @property
    def introductions(self) -> IntroductionRepository:
        return IntroductionRepository(self.db)

    @property
    def links(self) -> LinkRepository:
        """One-time invitation and claim deep links of companies."""
        return LinkRepository(self.db)

    @property
    def outbox_sender(self) -> OutboxSender:
        if self.sender is None:
            raise RuntimeError("the outbox sender is not set up")
        return self.sender

    async def is_organiser(self, user_id: int | None) -> bool:
        """The server-side role check behind every organiser command and button."""
        if user_id is None:
            return False
        if user_id in self.settings.admin_ids:
            return True
        user = await self.users.get(user_id)
        return user is not None and user.role == ORGANISER
