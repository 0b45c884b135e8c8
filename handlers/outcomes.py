"""What the forum produced, for the organisers: the one funnel as /stats and /matchstats
show it, and /report, the Excel workbook for the ministries (bot.services.report)."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from bot.services.funnel import Funnel
from bot.services.report import build as build_report
from handlers.common import audit, for_organisers
from handlers.i18n import Texts


def funnel_text(tx: Texts, funnel: Funnel) -> str:
    """The funnel as lines; each share is of the companies registered in Telegram."""
    labels = {
        "registered": tx._("registered in Telegram"),
        "consented": tx._("consented to be matched"),
        "matched": tx._("have a cross-border match"),
        "introduced": tx._("requested or received an introduction"),
        "accepted": tx._("introduction accepted"),
        "meeting_booked": tx._("meeting booked"),
        "meeting_held": tx._("meeting held"),
        "talks": tx._("follow-up: talks ongoing (or agreement)"),
        "agreement": tx._("follow-up: agreement signed"),
    }
    base = funnel.registered
    lines = [tx._("<b>Funnel</b> (companies)")]
    for number, (key, value) in enumerate(funnel.steps(), start=1):
        share = ""
        if base and number > 1:
            share = tx._(" ({percent})").format(percent=f"{value / base:.0%}")
        lines.append(
            tx._("{number}. {step}: <b>{value}</b>{share}").format(
                number=number, step=labels[key], value=value, share=share
            )
        )
    return "\n".join(lines)


@for_organisers
async def report_command(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    services = context.services
    content = await build_report(services)
    day = services.clock.now().astimezone(services.settings.tz)
    await chat.send_document(
        InputFile(
            content,
            filename=tx.plain(tx._("forum-report-{day}.xlsx").format(day=f"{day:%Y-%m-%d}")),
        ),
        caption=tx._(
            "The forum's report: the funnel, companies, introductions, follow-ups and broadcasts."
        ),
    )
    await audit(context, actor, "report", f"{len(content)} bytes")


def register(app: Application) -> None:
    app.add_handler(CommandHandler("report", report_command))
