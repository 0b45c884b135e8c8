"""The agenda's use cases: the listing and one session as a user sees them, subscriptions,
reminder lead times, the data of the user's calendar file, and for organisers the import of
an agenda file and moving or cancelling one session (which tell the subscribers, cancel the
meetings whose slot went and re-plan the reminders).

No rendering here: the handlers (``handlers.agenda``, ``handlers.reminders``) get the
dataclasses below and write them in the reader's language. Every button's id is checked
again here (a session gone or cancelled is ``"gone"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.agenda import LEADS, keys_in
from bot.domain.agenda_files import AgendaFileError, parse_agenda
from bot.domain.meeting_blocks import MEETINGS
from bot.domain.timefmt import zone
from bot.services.container import Services
from bot.services.meeting_base import MeetingView
from bot.services.meeting_followup import MeetingFollowUp
from bot.services.meetings import MeetingService
from storage.agenda import Change, ImportResult, Session

# What the handlers read (they never import storage).
__all__ = [
    "LEADS",
    "MEETINGS",
    "AgendaFileError",
    "AgendaService",
    "Change",
    "ImportResult",
    "Session",
]


@dataclass(frozen=True)
class Listing:
    """The upcoming sessions, those the user subscribed to, and the user's zone."""

    sessions: list[Session]
    subscribed: set[int]
    zone: str


@dataclass(frozen=True)
class SessionView:
    """One session as a user sees it; ``kind`` is what the press did: ``shown``,
    ``subscribed``, ``unsubscribed``, ``already`` (nothing to do) or ``gone``."""

    kind: str
    session: Session | None = None
    subscribed: bool = False
    leads: tuple[int, ...] = ()
    zone: str = ""


@dataclass(frozen=True)
class SubscribedAll:
    added: int  # how many were new
    total: int  # the upcoming sessions
    leads: tuple[int, ...]


@dataclass(frozen=True)
class Leads:
    """``kind``: ``saved`` (``leads`` changed), ``same`` (nothing to do), ``last`` (the last
    lead time cannot go) or ``invalid`` (not a lead time)."""

    kind: str
    leads: tuple[int, ...]


@dataclass(frozen=True)
class Calendar:
    """What the user's calendar file holds."""

    sessions: list[Session]
    meetings: list[MeetingView]
    now: datetime


@dataclass(frozen=True)
class AgendaUpdate:
    result: ImportResult
    notices: int


@dataclass(frozen=True)
class Reminded:
    """A session a notice is about, and its reader's zone (None: nothing to say any more)."""

    session: Session
    zone: str
    now: datetime


