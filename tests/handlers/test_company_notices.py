"""What the other reps of a company hear — a colleague joined or left, the company was
deleted, an erased rep's contact details must be entered again — goes through the one
notification path: the outbox keeps a notice (kind and ids, no names), rendered for each
recipient when it is sent."""

from __future__ import annotations

import asyncio
import json
import re

from bot.services.notices import NOTICE_METHOD
from sandbox import Sandbox, SandboxUser
from tests.support.flows import answer, press, registered_company
from tests.support.harness import BotHarness


async def invited(sandbox: Sandbox, ana: SandboxUser, user_id: int, name: str) -> SandboxUser:
    await answer(ana, "/profile", "Reps in Telegram")
    link = await press(ana, "👥 Invite a colleague", "Send this link")
    payload = re.search(r"start=(join_[\w-]+)", link)
    assert payload is not None
    colleague = sandbox.user(user_id, name, last_name="Pop")
    await answer(colleague, f"/start {payload.group(1)}", "You now represent")
    return colleague


async def test_colleagues_hear_through_notices_with_ids_not_names(
    sandbox: Sandbox, running: BotHarness
) -> None:
    ana = sandbox.user(4201, "Ana")
    company = await registered_company(running, ana, "Notice Board SRL")
    dan = await invited(sandbox, ana, 4202, "Dan")
    told = await ana.expect("joined")
    assert told.text == "👥 Dan Pop joined Notice Board SRL as a rep."
    [joined] = await running.services.outbox.rows(kind="rep_joined")
    assert joined.method == NOTICE_METHOD and joined.chat_id == 4201
    assert joined.payload == {"data": {"company": company.id, "user": 4202}}

    await answer(dan, "/profile", "Reps in Telegram: 2")
    await press(dan, "🚪 Leave company", "Leave")
    await press(dan, "Yes, leave", "You left")
    assert (await ana.expect("left")).text == "🚪 Dan Pop left Notice Board SRL."

    eve = await invited(sandbox, ana, 4203, "Eve")
    await answer(eve, "/profile", "Reps in Telegram: 2")
    await press(eve, "🗑 Delete company", "cannot be undone")
    assert "also for your 1 colleague)" in (eve.last.text or "")  # type: ignore[union-attr]
    await press(eve, "Yes, delete it", "was deleted")
    deleted = await ana.expect("was deleted by your colleague")
    assert deleted.text == "🗑 Notice Board SRL was deleted by your colleague Eve Pop."
    rows = [
        *await running.services.outbox.rows(kind="rep_left"),
        *await running.services.outbox.rows(kind="company_deleted"),
    ]
    assert {r.method for r in rows} == {NOTICE_METHOD}
    assert not [r for r in rows if "Pop" in json.dumps(r.payload)]


async def test_a_notice_about_someone_gone_meanwhile_is_dropped(
    sandbox: Sandbox, running: BotHarness
) -> None:
    ana = sandbox.user(4211, "Ana")
    company = await registered_company(running, ana, "Quiet Board SRL")
    # A colleague who joined and was erased before the notice went out.
    await running.services.notifier.tell(
        [ana.id], "rep_joined", {"company": company.id, "user": 999}, key="gone"
    )
    async with asyncio.timeout(10):
        while True:
            if not (await running.services.outbox.counts())["pending"]:
                break
            await asyncio.sleep(0.05)
    [row] = await running.services.outbox.rows(kind="rep_joined")
    assert row.state == "cancelled"
    await sandbox.wait_idle()
    assert not [m for m in ana.messages if "joined" in (m.text or "")]
