"""The outbox repository: dedupe, due order, states and counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.db import Database, migration_files
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
    assert counts == {
        "pending": 0,
        "sent": 1,
        "failed": 0,
        "blocked": 1,
        "cancelled": 2,
        "unknown": 0,
    }
    assert (await outbox.counts())["pending"] == 1
    retried = await outbox.get(rows[2].id)
    assert retried is not None and retried.attempts == 1 and retried.last_error == "boom"


async def test_unknown_state_and_counts_by_kind_prefix(outbox: OutboxRepository) -> None:
    await outbox.enqueue(
        [
            NewMessage(chat_id=1, dedupe_key="a", kind="intro_accepted", payload={"text": "a"}),
            NewMessage(chat_id=2, dedupe_key="b", kind="intro_request", payload={"text": "b"}),
            NewMessage(chat_id=3, dedupe_key="c", kind="introx", payload={"text": "c"}),
            NewMessage(chat_id=4, dedupe_key="d", kind="reminder", payload={"text": "d"}),
        ],
        now=T0,
    )
    rows = await outbox.rows()
    await outbox.mark_final(rows[0].id, "unknown", "TimedOut: Timed out")
    await outbox.mark_final(rows[1].id, "failed", "BadRequest: nope")
    counts = await outbox.counts(kind_prefix="intro_")
    assert counts["unknown"] == 1 and counts["failed"] == 1 and sum(counts.values()) == 2


async def test_cancel_by_prefix_escapes_wildcards(outbox: OutboxRepository) -> None:
    await outbox.enqueue([msg(1, "rem:1_2"), msg(1, "rem:1x2"), msg(1, "rem:2")], now=T0)
    assert await outbox.cancel(dedupe_prefix="rem:1_") == 1


async def test_outbox_rebuild_migration_keeps_rows(tmp_path: Path) -> None:
    """The migration that adds the 'unknown' state rebuilds the table: rows, their ids and
    the dedupe key survive, and the new state is accepted."""
    path = tmp_path / "old.db"
    files = migration_files()
    before = next(n for n, name, _ in files if name.endswith("_outbox_unknown.sql")) - 1
    db = await Database.open(path, migrate=False)
    for number, _name, sql in files[:before]:
        await db.conn.executescript(f"BEGIN;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;")
    old = OutboxRepository(db)
    await old.enqueue([msg(5, "kept"), msg(6, "sent one")], now=T0)
    rows = await old.rows()
    await old.mark_sent(rows[1].id, message_id=3, now=T0)
    await db.close()

    db = await Database.open(path)
    try:
        outbox = OutboxRepository(db)
        again = await outbox.rows()
        assert [(r.id, r.chat_id, r.state) for r in again] == [
            (rows[0].id, 5, "pending"),
            (rows[1].id, 6, "sent"),
        ]
        assert await outbox.enqueue([msg(5, "kept")], now=T0) == 0  # dedupe key still unique
        await outbox.mark_final(rows[0].id, "unknown", "TimedOut")
        assert (await outbox.counts())["unknown"] == 1
        indexes = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert {"outbox_pending", "outbox_broadcast", "outbox_kind"} <= indexes
    finally:
        await db.close()
