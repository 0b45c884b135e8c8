"""The outbox repository: dedupe, due order, states and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storage.db import Database
from storage.outbox import PRIORITY_BULK, PRIORITY_URGENT, NewMessage, OutboxRepository

T0 = datetime(2025, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def outbox(db: Database) -> OutboxRepository:
    return OutboxRepository(db)


def msg(chat: int, key: str, **kw: object) -> NewMessage:
    return NewMessage(chat_id=chat, dedupe_key=key, kind="test", payload={"text": key}, **kw)  # type: ignore[arg-type]


async def test_dedupe_key_enqueues_once(outbox: OutboxRepository) -> None:
    assert await outbox.enqueue([msg(1, "a"), msg(2, "b")], now=T0) == 2
    assert await outbox.enqueue([msg(1, "a"), msg(3, "c")], now=T0) == 1
    assert [r.payload["text"] for r in await outbox.rows()] == ["a", "b", "c"]


async def test_due_respects_time_and_priority(outbox: OutboxRepository) -> None:
    await outbox.enqueue(
        [
            msg(1, "bulk", priority=PRIORITY_BULK),
            msg(2, "later", not_before=T0 + timedelta(minutes=5)),
            msg(3, "urgent", priority=PRIORITY_URGENT),
        ],
        now=T0,
    )
    assert [r.payload["text"] for r in await outbox.due(T0)] == ["urgent", "bulk"]
    due_later = await outbox.due(T0 + timedelta(minutes=5))
    assert [r.payload["text"] for r in due_later] == ["urgent", "later", "bulk"]


async def test_states_and_counts(outbox: OutboxRepository) -> None:
    await outbox.enqueue(
        [msg(i, f"k{i}", broadcast_id=7) for i in range(4)] + [msg(9, "x")], now=T0
    )
    rows = await outbox.rows()
    await outbox.mark_sent(rows[0].id, message_id=11, now=T0)
    await outbox.mark_final(rows[1].id, "blocked", "Forbidden")
    await outbox.retry_later(rows[2].id, error="boom", not_before=T0 + timedelta(seconds=2))
    assert await outbox.cancel(broadcast_id=7) == 2
    counts = await outbox.counts(broadcast_id=7)
    assert counts == {"pending": 0, "sent": 1, "failed": 0, "blocked": 1, "cancelled": 2}
    assert (await outbox.counts())["pending"] == 1
    retried = await outbox.get(rows[2].id)
    assert retried is not None and retried.attempts == 1 and retried.last_error == "boom"


async def test_cancel_by_prefix_escapes_wildcards(outbox: OutboxRepository) -> None:
    await outbox.enqueue([msg(1, "rem:1_2"), msg(1, "rem:1x2"), msg(1, "rem:2")], now=T0)
    assert await outbox.cancel(dedupe_prefix="rem:1_") == 1
