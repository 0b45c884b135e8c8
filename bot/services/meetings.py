"""1:1 meetings for reps: book a slot after an accepted introduction, answer a proposal
(confirm, another slot, decline), reschedule or cancel, /meetings, /availability and the
"let the organisers book meetings for me" opt-in.

A proposal holds the slot for both companies until it is answered (or its slot begins), so
two proposals for the same company and slot can never both stand: the database refuses the
second (see storage.meetings), and its rep is told and offered the slots still free.
Confirmed means booked for both; the meeting then gets its reminders and, at its end, the
feedback question (bot.services.meeting_followup). Every check is made here against the
presser's company: callback data is never trusted.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from bot.domain.meeting_slots import SlotTime
from bot.services.meeting_base import MeetingBase, MeetingView, Result
from bot.services.meeting_followup import MeetingFollowUp
from storage.meetings import (
    BY_ORGANISERS,
    BY_REP,
    CANCELLED,
    CONFIRMED,
    DECLINED,
    LIVE,
    PROPOSED,
    Booking,
    MeetingRecord,
    SlotChoice,
)

__all__ = ["MeetingService", "MeetingView", "MeetingsPage", "Result", "SlotTime"]


@dataclass(frozen=True)
class MeetingsPage:
    """/meetings: the company's live meetings, partners to book with, the opt-in."""

    kind: str  # "ok" or "no_company"
    company_name: str = ""
    upcoming: tuple[MeetingView, ...] = ()
    earlier: tuple[MeetingView, ...] = ()
    bookable: tuple[tuple[int, str], ...] = ()  # (partner id, name) with no meeting ahead
    organisers_book: bool = False


def _refusal(booking: Booking, own: int) -> str:
    """A refused booking as a Result kind, from the booker's side."""
    if booking.kind in ("busy", "unavailable", "limit") and booking.company is not None:
        return booking.kind if booking.company == own else f"partner_{booking.kind}"
    return {"busy": "taken", "full": "taken", "pair": "upcoming"}.get(booking.kind, booking.kind)


