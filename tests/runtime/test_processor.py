"""The update processor: many users at once, each user's updates strictly in order."""

from __future__ import annotations

import asyncio
import random
from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler, MessageHandler, filters

from bot.config import Settings
from bot.runtime.processor import PerChatOrderedProcessor
from sandbox import Sandbox
from tests.support.flows import answer
from tests.support.harness import BotHarness

NAME, CITY = range(2)


def _survey() -> ConversationHandler[Any]:
    """A two-question conversation whose answers live in user_data between updates."""

    async def begin(update: Update, context: Any) -> int:
        await update.effective_chat.send_message("Your name?")  # type: ignore[union-attr]
        return NAME

    async def name(update: Update, context: Any) -> int:
        await asyncio.sleep(random.uniform(0, 0.02))  # let other users' updates interleave
        context.user_data["name"] = update.effective_message.text  # type: ignore[union-attr]
        await update.effective_chat.send_message("Your city?")  # type: ignore[union-attr]
        return CITY

    async def city(update: Update, context: Any) -> int:
        await asyncio.sleep(random.uniform(0, 0.02))
        text = update.effective_message.text  # type: ignore[union-attr]
        await update.effective_chat.send_message(  # type: ignore[union-attr]
            f"Saved: {context.user_data['name']} from {text}"
        )
        return ConversationHandler.END

    text = filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[MessageHandler(filters.Regex("^survey$"), begin)],
        states={NAME: [MessageHandler(text, name)], CITY: [MessageHandler(text, city)]},
        fallbacks=[],
        name="survey",
        persistent=True,
    )


async def test_fifty_users_in_conversations_never_mix(sandbox: Sandbox, settings: Settings) -> None:
    # Without the 30 msg/s limiter: this is about state, and 200 replies would take 7 s.
    running = BotHarness(sandbox, settings, rate_limiter=False)
    app = await running.start()
    app.add_handler(_survey(), group=-1)
    users = [sandbox.user(5000 + i, f"U{i}") for i in range(50)]

    async def chat(i: int) -> None:
        u = users[i]
        await answer(u, "survey", "Your name?")
        await answer(u, f"name-{i}", "Your city?")
        await u.send(f"city-{i}")
        await u.expect(f"Saved: name-{i} from city-{i}", timeout=10)

    try:
        await asyncio.gather(*(chat(i) for i in range(50)))
    finally:
        await running.stop()


async def test_one_users_rapid_messages_in_order(sandbox: Sandbox, running: BotHarness) -> None:
    assert running.app is not None
    seen: list[str] = []
    active = 0
    peak = 0

    async def record(update: Update, context: Any) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(random.uniform(0, 0.01))
        seen.append(update.effective_message.text)  # type: ignore[union-attr]
        active -= 1

    running.app.add_handler(MessageHandler(filters.Regex(r"^m\d+$"), record), group=-1)
    for i in range(40):
        await sandbox.send_text(6001, f"m{i}")
    for _ in range(200):
        if len(seen) == 40:
            break
        await asyncio.sleep(0.02)
    assert seen == [f"m{i}" for i in range(40)]
    assert peak == 1, "one chat's updates must never run at the same time"


async def test_different_users_run_concurrently_within_the_bound() -> None:
    processor = PerChatOrderedProcessor(3)
    active = 0
    peak = 0
    order: dict[int, list[int]] = {}

    async def work(chat: int, n: int) -> None:
        nonlocal active, peak
        active += 1
        peak = max(peak, active)
        await asyncio.sleep(0.01)
        order.setdefault(chat, []).append(n)
        active -= 1

    def update(chat: int, n: int) -> Update:
        return Update.de_json(
            {
                "update_id": chat * 100 + n,
                "message": {
                    "message_id": n,
                    "date": 0,
                    "chat": {"id": chat, "type": "private"},
                    "text": "x",
                },
            },
            None,
        )

    jobs = [
        asyncio.create_task(processor.process_update(update(chat, n), work(chat, n)))
        for n in range(5)
        for chat in (1, 2, 3, 4, 5)
    ]
    await asyncio.gather(*jobs)
    assert peak == 3
    assert all(seq == list(range(5)) for seq in order.values())
