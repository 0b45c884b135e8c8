"""The follow-up survey in the chat: the question (a notice, rendered when it is sent), the
four answers as buttons, and the optional note that follows an answer (a small persistent
conversation; /cancel, or "No note", ends it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ConversationHandler,
)

from bot.runtime.context import ForumContext
from bot.services.container import Services
from bot.services.followups import ASK_NOTICE, NOTE_LIMIT, PRIVATE, FollowupService
from handlers.callbacks import FollowupAnswer, FollowupChoice, FollowupNoNote
from handlers.common import conversation, pressed, reader, reply, say, text_step
from handlers.i18n import N_, Texts
from handlers.notifications import Rendered, renderer

NOTE = "followup_note"  # the conversation's one state: waiting for the optional note
PENDING_KEY = "followup_pending"
CHOICES: tuple[FollowupChoice, ...] = ("none", "ongoing", "signed", "private")


def answer_label(tx: Texts, answer: str | None) -> str:
    labels = {
        "none": tx._("No contact since"),
        "ongoing": tx._("Talks ongoing"),
        "signed": tx._("Agreement signed"),
        "private": tx._("Prefer not to say"),
    }
    return labels.get(answer or "", "—")


def _keyboard(tx: Texts, intro_id: int, company_id: int) -> InlineKeyboardMarkup:
    button = {
        choice: InlineKeyboardButton(
            answer_label(tx, choice),
            callback_data=FollowupAnswer(intro_id, company_id, choice).pack(),
        )
        for choice in CHOICES
    }
    return InlineKeyboardMarkup(
        [[button["none"], button["ongoing"]], [button["signed"], button["private"]]]
    )


@renderer(ASK_NOTICE)
async def render_question(
    tx: Texts, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    intro_id, company_id = int(data["intro_id"]), int(data["company_id"])
    question = await FollowupService(services).question(intro_id, company_id)
    if question is None or question.answered:
        return None  # gone (erased, deleted) or a colleague answered already
    accepted = datetime.fromisoformat(question.accepted_at)
    days = max(0, (services.clock.now() - accepted).days)
    text = "\n".join(
        [
            tx._("🗓 <b>What came of your contact with {partner}?</b>").format(
                partner=tx.user(question.partner)
            ),
            "",
            tx.n_(
                "You were introduced {n} day ago.",
                "You were introduced {n} days ago.",
                days,
            ),
            tx._(
                "Your answer helps the organisers report what the forum produced. It is not "
                "shown to {partner}, and one answer per company is enough."
            ).format(partner=tx.user(question.partner)),
        ]
    )
    return Rendered(text=text, reply_markup=_keyboard(tx, intro_id, company_id))


async def answered(update: Update, context: ForumContext) -> str | int:
    query, tx, data = await pressed(update, context, FollowupAnswer)
    done = await FollowupService(context.services).answer(
        query.from_user.id, data.intro_id, data.company_id, data.answer
    )
    if done.kind == "refused":
        await query.answer(tx._("This question is not for your company."), show_alert=True)
        return ConversationHandler.END
    if done.kind == "already":
        await query.answer(
            tx._("Your company already answered: {answer}.").format(
                answer=answer_label(tx, done.answer)
            ),
            show_alert=True,
        )
        await _drop_buttons(query)
        return ConversationHandler.END
    await query.answer()
    await _drop_buttons(query)
    chosen = answer_label(tx, done.answer)
    if done.answer == PRIVATE:
        await reply(update, tx._("Thank you. Noted: {answer}.").format(answer=chosen))
        return ConversationHandler.END
    context.user_data[PENDING_KEY] = [data.intro_id, data.company_id]  # type: ignore[index]
    await reply(
        update,
        tx._(
            "Thank you. Noted: {answer}.\n\nWould you add a short note for the organisers "
            "(up to {limit} characters), e.g. what you are working on together? Send it, "
            "or press No note."
        ).format(answer=chosen, limit=NOTE_LIMIT),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(tx._("No note"), callback_data=FollowupNoNote().pack())]]
        ),
    )
    return NOTE


async def _drop_buttons(query: Any) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


async def got_note(update: Update, context: ForumContext) -> str | int:
    message = update.effective_message
    user = update.effective_user
    tx = await reader(update, context)
    text = (message.text or "").strip() if message else ""
    pending = context.user_data.pop(PENDING_KEY, None)  # type: ignore[union-attr]
    if user is None or not pending or not text:
        await reply(update, tx._("Thank you."))
        return ConversationHandler.END
    if len(text) > NOTE_LIMIT:
        context.user_data[PENDING_KEY] = pending  # type: ignore[index]
        await reply(
            update,
            tx._("That note is {length} characters long; please keep it to {limit}.").format(
                length=len(text), limit=NOTE_LIMIT
            ),
        )
        return NOTE
    saved = await FollowupService(context.services).note(user.id, pending[0], pending[1], text)
    await reply(update, tx._("Thank you, your note is saved.") if saved else tx._("Thank you."))
    return ConversationHandler.END


async def no_note(update: Update, context: ForumContext) -> int:
    query, tx, _ = await pressed(update, context, FollowupNoNote)
    await query.answer()
    context.user_data.pop(PENDING_KEY, None)  # type: ignore[union-attr]
    await _drop_buttons(query)
    await reply(update, tx._("Thank you."))
    return ConversationHandler.END


def build_conversation() -> ConversationHandler[ForumContext]:
    return conversation(
        "followup_note",
        [CallbackQueryHandler(answered, pattern=FollowupAnswer.filter())],
        {
            NOTE: text_step(
                got_note,
                CallbackQueryHandler(no_note, pattern=FollowupNoNote.filter()),
                otherwise=say(
                    N_("Please send the note as text, or press No note. /cancel to stop."), NOTE
                ),
            )
        },
    )


def register(app: Application) -> None:
    app.add_handler(build_conversation())
