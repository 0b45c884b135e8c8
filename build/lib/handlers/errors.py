"""The error handler: log the failure with its update, tell the user politely."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.context import ForumContext

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, something went wrong on our side. Please try again in a moment; "
    "if it keeps happening, tell the organisers."
)


async def on_error(update: object, context: ForumContext) -> None:
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    log.error(
        "update=%s user=%s error=%s",
        update_id,
        user_id,
        type(context.error).__name__,
        exc_info=context.error,
    )
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if isinstance(context.error, Forbidden):
        return  # the user blocked us; there is nobody to apologise to
    try:
        if update.callback_query:
            await update.callback_query.answer()
        await update.effective_chat.send_message(SORRY)
    except TelegramError:
        log.warning("update=%s could not tell the user about the error", update_id)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
