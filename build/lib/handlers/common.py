"""Small pieces every handler module shares: replying safely and the /cancel fallback."""

from __future__ import annotations

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler, ConversationHandler

from bot.context import ForumContext
from bot.texts import split_message

CANCELLED = "Cancelled. Nothing was saved. Send /help to see what you can do."
NOT_ORGANISER = "Sorry, this is for the forum organisers only."


async def reply(update: Update, text: str, **kwargs: object) -> Message | None:
    """Answer in the chat the update came from, splitting text over 4096 characters."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        # Buttons belong under the last part, where the user's eyes end up.
        extra = kwargs if index == len(parts) - 1 else {}
        sent = await chat.send_message(part, **extra)  # type: ignore[arg-type]
    return sent


async def cancel_conversation(update: Update, context: ForumContext) -> int:
    """The /cancel fallback every ConversationHandler uses: drop the draft, say so."""
    if context.user_data is not None:
        context.user_data.pop("draft", None)
    if update.callback_query:
        await update.callback_query.answer()
    await reply(update, CANCELLED, reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


def cancel_fallback() -> CommandHandler[ForumContext, int]:
    return CommandHandler("cancel", cancel_conversation)


async def organiser_id(update: Update, context: ForumContext) -> int | None:
    """The sender's id if the server knows them as an organiser; otherwise say no.

    Every organiser command goes through here, so the role is checked on our side for each
    update and never taken from what the client sent.
    """
    user = update.effective_user
    if user is None or not await context.services.is_organiser(user.id):
        if update.callback_query:
            await update.callback_query.answer(NOT_ORGANISER, show_alert=True)
        else:
            await reply(update, NOT_ORGANISER)
        return None
    return user.id


async def audit(context: ForumContext, actor_id: int, action: str, detail: str = "") -> None:
    """Record an organiser action in the audit log (/audit shows the last 50)."""
    services = context.services
    await services.audit.record(actor_id, action, detail, now=services.clock.now())
