"""Around a confirmed meeting: its reminders, the "did it take place?" question at its end,
and the answers (held or not, a 1–5 rating, a note).

The database is the source of truth, as for session reminders. Each confirmed meeting has a
timer per lead time still ahead (``meeting:<id>:remind:<lead>``) and one at its end
(``meeting:<id>:end``); a timer that fires re-reads the meeting and does nothing if it was
cancelled or moved meanwhile. At start-up :meth:`MeetingFollowUp.plan_all` makes every timer
again from the database and sends what fell due while the bot was down (one late reminder
per rep, the feedback questions); a sweep every half minute plans meetings written by another
process (``python -m bot schedule-meetings``) and expires proposals whose slot began.

Every rep of both companies is reminded ``MEETING_LEAD_MINUTES`` (10) minutes before, and at
the lead times they chose in /reminders. Reminders go through the outbox as notices keyed by
meeting, lead and start time, so nothing is sent twice and a moved meeting gets fresh ones.
"""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta

from bot.domain.meeting_slots import MEETING_LEAD_MINUTES
from bot.services.meeting_base import MeetingBase, Result
from bot.services.notices import Delivery, Notice
from storage.meeting_choices import HELD
from storage.meetings import CANCELLED, CONFIRMED, LIVE, MeetingRecord
from storage.outbox import PRIORITY_URGENT

log = logging.getLogger(__name__)

# The lead times of /reminders (1 day, 1 hour, 15 minutes, at start) and the fixed 10.
MEETING_LEADS: tuple[int, ...] = (1440, 60, 15, MEETING_LEAD_MINUTES, 0)
TIMER_PREFIX = "meeting:"
SWEEP_EVERY = timedelta(seconds=30)
# A reminder later than this after the start is not worth sending.
START_GRACE = timedelta(minutes=2)
NOTE_LIMIT = 500


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%MZ")


def remind_timer(meeting_id: int, lead: int) -> str:
    return f"{TIMER_PREFIX}{meeting_id}:remind:{lead}"


def end_timer(meeting_id: int) -> str:
    return f"{TIMER_PREFIX}{meeting_id}:end"


