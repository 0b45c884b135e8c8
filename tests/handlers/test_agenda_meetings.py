"""Meeting blocks on the agenda: imported from the organisers' CSV, shown in /agenda with
their slots, and a re-import that moves a block cancels the meetings it no longer has a slot
for, telling both sides."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FakeClock
from sandbox import Sandbox, SandboxUser
from tests.support.flows import press
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import pair
from tests.support.meetkit import booked, introduce, meetings_of

HEADER = "title,start,end,speakers,track,description,link,kind,slot_minutes,tables\n"
OPENING = "Opening remarks,2025-11-20T10:00+02:00,2025-11-20T10:20+02:00,,Plenary,,,,,\n"
BLOCK = "B2B meetings,2025-11-20T{start}+02:00,2025-11-20T17:00+02:00,,,,,meetings,20,12\n"


async def import_agenda(org: SandboxUser, text: str) -> str:
    await org.send_document("agenda.csv", text.encode(), caption="/agenda_import")
    return (await org.expect("imported")).text or ""


async def test_a_meetings_block_is_imported_and_shown(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    report = await import_agenda(org, HEADER + OPENING + BLOCK.format(start="14:00"))
    assert "2 added" in report
    (_, block) = await fb.services.agenda.all()
    assert (block.kind, block.slot_minutes, block.tables) == ("meetings", 20, 12)
    ana = sandbox.user(1201, "Ana")
    await ana.send("/agenda")
    listing = await ana.expect("Agenda")
    text = listing.text or ""
    assert "14:00 Bucharest · 17:00 Karachi — B2B meetings 🤝" in text
    assert "🤝 = 1:1 meeting slots: book them from /meetings." in text
    assert "Opening remarks 🤝" not in text
    details = await press(ana, "14:00 B2B meetings", "Not subscribed")
    assert "🤝 1:1 meetings: 9 slots of 20 minutes, 12 meetings at a time." in details


async def test_moving_a_block_cancels_its_meetings_and_tells_both(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    org = sandbox.user(ADMIN_ID, "Org")
    await import_agenda(org, HEADER + OPENING + BLOCK.format(start="14:00"))
    ana, ro, imran, pk = await pair(sandbox, fb)
    await introduce(fb, ana.id, pk, imran.id)
    start = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
    meeting = await booked(fb, ana.id, pk, imran.id, start)
    await ana.expect("Meeting booked")
    assert fb.services.timers.names(f"meeting:{meeting.id}:")
    # The block now starts ten minutes later: no slot starts at 14:00 any more.
    await import_agenda(org, HEADER + OPENING + BLOCK.format(start="14:10"))
    for user in (ana, imran):
        told = await sandbox.wait_for(
            user.id, "the organisers changed the meeting slots", timeout=5
        )
        assert "Thu 20 Nov · 14:00 Bucharest · 17:00 Karachi" in (told.text or "")
        assert told.buttons() == [["📅 Book a meeting"]]
    (meeting,) = await meetings_of(fb, ro)
    assert meeting.state == "cancelled"
    assert fb.services.timers.names(f"meeting:{meeting.id}:") == []
    # A block moved by whole slots keeps a meeting whose slot still exists.
    again = await booked(fb, ana.id, pk, imran.id, datetime(2025, 11, 20, 12, 30, tzinfo=UTC))
    await import_agenda(org, HEADER + OPENING + BLOCK.format(start="13:50"))
    assert (await meetings_of(fb, ro))[-1].id == again.id
    assert (await meetings_of(fb, ro))[-1].state == "confirmed"
