"""The live services one bot process shares: settings, database, repositories and clock.

Built once in ``bot.app`` and reachable from every handler as ``context.services``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from storage.db import Database
from storage.users import ORGANISER, UserRepository


@dataclass
class Services:
    settings: Settings
    db: Database
    clock: Clock
    users: UserRepository
    # user id -> (names last written, monotonic time of the write); see handlers.tracking
    seen_cache: dict[int, tuple[tuple[str | None, ...], float]] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, db: Database, clock: Clock | None = None) -> Services:
        return cls(settings=settings, db=db, clock=clock or Clock(), users=UserRepository(db))

    async def is_organiser(self, user_id: int | None) -> bool:
        """The server-side role check behind every organiser command and button."""
        if user_id is None:
            return False
        if user_id in self.settings.admin_ids:
            return True
        user = await self.users.get(user_id)
        return user is not None and user.role == ORGANISER
