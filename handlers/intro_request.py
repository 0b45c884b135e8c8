"""Asking for an introduction: "Request introduction" on a /matches card or a /companies card,
then an optional note (up to ``NOTE_LIMIT`` characters) or "Send without a note", then the
request goes out (double opt-in, daily limit: bot.services.introductions).

A persistent conversation with one named state; /cancel works in it, and a press on the
note step's buttons after it ended gets the "menu expired" answer.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
)

from bot.runtime.context import ForumContext
from bot.services.introductions import NOTE_LIMIT
from handlers.callbacks import DirRequest, IntroRequest, NoteSend, NoteStop
from handlers.common import conversation, edit, pressed, reader, reply, text_step
from handlers.i18n import Texts
from handlers.match_texts import outcome_text

TARGET_KEY = "intro_target"
ANY_COMPANY_KEY = "intro_any_company"  # the target came from the directory

# The conversation's one state: waiting for the note.
NOTE = "note"


def _note_keyboard(tx: Texts) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(tx._("📨 Send without a note"), callback_data=NoteSend().pack())],
            [InlineKeyboardButton(tx._("Cancel"), callback_data=NoteStop().pack())],
        ]
    )


async def ask_note(update: Update, context: ForumContext) -> str | int:
    query = update.callback_query
    assert query is not None
    target_id = IntroRequest.unpack(query.data).company_id
    return await _ask_note(update, context, target_id, any_company=False)


async def ask_note_from_directory(update: Update, context: ForumContext) -> str | int:
    """Request introduction on a /companies card: any company across the border, not only
    a match; the same note, double opt-in and daily limit."""
    query = update.callback_query
    assert query is not None
    target_id = DirRequest.unpack(query.data).company_id
    return await _ask_note(update, context, target_id, any_company=True)


async def _ask_note(
    update: Update, context: ForumContext, target_id: int, *, any_company: bool
) -> str | int:
    query = update.callback_query
    assert query is not None
    tx = await reader(update, context)
    services = context.services
    checked = await services.intros.check_target(
        query.from_user.id, target_id, any_company=any_company
    )
    await query.answer()
    text = outcome_text(tx, checked, services.forum, services.settings)
    if not checked.ok:
        await reply(update, text)
        return ConversationHandler.END
    context.user_data[TARGET_KEY] = target_id  # type: ignore[index]
    context.user_data[ANY_COMPANY_KEY] = any_company  # type: ignore[index]
    await reply(update, text, reply_markup=_note_keyboard(tx))
    return NOTE


async def _send(update: Update, context: ForumContext, note: str) -> int:
    user = update.effective_user
    tx = await reader(update, context)
    target_id = context.user_data.pop(TARGET_KEY, None)  # type: ignore[union-attr]
    if user is None or target_id is None:
        await reply(update, tx._("This request has expired. Send /matches to start again."))
        return ConversationHandler.END
    any_company = bool(context.user_data.pop(ANY_COMPANY_KEY, False))  # type: ignore[union-attr]
    services = context.services
    done = await services.intros.request(user.id, int(target_id), note, any_company=any_company)
    text = outcome_text(tx, done, services.forum, services.settings)
    if update.callback_query:
        await edit(update.callback_query, text, None)
    else:
        await reply(update, text)
    return ConversationHandler.END


async def got_note(update: Update, context: ForumContext) -> str | int:
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    if not text:
        return await odd_input(update, context)
    if len(text) > NOTE_LIMIT:
        tx = await reader(update, context)
        await reply(
            update,
            tx._(
                "That note is {length} characters long; please keep it to {limit} and send it "
                "again (or press Send without a note)."
            ).format(length=len(text), limit=NOTE_LIMIT),
            reply_markup=_note_keyboard(tx),
        )
        return NOTE
    return await _send(update, context, text)


async def send_without_note(update: Update, context: ForumContext) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    return await _send(update, context, "")


async def stop(update: Update, context: ForumContext) -> int:
    query, tx, _ = await pressed(update, context, NoteStop)
    await query.answer()
    context.user_data.pop(TARGET_KEY, None)  # type: ignore[union-attr]
    context.user_data.pop(ANY_COMPANY_KEY, None)  # type: ignore[union-attr]
    await edit(query, tx._("No request sent. Send /matches to see your matches again."), None)
    return ConversationHandler.END


async def odd_input(update: Update, context: ForumContext) -> str:
    tx = await reader(update, context)
    await reply(
        update,
        tx._(
            "Please type your note as text (up to {limit} characters), or press Send without "
            "a note. /cancel to stop."
        ).format(limit=NOTE_LIMIT),
        reply_markup=_note_keyboard(tx),
    )
    return NOTE


def build_intro_request_conversation() -> ConversationHandler[ForumContext]:
    entry: list[Any] = [
        CallbackQueryHandler(ask_note, pattern=IntroRequest.filter()),
        CallbackQueryHandler(ask_note_from_directory, pattern=DirRequest.filter()),
    ]
    note_step = text_step(
        got_note,
        CallbackQueryHandler(send_without_note, pattern=NoteSend.filter()),
        CallbackQueryHandler(stop, pattern=NoteStop.filter()),
        otherwise=odd_input,
    )
    return conversation("intro_request", entry, {NOTE: note_step})


def register(app: Application) -> None:
    app.add_handler(build_intro_request_conversation())
