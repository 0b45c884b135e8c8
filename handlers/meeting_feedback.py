"""After a meeting: "Did the meeting take place?" (Yes / No / We moved it), then on yes a
1–5 rating and an optional note (a short conversation: the note, /skip or /cancel).
"We moved it" offers the free slots to book the new time."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.runtime.context import ForumContext
from bot.services.meeting_followup import MeetingFollowUp
from bot.services.meetings import MeetingService
from handlers.callbacks import MeetingHeld, MeetingRate
from handlers.common import add_buttons, conversation, edit, pressed, reader, reply, say, text_step
from handlers.i18n import N_, Texts
from handlers.meeting_texts import book_button, picker

NOTE = "meeting_note"
MEETING_KEY = "meeting_feedback"


def held_keyboard(tx: Texts, meeting_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tx._("✅ Yes"), callback_data=MeetingHeld(meeting_id, "yes").pack()
                ),
                InlineKeyboardButton(
                    tx._("✖️ No"), callback_data=MeetingHeld(meeting_id, "no").pack()
                ),
            ],
            [
                InlineKeyboardButton(
                    tx._("🔁 We moved it"), callback_data=MeetingHeld(meeting_id, "moved").pack()
                )
            ],
        ]
    )


def rating_keyboard(meeting_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("⭐" * n, callback_data=MeetingRate(meeting_id, n).pack())
                for n in range(1, 6)
            ]
        ]
    )


REFUSED = N_("This question is not for you, or the meeting has not taken place yet.")


async def held(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MeetingHeld)
    user_id = query.from_user.id
    result = await MeetingFollowUp(context.services).held(user_id, data.meeting, data.held)
    if result.kind == "refused" or result.meeting is None:
        await query.answer(tx._(REFUSED), show_alert=True)
        return
    await query.answer()
    partner = tx.user(result.partner_name)
    if result.kind == "yes":
        text = tx._("Glad you met {partner}! How useful was the meeting? (1 to 5 stars)")
        await edit(query, text.format(partner=partner), rating_keyboard(data.meeting))
        return
    if result.kind == "no":
        text = tx._("Thanks for telling us. You can book another time with {partner}.")
        again = InlineKeyboardMarkup([[book_button(tx, result.partner_id)]])
        await edit(query, text.format(partner=partner), again)
        return
    await edit(
        query, tx._("Noted: you moved the meeting with {partner}.").format(partner=partner), None
    )
    own = await MeetingService(context.services).zone_of(user_id)
    text, markup = picker(tx, result, own)
    await reply(update, text, reply_markup=markup)


async def rate(update: Update, context: ForumContext) -> object:
    query, tx, data = await pressed(update, context, MeetingRate)
    result = await MeetingFollowUp(context.services).rate(
        query.from_user.id, data.meeting, data.stars
    )
    if result.kind != "rated":
        await query.answer(tx._(REFUSED), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    if context.user_data is not None:
        context.user_data[MEETING_KEY] = data.meeting
    text = tx._(
        "Thank you: {stars}. Anything to add for the organisers? Send a short note now, or /skip."
    ).format(stars="⭐" * data.stars)
    await edit(query, text, None)
    return NOTE


async def got_note(update: Update, context: ForumContext) -> object:
    tx = await reader(update, context)
    user = update.effective_user
    message = update.effective_message
    meeting_id = (context.user_data or {}).get(MEETING_KEY)
    if user is None or message is None or not isinstance(meeting_id, int):
        return ConversationHandler.END
    result = await MeetingFollowUp(context.services).note(user.id, meeting_id, message.text or "")
    if result.kind == "too_long":
        await reply(
            update,
            tx._("Please keep the note to {limit} characters and send it again, or /skip.").format(
                limit=result.limit
            ),
        )
        return NOTE
    _forget(context)
    await reply(update, tx._("Noted. Thank you!") if result.kind == "noted" else tx._(REFUSED))
    return ConversationHandler.END


async def skip(update: Update, context: ForumContext) -> object:
    tx = await reader(update, context)
    _forget(context)
    await reply(update, tx._("Thank you!"))
    return ConversationHandler.END


def _forget(context: ForumContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(MEETING_KEY, None)


def build_conversation() -> ConversationHandler[ForumContext]:
    entry: list[Any] = [CallbackQueryHandler(rate, pattern=MeetingRate.filter())]
    steps = text_step(
        got_note,
        CommandHandler("skip", skip),
        otherwise=say(N_("Please type the note as text, or /skip."), NOTE),
    )
    return conversation("meeting_feedback", entry, {NOTE: steps})


def register(app: Application) -> None:
    app.add_handler(build_conversation())
    add_buttons(app, {MeetingHeld: held})
