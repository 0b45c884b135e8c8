"""What the organiser sees of a broadcast goes through the outbox as notices (the progress
message, its edits, the report), and the /broadcast conversation keeps named states."""

from __future__ import annotations

import json
import sqlite3

from bot.config import Settings
from sandbox import Sandbox
from tests.support.flows import compose, is_report, press
from tests.support.harness import ADMIN_ID, BotHarness, bot_running
from tests.support.matchkit import rep


async def test_a_progress_message_telegram_refused_once_is_sent_again_and_edited_to_the_report(
    sandbox: Sandbox, running: BotHarness
) -> None:
    """A 500 on the progress message used to lose it for good (and its Stop button); as a
    notice it is retried, then edited as copies go out, and ends as the report."""
    running.services.broadcasts.progress_interval = 0.3
    sender = running.sender
    sender.retry_base_seconds = 0.05
    # Slow, and more recipients than one batch of the sender: the retry (urgent) goes out
    # at the next batch, while the copies are still going out.
    sender.interval = 0.05
    organiser = await rep(sandbox, ADMIN_ID, "Org")
    for i in range(60):
        await rep(sandbox, 5900 + i, "U")
    await compose(organiser, "Retried progress")
    await press(organiser, "Everyone", "That is the preview")
    sandbox.inject("server_error", chat_id=ADMIN_ID, methods=("sendMessage",))
    await organiser.press("✅ Send now")
    progress = await organiser.expect("— sending", timeout=10)
    assert ["⏹ Stop"] in progress.buttons()
    await organiser.expect(is_report, timeout=20)
    await sandbox.wait_idle()
    final = next(m for m in organiser.messages if m.message_id == progress.message_id)
    assert final.edits and "Delivery report" in (final.text or "") and final.buttons() == []
    rows = await running.services.outbox.rows(chat_id=ADMIN_ID)
    kinds = [r.kind for r in rows if r.kind.startswith("broadcast_")]
    assert kinds.count("broadcast_progress") == 1 and kinds.count("broadcast_report") == 1
    assert [r.state for r in rows if r.kind == "broadcast_progress"] == ["sent"]


async def test_the_conversation_state_is_named_and_an_old_numbered_one_carries_on(
    sandbox: Sandbox, settings: Settings
) -> None:
    """Persisted states are names; a conversation saved by a version that numbered them
    (range(4): 2 was "confirm") carries on in the same step after the upgrade."""
    async with bot_running(sandbox, settings) as harness:
        organiser = await rep(sandbox, ADMIN_ID, "Org")
        user = await rep(sandbox, 5951, "U")
        await compose(organiser, "Across the upgrade")
        await press(organiser, "Everyone", "That is the preview")
        await harness.stop()
        with sqlite3.connect(settings.database_path) as db:
            (state,) = db.execute(
                "SELECT state FROM ptb_conversations WHERE name = 'broadcast'"
            ).fetchone()
            assert json.loads(state) == "broadcast:confirm"
            db.execute("UPDATE ptb_conversations SET state = '2' WHERE name = 'broadcast'")
        await harness.start()
        await press(organiser, "✅ Send now", "is going out")
        await user.expect("Across the upgrade", timeout=10)
