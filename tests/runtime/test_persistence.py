"""Conversations and user data survive a restart of the Application, and a kill -9."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler, MessageHandler, filters

from sandbox import Sandbox
from storage.db import Database
from storage.persistence_store import PersistenceStore
from tests.support.flows import answer
from tests.support.harness import BotHarness, BotProcess, bot_env

STEP = 1


def _two_step() -> ConversationHandler[Any]:
    async def begin(update: Update, context: Any) -> int:
        context.user_data["first"] = "kept"
        await update.effective_chat.send_message("Step one done")  # type: ignore[union-attr]
        return STEP

    async def finish(update: Update, context: Any) -> int:
        first = context.user_data.get("first")
        await update.effective_chat.send_message(f"Finished; earlier answer {first}")  # type: ignore[union-attr]
        return ConversationHandler.END

    return ConversationHandler(
        entry_points=[MessageHandler(filters.Regex("^begin$"), begin)],
        states={STEP: [MessageHandler(filters.Regex("^finish$"), finish)]},
        fallbacks=[],
        name="two_step",
        persistent=True,
    )


async def test_conversation_survives_restart(sandbox: Sandbox, harness: BotHarness) -> None:
    app = await harness.start()
    app.add_handler(_two_step(), group=-1)
    user = sandbox.user(7001, "Ana")
    await answer(user, "begin", "Step one done")
    await harness.stop()

    app = await harness.start()
    app.add_handler(_two_step(), group=-1)
    await answer(user, "finish", "Finished; earlier answer kept")


async def test_state_is_written_within_the_update_interval(
    sandbox: Sandbox, harness: BotHarness, db_path: Path
) -> None:
    app = await harness.start()
    app.add_handler(_two_step(), group=-1)
    user = sandbox.user(7002, "Ana")
    await answer(user, "begin", "Step one done")
    await asyncio.sleep(1.5)  # one persistence interval, real time: the flush is PTB's own loop
    reader = await Database.open(db_path, migrate=False)
    try:
        store = PersistenceStore(reader)
        conversations = await store.load_conversations("two_step")
        assert conversations == {(7002, 7002): STEP}
        assert 7002 in await store.load_blobs("user")
    finally:
        await reader.close()


async def test_kill_loses_at_most_the_last_answer(sandbox: Sandbox, tmp_path: Path) -> None:
    """The real process, killed with SIGKILL one second after an answer, still has it."""
    db = tmp_path / "kill.db"
    env = bot_env(sandbox, db)
    proc = BotProcess(env, tmp_path)
    await proc.start()
    user = sandbox.user(7003, "Ion")
    await user.send("/start payload1")
    await user.expect("Welcome", timeout=15)
    await asyncio.sleep(1.5)
    await proc.kill()

    reader = await Database.open(db, migrate=False)
    try:
        blobs = await PersistenceStore(reader).load_blobs("user")
    finally:
        await reader.close()
    import pickle

    assert pickle.loads(blobs[7003])["start_payload"] == "payload1"


async def test_unchanged_user_data_is_not_written_again(
    sandbox: Sandbox, running: BotHarness
) -> None:
    """PTB offers every active user's data each interval; only changes reach SQLite, and
    empty data never does."""
    assert running.app is not None
    persistence = running.app.persistence
    assert persistence is not None
    writes: list[tuple[str, int]] = []
    store = persistence.store  # type: ignore[attr-defined]
    real_save = store.save_blob

    async def counting(kind: str, key: int, data: bytes) -> None:
        writes.append((kind, key))
        await real_save(kind, key, data)

    store.save_blob = counting
    user = sandbox.user(7004, "Ana")
    # The payload goes into user_data: one write; the chat's data is empty: none.
    await answer(user, "/start hello", "Welcome")
    await running.app.update_persistence()
    for _ in range(3):  # nothing changes any more: no write
        await answer(user, "/help", "Commands")
        await running.app.update_persistence()
    assert sorted(writes) == [("user", 7004)]