class AgendaService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.agenda = services.agenda

    # -- reading -------------------------------------------------------------------------
    async def listing(self, user_id: int) -> Listing:
        sessions = await self.agenda.upcoming(self.services.clock.now())
        return Listing(
            sessions,
            await self.agenda.subscribed_ids(user_id),
            await self.services.timezones.zone_of(user_id),
        )

    async def _view(self, kind: str, user_id: int, session: Session) -> SessionView:
        return SessionView(
            kind,
            session,
            session.id in await self.agenda.subscribed_ids(user_id),
            tuple(await self.agenda.leads(user_id)),
            await self.services.timezones.zone_of(user_id),
        )

    async def _live(self, session_id: int) -> Session | None:
        session = await self.agenda.get(session_id)
        return None if session is None or session.cancelled else session

    async def session(self, user_id: int, session_id: int) -> SessionView:
        session = await self._live(session_id)
        if session is None:
            return SessionView("gone")
        return await self._view("shown", user_id, session)

    async def about(self, session_id: int, user_id: int) -> Reminded | None:
        """For a notice to ``user_id``: the session as it is now (cancelled ones too)."""
        session = await self.agenda.get(session_id)
        if session is None:
            return None
        zone_name = await self.services.timezones.zone_of(user_id)
        return Reminded(session, zone_name, self.services.clock.now())

    # -- subscriptions ---------------------------------------------------------------------
    async def subscribe(self, user_id: int, session_id: int, on: bool) -> SessionView:
        """Subscribe (``on``) or unsubscribe; a second press of the same button does nothing."""
        session = await self._live(session_id)
        if session is None:
            return SessionView("gone")
        subscribed = session_id in await self.agenda.subscribed_ids(user_id)
        if subscribed == on:
            return await self._view("already", user_id, session)
        if on:
            await self.agenda.subscribe(user_id, [session_id], now=self.services.clock.now())
        else:
            await self.agenda.unsubscribe(user_id, session_id)
        return await self._view("subscribed" if on else "unsubscribed", user_id, session)

    async def subscribe_all(self, user_id: int) -> SubscribedAll:
        now = self.services.clock.now()
        ids = [s.id for s in await self.agenda.not_started(now)]
        added = await self.agenda.subscribe(user_id, ids, now=now)
        return SubscribedAll(added, len(ids), tuple(await self.agenda.leads(user_id)))

    # -- lead times ------------------------------------------------------------------------
    async def leads(self, user_id: int) -> tuple[int, ...]:
        """The user's lead times in minutes, largest first."""
        return tuple(await self.agenda.leads(user_id))

    async def set_lead(self, user_id: int, minutes: int, on: bool) -> Leads:
        """Turn one lead time on or off (a button says which, so a double press acts once)."""
        current = await self.agenda.leads(user_id)
        if minutes not in LEADS:
            return Leads("invalid", tuple(current))
        wanted = set(current) | {minutes} if on else set(current) - {minutes}
        if not wanted:
            return Leads("last", tuple(current))
        if wanted == set(current):
            return Leads("same", tuple(current))
        await self.agenda.set_leads(user_id, wanted)
        return Leads("saved", tuple(sorted(wanted, reverse=True)))

    # -- the calendar file -----------------------------------------------------------------
    async def calendar(self, user_id: int) -> Calendar:
        """The user's subscribed sessions and their company's confirmed meetings."""
        return Calendar(
            await self.agenda.subscribed_sessions(user_id),
            await MeetingService(self.services).calendar(user_id),
            self.services.clock.now(),
        )

    # -- organisers ------------------------------------------------------------------------
    async def _after_change(self, changes: list[Change]) -> int:
        notices = await self.services.reminders.notify_changes(changes)
        await MeetingFollowUp(self.services).reconcile()  # meetings in a moved or gone block
        await self.services.reminders.rebuild(late=False)
        return notices

    async def import_file(self, data: bytes, filename: str) -> AgendaUpdate:
        """Parse (raises :class:`AgendaFileError`, nothing written), apply, notify, re-plan.
        Outside the bot (the CLI) nothing is planned: the running bot's watch re-plans."""
        event_zone = zone(self.services.settings.event_timezone)
        items = parse_agenda(data, filename, event_zone=event_zone)
        result = await self.agenda.apply_import(
            items, now=self.services.clock.now(), key=keys_in(event_zone)
        )
        return AgendaUpdate(result, await self._after_change(result.notices))

    async def change_session(
        self,
        session_id: int,
        *,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        cancel: bool = False,
    ) -> Change | None:
        """Move or cancel one session, tell its subscribers and re-plan. None if nothing to do."""
        now = self.services.clock.now()
        change: Change | None = None
        if cancel:
            before = await self.agenda.set_cancelled(session_id, now=now)
            change = Change(before=before, after=None) if before else None
        else:
            current = await self.agenda.get(session_id)
            if current is None or starts_at is None:
                return None
            end = ends_at or starts_at + (current.ends_at - current.starts_at)
            before = await self.agenda.move(session_id, starts_at, end, now=now)
            after = await self.agenda.get(session_id)
            change = Change(before=before, after=after) if before and after else None
        if change is None:
            return None
        await self._after_change([change])
        return change
