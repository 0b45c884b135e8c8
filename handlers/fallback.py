"""What answers when nothing else did: /cancel outside a conversation, unknown commands,
stray text (or, when a restart lost the user's place in a registration, how to resume it)
and stray button presses. Registered last, after every feature."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.runtime.context import ForumContext
from bot.runtime.persistence import SQLitePersistence
from handlers.common import reply
from handlers.html import esc

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
    persistence = context.application.persistence
    if isinstance(persistence, SQLitePersistence) and context.user_data is not None:
        # No conversation took the message, yet the user's data holds one saved by an
        # earlier run that never ended: the restart lost where it stood.
        resume = persistence.lost_progress(context.user_data)
        if resume:
            await reply(
                update, f"I lost your last answer in a restart — send {resume} to continue."
            )
            return
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
