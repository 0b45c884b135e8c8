"""The outbox sender end to end through the sandbox: delivery, faults, pacing, resume."""

from __future__ import annotations

import asyncio
import gc
import warnings

import pytest

from sandbox import Sandbox
from storage.outbox import PRIORITY_BULK, PRIORITY_URGENT, NewMessage
from tests.support.flows import answer, started
from tests.support.harness import BotHarness


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
    sender = running.sender
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
        await started(sandbox, uid, "U")
    await sandbox.block(blocked)
    sandbox.inject("server_error", chat_id=retry, count=2)
    sender = running.sender
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


async def test_gives_up_after_five_retries(sandbox: Sandbox, running: BotHarness) -> None:
    await started(sandbox, 8201, "U")
    sandbox.inject("server_error", chat_id=8201, count=-1)
    sender = running.sender
    sender.retry_base_seconds = 0.01
    sender.per_chat_interval = 0.05  # retries to one chat are paced too; keep the test short
    await sender.enqueue([text(8201, "g", "never")])
    await wait_settled(running, 1)
    row = (await running.services.outbox.rows())[0]
    # The first try and five retries.
    assert row.state == "failed" and row.attempts == 6 and "NetworkError" in (row.last_error or "")


async def test_retry_after_pauses_then_delivers(sandbox: Sandbox, running: BotHarness) -> None:
    await started(sandbox, 8301, "U")
    sandbox.inject("retry_after", retry_after=1, count=3)
    await running.sender.enqueue([text(8301, "r", "after the pause")])
    await wait_settled(running, 1, within=15)
    assert [m.text for m in sandbox.messages(8301)].count("after the pause") == 1


async def test_urgent_overtakes_bulk(sandbox: Sandbox, running: BotHarness) -> None:
    chats = list(range(8400, 8460))
    for c in chats:
        await sandbox.send_text(c, "/start")
    await sandbox.send_text(8999, "/start")
    await sandbox.wait_idle()
    sender = running.sender
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
    await harness.sender.stop()  # as if the process died before sending
    await harness.services.outbox.enqueue(
        [text(8501, "resume", "still coming")], now=harness.services.clock.now()
    )
    await harness.stop()
    await harness.start()
    await wait_settled(harness, 1)
    assert [m.text for m in sandbox.messages(8501)].count("still coming") == 1


def open_chat(sandbox: Sandbox, user_id: int) -> None:
    """A user who talked to the bot long ago: the chat exists, no update is pending."""
    sandbox.user(user_id, f"R{user_id}")
    sandbox._chats[user_id].known = True


async def test_cancelled_rows_in_a_fetched_batch_are_not_sent(
    sandbox: Sandbox, running: BotHarness
) -> None:
    for c in range(8600, 8620):
        open_chat(sandbox, c)
    sender = running.sender
    sender.interval = 0.1
    await sender.enqueue(
        [
            text(c, f"c:{c}", "maybe", priority=PRIORITY_BULK, broadcast_id=5)
            for c in range(8600, 8620)
        ]
    )
    await asyncio.sleep(0.35)  # the sender holds the whole batch in memory by now
    cancelled = await running.services.outbox.cancel(broadcast_id=5)
    assert cancelled > 10
    await asyncio.sleep(0.5)
    counts = await running.services.outbox.counts(broadcast_id=5)
    sent = sum([m.text for m in sandbox.messages(c)].count("maybe") for c in range(8600, 8620))
    # The one row in flight when Stop came may still go out (and is then counted as sent).
    assert counts["cancelled"] >= cancelled - 1 and counts["pending"] == 0
    assert sent == counts["sent"] == 20 - counts["cancelled"]


async def test_a_poison_row_fails_without_blocking_the_queue(
    sandbox: Sandbox, running: BotHarness
) -> None:
    open_chat(sandbox, 8701)
    sender = running.sender
    sender.retry_base_seconds = 0.01
    sender.per_chat_interval = 0.05
    poison = NewMessage(
        chat_id=8701, dedupe_key="poison", kind="test", payload={"text": "x"}, method="noSuchMethod"
    )
    await sender.enqueue([poison, text(8701, "after", "still delivered")])
    counts = await wait_settled(running, 2)
    assert counts["sent"] == 1 and counts["failed"] == 1
    assert [m.text for m in sandbox.messages(8701)] == ["still delivered"]


async def test_two_thousand_recipients_under_faults(sandbox: Sandbox, running: BotHarness) -> None:
    """The issue's load test: 5% blocked, 429 bursts, some 5xx; every active recipient gets
    exactly one copy, the blocked are marked inactive, no second has more than 30 sends."""
    from bot.services.broadcasts import Draft
    from storage.broadcasts import EVERYONE, Audience

    services = running.services
    sender = running.sender
    sender.retry_base_seconds = 0.2
    organiser = sandbox.user(900001, "Org")
    await answer(organiser, "Big news for everyone", "not sure")
    source = next(iter(sandbox._chats[900001].incoming))
    recipients = list(range(100_000, 102_000))
    stamp = services.clock.now().isoformat()
    await services.db.executemany(
        "INSERT INTO users (telegram_id, first_name, first_seen, last_seen) VALUES (?, 'R', ?, ?)",
        [(uid, stamp, stamp) for uid in recipients],
    )
    for uid in recipients:
        open_chat(sandbox, uid)
    blocked = recipients[::20]  # 5%
    for uid in blocked:
        sandbox.inject("blocked", chat_id=uid, count=-1)
    broadcaster = services.broadcasts
    record = await broadcaster.create(900001, Draft(900001, source, "Big news"), Audience(EVERYONE))
    assert await broadcaster.start(record.id)

    async def faults() -> None:
        for _ in range(4):
            await asyncio.sleep(12)
            sandbox.inject("retry_after", retry_after=1, count=3)
            sandbox.inject("server_error", count=5)
            sandbox.inject("bad_gateway", count=3)

    chaos = asyncio.create_task(faults())
    try:
        async with asyncio.timeout(150):
            while True:
                state = (await services.broadcasts.get(record.id)).state  # type: ignore[union-attr]
                if state == "done":
                    break
                await asyncio.sleep(0.5)
    finally:
        chaos.cancel()
    counts = await services.broadcasts.delivery(record.id)
    errors = await services.db.fetchall(
        "SELECT state, last_error, count(*) FROM outbox WHERE broadcast_id = ? "
        "GROUP BY state, last_error",
        (record.id,),
    )
    detail = f"{counts} {[tuple(r) for r in errors]}"
    assert counts["blocked"] == len(blocked) and counts["failed"] == 0, detail
    assert counts["sent"] == len(recipients) - len(blocked) + 1  # + the organiser
    blocked_set = set(blocked)
    for uid in recipients:
        copies = [m.text for m in sandbox.messages(uid)].count("Big news for everyone")
        assert copies == (0 if uid in blocked_set else 1), uid
    inactive = await services.db.fetchall("SELECT telegram_id FROM users WHERE is_active = 0")
    assert {int(r[0]) for r in inactive} == blocked_set
    assert sandbox.max_sends_per_second() <= 30
    assert sandbox.rate_violations == []


