"""/broadcast end to end through the sandbox: compose, audience, preview, send now,
schedule, stop, /broadcasts, and the role checks on commands and forged buttons."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from bot.clock import FakeClock
from bot.config import Settings
from handlers.callbacks import BroadcastCancel, BroadcastConfirm, BroadcastStop, BroadcastTo
from sandbox import Sandbox
from tests.support.flows import answer, compose, is_report, press, send_sticker, started
from tests.support.harness import ADMIN_ID, BotHarness, bot_running, down_while
from tests.support.storage import bulk_texts


async def wait_state(
    harness: BotHarness, broadcast_id: int, state: str, within: float = 15
) -> None:
    async with asyncio.timeout(within):
        while True:
            record = await harness.services.broadcasts.get(broadcast_id)
            if record is not None and record.state == state:
                return
            await asyncio.sleep(0.05)


async def test_broadcast_to_everyone_with_preview_progress_and_report(
    sandbox: Sandbox, running: BotHarness
) -> None:
    running.services.broadcasts.progress_interval = 0.3
    organiser = await started(sandbox, ADMIN_ID, "Org")
    users = [await started(sandbox, 5000 + i, f"U{i}") for i in range(6)]
    await compose(organiser)
    await press(organiser, "Everyone", "7 recipient(s)")
    preview = await organiser.expect("Forum starts at 10:00!")
    assert preview.entities and preview.entities[0]["type"] == "bold"
    await organiser.expect("That is the preview")
    await organiser.press("✅ Send now")
    await organiser.expect(is_report, timeout=10)
    for user in users:
        copies = [m for m in user.messages if m.text == "Forum starts at 10:00!"]
        assert len(copies) == 1
        assert copies[0].entities[0]["type"] == "bold"  # formatting kept by copyMessage
    record = (await running.services.broadcasts.recent())[0]
    assert record.state == "done" and record.recipients == 7
    report = [m.text or "" for m in organiser.messages if is_report(m)]
    assert len(report) == 1 and "sent 7" in report[0]
    actions = [e.action for e in await running.services.audit.recent()]
    assert "broadcast.create" in actions


async def test_a_timed_out_copy_is_not_sent_twice(sandbox: Sandbox, running: BotHarness) -> None:
    """One copy reaches its recipient but Telegram's answer is lost: at most once, so it is
    not sent again; the report counts it as timed out (maybe delivered)."""
    sender = running.sender
    sender.send_timeout = 0.3
    sender.retry_base_seconds = 0.05
    organiser = await started(sandbox, ADMIN_ID, "Org")
    users = [await started(sandbox, 5000 + i, f"U{i}") for i in range(3)]
    await compose(organiser)
    await press(organiser, "Everyone", "4 recipient(s)")
    await organiser.expect("That is the preview")
    sandbox.inject("timeout", chat_id=users[1].id, delay=60, methods=("copyMessage",))
    await organiser.press("✅ Send now")
    report = await organiser.expect(is_report, timeout=20)
    await sandbox.wait_idle()
    for user in users:
        assert [m.text for m in user.messages].count("Forum starts at 10:00!") == 1, user
    assert "sent 3" in (report.text or "")
    assert "timed out (maybe delivered) 1" in (report.text or "")
    record = (await running.services.broadcasts.recent())[0]
    counts = await running.services.broadcasts.delivery(record.id)
    assert counts["unknown"] == 1 and counts["sent"] == 3


async def test_photo_with_caption_to_a_country(sandbox: Sandbox, running: BotHarness) -> None:
    organiser = await started(sandbox, ADMIN_ID, "Org")
    ro, pk = await started(sandbox, 5101, "Ana"), await started(sandbox, 5102, "Imran")
    now = running.services.clock.now().isoformat()
    db = running.services.db
    for cid, country, user in ((1, "RO", ro.id), (2, "PK", pk.id)):
        await db.execute(
            "INSERT INTO companies (id, name, country, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (cid, f"Co{cid}", country, now, now),
        )
        await db.execute(
            "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
            (cid, user, now),
        )
    await answer(organiser, "/broadcast", "Send me the message")
    await organiser.send_message(
        photo=[{"file_id": "PHOTO1", "file_unique_id": "P1", "width": 10, "height": 10}],
        caption="Our venue",
    )
    await organiser.expect("Who should get it?")
    await press(organiser, "🇷🇴 Romania", "1 recipient(s)")
    await organiser.expect("That is the preview")
    await organiser.press("✅ Send now")
    await organiser.expect(is_report, timeout=10)
    got = [m for m in ro.messages if m.text == "Our venue"]
    assert len(got) == 1 and got[0].kind in ("photo", "other")
    assert not [m for m in pk.messages if m.text == "Our venue"]


async def test_odd_input_and_cancel(sandbox: Sandbox, running: BotHarness) -> None:
    organiser = await started(sandbox, ADMIN_ID, "Org")
    await answer(organiser, "/broadcast", "Send me the message")
    await send_sticker(organiser, "I can broadcast text, a photo or a document")
    await answer(organiser, "Hello all", "Who should get it?")
    await answer(organiser, "everyone please", "choose with the buttons")
    await answer(organiser, "/cancel", "Cancelled")
    await organiser.press("Everyone")  # the old menu
    await sandbox.wait_idle()
    assert await running.services.broadcasts.recent() == []


async def test_double_press_sends_once(sandbox: Sandbox, running: BotHarness) -> None:
    organiser = await started(sandbox, ADMIN_ID, "Org")
    user = await started(sandbox, 5201, "U")
    await compose(organiser, "Once only")
    await organiser.press("Everyone")
    confirm = await organiser.expect("That is the preview")
    await organiser.press("✅ Send now", message_id=confirm.message_id)
    await organiser.press_data(confirm.message_id, BroadcastConfirm("send").pack())
    await organiser.expect(is_report, timeout=10)
    await sandbox.wait_idle()
    assert len(await running.services.broadcasts.recent()) == 1
    assert [m.text for m in user.messages].count("Once only") == 1


async def test_non_organiser_is_refused_everything(sandbox: Sandbox, running: BotHarness) -> None:
    organiser = await started(sandbox, ADMIN_ID, "Org")
    intruder = await started(sandbox, 5301, "Eve", username="eve")
    victim = await started(sandbox, 5302, "Bob")
    for command in ("/broadcast", "/broadcasts", "/promote @eve", "/stats", "/audit"):
        await intruder.send(command)
        await intruder.expect("for the forum organisers only")
    # A real scheduled broadcast the intruder tries to cancel, and buttons it forges.
    await compose(organiser, "Scheduled news")
    await press(organiser, "Everyone", "That is the preview")
    await press(organiser, "🕒 Schedule", "When should it go out?")
    await answer(organiser, "2099-11-21 12:00", "is scheduled for")
    record = (await running.services.broadcasts.recent())[0]
    anchor = intruder.messages[-1].message_id
    for data in (
        BroadcastCancel(record.id).pack(),
        BroadcastStop(record.id).pack(),
        BroadcastConfirm("send").pack(),
        BroadcastTo("everyone").pack(),
    ):
        await intruder.press_data(anchor, data)
    await sandbox.wait_idle()
    record = await running.services.broadcasts.get(record.id)
    assert record is not None and record.state == "scheduled"
    assert not [m for m in victim.messages if m.text == "Scheduled news"]
    user = await running.services.users.get(intruder.id)
    assert user is not None and user.role == "participant"
    answers = [
        c for c in sandbox.calls_of("answerCallbackQuery") if "organisers only" in str(c.params)
    ]
    assert len(answers) >= 2


async def test_stop_cancels_the_rest(sandbox: Sandbox, settings: Settings) -> None:
    async with bot_running(sandbox, settings) as harness:
        harness.sender.interval = 0.2  # slow, so Stop lands mid-way
        organiser = await started(sandbox, ADMIN_ID, "Org")
        for i in range(30):
            await started(sandbox, 5400 + i)
        await compose(organiser, "Stoppable")
        await press(organiser, "Everyone", "That is the preview")
        await organiser.press("✅ Send now")
        progress = await organiser.expect("sending")
        await asyncio.sleep(0.6)
        await organiser.press("⏹ Stop", message_id=progress.message_id)
        await organiser.expect(is_report, timeout=10)
        record = (await harness.services.broadcasts.recent())[0]
        await sandbox.wait_idle()
        counts = await harness.services.broadcasts.delivery(record.id)
        assert record.state == "stopped"
        assert counts["cancelled"] > 10 and counts["pending"] == 0
        copies = sum(
            [m.text for m in sandbox.messages(uid)].count("Stoppable")
            for uid in [ADMIN_ID, *range(5400, 5430)]
        )
        # The organiser also holds the preview; nothing cancelled went out after all.
        assert copies - 1 == counts["sent"]
        assert "broadcast.stop" in [e.action for e in await harness.services.audit.recent()]


async def test_scheduled_broadcast_goes_out_at_its_time(
    sandbox: Sandbox, settings: Settings
) -> None:
    # 08:59:59.4 UTC: a broadcast for 11:00 Bucharest (09:00 UTC) is due in 0.6 s real time.
    clock = FakeClock(datetime(2025, 11, 20, 8, 59, 59, 400000, tzinfo=UTC))
    async with bot_running(sandbox, settings, clock=clock):
        organiser = await started(sandbox, ADMIN_ID, "Org")
        user = await started(sandbox, 5501, "U")
        await compose(organiser, "On time")
        await press(organiser, "Everyone", "That is the preview")
        await press(organiser, "🕒 Schedule", "Europe/Bucharest")
        await answer(organiser, "yesterday", "could not read that time")
        await answer(organiser, "2025-11-20 10:00", "already passed")
        asked = time.monotonic()
        await answer(organiser, "2025-11-20 11:00", "is scheduled for")
        copy = await user.expect("On time", timeout=5)
        assert copy is not None and time.monotonic() - asked >= 0.3
        await organiser.expect(is_report, timeout=10)


async def test_scheduled_broadcast_survives_restart_and_can_be_cancelled(
    sandbox: Sandbox, settings: Settings
) -> None:
    clock = FakeClock()
    async with bot_running(sandbox, settings, clock=clock) as harness:
        organiser = await started(sandbox, ADMIN_ID, "Org")
        user = await started(sandbox, 5601, "U")
        for text, when in (
            ("Later one", "2025-11-20 12:00"),
            ("Cancelled one", "2025-11-20 13:00"),
        ):
            await compose(organiser, text)
            await press(organiser, "Everyone", "That is the preview")
            await press(organiser, "🕒 Schedule", "When should it go out?")
            await organiser.send(when)
            await organiser.expect("is scheduled for")
        await organiser.send("/broadcasts")
        listing = await organiser.expect("Broadcasts")
        assert "scheduled for 2025-11-20 12:00" in (listing.text or "")
        second = (await harness.services.broadcasts.recent())[0]
        await press(organiser, f"✖️ Cancel #{second.id}", "is cancelled")
        await organiser.press_data(listing.message_id, BroadcastCancel(second.id).pack())  # replay
        await down_while(harness, clock, hours=3)  # both times pass while the bot is down
        await user.expect("Later one", timeout=10)
        await organiser.expect(is_report, timeout=10)
        await sandbox.wait_idle()
        assert not [m for m in user.messages if m.text == "Cancelled one"]
        assert [m.text for m in user.messages].count("Later one") == 1


async def test_start_answered_quickly_during_a_broadcast(
    sandbox: Sandbox, running: BotHarness
) -> None:
    for i in range(60):
        await started(sandbox, 5700 + i)
    await running.sender.enqueue(bulk_texts(5700, 60, "bulk", "bulk", broadcast_id=99))
    await asyncio.sleep(0.5)
    newcomer = sandbox.user(5799, "New")
    await newcomer.send("/start")
    await newcomer.expect("Welcome", timeout=2)
    # Answered ahead of the queue, not after it: the broadcast is still being sent.
    counts = await running.services.outbox.counts(broadcast_id=99)
    assert counts["pending"] > 0


async def test_my_chat_member_keeps_blocked_state(sandbox: Sandbox, running: BotHarness) -> None:
    user = await started(sandbox, 5801, "U")
    await user.block()
    await sandbox.wait_idle()
    record = await running.services.users.get(user.id)
    assert record is not None and not record.is_active and record.blocked_at
    await user.unblock()
    await sandbox.wait_idle()
    record = await running.services.users.get(user.id)
    assert record is not None and record.is_active and record.blocked_at is None
