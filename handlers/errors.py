"""The error handler: log the failure with its update and a trace id, alert the organisers
(throttled, ``bot.services.alerts``), tell the user politely."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application

from bot.runtime.context import ForumContext
from bot.services.alerts import ALERT_KIND
from bot.services.container import Services
from handlers.common import reader
from handlers.i18n import N_, Texts, texts
from handlers.notifications import Rendered, renderer

log = logging.getLogger(__name__)

SORRY = N_(
    "Sorry, something went wrong on our side. Please try again in a moment; "
    "if it keeps happening, tell the organisers."
)


async def on_error(update: object, context: ForumContext) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    user_id = (
        update.effective_user.id if isinstance(update, Update) and update.effective_user else None
    )
    if error is not None:
        source = f"update {update_id}" if update_id is not None else "background work"
        report = await context.services.alerts.report(error, source=source)
        fields = {
            "update_id": update_id,
            "user_id": user_id,
            "error": report.error,
            "trace_id": report.trace_id,
        }
        log.error(
            "update=%s user=%s error=%s trace=%s",
            *fields.values(),
            exc_info=error,
            extra=fields,
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
        tx = await reader(update, context)
    except Exception:  # the error may be the database's: apologise in English then
        tx = texts()
    try:
        await update.effective_chat.send_message(tx._(SORRY))
    except Forbidden:
        log.info("update=%s user blocked the bot; no apology possible", update_id)
    except TelegramError:
        log.warning("update=%s could not tell the user about the error", update_id)


@renderer(ALERT_KIND)
async def error_alert(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered:
    text = tx._(
        "⚠️ <b>Unhandled error</b>: {error} at <code>{place}</code> ({source}).\n"
        "Trace id <code>{trace_id}</code>: search the bot's log for it."
    ).format(
        error=tx.user(data.get("error", "?")),
        place=tx.user(data.get("place", "?")),
        source=tx.user(data.get("source", "?")),
        trace_id=tx.user(data.get("trace_id", "?")),
    )
    suppressed = int(data.get("suppressed", 0))
    if suppressed:
        text += "\n" + tx.n_(
            "It also happened {n} more time since the last alert.",
            "It also happened {n} more times since the last alert.",
            suppressed,
        )
    return Rendered(text=text)


def register(app: Application) -> None:
    app.add_error_handler(on_error)