def sends_to(sandbox: Sandbox, chat: int, method: str = "sendMessage") -> int:
    return len([c for c in sandbox.calls_of(method) if c.params.get("chat_id") == chat])


async def test_timed_out_send_is_not_sent_again(sandbox: Sandbox, running: BotHarness) -> None:
    """Telegram carried the send out but its answer came too late: the message arrived, so
    it must not be sent again. The row ends "unknown" and is counted as such."""
    open_chat(sandbox, 8801)
    sender = running.sender
    sender.send_timeout = 0.3
    sender.retry_base_seconds = 0.05
    sender.per_chat_interval = 0.05
    sandbox.inject("timeout", chat_id=8801, delay=60, methods=("sendMessage",))
    await sender.enqueue([text(8801, "t", "once only")])
    counts = await wait_settled(running, 1, within=20)
    await sandbox.wait_idle()
    assert [m.text for m in sandbox.messages(8801)] == ["once only"]  # it did arrive
    assert sends_to(sandbox, 8801) == 1
    assert counts["unknown"] == 1 and counts["sent"] == 0
    row = (await running.services.outbox.rows())[0]
    assert row.state == "unknown" and "TimedOut" in (row.last_error or "")


async def test_a_passing_bad_request_is_retried(sandbox: Sandbox, running: BotHarness) -> None:
    open_chat(sandbox, 8811)
    sender = running.sender
    sender.retry_base_seconds = 0.05
    sender.per_chat_interval = 0.05
    sandbox.inject(
        "bad_request",
        chat_id=8811,
        description="Bad Request: can't parse entities: unexpected end tag",
        methods=("sendMessage",),
    )
    await sender.enqueue([text(8811, "b", "second time lucky")])
    await wait_settled(running, 1)
    row = (await running.services.outbox.rows())[0]
    assert row.state == "sent" and row.attempts == 2
    assert [m.text for m in sandbox.messages(8811)] == ["second time lucky"]


async def test_bad_requests_are_given_up_after_bounded_retries(
    sandbox: Sandbox, running: BotHarness
) -> None:
    """A 400 about the message: the first try and three retries, then "failed". A 400 about
    the recipient ("chat not found"): given up at once."""
    open_chat(sandbox, 8821)
    sender = running.sender
    sender.retry_base_seconds = 0.02
    sender.per_chat_interval = 0.02
    sandbox.inject(
        "bad_request", chat_id=8821, count=-1, description="Bad Request: message is too long"
    )
    await sender.enqueue([text(8821, "long", "never fits"), text(8822, "ghost", "nobody")])
    await wait_settled(running, 2)
    rows = {r.chat_id: r for r in await running.services.outbox.rows()}
    assert (rows[8821].state, rows[8821].attempts) == ("failed", 4)
    assert "message is too long" in (rows[8821].last_error or "").lower()
    assert (rows[8822].state, rows[8822].attempts) == ("failed", 1)
    assert sends_to(sandbox, 8821) == 4 and sends_to(sandbox, 8822) == 1


async def test_a_graceful_stop_lets_the_send_in_flight_finish(
    sandbox: Sandbox, harness: BotHarness
) -> None:
    """Stopping while a send waits for Telegram's answer: the send is let finish and marked,
    so the restart does not send it a second time."""
    await harness.start()
    open_chat(sandbox, 8831)
    # The message arrives at once; Telegram's answer takes a second (within the timeout).
    sandbox.inject("timeout", chat_id=8831, delay=1.0, methods=("sendMessage",))
    await harness.sender.enqueue([text(8831, "s", "in flight")])
    await sandbox.wait_for(8831, "in flight")
    await harness.stop()
    await harness.start()
    counts = await wait_settled(harness, 1)
    await sandbox.wait_idle()
    assert counts["sent"] == 1
    assert [m.text for m in sandbox.messages(8831)] == ["in flight"]


async def test_a_stop_while_the_sender_asks_how_long_to_idle_leaves_nothing_unawaited(
    running: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    sender = running.sender
    asking = asyncio.Event()

    async def ask_forever() -> float:
        asking.set()
        await asyncio.Event().wait()  # the outbox read never answers before the stop
        return 1.0

    monkeypatch.setattr(sender, "_idle_wait", ask_forever)
    sender.wake()  # round the loop once more, into the patched question
    await asyncio.wait_for(asking.wait(), 5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        await sender.stop(grace=0)
        gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
