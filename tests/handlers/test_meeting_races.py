"""Booking races through the sandbox: two reps of one company booking the same slot at once,
and two companies proposing the same slot to one company at once. Exactly one meeting is
made; the loser is told and shown the slots still free. Also /availability."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.clock import FakeClock
from sandbox import Sandbox, SandboxUser, SentMessage
from tests.support.flows import answer
from tests.support.harness import BotHarness
from tests.support.matchkit import company, pair, rep
from tests.support.meetkit import add_block, introduce, live_meetings, open_picker

SLOT_1 = "Thu 20 Nov · 12:00 Bucharest · 15:00 Karachi"
SLOT_2 = "Thu 20 Nov · 12:20 Bucharest · 15:20 Karachi"
SLOT_3 = "Thu 20 Nov · 12:40 Bucharest · 15:40 Karachi"


async def picker_for(user: SandboxUser, partner: str) -> SentMessage:
    """Open the slot picker for ``partner`` from /meetings."""
    await answer(user, "/meetings", "1:1 meetings of")
    await user.press(f"📅 Book: {partner}")
    return await user.expect(f"Book a meeting with {partner}")


def outcome(message: SentMessage) -> str:
    text = message.text or ""
    return "won" if text.startswith("📨 Proposed to") else text


async def settled(user: SandboxUser, picker: SentMessage) -> SentMessage:
    """The picker once the press was answered (it is edited in place)."""
    return await user.expect(lambda m: m.message_id == picker.message_id and bool(m.edits))


async def race(
    first: SandboxUser, for_first: str, second: SandboxUser, for_second: str
) -> list[SentMessage]:
    """Each opens the slot picker for their partner, and both press the first slot at the
    same moment: the two pickers once each press was answered."""
    pickers = [await picker_for(first, for_first), await picker_for(second, for_second)]
    await asyncio.gather(
        first.press(SLOT_1, message_id=pickers[0].message_id),
        second.press(SLOT_1, message_id=pickers[1].message_id),
    )
    return [await settled(first, pickers[0]), await settled(second, pickers[1])]


async def karachisoft(sandbox: Sandbox, fb: BotHarness) -> tuple[SandboxUser, int]:
    """Ravi and his KarachiSoft Labs: a second Pakistani company."""
    ravi = await rep(sandbox, 5202, "Ravi")
    return ravi, await company(fb, ravi.id, "KarachiSoft Labs", "Pakistan")


async def test_two_reps_of_one_company_book_the_same_slot_at_once(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    await add_block(fb, clock.now() + timedelta(hours=2), slots=3)
    ana, ro, imran, pk = await pair(sandbox, fb)
    dana = await rep(sandbox, 5102, "Dana")
    await fb.services.companies.add_rep(ro, dana.id, now=clock.now())
    ravi, other = await karachisoft(sandbox, fb)
    await introduce(fb, ana.id, pk, imran.id)
    await introduce(fb, dana.id, other, ravi.id)
    # Both press the same first slot at the same moment, for different partners.
    results = await race(ana, "LahoreQA", dana, "KarachiSoft Labs")
    (meeting,) = await live_meetings(fb)
    assert meeting.starts_at == clock.now() + timedelta(hours=2)
    winners = [r for r in results if outcome(r) == "won"]
    losers = [r for r in results if outcome(r) != "won"]
    assert len(winners) == 1 and len(losers) == 1
    lost = losers[0]
    assert (lost.text or "").startswith("Your company already has a meeting at that time.")
    # ...and is shown the slots still free for that pair.
    assert [row[0] for row in lost.buttons()] == [SLOT_2, SLOT_3]
    loser = dana if lost.message_id == results[1].message_id else ana
    await loser.press(SLOT_2, message_id=lost.message_id)
    assert outcome(await loser.expect("Proposed to")) == "won"
    assert len(await live_meetings(fb)) == 2


async def test_two_proposals_race_for_the_same_company_and_slot(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    await add_block(fb, clock.now() + timedelta(hours=2), slots=3)
    ana, ro, imran, pk = await pair(sandbox, fb)
    ravi, other = await karachisoft(sandbox, fb)
    await introduce(fb, ana.id, pk, imran.id)
    await introduce(fb, ana.id, other, ravi.id)
    results = await race(imran, "SoftRo Automation", ravi, "SoftRo Automation")
    (meeting,) = await live_meetings(fb)
    assert meeting.has(ro) and meeting.state == "proposed"
    losers = [r for r in results if outcome(r) != "won"]
    assert len(losers) == 1
    assert (losers[0].text or "").startswith(
        "SoftRo Automation already has a meeting at that time."
    )
    assert [row[0] for row in losers[0].buttons()] == [SLOT_2, SLOT_3]
    # SoftRo got exactly one proposal: the winner's.
    proposal = await ana.expect("proposes a 1:1 meeting")
    winner = "LahoreQA" if meeting.has(pk) else "KarachiSoft Labs"
    assert winner in (proposal.text or "")
    assert [r.chat_id for r in await fb.services.outbox.rows(kind="meeting_proposed")] == [ana.id]


async def test_availability_blocks_a_slot_for_proposals(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    await add_block(fb, clock.now() + timedelta(hours=2), slots=3)
    ana, _, imran, pk = await pair(sandbox, fb)
    await introduce(fb, ana.id, pk, imran.id)
    await ana.expect("Introduction made")
    await imran.send("/availability")
    page = await imran.expect("Your availability")
    assert [row[0] for row in page.buttons()] == [f"✅ {SLOT_1}", f"✅ {SLOT_2}", f"✅ {SLOT_3}"]
    await imran.press(f"✅ {SLOT_2}")
    edited = await imran.expect(
        lambda m: m.message_id == page.message_id and f"🚫 {SLOT_2}" in str(m.buttons())
    )
    assert [row[0] for row in edited.buttons()] == [f"✅ {SLOT_1}", f"🚫 {SLOT_2}", f"✅ {SLOT_3}"]
    # Ana is not offered the slot LahoreQA cannot attend...
    await open_picker(ana, "LahoreQA")
    picker = ana.last
    assert picker is not None
    assert [row[0] for row in picker.buttons()] == [SLOT_1, SLOT_3]
    # ...and a forged press for it is refused with the slots still free.
    data = picker.button_data()[SLOT_1].replace(
        str(int((clock.now() + timedelta(hours=2)).timestamp()) // 60),
        str(int((clock.now() + timedelta(hours=2, minutes=20)).timestamp()) // 60),
    )
    await ana.press_data(picker.message_id, data)
    refused = await ana.expect("LahoreQA cannot attend at that time.")
    assert [row[0] for row in refused.buttons()] == [SLOT_1, SLOT_3]
    assert await live_meetings(fb) == []
    # Freed again, it is offered again.
    await imran.press(f"🚫 {SLOT_2}")
    await imran.expect(
        lambda m: m.message_id == page.message_id and f"✅ {SLOT_2}" in str(m.buttons())
    )
    await ana.press("📅 Book a meeting")
    again = await ana.expect("Book a meeting with LahoreQA")
    assert [row[0] for row in again.buttons()] == [SLOT_1, SLOT_2, SLOT_3]
