"""The outbox sender end to end through the sandbox: delivery, faults, pacing, resume."""

from __future__ import annotations

import asyncio

from bot.sandbox import Sandbox
from storage.outbox import PRIORITY_BULK, PRIORITY_URGENT, NewMessage
from tests.harness import BotHarness


def text(chat: int, key: str, body: str, **kw: object) -> NewMessage:
    return NewMessage(
        chat_id=chat,
        dedupe_key=key,
        kind="test",
        payload={"text": body, "parse_mode": "HTML"},
        **kw,  # type: ignore[arg-type]
    )


async def wait_settled(harness: BotHarness, expected: int, within: float = 10) -> dict[str, int]:
    """Until no row is pending and `expected` rows exist; returns the counts by state."""
    async with asyncio.timeout(within):
        while True:
            counts = await harness.services.outbox.counts()
            if counts["pending"] == 0 and sum(counts.values()) >= expected:
                return counts
            await asyncio.sleep(0.05)


async def test_delivers_once_each(sandbox: Sandbox, running: BotHarness) -> None:
    users = [sandbox.user(8000 + i, f"U{i}") for i in range(5)]
    for u in users:
        await u.send("/start")  # a chat must exist before the bot can write to it
    sender = running.services.outbox_sender
    batch = [text(u.id, f"hello:{u.id}", f"Hello <b>{u.id}</b>") for u in users]
    assert await sender.enqueue(batch) == 5
    assert await sender.enqueue(batch) == 0  # same dedupe keys: nothing new
    counts = await wait_settled(running, 5)
    assert counts["sent"] == 5
    for u in users:
        got = [m for m in sandbox.messages(u.id) if m.text.startswith("Hello")]
        assert [m.text for m in got] == [f"Hello {u.id}"]


async def test_faults_blocked_badrequest_retry(sandbox: Sandbox, running: BotHarness) -> None:
    ok, blocked, retry, ghost = 8101, 8102, 8103, 8104
    for uid in (ok, blocked, retry):
        await sandbox.user(uid, "U").send("/start")
        await sandbox.user(uid).expect("Welcome")
    await sandbox.block(blocked)
    sandbox.inject("server_error", chat_id=retry, count=2)
    sender = running.services.outbox_sender
    sender.retry_base_seconds = 0.05
    await sender.enqueue([text(c, f"f:{c}", "News") for c in (ok, blocked, retry, ghost)])
    await wait_settled(running, 4)
    states = {r.chat_id: r.state for r in await running.services.outbox.rows()}
    assert states == {ok: "sent", blocked: "blocked", retry: "sent", ghost: "failed"}
    user = await running.services.users.get(blocked)
    assert user is not None and not user.is_active
    retried = next(r for r in await running.services.outbox.rows() if r.chat_id == retry)
    assert retried.attempts == 3
    assert len([m for m in sandbox.messages(retry) if m.text == "News"]) == 1


async def test_gives_up_after_five_network_errors(sandbox: Sandbox, running: BotHarness) -> None:
    await sandbox.user(8201, "U").send("/start")
    await sandbox.user(8201).expect("Welcome")
    sandbox.inject("server_error", chat_id=8201, count=-1)
    sender = running.services.outbox_sender
    sender.retry_base_seconds = 0.01
    await sender.enqueue([text(8201, "g", "never")])
    await wait_settled(running, 1)
    row = (await running.services.outbox.rows())[0]
    assert row.state == "failed" and row.attempts == 5 and "NetworkError" in (row.last_error or "")


async def test_retry_after_pauses_then_delivers(sandbox: Sandbox, running: BotHarness) -> None:
    await sandbox.user(8301, "U").send("/start")
    await sandbox.user(8301).expect("Welcome")
    sandbox.inject("retry_after", retry_after=1, count=3)
    await running.services.outbox_sender.enqueue([text(8301, "r", "after the pause")])
    await wait_settled(running, 1, within=15)
    assert [m.text for m in sandbox.messages(8301)].count("after the pause") == 1


async def test_urgent_overtakes_bulk(sandbox: Sandbox, running: BotHarness) -> None:
    chats = list(range(8400, 8460))
    for c in chats:
        await sandbox.send_text(c, "/start")
    await sandbox.send_text(8999, "/start")
    await sandbox.wait_idle()
    sender = running.services.outbox_sender
    await sender.enqueue(
        [text(c, f"b:{c}", "bulk", priority=PRIORITY_BULK, broadcast_id=1) for c in chats]
    )
    await asyncio.sleep(0.3)
    await sender.enqueue([text(8999, "u", "urgent", priority=PRIORITY_URGENT)])
    await wait_settled(running, 61, within=20)
    sends = [
        c
        for c in sandbox.calls
        if c.method == "sendMessage" and c.params.get("text") in ("bulk", "urgent")
    ]
    position = [c.params["text"] for c in sends].index("urgent")
    assert position < 20, f"urgent went out after {position} bulk messages"


async def test_pending_rows_resume_after_restart(sandbox: Sandbox, harness: BotHarness) -> None:
    await harness.start()
    await sandbox.user(8501, "U").send("/start")
    await harness.services.outbox_sender.stop()  # as if the process died before sending
    await harness.services.outbox.enqueue(
        [text(8501, "resume", "still coming")], now=harness.services.clock.now()
    )
    await harness.stop()
    await harness.start()
    await wait_settled(harness, 1)
    assert [m.text for m in sandbox.messages(8501)].count("still coming") == 1