class MeetingFollowUp(MeetingBase):
    # -- timers --------------------------------------------------------------------------
    def drop(self, meeting_id: int) -> None:
        """Forget a meeting's timers (it was cancelled, declined or moved)."""
        timers = self.services.reminders.timers
        for name in timers.names(f"{TIMER_PREFIX}{meeting_id}:"):
            timers.cancel(name)

    async def plan(
        self, meeting: MeetingRecord, targets: list[tuple[int, int, set[int]]] | None = None
    ) -> int:
        """(Re)make the timers of one meeting; returns how many. Only a confirmed meeting
        has any. Its reminder timers are planned with the session reminders
        (``bot.services.deadlines``), sized by the reps who get each lead time
        (``targets``, as :meth:`_targets` gives them, read here when not given)."""
        self.drop(meeting.id)
        if meeting.state != CONFIRMED:
            return 0
        if targets is None:
            targets = await self._targets(meeting)
        deadlines, now, planned = self.services.reminders.timers, self.services.clock.now(), 0
        for lead in MEETING_LEADS:
            due = meeting.starts_at - timedelta(minutes=lead)
            if due > now:
                deadlines.at(
                    remind_timer(meeting.id, lead),
                    due,
                    sum(lead in leads for _, _, leads in targets),
                    functools.partial(self.remind, meeting.id, lead, meeting.starts_at),
                )
                planned += 1
        self.services.timers.at(
            end_timer(meeting.id), meeting.ends_at, functools.partial(self.ask_feedback, meeting.id)
        )
        return planned + 1

    async def plan_all(self, *, late: bool = True, only_missing: bool = False) -> dict[str, int]:
        """Timers from the database: at start-up for every meeting (``late``: send what
        fell due while down), and in the sweep for meetings that have none yet."""
        now = self.services.clock.now()
        done = {"expired": await self.repo.expire_proposals(now), "planned": 0, "late": 0}
        planned = set(self.services.timers.names(TIMER_PREFIX))
        for meeting in await self.queries.confirmed_from(now):
            if only_missing and end_timer(meeting.id) in planned:
                continue
            targets = await self._targets(meeting)
            await self.plan(meeting, targets)
            done["planned"] += 1
            if late:
                done["late"] += await self._late(meeting, targets)
        done["feedback"] = 0
        for meeting in await self.queries.feedback_due(now):
            done["feedback"] += await self.ask_feedback(meeting.id)
        return done

    async def sweep(self) -> None:
        done = await self.plan_all(only_missing=True)
        if any(done.values()):
            log.info("meetings sweep: %s", done)

    # -- reminders -----------------------------------------------------------------------
    async def _targets(self, meeting: MeetingRecord) -> list[tuple[int, int, set[int]]]:
        """(rep, their company, the lead times they get) for both companies."""
        reps = [
            (rep, company)
            for company in (meeting.company_a, meeting.company_b)
            for rep in await self.services.companies.reps(company)
        ]
        chosen = await self.choices.chosen_leads([rep for rep, _ in reps])
        return [
            (rep, company, {MEETING_LEAD_MINUTES} | chosen.get(rep, set())) for rep, company in reps
        ]

    async def _send_reminders(
        self, meeting: MeetingRecord, picks: list[tuple[int, int, int]]
    ) -> int:
        """One reminder per (rep, company, lead) in ``picks``."""
        start = meeting.starts_at
        return await self.services.notifier.send(
            Delivery(
                rep,
                Notice(
                    "meeting_reminder",
                    {
                        "meeting": meeting.id,
                        "company": company,
                        "lead": lead,
                        "start": start.isoformat(),
                        "to": rep,
                    },
                ),
                f"meeting:{meeting.id}:remind:{lead}@{_stamp(start)}:{rep}",
                PRIORITY_URGENT,
            )
            for rep, company, lead in picks
        )

    async def remind(self, meeting_id: int, lead: int, starts_at: datetime) -> int:
        """A reminder timer's work: the reps who get this lead time are reminded, if the
        meeting is still confirmed at that time. Returns the notices queued."""
        meeting = await self.repo.get(meeting_id)
        now = self.services.clock.now()
        if meeting is None or meeting.state != CONFIRMED or meeting.starts_at != starts_at:
            return 0
        if now > meeting.starts_at + START_GRACE:
            return 0
        picks = [
            (rep, company, lead)
            for rep, company, leads in await self._targets(meeting)
            if lead in leads
        ]
        return await self._send_reminders(meeting, picks)

    async def _late(self, meeting: MeetingRecord, targets: list[tuple[int, int, set[int]]]) -> int:
        """After a restart: each rep's nearest lead time that passed, if the meeting has not
        started (a reminder sent before under the same key is not sent again)."""
        now = self.services.clock.now()
        if meeting.starts_at <= now:
            return 0
        picks = []
        for rep, company, leads in targets:
            passed = [lead for lead in leads if meeting.starts_at - timedelta(minutes=lead) <= now]
            if passed:
                picks.append((rep, company, min(passed)))
        return await self._send_reminders(meeting, picks)

    # -- after the meeting ---------------------------------------------------------------
    async def ask_feedback(self, meeting_id: int) -> int:
        """At the end of a confirmed meeting, ask both companies' reps whether it took
        place (once: the dedupe keys make a repeat after a crash harmless)."""
        meeting = await self.repo.get(meeting_id)
        now = self.services.clock.now()
        if meeting is None or meeting.state != CONFIRMED or meeting.ends_at > now:
            return 0
        if meeting.feedback_asked_at is not None:
            return 0
        queued = await self.tell(
            meeting,
            "meeting_feedback",
            companies=(meeting.company_a, meeting.company_b),
            key=f"meeting:{meeting.id}:feedback",
        )
        await self.repo.mark_feedback_asked(meeting.id, now)
        return queued

    async def _own(self, user_id: int, meeting_id: int) -> tuple[MeetingRecord, int] | None:
        """The meeting and the rep's company, if it is theirs, confirmed and begun."""
        company = await self.company_of(user_id)
        meeting = await self.repo.get(meeting_id)
        if company is None or meeting is None or not meeting.has(company):
            return None
        if meeting.state != CONFIRMED or meeting.starts_at > self.services.clock.now():
            return None
        return meeting, company

    async def held(self, user_id: int, meeting_id: int, answer: str) -> Result:
        """ "Did the meeting take place?" Kinds: ``yes`` (a rating comes next), ``no``,
        ``moved`` (with the free slots to book the new time, when the two may meet again),
        ``refused``."""
        own = await self._own(user_id, meeting_id)
        if own is None or answer not in HELD:
            return Result("refused")
        meeting, company = own
        await self.choices.set_held(meeting.id, user_id, answer, now=self.services.clock.now())
        view = await self.view(meeting, company)
        partner = meeting.other(company)
        slots: tuple = ()
        if answer == "moved":
            slots = tuple(await self.free_slots(company, partner))
        return Result(
            answer,
            view,
            partner_id=partner,
            partner_name=view.partner_name if view else "",
            slots=slots,
        )

    async def rate(self, user_id: int, meeting_id: int, stars: int) -> Result:
        """Kinds: ``rated``, ``refused`` (not theirs, not said held, or not 1–5)."""
        own = await self._own(user_id, meeting_id)
        if own is None or not 1 <= stars <= 5:
            return Result("refused")
        if not await self.choices.set_rating(meeting_id, user_id, stars):
            return Result("refused")
        return Result("rated", await self.view(*own))

    async def note(self, user_id: int, meeting_id: int, text: str) -> Result:
        """Kinds: ``noted``, ``too_long`` (``limit`` says how long it may be), ``refused``."""
        own = await self._own(user_id, meeting_id)
        if own is None:
            return Result("refused")
        text = text.strip()
        if len(text) > NOTE_LIMIT:
            return Result("too_long", limit=NOTE_LIMIT)
        if not await self.choices.set_note(meeting_id, user_id, text):
            return Result("refused")
        return Result("noted", await self.view(*own))

    # -- agenda changes ------------------------------------------------------------------
    async def reconcile(self) -> int:
        """After an agenda change: live meetings whose slot is gone (their block was
        cancelled, moved or re-cut) are cancelled, and both companies are told."""
        now = self.services.clock.now()
        cancelled = 0
        for meeting in await self.queries.orphans():
            done = await self.repo.set_state(
                meeting.id, meeting.rev, CANCELLED, allowed_from=LIVE, by=None, now=now
            )
            if done is None:
                continue
            cancelled += 1
            self.drop(done.id)
            if done.ends_at > now:
                await self.tell(
                    done,
                    "meeting_cancelled",
                    companies=(done.company_a, done.company_b),
                    extra={"by": "organisers", "start": meeting.starts_at.isoformat()},
                )
        return cancelled
