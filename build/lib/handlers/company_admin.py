"""Organisers' company data in chat: a CSV file sent with the caption ``/import`` imports
companies (with a report line per rejected row), ``/export`` sends them all back as CSV.
Both check the organiser role on the server side."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.company_csv import COLUMNS, decode, export_companies, import_companies
from bot.context import ForumContext
from bot.profiles import Invalid
from bot.texts import esc
from handlers.common import audit, organiser_id, reply

log = logging.getLogger(__name__)

IMPORT_CAPTION = r"^/import(@\w+)?(\s|$)"


async def import_document(update: Update, context: ForumContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or message.document is None:
        return
    services = context.services
    if await organiser_id(update, context) is None:
        return
    document = message.document
    try:
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray())
        text = decode(content)
        report = await import_companies(
            text, services.companies, services.links, now=services.clock.now()
        )
    except Invalid as exc:
        await reply(update, f"⚠️ Nothing was imported. {exc}")
        return
    await audit(
        context,
        user.id,
        "import companies",
        f"{report.imported} imported, {len(report.rejected)} rejected ({document.file_name})",
    )
    lines = report.lines()
    body = "\n".join(esc(line) for line in lines[1:])
    await reply(
        update,
        f"✅ <b>{esc(lines[0])}</b>"
        + (f"\n\n<b>Rejected rows</b>\n{body}" if body else "")
        + "\n\nEach new company without a rep got a claim link; /export lists them.",
    )


async def import_help(update: Update, context: ForumContext) -> None:
    if await organiser_id(update, context) is None:
        return
    await reply(
        update,
        "Send the CSV file as a document with the caption /import.\n"
        "Columns (header row, UTF-8): <code>" + esc(",".join(COLUMNS)) + "</code>",
    )


async def export(update: Update, context: ForumContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    if await organiser_id(update, context) is None:
        return
    now = services.clock.now()
    content = await export_companies(
        services.companies,
        services.links,
        now=now,
        bot_username=context.bot.username,
    )
    count = sum((await services.companies.count_by_country()).values())
    await message.reply_document(
        document=content.encode("utf-8"),
        filename=f"companies-{now:%Y%m%d-%H%M}.csv",
        caption=f"{count} companies, with their reps and claim links.",
    )
    await audit(context, user.id, "export companies", f"{count} companies")


def register(app: Application) -> None:
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.CaptionRegex(IMPORT_CAPTION), import_document)
    )
    app.add_handler(CommandHandler("import", import_help))
    app.add_handler(CommandHandler("export", export))
