"""What answers when nothing else did: /cancel outside a conversation, unknown commands,
stray text (or, when a restart lost the user's place in a registration, how to resume it)
and stray button presses. Registered last, after every feature."""

from __future__ import annotations

from telegram import ReplyKeyboardRemove, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.runtime.context import ForumContext
from bot.runtime.persistence import SQLitePersistence
from handlers.common import reader, reply
from handlers.i18n import N_

# Every button press no handler accepted (forged, out of date, from a finished
# conversation) gets this one quiet answer.
EXPIRED_MENU = N_("This menu has expired. Send /start to begin again.")


async def cancel_idle(update: Update, context: ForumContext) -> None:
    tx = await reader(update, context)
    await reply(
        update,
        tx._("There is nothing to cancel. Send /help to see what you can do."),
        reply_markup=ReplyKeyboardRemove(),
    )


async def unknown_command(update: Update, context: ForumContext) -> None:
    tx = await reader(update, context)
    text = update.effective_message.text if update.effective_message else ""
    command = (text or "").split()[0] if text else ""
    await reply(
        update,
        tx._("Sorry, I don't know {command}. Send /help for the commands.").format(
            command=tx.user(command[:64])
        ),
    )


async def stray_message(update: Update, context: ForumContext) -> None:
    tx = await reader(update, context)
    persistence = context.application.persistence
    if isinstance(persistence, SQLitePersistence) and context.user_data is not None:
        # No conversation took the message, yet the user's data holds one saved by an
        # earlier run that never ended: the restart lost where it stood.
        resume = persistence.lost_progress(context.user_data)
        if resume:
            lost = tx._("I lost your last answer in a restart — send {command} to continue.")
            await reply(update, lost.format(command=resume))
            return
    await reply(update, tx._("I'm not sure what to do with that. Send /help to see what I can do."))


async def stray_button(update: Update, context: ForumContext) -> None:
    if update.callback_query:
        tx = await reader(update, context)
        await update.callback_query.answer(tx._(EXPIRED_MENU), show_alert=False)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("cancel", cancel_idle))
    app.add_handler(MessageHandler(filters.COMMAND & private, unknown_command))
    app.add_handler(
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, stray_message)
    )
    app.add_handler(CallbackQueryHandler(stray_button))
