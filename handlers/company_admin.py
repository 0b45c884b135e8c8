"""Organisers' company data in chat: a CSV file sent with the caption ``/import`` imports
companies (one report message; the full per-line report as a file when it does not fit),
``/export`` sends them all back as CSV. Both check the organiser role on the server side."""

from __future__ import annotations

import logging

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.company_files import (
    COLUMNS,
    ImportReport,
    check_size,
    decode,
    export_companies,
    import_companies,
)
from bot.domain.profiles import Invalid
from bot.runtime.context import ForumContext
from handlers.common import audit, organiser_id, reply
from handlers.html import esc

log = logging.getLogger(__name__)

IMPORT_CAPTION = r"^/import(@\w+)?(\s|$)"
# The report message shows at most this many rows (and characters of them); the rest is
# in the file that follows, so 500 bad rows are one message and one file, not ten messages.
REPORT_LINES_SHOWN = 20
REPORT_CHARS_SHOWN = 2500


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
        # Telegram tells the size; an oversized file is refused before it is downloaded.
        if document.file_size is not None:
            check_size(document.file_size)
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray())
        text = decode(content)
        report = await import_companies(
            text, services.companies, services.links, services.forum, now=services.clock.now()
        )
    except Invalid as exc:
        await reply(update, f"⚠️ Nothing was imported. {exc}")
        return
    kept = f", {len(report.managed)} managed by their reps" if report.managed else ""
    await audit(
        context,
        user.id,
        "import companies",
        f"{report.imported} imported, {len(report.rejected)} rejected{kept} ({document.file_name})",
    )
    text, complete = _report_message(report)
    await reply(update, text)
    if not complete:
        notes = report.notes()
        body = "\n".join([report.summary(), "", *notes]) + "\n"
        await message.reply_document(
            document=InputFile(body.encode("utf-8"), filename="import-report.txt"),
            caption=f"The full import report: {len(notes)} lines.",
        )


def _report_message(report: ImportReport) -> tuple[str, bool]:
    """The report as one message (well under Telegram's 4096 characters), and whether it
    holds every per-line note; when it does not, the whole report follows as a file."""
    notes = [esc(note) for note in report.notes()]
    shown: list[str] = []
    size = 0
    for note in notes[:REPORT_LINES_SHOWN]:
        size += len(note) + 1
        if size > REPORT_CHARS_SHOWN:
            break
        shown.append(note)
    text = f"✅ <b>{esc(report.summary())}</b>"
    if shown:
        text += "\n\n<b>Rows not imported as they are</b>\n" + "\n".join(shown)
    cut = len(notes) - len(shown)
    if cut:
        text += f"\n… and {cut} more: the file below has the whole report."
    text += "\n\nEach new company without a rep got a claim link; /export lists them."
    return text, cut == 0


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
        services.forum,
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
