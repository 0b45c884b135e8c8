"""Tests of the Bot API sandbox, driven through a real python-telegram-bot ``Bot``/Application."""

from __future__ import annotations

import asyncio
import datetime as dtm
import html
import json
import time
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)
from telegram.helpers import escape_markdown
from telegram.request import HTTPXRequest

from sandbox import Sandbox

NASTY = "<b>&_*[]()~`>#+-=|{}.! 😀👍🏽 اردو میں șță"
ALICE = 1001


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox() as sb:
        yield sb


@pytest.fixture
async def bot(sandbox: Sandbox) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=8)
    b = Bot(
        sandbox.token,
        base_url=sandbox.base_url,
        base_file_url=sandbox.base_file_url,
        request=request,
    )
    async with b:
        yield b


@pytest.fixture
async def alice(sandbox: Sandbox) -> int:
    sandbox.user(ALICE, "Alice", username="alice")
    await sandbox.send_text(ALICE, "hi")
    return ALICE


def _keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d)] for t, d in pairs])


# ---------------------------------------------------------------- basics


async def test_get_me(bot: Bot, sandbox: Sandbox) -> None:
    me = await bot.get_me()
    assert me.username == "forumbridge_test_bot"
    assert me.is_bot
    assert me.id == int(sandbox.token.split(":")[0])
    assert sandbox.calls[0].method == "getMe"


async def test_long_polling_and_offset(bot: Bot, sandbox: Sandbox) -> None:
    sandbox.user(ALICE, "Alice")
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    await sandbox.send_text(ALICE, "/start ref_42")
    updates = await poll
    assert time.monotonic() - started < 2
    assert len(updates) == 1
    msg = updates[0].message
    assert msg is not None and msg.text == "/start ref_42"
    assert msg.chat.id == ALICE and msg.chat.type == "private"
    assert msg.entities[0].type == "bot_command" and msg.entities[0].length == len("/start")
    # not confirmed yet: delivered again
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [updates[0].update_id]
    # confirmed by offset
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    await sandbox.send_text(ALICE, "second")
    later = await bot.get_updates(offset=updates[0].update_id + 1, timeout=1)
    assert later[0].message is not None and later[0].message.text == "second"


async def test_allowed_updates(bot: Bot, sandbox: Sandbox) -> None:
    await sandbox.send_text(ALICE, "hello")
    await sandbox.block(ALICE)
    updates = await bot.get_updates(timeout=0, allowed_updates=["my_chat_member"])
    assert len(updates) == 1 and updates[0].my_chat_member is not None


async def test_send_message_is_recorded(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    sent = await bot.send_message(alice, "<b>Hello</b> there", parse_mode=ParseMode.HTML)
    assert sent.text == "Hello there"
    assert sent.entities[0].type == "bold" and sent.entities[0].length == 5
    assert sent.chat.id == alice and sent.from_user is not None and sent.from_user.is_bot
    (msg,) = sandbox.messages(alice)
    assert msg.message_id == sent.message_id
    assert msg.text == "Hello there" and msg.raw_text == "<b>Hello</b> there"
    assert msg.parse_mode == "HTML" and msg.kind == "text"
    call = sandbox.calls_of("sendMessage")[0]
    assert call.params["chat_id"] == alice and call.ok


async def test_unknown_chat_and_unknown_method(bot: Bot, sandbox: Sandbox) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(999, "hi")
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    assert sandbox.calls[-1].error == (404, "Not Found: method not found")


async def test_wrong_token(sandbox: Sandbox) -> None:
    wrong = Bot("999:WRONG", base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    with pytest.raises(InvalidToken):
        await wrong.get_me()


# ---------------------------------------------------------------- strictness


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        ("<x>bad</x>", ParseMode.HTML, 'Unsupported start tag "x"'),
        ("<b>unclosed", ParseMode.HTML, "Can't find end tag corresponding to start tag"),
        ("<b><i>x</b></i>", ParseMode.HTML, "Unmatched end tag"),
        ("Tom & Jerry", ParseMode.HTML, "Unsupported HTML entity"),
        ("a < b", ParseMode.HTML, "Unsupported start tag"),
        ("Ends with a dot.", ParseMode.MARKDOWN_V2, "Character '.' is reserved"),
        ("*unclosed bold", ParseMode.MARKDOWN_V2, "Can't find end of Bold entity"),
    ],
)
async def test_bad_markup_is_refused(
    bot: Bot, sandbox: Sandbox, alice: int, text: str, mode: str, expected: str
) -> None:
    with pytest.raises(BadRequest) as info:
        await bot.send_message(alice, text, parse_mode=mode)
    # PTB re-capitalises the description; the sandbox keeps Telegram's exact wording
    assert info.value.message.startswith("Can't parse entities: ")
    assert expected.lower() in info.value.message.lower()
    description = sandbox.calls[-1].error[1]  # type: ignore[index]
    assert description.startswith("Bad Request: can't parse entities: ")
    assert expected in description


