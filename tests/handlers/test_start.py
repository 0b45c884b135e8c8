"""The front door end to end: /start, /help, /cancel, unknown commands, stray input, errors."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from handlers.errors import SORRY
from sandbox import Sandbox
from tests.support.flows import answer, press, send_sticker, started
from tests.support.harness import ADMIN_ID, BotHarness


async def test_start_greets_and_records_user(sandbox: Sandbox, running: BotHarness) -> None:
    ana = sandbox.user(1001, "Ana <b>&", username="ana_ro")
    await ana.send("/start")
    welcome = await ana.expect("Welcome to ForumBridge")
    # The name is shown exactly as typed, not as markup.
    assert "Ana <b>&" in welcome.text
    assert ["ℹ️ Help"] in welcome.buttons()
    user = await running.services.users.get(1001)
    assert user is not None and user.username == "ana_ro" and user.is_active


async def test_start_accepts_deep_link_payload(sandbox: Sandbox, running: BotHarness) -> None:
    bob = sandbox.user(1002, "Bob")
    await answer(bob, "/start join_abc123", "Welcome")
    assert running.app is not None
    assert running.app.user_data[1002]["start_payload"] == "join_abc123"


async def test_help_lists_commands_for_the_role(sandbox: Sandbox, running: BotHarness) -> None:
    rep = sandbox.user(1003, "Rep")
    await rep.send("/help")
    text = (await rep.expect("Commands")).text
    assert "/start" in text and "/cancel" in text and "organiser" not in text

    admin = sandbox.user(ADMIN_ID, "Org")
    await admin.send("/help")
    assert "Commands (organiser)" in (await admin.expect("Commands")).text


async def test_help_button_from_start(sandbox: Sandbox, running: BotHarness) -> None:
    rep = await started(sandbox, 1004, "Rep")
    await press(rep, "ℹ️ Help", "/help")


async def test_cancel_always_answers(sandbox: Sandbox, running: BotHarness) -> None:
    rep = sandbox.user(1005, "Rep")
    await answer(rep, "/cancel", "nothing to cancel")


async def test_unknown_command_and_stray_text(sandbox: Sandbox, running: BotHarness) -> None:
    rep = sandbox.user(1006, "Rep")
    await rep.send("/frobnicate<b>")
    reply = await rep.expect("don't know")
    assert "/frobnicate<b>" in reply.text
    await answer(rep, "hello there", "not sure what to do")
    await send_sticker(rep, "not sure what to do")


async def test_error_handler_apologises_without_details(
    sandbox: Sandbox, running: BotHarness
) -> None:
    async def boom(update: Update, context: object) -> None:
        raise RuntimeError("secret internals")

    assert running.app is not None
    running.app.add_handler(CommandHandler("boom", boom), group=-1)
    rep = sandbox.user(1007, "Rep")
    await rep.send("/boom")
    sorry = await rep.expect("something went wrong")
    assert sorry.text == SORRY
    assert "secret" not in sorry.text


async def test_a_button_that_fails_after_answering_still_gets_the_apology(
    sandbox: Sandbox, running: BotHarness
) -> None:
    """The /reminders handler answers the press, then its edit fails (a 500): the error
    handler's second answer is refused by Telegram, and the apology must still arrive."""
    rep = sandbox.user(1008, "Rep")
    await answer(rep, "/reminders", "When should I remind you")
    sandbox.inject("server_error", chat_id=1008, methods=("editMessageText",))
    pressed = await rep.press("▫️ 1 hour before")
    sorry = await rep.expect("something went wrong")
    assert sorry.text == SORRY
    query_id = pressed["callback_query"]["id"]
    answers = [
        c
        for c in sandbox.calls_of("answerCallbackQuery")
        if str(c.params.get("callback_query_id")) == query_id
    ]
    # The handler's answer went through; the error handler's second one was refused.
    assert [c.error is None for c in answers] == [True, False]


async def test_commands_published_per_role(sandbox: Sandbox, running: BotHarness) -> None:
    calls = [c for c in sandbox.calls if c.method == "setMyCommands"]
    scopes = [c.params.get("scope", {}).get("type", "default") for c in calls]
    assert "default" in scopes
    chat_scoped = [c for c in calls if c.params.get("scope", {}).get("type") == "chat"]
    assert [c.params["scope"]["chat_id"] for c in chat_scoped] == [ADMIN_ID]
