"""The real ``python -m bot run`` process killed with SIGKILL in the middle of a registration,
at the moments the 1-second persistence interval used to lose: the answer that led to a
question the bot sent survives, and an answer the bot cannot place after a restart is met
with how to go on, not with "I'm not sure what to do with that"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sandbox import Sandbox
from tests.support.flows import answer, started, wait_until
from tests.support.harness import BotProcess, bot_env

LOST = "I lost your last answer in a restart — send /register to continue."


def sending(sandbox: Sandbox, chat_id: int, text: str) -> Callable[[], bool]:
    """The bot has asked the sandbox to send ``text`` to ``chat_id`` (answered or not)."""

    def sent() -> bool:
        return any(
            call.params.get("chat_id") == chat_id and text in str(call.params.get("text"))
            for call in sandbox.calls_of("sendMessage")
        )

    return sent


async def bot_process(sandbox: Sandbox, tmp_path: Path) -> BotProcess:
    proc = BotProcess(bot_env(sandbox, tmp_path / "window.db"), tmp_path)
    await proc.start()
    return proc


async def test_kill_right_after_a_question_keeps_the_answer_before_it(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    proc = await bot_process(sandbox, tmp_path)
    ana = await started(sandbox, 7101, "Ana", timeout=20)
    await answer(ana, "/register", "Step 1 of 12")
    # The next question reaches Telegram, and the bot dies before it hears back: the
    # moment the user can see a question whose answer the old 1 s window had not saved.
    sandbox.inject("slow", chat_id=7101, delay=2.0, methods=("sendMessage",))
    await ana.send("Window Test SRL")
    await wait_until(sending(sandbox, 7101, "Step 2 of 12"), 15)
    await proc.kill()
    question = await ana.expect("Step 2 of 12", timeout=10)  # Telegram delivers it anyway

    proc = await bot_process(sandbox, tmp_path)
    await ana.press("🇷🇴 Romania", message_id=question.message_id)
    await ana.expect("Step 3 of 12", timeout=20)
    await answer(ana, "/back", "Step 2 of 12")
    await ana.send("/back")
    first = await ana.expect("Step 1 of 12")
    assert "Window Test SRL" in (first.text or ""), first.text
    await proc.terminate()


async def test_answer_lost_in_a_restart_is_said_so_not_shrugged_off(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    proc = await bot_process(sandbox, tmp_path)
    ioana = await started(sandbox, 7102, "Ioana", timeout=20)
    stranger = await started(sandbox, 7103, "Stranger", timeout=20)
    # The bot dies while saying "Let's register", before its first question is saved.
    sandbox.inject("slow", chat_id=7102, delay=30.0, methods=("sendMessage",))
    await ioana.send("/register")
    await wait_until(sending(sandbox, 7102, "Let's register"), 15)
    await proc.kill()
    sandbox.clear_faults()

    proc = await bot_process(sandbox, tmp_path)
    await ioana.send("Lost Answer SRL")
    await ioana.expect(LOST, timeout=20)
    # Someone who never started a registration is not told they lost anything.
    await answer(stranger, "hello there", "I'm not sure what to do with that")
    assert not any(LOST in (m.text or "") for m in stranger.messages)
    # And the way on works.
    await answer(ioana, "/register", "Step 1 of 12")
    await answer(ioana, "Lost Answer SRL", "Step 2 of 12")
    await proc.terminate()


async def test_an_older_flush_never_overwrites_a_saved_step(tmp_path: Path) -> None:
    """PTB's interval flush hands over copies taken up to a second earlier; when one lands
    after save_progress, the database keeps the newer step."""
    import pickle
    from copy import deepcopy

    from bot.runtime.persistence import SQLitePersistence
    from storage.db import Database
    from storage.persistence_store import PersistenceStore

    db = await Database.open(tmp_path / "flush.db")
    try:
        store = PersistenceStore(db)
        persistence = SQLitePersistence(store)
        key = (7104, 7104)
        data: dict[str, object] = {"draft": {"_mode": "new", "name": "Kept SRL"}}
        await persistence.save_progress(
            7104, data, ("registration", key, "name"), draft="draft", resume="/register"
        )
        older_data, older_state = deepcopy(data), "name"  # the flush copies now ...
        data["draft"] = {"_mode": "new", "name": "Kept SRL", "country": "Romania"}
        await persistence.save_progress(
            7104, data, ("registration", key, "city"), draft="draft", resume="/register"
        )
        # ... and writes after the newer save.
        await persistence.update_user_data(7104, older_data)
        await persistence.update_conversation("registration", key, older_state)
        saved = pickle.loads((await store.load_blobs("user"))[7104])
        assert saved["draft"]["country"] == "Romania"
        assert await store.load_conversations("registration") == {key: "city"}
        # A copy taken after the save (the menu noted once the question went out) is written,
        # and so is the end of the conversation.
        data["draft"] = {**data["draft"], "_menu": 42}  # type: ignore[dict-item]
        await persistence.update_user_data(7104, deepcopy(data))
        assert pickle.loads((await store.load_blobs("user"))[7104])["draft"]["_menu"] == 42
        await persistence.update_conversation("registration", key, None)
        assert await store.load_conversations("registration") == {}
    finally:
        await db.close()
