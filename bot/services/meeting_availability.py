"""/availability: the meeting slots a company cannot attend. Every slot is free by default;
a blocked slot is never offered to a partner, a proposal for it is refused (in the booking
transaction), and the organisers' scheduler leaves it alone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.meeting_slots import SlotTime
from bot.services.meeting_base import MeetingBase
from storage.agenda import to_utc


@dataclass(frozen=True)
class SlotState:
    slot: SlotTime
    state: str  # "free", "blocked" (the company cannot attend) or "busy" (a meeting then)


@dataclass(frozen=True)
class AvailabilityPage:
    kind: str  # "ok", "no_company" or "no_blocks"
    block_id: int = 0
    block_title: str = ""
    slots: tuple[SlotState, ...] = ()
    previous: int | None = None  # the neighbouring blocks, for paging
    following: int | None = None


class MeetingAvailability(MeetingBase):
    async def availability(self, user_id: int, block_id: int | None = None) -> AvailabilityPage:
        company = await self.company_of(user_id)
        if company is None:
            return AvailabilityPage("no_company")
        now = self.services.clock.now()
        blocks = [b for b in await self.queries.blocks() if b.ends_at > now]
        if not blocks:
            return AvailabilityPage("no_blocks")
        index = next((i for i, b in enumerate(blocks) if b.id == block_id), 0)
        block = blocks[index]
        seats = {start for _, start in await self.queries.seats([company])}
        blocked = {start for _, start in await self.choices.unavailable([company])}
        states = []
        for slot in await self.all_slots():
            if slot.block_id != block.id or slot.starts_at <= now:
                continue
            start = to_utc(slot.starts_at)
            state = "busy" if start in seats else "blocked" if start in blocked else "free"
            states.append(SlotState(slot, state))
        return AvailabilityPage(
            "ok",
            block.id,
            block.title,
            tuple(states),
            blocks[index - 1].id if index > 0 else None,
            blocks[index + 1].id if index + 1 < len(blocks) else None,
        )

    async def set_available(self, user_id: int, block_id: int, minute: int, free: bool) -> str:
        """Block or free a slot. Returns ``ok``, ``busy`` (a meeting then: cancel it
        first), ``gone`` (no longer a slot ahead) or ``no_company``."""
        company = await self.company_of(user_id)
        if company is None:
            return "no_company"
        slot = await self.find_slot(block_id, minute)
        if slot is None or slot.starts_at <= self.services.clock.now():
            return "gone"
        if not free and (company, to_utc(slot.starts_at)) in await self.queries.seats([company]):
            return "busy"
        await self.choices.set_available(company, slot.starts_at, free)
        return "ok"