class MeetingService(MeetingBase):
    @property
    def followup(self) -> MeetingFollowUp:
        return MeetingFollowUp(self.services)

    async def _pair(self, user_id: int, partner_id: int) -> tuple[int, str] | Result:
        company = await self.company_of(user_id)
        if company is None:
            return Result("no_company")
        partner = await self.name_of(partner_id)
        if partner is None or not await self.may_meet(company, partner_id):
            return Result("not_allowed")
        return company, partner

    async def _upcoming_between(self, company: int, partner: int) -> MeetingRecord | None:
        now = self.services.clock.now()
        return next(
            (
                m
                for m in await self.repo.for_company(company)
                if m.has(partner) and m.state in LIVE and m.ends_at > now
            ),
            None,
        )

    # -- booking -------------------------------------------------------------------------
    async def offer(self, user_id: int, partner_id: int) -> Result:
        """The slot picker. Kinds: ``ok`` (``slots``, maybe none), ``upcoming`` (the pair
        has a meeting ahead: ``meeting``), ``no_company``, ``not_allowed``."""
        pair = await self._pair(user_id, partner_id)
        if isinstance(pair, Result):
            return pair
        company, partner = pair
        existing = await self._upcoming_between(company, partner_id)
        if existing is not None:
            return Result("upcoming", await self.view(existing, company), partner_id, partner)
        slots = await self.free_slots(company, partner_id)
        return Result("ok", partner_id=partner_id, partner_name=partner, slots=tuple(slots))

    async def propose(self, user_id: int, partner_id: int, block_id: int, minute: int) -> Result:
        """Propose a slot. Kinds: ``proposed``; ``taken`` (someone was faster: ``slots``
        holds those still free), ``busy`` / ``unavailable`` / ``limit`` (the booker's own
        company), ``partner_busy`` / ``partner_unavailable`` / ``partner_limit``, ``gone``
        (no longer a slot ahead), ``upcoming``, ``no_company``, ``not_allowed``."""
        pair = await self._pair(user_id, partner_id)
        if isinstance(pair, Result):
            return pair
        company, partner = pair
        settings = self.services.settings
        slot = await self.find_slot(block_id, minute)
        now = self.services.clock.now()
        if slot is None or slot.starts_at <= now:
            booking = Booking("gone")
        else:
            booking = await self.repo.book(
                company,
                partner_id,
                SlotChoice(slot.block_id, slot.starts_at, slot.ends_at),
                state=PROPOSED,
                source=BY_REP,
                proposer_company=company,
                requested_by=user_id,
                token=secrets.token_urlsafe(12),
                max_per_company=settings.max_meetings_per_company,
                now=now,
            )
        if booking.kind == "ok" and booking.meeting is not None:
            await self.tell(booking.meeting, "meeting_proposed", companies=[partner_id])
            return Result(
                "proposed", await self.view(booking.meeting, company), partner_id, partner
            )
        return await self._refused(booking, company, partner_id, partner, None)

    async def _refused(
        self,
        booking: Booking,
        company: int,
        partner_id: int,
        partner: str,
        moving: MeetingRecord | None,
    ) -> Result:
        kind = _refusal(booking, company)
        meeting = None
        if kind == "upcoming":
            existing = await self._upcoming_between(company, partner_id)
            meeting = await self.view(existing, company) if existing else None
        slots = tuple(await self.free_slots(company, partner_id, moving=moving))
        return Result(
            kind,
            meeting,
            partner_id,
            partner,
            slots,
            limit=self.services.settings.max_meetings_per_company,
        )

    # -- answers -------------------------------------------------------------------------
    async def _mine(
        self, user_id: int, meeting_id: int, rev: int
    ) -> tuple[MeetingRecord, int] | Result:
        """The meeting, if it is the presser's company's and still at ``rev``."""
        company = await self.company_of(user_id)
        meeting = await self.repo.get(meeting_id)
        if company is None or meeting is None or not meeting.has(company):
            return Result("refused")
        if meeting.rev != rev or meeting.state not in LIVE:
            return Result("stale", await self.view(meeting, company))
        return meeting, company

    async def confirm(self, user_id: int, meeting_id: int, rev: int) -> Result:
        """Kinds: ``confirmed``, ``refused`` (not theirs, or their own proposal), ``stale``."""
        mine = await self._mine(user_id, meeting_id, rev)
        if isinstance(mine, Result):
            return mine
        meeting, company = mine
        if meeting.state != PROPOSED or meeting.proposer_company == company:
            return Result("refused", await self.view(meeting, company))
        now = self.services.clock.now()
        done = await self.repo.set_state(
            meeting.id, rev, CONFIRMED, allowed_from=(PROPOSED,), by=user_id, now=now
        )
        if done is None:
            return await self._stale(meeting.id, company)
        await self.followup.plan(done)
        await self.tell(
            done, "meeting_confirmed", companies=(done.company_a, done.company_b), skip=user_id
        )
        return Result("confirmed", await self.view(done, company))

    async def decline(self, user_id: int, meeting_id: int, rev: int) -> Result:
        """Decline a proposal to the presser's company, or a meeting the organisers placed.
        Kinds: ``declined``, ``refused``, ``stale``."""
        mine = await self._mine(user_id, meeting_id, rev)
        if isinstance(mine, Result):
            return mine
        meeting, company = mine
        theirs = meeting.state == PROPOSED and meeting.proposer_company != company
        placed = meeting.state == CONFIRMED and meeting.source == BY_ORGANISERS
        if not (theirs or placed):
            return Result("refused", await self.view(meeting, company))
        return await self._end(meeting, company, user_id, DECLINED, "meeting_declined")

    async def cancel(self, user_id: int, meeting_id: int, rev: int) -> Result:
        """Cancel a confirmed meeting or withdraw one's own proposal; the other side is told.
        Kinds: ``cancelled``, ``refused`` (a proposal to them: decline it), ``stale``."""
        mine = await self._mine(user_id, meeting_id, rev)
        if isinstance(mine, Result):
            return mine
        meeting, company = mine
        if meeting.state == PROPOSED and meeting.proposer_company != company:
            return Result("refused", await self.view(meeting, company))
        return await self._end(meeting, company, user_id, CANCELLED, "meeting_cancelled")

    async def _end(
        self, meeting: MeetingRecord, company: int, user_id: int, state: str, kind: str
    ) -> Result:
        done = await self.repo.set_state(
            meeting.id,
            meeting.rev,
            state,
            allowed_from=LIVE,
            by=user_id,
            now=self.services.clock.now(),
        )
        if done is None:
            return await self._stale(meeting.id, company)
        self.followup.drop(done.id)
        # The other company hears it; colleagues see it in /meetings.
        await self.tell(done, kind, companies=[done.other(company)])
        return Result(state, await self.view(done, company))

    async def _stale(self, meeting_id: int, company: int) -> Result:
        fresh = await self.repo.get(meeting_id)
        return Result("stale", await self.view(fresh, company) if fresh else None)

    # -- another slot --------------------------------------------------------------------
    async def alternatives(self, user_id: int, meeting_id: int, rev: int) -> Result:
        """The slots a live meeting can move to. Kinds: ``ok``, ``refused``, ``stale``."""
        mine = await self._mine(user_id, meeting_id, rev)
        if isinstance(mine, Result):
            return mine
        meeting, company = mine
        view = await self.view(meeting, company)
        slots = await self.free_slots(company, meeting.other(company), moving=meeting)
        return Result(
            "ok",
            view,
            meeting.other(company),
            view.partner_name if view else "",
            tuple(slots),
        )

    async def move(
        self, user_id: int, meeting_id: int, rev: int, block_id: int, minute: int
    ) -> Result:
        """Propose another slot for a live meeting (the other side confirms it again).
        Kinds: ``moved`` (``meeting``; the old time is in the notice), the refusals of
        :meth:`propose`, ``refused``, ``stale``."""
        mine = await self._mine(user_id, meeting_id, rev)
        if isinstance(mine, Result):
            return mine
        meeting, company = mine
        partner_id = meeting.other(company)
        partner = await self.name_of(partner_id) or ""
        slot = await self.find_slot(block_id, minute)
        now = self.services.clock.now()
        if slot is None or slot.starts_at <= now or slot.starts_at == meeting.starts_at:
            return await self._refused(Booking("gone"), company, partner_id, partner, meeting)
        booking = await self.repo.move(
            meeting.id,
            rev,
            SlotChoice(slot.block_id, slot.starts_at, slot.ends_at),
            proposer_company=company,
            requested_by=user_id,
            now=now,
        )
        if booking.kind == "ok" and booking.meeting is not None:
            moved = booking.meeting
            self.followup.drop(moved.id)
            await self.tell(
                moved,
                "meeting_proposed",
                companies=[partner_id],
                extra={"was": meeting.starts_at.isoformat()},
            )
            return Result("moved", await self.view(moved, company), partner_id, partner)
        if booking.kind == "gone":  # the meeting changed meanwhile
            return await self._stale(meeting.id, company)
        return await self._refused(booking, company, partner_id, partner, meeting)

    # -- lists and settings --------------------------------------------------------------
    async def page(self, user_id: int) -> MeetingsPage:
        company_id = await self.company_of(user_id)
        company = await self.services.companies.get(company_id) if company_id else None
        if company is None:
            return MeetingsPage("no_company")
        now = self.services.clock.now()
        upcoming, earlier, busy = [], [], set()
        for meeting in await self.repo.for_company(company.id):
            if meeting.state not in LIVE:
                continue
            view = await self.view(meeting, company.id)
            if view is None:
                continue
            if meeting.ends_at > now:
                upcoming.append(view)
                busy.add(view.partner_id)
            elif meeting.state == CONFIRMED:
                earlier.append(view)
        partners: dict[int, str] = {}
        for intro in await self.services.introductions.for_company(company.id):
            other = intro.target_company_id
            if other == company.id:
                other = intro.requester_company_id
            name = await self.name_of(other)
            if intro.state == "accepted" and other not in busy and name is not None:
                partners[other] = name
        return MeetingsPage(
            "ok",
            company.name,
            tuple(upcoming),
            tuple(earlier[-10:]),
            tuple(sorted(partners.items(), key=lambda p: p[1].casefold())),
            await self.choices.organisers_book(company.id),
        )

    async def set_organisers_book(self, user_id: int, on: bool) -> bool:
        """The rep's company's opt-in; False when they have no company."""
        company = await self.company_of(user_id)
        if company is None:
            return False
        await self.choices.set_organisers_book(company, on, now=self.services.clock.now())
        return True

    async def calendar(self, user_id: int) -> list[MeetingView]:
        """The confirmed meetings of the user's company, for /ics."""
        company = await self.company_of(user_id)
        if company is None:
            return []
        views = [
            await self.view(m, company)
            for m in await self.repo.for_company(company)
            if m.state == CONFIRMED
        ]
        return [v for v in views if v is not None]
