"""The agenda for organisers: an agenda file (CSV or .ics) sent with the caption
/agenda_import replaces the agenda (a re-import updates it: added / changed / removed), and
the subscribers of moved or cancelled sessions are told; /agenda_import alone says how.
The role is checked on the server for every message."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CommandHandler, MessageHandler, filters

from bot.domain.agenda_files import MAX_FILE_BYTES
from bot.runtime.context import ForumContext
from bot.services.agenda import AgendaFileError, AgendaService, AgendaUpdate
from handlers.common import audit, for_organisers, organiser_id, reader, reply
from handlers.i18n import Texts

# How many sessions of each kind the import report names.
REPORTED = 20


def import_help_text(tx: Texts, event_zone: str) -> str:
    return tx._(
        "Send the agenda as a file (CSV or .ics) with the caption /agenda_import.\n"
        "CSV header: <code>title,start,end,speakers,track,description,link</code>; times like "
        "<code>2025-11-20T10:00+02:00</code> or <code>2025-11-20T10:00 {zone}</code>."
    ).format(zone=tx.user(event_zone))


@for_organisers
async def import_help(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    await reply(update, import_help_text(tx, context.services.settings.event_timezone))


def import_report(tx: Texts, update: AgendaUpdate) -> str:
    result = update.result
    lines = [
        tx._(
            "✅ Agenda imported: {added} added, {changed} changed, {removed} removed, "
            "{unchanged} unchanged."
        ).format(
            added=len(result.added),
            changed=len(result.changed),
            removed=len(result.removed),
            unchanged=result.unchanged,
        )
    ]
    for line, more, sessions in (
        (tx._("• Added: {title}"), tx._("• … and {n} more added"), result.added),
        (tx._("• Changed: {title}"), tx._("• … and {n} more changed"), result.changed),
        (tx._("• Removed: {title}"), tx._("• … and {n} more removed"), result.removed),
    ):
        lines += [line.format(title=tx.user(s.title)) for s in sessions[:REPORTED]]
        if len(sessions) > REPORTED:
            lines.append(more.format(n=len(sessions) - REPORTED))
    if update.notices:
        lines.append(
            tx.n_(
                "📣 {n} change notice is on its way to subscribers.",
                "📣 {n} change notices are on their way to subscribers.",
                update.notices,
            )
        )
    return "\n".join(lines)


def refusal(tx: Texts, problems: list[str]) -> str:
    shown = problems[:10]
    lines = [tx._("❌ The agenda was not imported; nothing changed.")]
    lines += [f"• {tx.user(p)}" for p in shown]
    if len(problems) > len(shown):
        lines.append(tx._("• … and {n} more problem(s)").format(n=len(problems) - len(shown)))
    return "\n".join(lines)


async def import_document(update: Update, context: ForumContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or message.document is None or user is None:
        return
    if await organiser_id(update, context) is None:
        return
    tx = await reader(update, context)
    document = message.document
    size = document.file_size or 0
    if size > MAX_FILE_BYTES:
        await reply(
            update,
            tx._("❌ The file is {size} MB; the limit is {limit} KB. Nothing was imported.").format(
                size=f"{size / 1e6:.1f}", limit=MAX_FILE_BYTES // 1000
            ),
        )
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        result = await AgendaService(context.services).import_file(data, document.file_name or "")
    except AgendaFileError as exc:
        await reply(update, refusal(tx, exc.problems))
        return
    await audit(context, user.id, "import agenda", document.file_name or "")
    await reply(update, import_report(tx, result))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(
        MessageHandler(
            private & filters.Document.ALL & filters.CaptionRegex(r"^/agenda_import(@\w+)?\b"),
            import_document,
        )
    )
    app.add_handler(CommandHandler("agenda_import", import_help, filters=private))
