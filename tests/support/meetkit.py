"""Helpers for the meeting tests: a meetings block on the agenda, companies introduced to each
other (through the introduction service, as an accepted request), and reading meetings back."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.agenda import SessionInput
from bot.services.meeting_followup import MeetingFollowUp
from sandbox import Sandbox, SandboxUser
from storage.agenda import MEETINGS
from storage.meetings import MeetingRecord, MeetingRepository
from tests.support.agenda import add_to_agenda
from tests.support.harness import BotHarness
from tests.support.matchkit import pair

LINK_PREFIX = "https://meet.jit.si/ForumBridge-"


def meetings_block(
    start: datetime,
    *,
    slots: int,
    tables: int,
    slot_minutes: int = 20,
    title: str = "B2B meetings",
) -> SessionInput:
    """A meetings block of ``slots`` slots from ``start``, as an agenda file gives one."""
    return SessionInput(
        title=title,
        starts_at=start,
        ends_at=start + timedelta(minutes=slots * slot_minutes),
        kind=MEETINGS,
        slot_minutes=slot_minutes,
        tables=tables,
    )


async def add_block(
    bot: BotHarness,
    start: datetime,
    *,
    slots: int = 3,
    slot_minutes: int = 20,
    tables: int = 5,
    title: str = "B2B meetings",
) -> int:
    """A meetings block of ``slots`` slots from ``start`` (other sessions stay)."""
    item = meetings_block(start, slots=slots, slot_minutes=slot_minutes, tables=tables, title=title)
    return await add_to_agenda(bot, item)


async def introduce(bot: BotHarness, asker: int, target_company: int, answerer: int) -> int:
    """An accepted introduction: ``asker`` requests, ``answerer`` (a rep of the target)
    accepts. Returns the introduction's id."""
    service = bot.services.intros
    done = await service.request(asker, target_company)
    assert done.ok, done.text
    company = await bot.services.companies.by_rep(asker)
    assert company is not None
    intro = next(
        i
        for i in await bot.services.introductions.for_company(company.id)
        if i.target_company_id == target_company
    )
    decided = await service.decide(answerer, intro.id, accept=True)
    assert decided.ok, decided.text
    return intro.id


async def introduced_pair(
    sandbox: Sandbox, bot: BotHarness, start: datetime, *, slots: int
) -> tuple[SandboxUser, int, SandboxUser, int]:
    """A meetings block of ``slots`` slots from ``start``, and Ana of SoftRo introduced to
    Imran of LahoreQA (``matchkit.pair``): (ana, SoftRo's id, imran, LahoreQA's id)."""
    await add_block(bot, start, slots=slots)
    ana, ro, imran, pk = await pair(sandbox, bot)
    await introduce(bot, ana.id, pk, imran.id)
    return ana, ro, imran, pk


async def meetings_of(bot: BotHarness, company_id: int) -> list[MeetingRecord]:
    return await MeetingRepository(bot.services.db).for_company(company_id)


async def live_meetings(bot: BotHarness) -> list[MeetingRecord]:
    rows = await bot.services.db.fetchall(
        "SELECT id FROM meetings WHERE state IN ('proposed', 'confirmed') ORDER BY id"
    )
    repo = MeetingRepository(bot.services.db)
    found = [await repo.get(int(r[0])) for r in rows]
    return [m for m in found if m is not None]


async def replan(bot: BotHarness) -> dict[str, int]:
    """What start-up does with the meetings' timers, at the FakeClock's now."""
    return await MeetingFollowUp(bot.services).plan_all(late=True)


async def open_picker(user: SandboxUser, partner_name: str) -> None:
    """Press the newest "📅 Book a meeting" button and wait for the slot picker."""
    await user.press("📅 Book a meeting")
    await user.expect(f"Book a meeting with {partner_name}")


async def booked(
    bot: BotHarness, proposer: int, partner_company: int, answerer: int, start: datetime
) -> MeetingRecord:
    """A meeting proposed and confirmed through the service, in the slot starting at
    ``start`` (whole minute)."""
    from bot.domain.meeting_slots import minute_key
    from bot.services.meetings import MeetingService

    service = MeetingService(bot.services)
    slot = next(s for s in await service.all_slots() if s.minute == minute_key(start))
    proposed = await service.propose(proposer, partner_company, slot.block_id, slot.minute)
    assert proposed.kind == "proposed" and proposed.meeting is not None, proposed
    done = await service.confirm(answerer, proposed.meeting.id, proposed.meeting.rev)
    assert done.kind == "confirmed", done
    meeting = await MeetingRepository(bot.services.db).get(proposed.meeting.id)
    assert meeting is not None
    return meeting


async def booked_pair(
    sandbox: Sandbox, bot: BotHarness, start: datetime, *, slots: int
) -> tuple[SandboxUser, SandboxUser, MeetingRecord]:
    """``introduced_pair``, and their meeting ``booked`` in the slot at ``start``:
    (ana, imran, the meeting)."""
    ana, _, imran, pk = await introduced_pair(sandbox, bot, start, slots=slots)
    return ana, imran, await booked(bot, ana.id, pk, imran.id, start)
