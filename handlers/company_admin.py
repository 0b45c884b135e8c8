"""Organisers' company data in chat: a CSV file sent with the caption ``/import`` imports
companies (one report message; the full per-line report as a file when it does not fit),
``/export`` sends them all back as CSV. Both check the organiser role on the server side;
the work is the companies' files service's (``services.company_files``)."""

from __future__ import annotations

import logging

from telegram import InputFile, Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.company_files import COLUMNS
from bot.domain.problems import Invalid
from bot.runtime.context import ForumContext
from bot.services.company_files import ImportReport, check_size
from handlers.common import audit, for_organisers, organiser_id, reader, reply
from handlers.company_texts import problem_text
from handlers.i18n import Texts

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
    tx = await reader(update, context)
    document = message.document
    try:
        # Telegram tells the size; an oversized file is refused before it is downloaded.
        if document.file_size is not None:
            check_size(document.file_size)
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray())
        report = await services.company_files.import_file(content)
    except Invalid as exc:
        refused = tx._("⚠️ Nothing was imported. {problem}")
        await reply(update, refused.format(problem=problem_text(tx, exc.problem)))
        return
    kept = f", {len(report.managed)} managed by their reps" if report.managed else ""
    await audit(
        context,
        user.id,
        "import companies",
        f"{report.imported} imported, {len(report.rejected)} rejected{kept} ({document.file_name})",
    )
    text, complete = _report_message(tx, report)
    await reply(update, text)
    if not complete:
        notes = _notes(tx, report, html=False)
        body = "\n".join([_summary(tx, report), "", *notes]) + "\n"
        await message.reply_document(
            document=InputFile(body.encode("utf-8"), filename=tx._("import-report.txt")),
            caption=tx.n_(
                "The full import report: {n} line.",
                "The full import report: {n} lines.",
                len(notes),
            ),
        )


def _summary(tx: Texts, report: ImportReport) -> str:
    """The counts, clause by clause (each one translated whole)."""
    clauses = [
        tx.n_(
            "Imported {n} company ({created} new, {updated} updated)",
            "Imported {n} companies ({created} new, {updated} updated)",
            report.imported,
        ).format(created=report.created, updated=report.updated)
    ]
    if report.managed:
        clauses.append(
            tx.n_(
                "{n} not changed (managed by their reps)",
                "{n} not changed (managed by their reps)",
                len(report.managed),
            )
        )
    clauses.append(tx.n_("rejected {n} row", "rejected {n} rows", len(report.rejected)))
    return "; ".join(clauses) + "."


def _notes(tx: Texts, report: ImportReport, *, html: bool) -> list[str]:
    """One line per row not imported as it is; plain text for the file."""
    notes = []
    for line, problem in report.problems():
        reason = problem_text(tx, problem, html=html)
        notes.append(tx._("line {line}: {reason}").format(line=line, reason=reason))
    return notes


def _report_message(tx: Texts, report: ImportReport) -> tuple[str, bool]:
    """The report as one message (well under Telegram's 4096 characters), and whether it
    holds every per-line note; when it does not, the whole report follows as a file."""
    notes = _notes(tx, report, html=True)
    shown: list[str] = []
    size = 0
    for note in notes[:REPORT_LINES_SHOWN]:
        size += len(note) + 1
        if size > REPORT_CHARS_SHOWN:
            break
        shown.append(note)
    text = f"✅ <b>{_summary(tx, report)}</b>"
    if shown:
        text += "\n\n" + tx._("<b>Rows not imported as they are</b>") + "\n" + "\n".join(shown)
    cut = len(notes) - len(shown)
    if cut:
        text += "\n" + tx.n_(
            "… and {n} more: the file below has the whole report.",
            "… and {n} more: the file below has the whole report.",
            cut,
        )
    text += "\n\n" + tx._("Each new company without a rep got a claim link; /export lists them.")
    return text, cut == 0


@for_organisers
async def import_help(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    await reply(
        update,
        tx._(
            "Send the CSV file as a document with the caption /import.\n"
            "Columns (header row, UTF-8): <code>{columns}</code>"
        ).format(columns=tx.user(",".join(COLUMNS))),
    )


async def export(update: Update, context: ForumContext) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None:
        return
    services = context.services
    if await organiser_id(update, context) is None:
        return
    tx = await reader(update, context)
    now = services.clock.now()
    exported = await services.company_files.export(context.bot.username)
    await message.reply_document(
        document=exported.content.encode("utf-8"),
        filename=tx._("companies-{stamp}.csv").format(stamp=f"{now:%Y%m%d-%H%M}"),
        caption=tx.n_(
            "{n} company, with its reps and claim link.",
            "{n} companies, with their reps and claim links.",
            exported.count,
        ),
    )
    await audit(context, user.id, "export companies", f"{exported.count} companies")


def register(app: Application) -> None:
    app.add_handler(
        MessageHandler(filters.Document.ALL & filters.CaptionRegex(IMPORT_CAPTION), import_document)
    )
    app.add_handler(CommandHandler("import", import_help))
    app.add_handler(CommandHandler("export", export))
