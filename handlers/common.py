"""Small pieces every handler module shares: replying safely and the /cancel fallback."""

from __future__ import annotations

from telegram import Message, ReplyKeyboardRemove, Update
from telegram.ext import CommandHandler, ConversationHandler

from bot.context import ForumContext
from bot.texts import split_message

CANCELLED = "Cancelled. Nothing was saved. Send /help to see what you can do."


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
