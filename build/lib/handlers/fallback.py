"""What answers when nothing else did: /cancel outside a conversation, unknown commands,
stray text and stray button presses. Registered last, after every feature."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import ForumContext
from bot.texts import esc
from handlers.common import reply

EXPIRED_MENU = "This menu has expired. Send /start to begin again."


async def cancel_idle(update: Update, context: ForumContext) -> None:
    await reply(
        update,
        "There is nothing to cancel. Send /help to see what you can do.",
        reply_markup=ReplyKeyboardRemove(),
    )


async def unknown_command(update: Update, context: ForumContext) -> None:
    text = update.effective_message.text if update.effective_message else ""
    command = (text or "").split()[0] if text else "that"
    await reply(update, f"Sorry, I don't know {esc(command[:64])}. Send /help for the commands.")


async def stray_message(update: Update, context: ForumContext) -> None:
    await reply(
        update,
        "I'm not sure what to do with that. Send /help to see what I can do.",
    )


async def stray_button(update: Update, context: ForumContext) -> None:
    if update.callback_query:
        await update.callback_query.answer(EXPIRED_MENU, show_alert=False)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("cancel", cancel_idle))
    app.add_handler(MessageHandler(filters.COMMAND & private, unknown_command))
    app.add_handler(
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, stray_message)
    )
    app.add_handler(CallbackQueryHandler(stray_button))
