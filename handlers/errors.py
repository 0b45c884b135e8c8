"""The error handler: log the failure with its update, tell the user politely."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.runtime.context import ForumContext

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
    if update.callback_query:
        # Stop the button's spinner if the handler failed before answering. If it had
        # answered already, Telegram refuses a second answer ("query is too old ... or query
        # ID is invalid"); that must not keep the apology below from being sent.
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer()
    try:
        await update.effective_chat.send_message(SORRY)
    except Forbidden:
        log.info("update=%s user blocked the bot; no apology possible", update_id)
    except TelegramError:
        log.warning("update=%s could not tell the user about the error", update_id)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
