"""Introductions: Accept / Decline on a request, /intros (requests in and out), and the
organisers' /matchstats and /exportmatches. Also schedules the time-driven work: expiry,
the halfway reminders and the daily "new matches" digest."""

from __future__ import annotations

import logging
import re

from telegram import InputFile, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.context import ForumContext
from bot.introductions import ACCEPT_DATA, DECLINE_DATA, IntroductionService, rows_to_csv
from handlers.common import audit, organiser_id, reply

log = logging.getLogger(__name__)

DECISION_PATTERN = re.compile(f"^({re.escape(ACCEPT_DATA)}|{re.escape(DECLINE_DATA)})(\\d+)$")
DUE_EVERY_SECONDS = 300
STARTUP_DELAY_SECONDS = 10
DIGEST_EVERY_SECONDS = 3600
EXPORT_TOP_DEFAULT = 10
EXPORT_TOP_MAX = 100


async def decide(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    match = DECISION_PATTERN.match(query.data)
    assert match is not None
    accept = match.group(1) == ACCEPT_DATA
    done = await IntroductionService(context.services).decide(
        query.from_user.id, int(match.group(2)), accept=accept
    )
    if not done.ok:
        # Refused or already answered: say so, change nothing.
        await query.answer(done.text, show_alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(reply_markup=None)
    await reply(update, done.text)


async def intros_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    await reply(update, await IntroductionService(context.services).intros_text(user.id))


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


async def due_tick(context: ForumContext) -> None:
    """Expire overdue requests and send halfway reminders (the due check uses the clock)."""
    done = await IntroductionService(context.services).run_due()
    if any(done.values()):
        log.info("introductions: %s", done)


async def digest_tick(context: ForumContext) -> None:
    told = await IntroductionService(context.services).send_digests()
    if told:
        log.info("new-matches digests sent to %d companies", told)


def register(app: Application) -> None:
    app.add_handler(CallbackQueryHandler(decide, pattern=DECISION_PATTERN))
    app.add_handler(CommandHandler("intros", intros_command))
    app.add_handler(CommandHandler("matchstats", matchstats_command))
    app.add_handler(CommandHandler("exportmatches", exportmatches_command))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            # Soon after start-up too: that is when notices lost in a crash are re-queued.
            due_tick,
            interval=DUE_EVERY_SECONDS,
            first=STARTUP_DELAY_SECONDS,
            name="intros:due",
        )
        app.job_queue.run_repeating(
            digest_tick,
            interval=DIGEST_EVERY_SECONDS,
            first=DIGEST_EVERY_SECONDS,
            name="matches:digest",
        )