async def test_nasty_text_escaped_is_accepted(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    as_html = await bot.send_message(alice, html.escape(NASTY), parse_mode=ParseMode.HTML)
    assert as_html.text == NASTY
    as_md = await bot.send_message(
        alice, f"*{escape_markdown(NASTY, version=2)}*", parse_mode=ParseMode.MARKDOWN_V2
    )
    assert as_md.text == NASTY
    assert as_md.entities[0].type == "bold"
    assert as_md.entities[0].length == len(NASTY.encode("utf-16-le")) // 2
    plain = await bot.send_message(alice, NASTY)
    assert plain.text == NASTY
    assert [m.text for m in sandbox.messages(alice)] == [NASTY] * 3
    legacy = await bot.send_message(alice, "*bold* with a stray _", parse_mode=ParseMode.MARKDOWN)
    assert legacy.text == "bold with a stray _"


async def test_length_limits(bot: Bot, alice: int) -> None:
    await bot.send_message(alice, "x" * 4096)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice, "x" * 4097)
    # counted after entity parsing, in UTF-16 code units
    await bot.send_message(alice, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice, "😀" * 2049)
    await bot.send_message(alice, "😀" * 2048)
    # an entity is the one character it shows
    await bot.send_message(alice, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(alice, "&lt;" * 4097, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(alice, "")
    with pytest.raises(BadRequest, match="Message text is empty"):
        await bot.send_message(alice, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await bot.send_document(alice, b"data", filename="a.txt", caption="c" * 1025)


async def test_keyboard_validation(bot: Bot, alice: int) -> None:
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(alice, "x", reply_markup=_keyboard(("Go", "d" * 65)))
    await bot.send_message(alice, "x", reply_markup=_keyboard(("Go", "d" * 64)))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(alice, "x", reply_markup=_keyboard(("Go", "ș" * 33)))
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="javascript:alert(1)")]])
    with pytest.raises(BadRequest, match="Button_url_invalid"):
        await bot.send_message(alice, "x", reply_markup=bad_url)
    good_url = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="https://example.com")]])
    await bot.send_message(alice, "x", reply_markup=good_url)
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.do_api_request(
            "sendMessage",
            {"chat_id": alice, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a"}]]}},
        )


async def test_edit_rules(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    kb = _keyboard(("A", "a"))
    sent = await bot.send_message(alice, "one", reply_markup=kb)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("one", alice, sent.message_id, reply_markup=kb)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(alice, sent.message_id, reply_markup=kb)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", alice, 9999)
    edited = await bot.edit_message_text("two", alice, sent.message_id, reply_markup=kb)
    assert isinstance(edited, type(sent)) and edited.text == "two"
    # editing the text without reply_markup removes the inline keyboard, as in Telegram
    await bot.edit_message_text("three", alice, sent.message_id)
    msg = sandbox.messages(alice)[-1]
    assert msg.text == "three" and msg.edits == ["one", "two"] and msg.reply_markup is None
    assert await bot.delete_message(alice, sent.message_id)
    assert msg.deleted
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(alice, sent.message_id)


# ---------------------------------------------------------------- faults


async def test_injected_faults(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    sandbox.inject("retry_after", retry_after=7)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(alice, "x")
    value = info.value.retry_after
    assert (value.total_seconds() if isinstance(value, dtm.timedelta) else value) == 7

    sandbox.inject("blocked", chat_id=alice)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice, "x")

    sandbox.inject("chat_not_found")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(alice, "x")

    sandbox.inject("server_error", count=2)
    for _ in range(2):
        with pytest.raises(NetworkError) as net:
            await bot.send_message(alice, "x")
        assert not isinstance(net.value, TimedOut)

    sandbox.inject("slow", delay=0.6)
    with pytest.raises(TimedOut):
        await bot.send_message(alice, "x", read_timeout=0.2)

    # faults only hit matching chats/methods and are used up
    sandbox.inject("blocked", chat_id=4242)
    await bot.send_message(alice, "fine")
    sandbox.clear_faults()
    assert [m.text for m in sandbox.messages(alice)][-1] == "fine"


async def test_bad_request_and_timeout_faults(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    sandbox.inject("bad_request", description="Bad Request: can't parse entities: nope")
    with pytest.raises(BadRequest, match="parse entities: nope"):
        await bot.send_message(alice, "x")
    assert [m.text for m in sandbox.messages(alice)] == []

    # A timeout: the message is delivered at once, only the answer is held back; the client
    # gives up after its read timeout and the sandbox stops holding when it hangs up.
    sandbox.inject("timeout", delay=60)
    with pytest.raises(TimedOut):
        await bot.send_message(alice, "arrived anyway", read_timeout=0.3)
    assert [m.text for m in sandbox.messages(alice)] == ["arrived anyway"]
    await sandbox.wait_idle(quiet=0.05, timeout=30)  # not 60: the hold ended at the hang-up
    await bot.send_message(alice, "next")
    assert [m.text for m in sandbox.messages(alice)] == ["arrived anyway", "next"]


async def test_block_emits_my_chat_member(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    await sandbox.block(alice)
    updates = await bot.get_updates(timeout=0)
    member = updates[-1].my_chat_member
    assert member is not None
    assert member.new_chat_member.status == "kicked"
    assert member.old_chat_member.status == "member"
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(alice, "still there?")
    await sandbox.unblock(alice)
    await bot.send_message(alice, "welcome back")


# ---------------------------------------------------------------- files and buttons


async def test_document_roundtrip(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    content = "name,country\nAna,RO\nعلی,PK\n".encode()
    update = await sandbox.send_document(alice, "people.csv", content, caption="/import now")
    file_id = update["message"]["document"]["file_id"]
    (upd,) = [u for u in await bot.get_updates(timeout=0) if u.update_id == update["update_id"]]
    assert upd.message is not None and upd.message.document is not None
    assert upd.message.document.file_name == "people.csv"
    assert upd.message.caption_entities[0].type == "bot_command"
    tg_file = await bot.get_file(file_id)
    assert bytes(await tg_file.download_as_bytearray()) == content

    sent = await bot.send_document(alice, b"report-bytes", filename="report.csv", caption="Report")
    assert sent.document is not None and sent.caption == "Report"
    last = sandbox.messages(alice)[-1]
    assert last.kind == "document" and last.filename == "report.csv"
    assert last.content == b"report-bytes" and last.text == "Report"
    again = await bot.get_file(sent.document.file_id)
    assert bytes(await again.download_as_bytearray()) == b"report-bytes"
    # resend by file_id; multipart bodies carry reply_markup as a JSON string
    await bot.send_document(alice, sent.document.file_id)
    assert sandbox.messages(alice)[-1].content == b"report-bytes"
    photo = await bot.send_photo(
        alice,
        b"\x89PNG-not-really",
        caption="<b>Pic</b>",
        parse_mode=ParseMode.HTML,
        reply_markup=_keyboard(("Like", "like")),
    )
    assert photo.photo and photo.caption == "Pic"
    last = sandbox.messages(alice)[-1]
    assert last.kind == "photo" and last.buttons() == [["Like"]]
    assert sandbox.calls_of("sendPhoto")[0].params["reply_markup"]["inline_keyboard"]


async def test_press_creates_callback_query(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    await bot.get_updates(timeout=0)
    sent = await bot.send_message(
        alice, "Pick", reply_markup=_keyboard(("Yes", "y:1"), ("No", "n"))
    )
    assert sandbox.messages(alice)[-1].buttons() == [["Yes"], ["No"]]
    assert sandbox.messages(alice)[-1].button_data() == {"Yes": "y:1", "No": "n"}
    update = await sandbox.press(alice, "Yes")
    got = [u for u in await bot.get_updates(timeout=0) if u.update_id == update["update_id"]]
    query = got[0].callback_query
    assert query is not None and query.data == "y:1"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await bot.answer_callback_query(query.id, "ok")
    assert sandbox.callback_answers[query.id]["text"] == "ok"
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(query.id)
    with pytest.raises(LookupError, match="Yes"):
        await sandbox.press(alice, "Maybe")
    forged = await sandbox.press_data(alice, sent.message_id, "admin:delete_all")
    assert forged["callback_query"]["data"] == "admin:delete_all"


async def test_commands_and_misc(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    await bot.set_my_commands([("start", "Start"), ("help", "Help")])
    assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
    assert sandbox.commands()[1]["description"] == "Help"
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await bot.set_my_commands([("Bad-Cmd", "x")])
    assert await bot.delete_webhook()
    assert await bot.send_chat_action(alice, "typing")
    chat = await bot.get_chat(alice)
    assert chat.first_name == "Alice" and chat.type == "private"
    copy = await bot.copy_message(alice, alice, 1)  # the user's "hi" from the fixture
    assert sandbox.messages(alice)[-1].message_id == copy.message_id
    assert sandbox.messages(alice)[-1].text == "hi"


# ---------------------------------------------------------------- rates, waiting, control API


async def test_rate_accounting(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    await asyncio.gather(*(bot.send_message(alice, f"m{i}") for i in range(35)))
    assert sandbox.max_sends_per_second() == 35
    assert sandbox.rate_violations and sandbox.rate_violations[-1][1] == 35


async def test_rate_limits_enforced(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    sandbox.enforce_rate_limits = True
    results = await asyncio.gather(
        *(bot.send_message(alice, f"m{i}") for i in range(35)), return_exceptions=True
    )
    refused = [r for r in results if isinstance(r, RetryAfter)]
    assert len(refused) == 5
    assert sandbox.max_sends_per_second() == 30


async def test_application_conversation(sandbox: Sandbox) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            f"Welcome, {update.effective_user.first_name}!"  # type: ignore[union-attr]
            f" args={context.args}",
            reply_markup=_keyboard(("Help", "help")),
        )

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text("<i>Help</i> text", parse_mode=ParseMode.HTML)

    app = (
        ApplicationBuilder()
        .token(sandbox.token)
        .base_url(sandbox.base_url)
        .base_file_url(sandbox.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button))
    sandbox.latency = 0.01
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=2)
        try:
            await _converse(sandbox)
        finally:
            await app.updater.stop()
            await app.stop()


async def _converse(sandbox: Sandbox) -> None:
    rep = sandbox.user(2002, "Ștefan <3")
    await rep.send("/start ev_1")
    welcome = await rep.expect("Welcome, Ștefan <3! args=['ev_1']")
    assert welcome.buttons() == [["Help"]]
    await rep.press("Help")
    edited = await rep.expect("Help text")
    assert edited.message_id == welcome.message_id and edited.edits
    await sandbox.wait_idle(quiet=0.1, timeout=5)
    assert sandbox.calls_of("answerCallbackQuery")[0].ok


async def test_wait_for_times_out_with_transcript(bot: Bot, sandbox: Sandbox, alice: int) -> None:
    await bot.send_message(alice, "something else")
    with pytest.raises(AssertionError, match="something else"):
        await sandbox.wait_for(alice, "never", timeout=0.2)
    waiter = asyncio.create_task(sandbox.wait_for(alice, "later", after=1))
    await asyncio.sleep(0.05)
    await bot.send_message(alice, "later on")
    assert (await waiter).text == "later on"


async def test_a_wait_for_one_chat_sleeps_through_the_others(bot: Bot, sandbox: Sandbox) -> None:
    # A thousand reps each waiting for their own chat (bench/registration.py): a message to
    # one chat wakes that chat's waiter only. One condition for everything woke every
    # waiter at every call, so the sandbox's work grew with the square of the users.
    chats = list(range(5001, 5011))
    looks = dict.fromkeys(chats, 0)
    for chat in chats:
        sandbox.user(chat, f"User {chat}")
        await sandbox.send_text(chat, "hi")
        await bot.send_message(chat, "not yet")

    def looking(chat: int) -> Any:
        def seen(message: Any) -> bool:
            looks[chat] += 1
            return bool(message.text == "now")

        return seen

    waiters = [asyncio.create_task(sandbox.wait_for(c, looking(c))) for c in chats]
    await asyncio.sleep(0.05)
    assert set(looks.values()) == {1}  # each read its chat's "not yet" once
    for _ in range(5):
        await bot.send_message(chats[0], "still not")
    await bot.send_message(chats[1], "now")
    assert (await waiters[1]).text == "now"
    assert looks[chats[0]] > 1  # woken by its own messages
    assert [looks[c] for c in chats[2:]] == [1] * 8
    for waiter in waiters:
        waiter.cancel()


def _http(url: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read())


async def test_control_api(bot: Bot, sandbox: Sandbox) -> None:
    root = f"http://127.0.0.1:{sandbox.port}/control"
    update = await asyncio.to_thread(_http, f"{root}/users/{ALICE}/send", {"text": "/help"})
    assert update["message"]["text"] == "/help"
    await bot.send_message(ALICE, "Menu", reply_markup=_keyboard(("Go", "go")))
    pressed = await asyncio.to_thread(_http, f"{root}/users/{ALICE}/press", {"button": "Go"})
    assert pressed["callback_query"]["data"] == "go"
    chat = await asyncio.to_thread(_http, f"{root}/chats/{ALICE}")
    assert chat[0]["text"] == "Menu" and chat[0]["buttons"] == [["Go"]]


async def test_expect_sees_edits_after_the_action(bot: Bot, sandbox: Sandbox) -> None:
    rep = sandbox.user(3003, "Rep")
    await rep.send("/start")
    first = await bot.send_message(rep.id, "Loading…")
    await rep.press_data(first.message_id, "refresh")
    waiter = asyncio.create_task(rep.expect("Loaded"))
    await asyncio.sleep(0.02)
    await bot.edit_message_text("Loaded", rep.id, first.message_id)
    assert (await waiter).message_id == first.message_id
    # the pre-action message itself does not match a new expectation
    with pytest.raises(AssertionError, match="Loaded"):
        await rep.expect("Loading", timeout=0.1)
    assert rep.last is not None and rep.last.text == "Loaded"
    await sandbox.wait_idle(quiet=0.05, timeout=2)


async def test_concurrent_polls_conflict(bot: Bot, sandbox: Sandbox) -> None:
    other = Bot(sandbox.token, base_url=sandbox.base_url, base_file_url=sandbox.base_file_url)
    first = asyncio.create_task(other.get_updates(timeout=3))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=3))
    with pytest.raises(Conflict):
        await first
    await sandbox.send_text(ALICE, "x")
    assert len(await second) == 1


async def test_groups_and_group_rate_limit(bot: Bot, sandbox: Sandbox) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(-100123, "x")
    sandbox.group(-100123, "Organisers")
    sandbox.enforce_rate_limits = True
    for i in range(20):
        await bot.send_message(-100123, f"m{i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(-100123, "one too many")
    assert len(sandbox.messages(-100123)) == 20


async def test_user_handle_is_stable(sandbox: Sandbox) -> None:
    ana = sandbox.user(7, "Ana", username="ana", language_code="ro")
    again = sandbox.user(7)
    assert again is ana
    update = await again.send("salut")
    assert update["message"]["from"]["first_name"] == "Ana"
    assert update["message"]["from"]["language_code"] == "ro"
