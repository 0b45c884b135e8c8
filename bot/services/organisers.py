"""Organiser roles and their audit log: who is an organiser (the ``ADMIN_IDS`` setting, or
promoted in the chat), /promote and /demote by numeric id or by a username that exactly one
known user has, and the log of what organisers did.

A username is not an identity: one that an account gave up can be taken by another while
the first is still on record with it, so a username that two stored users have changes
nothing and the organiser is asked for the numeric id (issue 9). The promoted person hears
of it through a notice (``organiser_promoted``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.services.notices import Notifier
from storage.audit import AuditLog
from storage.outbox import PRIORITY_URGENT
from storage.users import ORGANISER, PARTICIPANT, UserRecord, UserRepository

PROMOTED_NOTICE = "organiser_promoted"
# Telegram user ids are positive and fit SQLite's INTEGER; anything else names nobody.
MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Person:
    """A user as organisers see them in /promote, /demote and /audit."""

    id: int
    name: str
    username: str | None
    last_seen: str

    @classmethod
    def of(cls, user: UserRecord) -> Person:
        return cls(user.telegram_id, user.display_name, user.username, user.last_seen)


@dataclass(frozen=True)
class RoleChange:
    """What /promote or /demote did. ``kind``: "promoted", "demoted", "already" (an
    organiser already), "not_organiser", "by_setting" (an organiser by ``ADMIN_IDS``, which
    only the setting changes), "unknown" (nobody known by what was typed: ``asked``) or
    "ambiguous" (several users have that username: ``candidates``)."""

    kind: str
    person: Person | None = None
    candidates: tuple[Person, ...] = ()
    asked: str = ""


@dataclass(frozen=True)
class AuditLine:
    at: datetime
    actor_id: int
    actor: Person | None  # None when the actor is not known (any more)
    erased_actor: str | None  # "erased user #N" for an organiser who erased themselves
    action: str
    detail: str


def _user_id(raw: str) -> int | None:
    """A numeric id as typed (ASCII digits only: "²" and "٣" are digits to str.isdigit)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    number = int(raw)
    return number if 0 < number <= MAX_ID else None


@dataclass(eq=False)
class OrganiserService:
    """``services.organisers``."""

    users: UserRepository
    audit: AuditLog
    notifier: Notifier
    clock: Clock
    admin_ids: frozenset[int]
    event_zone: ZoneInfo

    async def is_organiser(self, user_id: int | None) -> bool:
        """The server-side role check behind every organiser command and button."""
        if user_id is None:
            return False
        if user_id in self.admin_ids:
            return True
        user = await self.users.get(user_id)
        return user is not None and user.role == ORGANISER

    async def zone_of(self, user_id: int) -> ZoneInfo:
        """An organiser's own zone (the event's when they have none): for the times they
        read and type."""
        user = await self.users.get(user_id)
        try:
            return ZoneInfo(user.timezone) if user and user.timezone else self.event_zone
        except (ValueError, KeyError):
            return self.event_zone

    async def record(self, actor_id: int, action: str, detail: str = "") -> None:
        await self.audit.record(actor_id, action, detail, now=self.clock.now())

    async def find(self, raw: str) -> UserRecord | RoleChange:
        """The one user ``raw`` names (a numeric id, or a username with or without @), or
        why there is none."""
        asked = raw.strip()
        number = _user_id(asked)
        if number is not None:
            user = await self.users.get(number)
            found = [user] if user is not None else []
        elif asked.lstrip("-").isdigit():
            found = []  # a negative or oversized number names nobody
        else:
            found = await self.users.with_username(asked)
        if not found:
            return RoleChange("unknown", asked=asked)
        if len(found) > 1:
            people = tuple(Person.of(u) for u in found)
            return RoleChange("ambiguous", candidates=people, asked=asked)
        return found[0]

    async def promote(self, actor_id: int, raw: str) -> RoleChange:
        target = await self.find(raw)
        if isinstance(target, RoleChange):
            return target
        person = Person.of(target)
        if await self.is_organiser(target.telegram_id):
            return RoleChange("already", person)
        await self.users.set_role(target.telegram_id, ORGANISER)
        now = self.clock.now()
        await self.audit.record(
            actor_id, "promote", f"{target.telegram_id} {target.username or ''}", now=now
        )
        await self.notifier.tell(
            [target.telegram_id],
            PROMOTED_NOTICE,
            {"user": target.telegram_id},
            key=f"promoted:{target.telegram_id}:{now.isoformat()}",
            priority=PRIORITY_URGENT,
        )
        return RoleChange("promoted", person)

    async def demote(self, actor_id: int, raw: str) -> RoleChange:
        target = await self.find(raw)
        if isinstance(target, RoleChange):
            return target
        person = Person.of(target)
        if target.telegram_id in self.admin_ids:
            return RoleChange("by_setting", person)
        if target.role != ORGANISER:
            return RoleChange("not_organiser", person)
        await self.users.set_role(target.telegram_id, PARTICIPANT)
        await self.record(actor_id, "demote", f"{target.telegram_id} {target.username or ''}")
        return RoleChange("demoted", person)

    async def audit_log(self, limit: int = 50) -> list[AuditLine]:
        """The latest organiser actions, newest first."""
        people: dict[int, Person | None] = {}
        lines = []
        for entry in await self.audit.recent(limit):
            if entry.actor_id not in people:
                user = None if entry.erased_actor else await self.users.get(entry.actor_id)
                people[entry.actor_id] = Person.of(user) if user else None
            lines.append(
                AuditLine(
                    at=datetime.fromisoformat(entry.created_at),
                    actor_id=entry.actor_id,
                    actor=people[entry.actor_id],
                    erased_actor=entry.erased_actor,
                    action=entry.action,
                    detail=entry.detail,
                )
            )
        return lines
