"""Introductions: Accept / Decline on a request, /intros (requests in and out), and the
organisers' /matchstats and /exportmatches. (The time-driven work — expiry, the halfway
reminders and the daily "new matches" digest — starts in bot.runtime.jobs.)"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.runtime.context import ForumContext
from bot.services.introductions import ACCEPT_DATA, DECLINE_DATA, IntroductionService, rows_to_csv
from bot.services.intros_view import intros_view
from handlers.common import audit, callback_number, numbered, organiser_id, reply

log = logging.getLogger(__name__)

EXPORT_TOP_DEFAULT = 10
EXPORT_TOP_MAX = 100


async def decide(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    accept = query.data.startswith(ACCEPT_DATA)
    intro_id = callback_number(query.data, ACCEPT_DATA if accept else DECLINE_DATA)
    assert intro_id is not None  # the handler's pattern checked it
    done = await IntroductionService(context.services).decide(
        query.from_user.id, intro_id, accept=accept
    )
    if not done.ok:
        # Refused or already answered: say so, change nothing.
        await query.answer(done.text, show_alert=True)
        return
    await query.answer()
    # Take this request's buttons away (the notice's only row, or its row in /intros).
    message = query.message
    rows = (
        list(message.reply_markup.inline_keyboard)
        if isinstance(message, Message) and message.reply_markup
        else []
    )
    gone = {f"{ACCEPT_DATA}{intro_id}", f"{DECLINE_DATA}{intro_id}"}
    kept = [row for row in rows if not any(b.callback_data in gone for b in row)]
    if len(kept) < len(rows):
        await query.edit_message_reply_markup(
            reply_markup=InlineKeyboardMarkup(kept) if kept else None
        )
    await reply(update, done.text)


async def intros_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    view = await intros_view(IntroductionService(context.services), user.id)
    await reply(update, view.text, reply_markup=view.markup)


async def matchstats_command(update: Update, context: ForumContext) -> None:
    if await organiser_id(update, context) is None:
        return
    await reply(update, await IntroductionService(context.services).stats_text())


async def exportmatches_command(update: Update, context: ForumContext) -> None:
    chat = update.effective_chat
    actor = await organiser_id(update, context)
    if actor is None or chat is None:
        return
    top = EXPORT_TOP_DEFAULT
    if context.args:
        raw = context.args[0]
        if not raw.isdigit() or not 1 <= int(raw) <= EXPORT_TOP_MAX:
            await reply(
                update, f"Usage: /exportmatches [K], K a number from 1 to {EXPORT_TOP_MAX}."
            )
            return
        top = int(raw)
    rows = await IntroductionService(context.services).export_rows(top)
    if not rows:
        await reply(update, "There are no matches to export yet.")
        return
    data = rows_to_csv(rows).encode("utf-8")
    companies = len({r["company"] for r in rows})
    await audit(context, actor, "export matches", f"top {top}, {len(rows)} rows")
    await chat.send_document(
        document=InputFile(data, filename=f"matches-top{top}.csv"),
        caption=f"Top {top} matches: {len(rows)} rows for {companies} companies.",
    )


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(decide, pattern=numbered(ACCEPT_DATA, DECLINE_DATA)))
    app.add_handler(CommandHandler("intros", intros_command))
    app.add_handler(CommandHandler("matchstats", matchstats_command))
    app.add_handler(CommandHandler("exportmatches", exportmatches_command))
