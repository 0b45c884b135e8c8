"""What every meetings use case shares: the repositories, a meeting as its reader sees it,
the free slots of a pair, who may meet whom, and telling the reps of both companies.

The meetings services (``meetings`` for reps, ``meeting_followup`` for reminders and
feedback, ``meeting_schedule`` for the organisers) build on :class:`MeetingBase`; none of
them renders anything: they return the dataclasses below and queue notices (kind + ids) that
``handlers.meeting_notices`` renders for each recipient when they are sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.domain.meeting_slots import ReaderZones, SlotTime, block_slots, meeting_link
from bot.services.container import Services
from bot.services.notices import Delivery, Notice
from storage.agenda import to_utc
from storage.introductions import ACCEPTED
from storage.meeting_choices import MeetingChoices
from storage.meeting_queries import MeetingQueries
from storage.meetings import BY_ORGANISERS, PROPOSED, MeetingRecord, MeetingRepository
from storage.outbox import PRIORITY_URGENT

# How many free slots a rep is offered at once.
SLOTS_OFFERED = 6
NOTICE_PREFIX = "meeting_"  # every meeting notice kind starts so (the dashboard counts them)


@dataclass(frozen=True)
class MeetingView:
    """A meeting from one company's side."""

    id: int
    rev: int
    company_id: int  # the reader's company
    partner_id: int
    partner_name: str
    block_title: str
    starts_at: datetime
    ends_at: datetime
    state: str
    source: str
    # For a proposal: "us" when the reader's company must answer, "them" when it waits.
    waiting_for: str
    link: str | None
    table: int


@dataclass(frozen=True)
class Result:
    """What a rep's action came to; ``kind`` says which (each method lists its kinds)."""

    kind: str
    meeting: MeetingView | None = None
    partner_id: int = 0
    partner_name: str = ""
    slots: tuple[SlotTime, ...] = ()  # free slots to offer (again)
    limit: int = 0


class MeetingBase:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = MeetingRepository(services.db)
        self.queries = MeetingQueries(services.db)
        self.choices = MeetingChoices(services.db)

    # -- who and where -------------------------------------------------------------------
    async def company_of(self, user_id: int) -> int | None:
        company = await self.services.companies.by_rep(user_id)
        return company.id if company else None

    async def zone_of(self, user_id: int) -> ReaderZones:
        """The reader's own zone (theirs if set, else the event's) with the forum's two,
        named in the reader's language."""
        own = await self.services.timezones.zone_of(user_id)
        language = await self.services.languages.of(user_id)
        return ReaderZones(own, self.services.forum.zone_labels(language))

    async def name_of(self, company_id: int) -> str | None:
        company = await self.services.companies.get(company_id)
        return company.name if company else None

    async def may_meet(self, company_id: int, partner_id: int) -> bool:
        """An accepted introduction between the two, or a meeting the organisers placed."""
        if company_id == partner_id:
            return False
        for intro in await self.services.introductions.for_company(company_id):
            sides = (intro.requester_company_id, intro.target_company_id)
            if intro.state == ACCEPTED and partner_id in sides:
                return True
        return any(
            m.has(partner_id) and m.source == BY_ORGANISERS
            for m in await self.repo.for_company(company_id)
        )

    def link(self, meeting: MeetingRecord) -> str | None:
        return meeting_link(self.services.settings.meeting_link_template, meeting.token)

    async def view(self, meeting: MeetingRecord, company_id: int) -> MeetingView | None:
        """The meeting as ``company_id`` sees it; None if the partner is gone (erased)."""
        partner_id = meeting.other(company_id)
        partner = await self.name_of(partner_id)
        block = await self.services.agenda.get(meeting.block_id)
        if partner is None or not meeting.has(company_id):
            return None
        waiting = ""
        if meeting.state == PROPOSED:
            waiting = "them" if meeting.proposer_company == company_id else "us"
        return MeetingView(
            id=meeting.id,
            rev=meeting.rev,
            company_id=company_id,
            partner_id=partner_id,
            partner_name=partner,
            block_title=block.title if block else "",
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            state=meeting.state,
            source=meeting.source,
            waiting_for=waiting,
            link=self.link(meeting),
            table=meeting.table_no,
        )

    async def view_by_id(self, meeting_id: int, company_id: int) -> MeetingView | None:
        meeting = await self.repo.get(meeting_id)
        return None if meeting is None else await self.view(meeting, company_id)

    # -- slots ---------------------------------------------------------------------------
    async def all_slots(self) -> list[SlotTime]:
        """Every slot of every meetings block, in time order."""
        return [
            slot
            for block in await self.queries.blocks()
            for slot in block_slots(
                block.id, block.starts_at, block.ends_at, block.slot_minutes, block.tables
            )
        ]

    async def free_slots(
        self,
        a: int,
        b: int,
        *,
        moving: MeetingRecord | None = None,
        limit: int | None = SLOTS_OFFERED,
    ) -> list[SlotTime]:
        """Slots still ahead where both companies are free and available and a table is
        left; a meeting being moved leaves its own slot (and frees its seats) for this."""
        now = self.services.clock.now()
        seats = await self.queries.seats([a, b])
        load = await self.queries.load()
        if moving is not None:
            start = to_utc(moving.starts_at)
            seats -= {(moving.company_a, start), (moving.company_b, start)}
            key = (moving.block_id, start)
            load[key] = load.get(key, 1) - 1
        blocked = await self.choices.unavailable([a, b])
        found: list[SlotTime] = []
        for slot in await self.all_slots():
            start = to_utc(slot.starts_at)
            if slot.starts_at <= now or (moving is not None and slot.starts_at == moving.starts_at):
                continue
            if any((c, start) in seats or (c, start) in blocked for c in (a, b)):
                continue
            if load.get((slot.block_id, start), 0) >= slot.tables:
                continue
            found.append(slot)
            if limit is not None and len(found) >= limit:
                break
        return found

    async def find_slot(self, block_id: int, minute: int) -> SlotTime | None:
        """The slot a button names (block, start in epoch minutes), if it still is one."""
        return next(
            (s for s in await self.all_slots() if s.block_id == block_id and s.minute == minute),
            None,
        )

    # -- telling people ------------------------------------------------------------------
    async def tell(
        self,
        meeting: MeetingRecord,
        kind: str,
        *,
        companies: Iterable[int],
        skip: int | None = None,
        extra: Mapping[str, Any] | None = None,
        key: str | None = None,
    ) -> int:
        """One ``kind`` notice to every rep of ``companies`` but ``skip`` (who acted and is
        answered directly); the data names the meeting, the receiving company and the rep
        (whose own time zone comes first)."""
        deliveries = []
        stem = key or f"meeting:{meeting.id}:{kind}:{meeting.rev}"
        for company in companies:
            data = {"meeting": meeting.id, "rev": meeting.rev, "company": company, **(extra or {})}
            for rep in await self.services.companies.reps(company):
                if rep != skip:
                    notice = Notice(kind, {**data, "to": rep})
                    deliveries.append(Delivery(rep, notice, f"{stem}:{rep}", PRIORITY_URGENT))
        return await self.services.notifier.send(deliveries)
