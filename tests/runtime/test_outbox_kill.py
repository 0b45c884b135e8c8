"""The real ``python -m bot run`` process, killed with SIGKILL in the middle of a broadcast
and started again: the broadcast completes, every recipient has it, at most one twice."""

from __future__ import annotations

from pathlib import Path

from sandbox import Sandbox, SentMessage
from storage.db import Database
from tests.support.flows import press, wait_until
from tests.support.harness import ADMIN_ID, BotProcess, bot_env

RECIPIENTS = list(range(300_000, 300_150))
TEXT = "Survives a kill -9"


def copies(sandbox: Sandbox, user_id: int) -> int:
    return [m.text for m in sandbox.messages(user_id)].count(TEXT)


def is_report(message: SentMessage) -> bool:
    return "Delivery report" in (message.text or "") and not message.edits


async def test_kill_mid_broadcast_then_restart_completes_it(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    db_path = tmp_path / "kill.db"
    db = await Database.open(db_path)
    stamp = "2025-11-20T08:00:00+00:00"
    await db.executemany(
        "INSERT INTO users (telegram_id, first_name, first_seen, last_seen) VALUES (?, 'R', ?, ?)",
        [(uid, stamp, stamp) for uid in RECIPIENTS],
    )
    await db.close()
    for uid in RECIPIENTS:
        sandbox.user(uid, "R")
        sandbox._chats[uid].known = True  # they talked to the bot before; no update pending

    env = bot_env(sandbox, db_path, SEND_RATE="25")
    proc = BotProcess(env, tmp_path)
    await proc.start()
    try:
        organiser = sandbox.user(ADMIN_ID, "Org")
        await organiser.send("/broadcast")
        await organiser.expect("Send me the message", timeout=20)
        await organiser.send(TEXT)
        await organiser.expect("Who should get it?")
        await press(organiser, "Everyone", "That is the preview")
        await organiser.press("✅ Send now")
        await wait_until(lambda: sum(copies(sandbox, u) for u in RECIPIENTS) >= 40, 15)
        await proc.kill()
        sent_before = sum(copies(sandbox, u) for u in RECIPIENTS)
        assert sent_before < len(RECIPIENTS)

        proc = BotProcess(env, tmp_path)
        await proc.start()
        await organiser.expect(is_report, timeout=30)
    finally:
        await proc.terminate()
    per_user = [copies(sandbox, u) for u in RECIPIENTS]
    assert min(per_user) == 1, "someone never got the broadcast"
    assert sum(per_user) - len(RECIPIENTS) <= 1, "more than one duplicate for one crash"
    report = next(m for m in sandbox.messages(ADMIN_ID) if is_report(m))
    assert f"sent {len(RECIPIENTS) + 1}" in (report.text or "")  # + the organiser's own copy
