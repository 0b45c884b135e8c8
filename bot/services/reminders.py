"""The reminder planner: timers from the agenda, and session reminders and change notices as
notices (rendered for each reader when they are sent, so "in 15 minutes" is counted then).

The database is the source of truth. For each session not started yet and each lead time
there is one timer named ``reminder:<session>:<lead>`` (``services.timers``; the planner never
sees the JobQueue); :meth:`ReminderService.rebuild` throws them all away and makes them again
from the database, at start-up and after any agenda change. A timer that fires re-reads its
session (a stale one does nothing) and queues one notice per subscriber keyed
``reminder:<user>:<session>:<lead>@<start>`` — so a reminder is never queued twice for one
start time, while a session moved to a new time gets fresh reminders. The timers are
:class:`~bot.services.deadlines.DeadlineTimers`: a timer runs early enough that its last
reminder is out by the due time at ``SEND_RATE`` (all sessions planned together), and the
reminder, rendered when it is sent, says how long is really left ("starts in 18 minutes" for
a 15-minute reminder sent early) and the start time. An import made by
another process (the CLI) is noticed by :meth:`ReminderService.watch`, which
``bot.runtime.jobs`` runs every ``WATCH_EVERY``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.agenda import LEADS
from bot.services.deadlines import DeadlineTimers
from bot.services.notices import Delivery, Notice, Notifier
from storage.agenda import AgendaRepository, Change, Session
from storage.outbox import PRIORITY_NORMAL, PRIORITY_URGENT

__all__ = ["LEADS", "ReminderService"]

log = logging.getLogger(__name__)

JOB_PREFIX = "reminder:"
WATCH_JOB = "agenda:watch"
WATCH_EVERY = timedelta(seconds=30)
# An "at start" timer may run a moment after the start; later than this it stays silent.
START_GRACE = timedelta(minutes=2)
# The notice kinds (``handlers.agenda_notices`` renders them); the outbox counts reminders
# by kind for /stats and cancels those of a moved session by kind and key.
REMINDER_KIND = "reminder"
CHANGE_KIND = "agenda_change"
CANCELLED, MOVED, RESTORED = "cancelled", "moved", "restored"


def job_name(session_id: int, lead: int) -> str:
    return f"{JOB_PREFIX}{session_id}:{lead}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def reminder_key(user_id: int, session_id: int, lead: int, starts_at: datetime) -> str:
    return f"reminder:{user_id}:{session_id}:{lead}@{_stamp(starts_at)}"


@dataclass
class RebuildReport:
    jobs: int = 0
    removed: int = 0
    late: int = 0
    sessions: int = 0


class ReminderService:
    """Plans the reminder timers and queues reminders and change notices. One per process
    (``services.reminders``): it remembers the agenda it planned from."""

    def __init__(
        self,
        agenda: AgendaRepository,
        notifier: Notifier,
        timers: DeadlineTimers,
        now: Callable[[], datetime],
    ) -> None:
        self.agenda = agenda
        self.notifier = notifier
        self.timers = timers
        self.now = now
        self._planned_from: tuple[int, str] | None = None

    # -- reminders -------------------------------------------------------------------------
    async def _remind(
        self, session: Session, targets: Sequence[tuple[int, str | None, int]]
    ) -> int:
        start = session.starts_at.isoformat()
        return await self.notifier.send(
            Delivery(
                chat_id=user_id,
                notice=Notice(
                    REMINDER_KIND,
                    {"session": session.id, "lead": lead, "start": start, "to": user_id},
                ),
                dedupe_key=reminder_key(user_id, session.id, lead, session.starts_at),
                priority=PRIORITY_URGENT,
            )
            for user_id, _zone, lead in targets
        )

    async def fire(self, session_id: int, lead: int, expected_start: datetime | None = None) -> int:
        """A reminder timer's work: queue the reminders of one (session, lead). Returns the
        notices added."""
        session = await self.agenda.get(session_id)
        if session is None or session.cancelled:
            return 0
        if expected_start is not None and session.starts_at != expected_start:
            return 0  # the session moved after this timer was made; the rebuild has the new one
        if self.now() > session.starts_at + START_GRACE:
            return 0
        targets = await self.agenda.reminder_targets(session_id, [lead])
        return await self._remind(session, targets)

    async def send_late(self, session: Session, past_leads: Sequence[int]) -> int:
        """Reminders whose time passed while the bot was down, for a session not started yet.

        Each subscriber gets at most one: for the nearest of their lead times that passed (a
        reminder already queued under that key is not queued again).
        """
        targets = await self.agenda.reminder_targets(session.id, list(past_leads))
        nearest: dict[int, tuple[int, str | None, int]] = {}
        for user_id, tz_name, lead in targets:
            if user_id not in nearest or lead < nearest[user_id][2]:
                nearest[user_id] = (user_id, tz_name, lead)
        return await self._remind(session, list(nearest.values()))

    # -- the timers --------------------------------------------------------------------------
    def planned(self) -> list[str]:
        """The names of the reminder timers planned now."""
        return self.timers.names(JOB_PREFIX)

    async def rebuild(self, *, late: bool) -> RebuildReport:
        """Make the reminder timers again from the database.

        ``late=True`` (start-up): reminders whose time passed while the bot was down are sent
        now if their session has not started; after an agenda change they are not.
        """
        now = self.now()
        sessions = await self.agenda.not_started(now)
        sizes = await self.agenda.reminder_counts(now)
        report = RebuildReport(sessions=len(sessions))
        # No await from here to the end of the loop: nobody sees half a set of timers.
        for name in self.planned():
            self.timers.cancel(name)
            report.removed += 1
        overdue: list[tuple[Session, list[int]]] = []
        for session in sessions:
            past = []
            for lead in LEADS:
                due = session.starts_at - timedelta(minutes=lead)
                if due > now:
                    action = functools.partial(self.fire, session.id, lead, session.starts_at)
                    size = sizes.get((session.id, lead), 0)
                    self.timers.at(job_name(session.id, lead), due, size, action)
                    report.jobs += 1
                else:
                    past.append(lead)
            if past:
                overdue.append((session, past))
        self._planned_from = await self.agenda.fingerprint()
        if late:
            for session, past in overdue:
                report.late += await self.send_late(session, past)
        log.info(
            "reminder timers rebuilt: %d timer(s) for %d session(s), %d late reminder(s)",
            report.jobs,
            report.sessions,
            report.late,
        )
        return report

    async def watch(self) -> bool:
        """An import made by another process (the CLI) changes the table, not our timers:
        re-plan when the agenda is not the one planned from. Whether it re-planned."""
        if await self.agenda.fingerprint() == self._planned_from:
            return False
        await self.rebuild(late=False)
        return True

    # -- agenda changes ----------------------------------------------------------------------
    async def notify_changes(self, changes: Sequence[Change]) -> int:
        """One notice per subscriber of each moved or cancelled session that has not ended;
        the reminders still waiting for its old time are cancelled."""
        now = self.now()
        deliveries: list[Delivery] = []
        for change in changes:
            before, after = change.before, change.after
            await self.agenda.cancel_pending_reminders(before.id)
            if before.ends_at <= now and (after is None or after.ends_at <= now):
                continue  # history was corrected; nobody needs telling
            version = _stamp(after.starts_at) if after else "cancelled"
            stamp = after.updated_at if after else now.isoformat()
            data = {
                "session": before.id,
                "change": CANCELLED if after is None else RESTORED if before.cancelled else MOVED,
                "was_start": before.starts_at.isoformat(),
                "start": after.starts_at.isoformat() if after else None,
            }
            for user_id, _zone in await self.agenda.subscribers(before.id):
                deliveries.append(
                    Delivery(
                        chat_id=user_id,
                        notice=Notice(CHANGE_KIND, {**data, "to": user_id}),
                        dedupe_key=f"agenda-change:{user_id}:{before.id}:{version}:{stamp}",
                        priority=PRIORITY_NORMAL,
                    )
                )
        return await self.notifier.send(deliveries)
