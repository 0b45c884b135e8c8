"""The persistence commits its writes in groups: a burst of users each saving a registration
step costs one transaction per group, not one per user; every write is durable once its
call returns; a write still waiting for its group is not written after the user's erasure;
and a group that fails fails its own writes only (and is reported once, to them)."""

from __future__ import annotations

import asyncio
import gc
import pickle
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runtime.persistence import SQLitePersistence
from storage.db import Database
from storage.persistence_store import PersistenceStore

USERS = 40


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "groups.db")
    yield opened
    await opened.close()


async def transactions_during(db: Database, work: asyncio.Future[object]) -> int:
    """How many transactions SQLite began while ``work`` ran."""
    begun: list[str] = []
    await db.conn.set_trace_callback(
        lambda sql: begun.append(sql) if sql.startswith("BEGIN") else None
    )
    try:
        await work
    finally:
        await db.conn.set_trace_callback(None)
    return len(begun)


async def test_a_burst_of_saved_steps_shares_transactions(db: Database) -> None:
    store = PersistenceStore(db)
    persistence = SQLitePersistence(store)
    datas = {u: {"draft": {"name": f"Company {u}"}} for u in range(1, USERS + 1)}
    burst = asyncio.gather(
        *(
            persistence.save_progress(
                u, data, ("registration", (u, u), "country"), draft="draft", resume="/register"
            )
            for u, data in datas.items()
        )
    )
    # One group for the first save, one for all that arrived while it was writing.
    assert await transactions_during(db, burst) <= 2
    # Every save is there, the user's data with its own conversation state.
    blobs = await store.load_blobs("user")
    assert {u: pickle.loads(b)["draft"]["name"] for u, b in blobs.items()} == {
        u: f"Company {u}" for u in datas
    }
    states = await store.load_conversations("registration")
    assert states == {(u, u): "country" for u in datas}


async def test_the_interval_flush_of_many_users_is_one_transaction(db: Database) -> None:
    persistence = SQLitePersistence(PersistenceStore(db))
    flush = asyncio.gather(
        *(persistence.update_user_data(u, {"language": "ro", "n": u}) for u in range(USERS))
    )
    assert await transactions_during(db, flush) <= 2
    assert len(await persistence.store.load_blobs("user")) == USERS


async def test_a_write_waiting_for_its_group_is_not_made_after_an_erasure(db: Database) -> None:
    store = PersistenceStore(db)
    persistence = SQLitePersistence(store)
    async with db.transaction():  # another write holds the lock: the flush has to wait
        flush = asyncio.gather(
            persistence.update_user_data(1, {"draft": {"name": "Erased SRL"}}),
            persistence.update_user_data(2, {"draft": {"name": "Kept SRL"}}),
            persistence.update_conversation("registration", (1, 1), "city"),
        )
        await asyncio.sleep(0.05)
        persistence.forget(1, 1)  # /deleteme: memory first, then the database
    await flush
    assert set(await store.load_blobs("user")) == {2}
    assert await store.load_conversations("registration") == {}


async def test_a_failed_group_fails_its_writes_and_the_next_one_goes_through(
    db: Database,
) -> None:
    store = PersistenceStore(db)
    await db.execute("ALTER TABLE ptb_user_data RENAME TO ptb_user_data_away")
    with pytest.raises(sqlite3.OperationalError):
        await asyncio.gather(store.save_blob("user", 1, b"a"), store.save_blob("user", 2, b"b"))
    await db.execute("ALTER TABLE ptb_user_data_away RENAME TO ptb_user_data")
    await store.save_blob("user", 3, b"c")
    assert await store.load_blobs("user") == {3: b"c"}


async def test_a_failed_group_whose_writers_all_gave_up_is_not_reported_twice(
    db: Database,
) -> None:
    store = PersistenceStore(db)
    reported: list[dict[str, object]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        await db.execute("ALTER TABLE ptb_user_data RENAME TO ptb_user_data_away")
        async with db.transaction():  # the group waits for the lock ...
            writer = asyncio.ensure_future(store.save_blob("user", 1, b"a"))
            await asyncio.sleep(0.01)
            writer.cancel()  # ... and its only writer gives up meanwhile
        with pytest.raises(asyncio.CancelledError):
            await writer
        for _ in range(50):  # the group runs, and fails
            await asyncio.sleep(0.01)
        gc.collect()
        assert reported == []
    finally:
        loop.set_exception_handler(None)
