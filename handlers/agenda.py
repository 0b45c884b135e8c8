"""The agenda for participants (/agenda, session details, Subscribe / Unsubscribe, Subscribe
to all, /ics) and for organisers (an agenda file sent with the caption /agenda_import).

Buttons carry session ids only; every press re-reads the session and acts for the presser.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.domain.agenda_files import MAX_FILE_BYTES, AgendaFileError, export_ics
from bot.domain.meeting_blocks import meeting_events
from bot.domain.meeting_slots import block_slots
from bot.domain.timefmt import date, duration, hhmm, lead_label, times, until, user_zone
from bot.domain.unicode_text import without_bidi_controls
from bot.runtime.context import ForumContext
from bot.services import reminders
from bot.services.meetings import MeetingService
from handlers.common import audit, callback_number, organiser_id, reader, reply
from handlers.html import esc
from handlers.i18n import Texts, texts
from handlers.meeting_texts import calendar_meeting
from storage.agenda import MEETINGS, Session

log = logging.getLogger(__name__)

PAGE_SIZE = 8
SUBSCRIBE_ALL = "agenda:all"
GONE = "This session is no longer on the agenda. Send /agenda for the current one."


def import_help_text(event_zone: str) -> str:
    return (
        "Send the agenda as a file (CSV or .ics) with the caption /agenda_import.\n"
        "CSV header: <code>title,start,end,speakers,track,description,link</code>; times like "
        f"<code>2025-11-20T10:00+02:00</code> or <code>2025-11-20T10:00 {esc(event_zone)}</code>."
    )


async def _zone(context: ForumContext, user_id: int) -> str:
    user = await context.services.users.get(user_id)
    return user_zone(user.timezone if user else None, context.services.settings.event_timezone)


def _leads_text(leads: list[int]) -> str:
    labels = [lead_label(m) + ("" if m == 0 else " before") for m in leads]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


# -- rendering ---------------------------------------------------------------------------
def agenda_page(
    sessions: list[Session],
    subscribed: set[int],
    zone_name: str,
    page: int,
    forum_zones: Mapping[str, str],
    tx: Texts | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the agenda; each line in the forum's two zones (``forum_zones``: IANA zone
    → label, from the forum file) and the reader's own."""
    pages = max(1, -(-len(sessions) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = sessions[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    if not sessions:
        return "🗓 <b>Agenda</b>\nNo upcoming sessions yet.", InlineKeyboardMarkup([])
    lines = ["🗓 <b>Agenda</b>" + (f" (page {page + 1} of {pages})" if pages > 1 else "")]
    day = ""
    for s in shown:
        this_day = date(s.starts_at, zone_name)
        if this_day != day:
            lines.append(f"\n<b>{this_day}</b>")
            day = this_day
        mark = " ✅" if s.id in subscribed else ""
        block = " 🤝" if s.kind == MEETINGS else ""
        lines.append(
            f"• {times(s.starts_at, forum_zones, zone_name)} — <b>{esc(s.title)}</b>{block}{mark}"
        )
    lines.append("\nTap a session for details and reminders. ✅ = subscribed.")
    if any(s.kind == MEETINGS for s in shown):
        lines.append((tx or texts())._("🤝 = 1:1 meeting slots: book them from /meetings."))
    rows = [
        [
            InlineKeyboardButton(
                f"{hhmm(s.starts_at, zone_name)} {without_bidi_controls(s.title)}"[:60],
                callback_data=f"agenda:s:{s.id}",
            )
        ]
        for s in shown
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton("◀ Earlier", callback_data=f"agenda:p:{page - 1}"))
    if page < pages - 1:
        nav.append(InlineKeyboardButton("Later ▶", callback_data=f"agenda:p:{page + 1}"))
    if nav:
        rows.append(nav)
    rows.append([InlineKeyboardButton("🔔 Subscribe to all", callback_data=SUBSCRIBE_ALL)])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def block_line(tx: Texts, session: Session) -> str:
    """What a meetings block holds: its slots and how many meetings run at once."""
    slots = len(
        block_slots(session.id, session.starts_at, session.ends_at, session.slot_minutes, 0)
    )
    return tx._(
        "🤝 1:1 meetings: {slots} slots of {minutes} minutes, {tables} meetings at a time. "
        "Book after an accepted introduction, or see /meetings."
    ).format(slots=slots, minutes=session.slot_minutes, tables=session.tables)


def session_details(
    session: Session,
    zone_name: str,
    subscribed: bool,
    leads: list[int],
    context: ForumContext,
    tx: Texts | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    now = context.services.clock.now()
    when = times(session.starts_at, context.services.forum.zone_labels(), zone_name)
    lines = [
        f"<b>{esc(session.title)}</b>",
        f"🕙 {date(session.starts_at, zone_name)} · {when}",
        f"⏳ {duration(session.ends_at - session.starts_at)} · {until(session.starts_at, now)}",
    ]
    if session.speakers:
        lines.append(f"🎤 {esc(session.speakers)}")
    if session.track:
        lines.append(f"🏷 {esc(session.track)}")
    if session.description:
        lines.append(f"\n{esc(session.description)}\n")
    if session.link:
        lines.append(f"🔗 {esc(session.link)}")
    if session.kind == MEETINGS:
        lines.append(block_line(tx or texts(), session))
    if subscribed:
        lines.append(f"\n✅ Subscribed: reminders {_leads_text(leads)} (change with /reminders).")
        toggle = InlineKeyboardButton("🔕 Unsubscribe", callback_data=f"agenda:unsub:{session.id}")
    else:
        lines.append("\nNot subscribed.")
        toggle = InlineKeyboardButton("🔔 Subscribe", callback_data=f"agenda:sub:{session.id}")
    back = InlineKeyboardButton("⬅ Agenda", callback_data="agenda:p:0")
    return "\n".join(lines), InlineKeyboardMarkup([[toggle], [back]])


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # A double press renders the same thing twice; Telegram refuses the no-op edit.
        if "not modified" not in exc.message:
            raise


# -- handlers ------------------------------------------------------------------------------
async def _page_content(
    context: ForumContext, user_id: int, page: int, tx: Texts | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    agenda = context.services.agenda
    sessions = await agenda.upcoming(context.services.clock.now())
    subscribed = await agenda.subscribed_ids(user_id)
    zone_name = await _zone(context, user_id)
    forum_zones = context.services.forum.zone_labels()
    return agenda_page(sessions, subscribed, zone_name, page, forum_zones, tx)


async def agenda_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    text, markup = await _page_content(context, user.id, 0, await reader(update, context))
    await reply(update, text, reply_markup=markup)


async def agenda_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    user_id = query.from_user.id
    parts = query.data.split(":")
    action = parts[1] if len(parts) > 1 else ""
    arg = callback_number(parts[2]) if len(parts) > 2 else None
    services = context.services
    agenda = services.agenda
    if action == "open":
        await query.answer()
        text, markup = await _page_content(context, user_id, 0)
        await reply(update, text, reply_markup=markup)
        return
    if action == "p" and arg is not None:
        await query.answer()
        text, markup = await _page_content(context, user_id, arg)
        await _edit(query, text, markup)
        return
    if action == "all":
        now = services.clock.now()
        ids = [s.id for s in await agenda.not_started(now)]
        added = await agenda.subscribe(user_id, ids, now=now)
        await query.answer(f"Subscribed to {added} more session(s)" if added else "Done")
        if added:
            leads = _leads_text(await agenda.leads(user_id))
            await reply(
                update,
                f"🔔 Subscribed to all {len(ids)} upcoming sessions. You'll be reminded "
                f"{leads} each one (change with /reminders). /ics puts them in your calendar.",
            )
        else:
            await reply(update, "You are already subscribed to every upcoming session.")
        text, markup = await _page_content(context, user_id, 0)
        await _edit(query, text, markup)
        return
    if action in ("s", "sub", "unsub") and arg is not None:
        session = await agenda.get(arg)
        if session is None or session.cancelled:
            await query.answer(GONE, show_alert=True)
            return
        subscribed = arg in await agenda.subscribed_ids(user_id)
        if action == "sub":
            if subscribed:
                await query.answer("Already subscribed")
                return
            await agenda.subscribe(user_id, [arg], now=services.clock.now())
            subscribed = True
            await query.answer("Subscribed 🔔")
        elif action == "unsub":
            if not subscribed:
                await query.answer("Not subscribed")
                return
            await agenda.unsubscribe(user_id, arg)
            subscribed = False
            await query.answer("Unsubscribed")
        else:
            await query.answer()
        text, markup = session_details(
            session,
            await _zone(context, user_id),
            subscribed,
            await agenda.leads(user_id),
            context,
            await reader(update, context),
        )
        await _edit(query, text, markup)
        return
    await query.answer("This menu has expired. Send /agenda to begin again.")


async def ics_command(update: Update, context: ForumContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    sessions = await context.services.agenda.subscribed_sessions(user.id)
    tx = await reader(update, context)
    meetings = await MeetingService(context.services).calendar(user.id)
    if not sessions and not meetings:
        await reply(update, "You have not subscribed to any session yet. Send /agenda to pick.")
        return
    now = context.services.clock.now()
    events = meeting_events([calendar_meeting(tx, m) for m in meetings], now=now)
    data = export_ics(sessions, now=now, extra=events)
    caption = f"🗓 Your {len(sessions)} session(s). Open the file to add them to your calendar."
    if meetings:
        caption = tx._(
            "🗓 Your {sessions} session(s) and {meetings} meeting(s). Open the file to add them "
            "to your calendar."
        ).format(sessions=len(sessions), meetings=len(meetings))
    await chat.send_document(InputFile(data, filename="forum-agenda.ics"), caption=caption)


async def import_help(update: Update, context: ForumContext) -> None:
    if await organiser_id(update, context) is None:
        return
    await reply(update, import_help_text(context.services.settings.event_timezone))


def _report(update: reminders.AgendaUpdate) -> str:
    result = update.result
    lines = [
        "✅ Agenda imported: "
        f"{len(result.added)} added, {len(result.changed)} changed, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged."
    ]
    for label, sessions in (
        ("Added", result.added),
        ("Changed", result.changed),
        ("Removed", result.removed),
    ):
        for s in sessions[:20]:
            lines.append(f"• {label}: {esc(s.title)}")
        if len(sessions) > 20:
            lines.append(f"• … and {len(sessions) - 20} more {label.lower()}")
    if update.notices:
        lines.append(f"📣 {update.notices} change notice(s) are on their way to subscribers.")
    return "\n".join(lines)


async def import_document(update: Update, context: ForumContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or message.document is None or user is None:
        return
    if await organiser_id(update, context) is None:
        return
    document = message.document
    size = document.file_size or 0
    if size > MAX_FILE_BYTES:
        await reply(
            update,
            f"❌ The file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES // 1000} KB. "
            "Nothing was imported.",
        )
        return
    file = await document.get_file()
    data = bytes(await file.download_as_bytearray())
    try:
        result = await reminders.import_agenda(
            context.services, data, document.file_name or "", context.application
        )
    except AgendaFileError as exc:
        shown = exc.problems[:10]
        more = len(exc.problems) - len(shown)
        text = "❌ The agenda was not imported; nothing changed.\n" + "\n".join(
            f"• {esc(p)}" for p in shown
        )
        if more > 0:
            text += f"\n• … and {more} more problem(s)"
        await reply(update, text)
        return
    await audit(context, user.id, "import agenda", document.file_name or "")
    await reply(update, _report(result))


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("agenda", agenda_command, filters=private))
    app.add_handler(CommandHandler("ics", ics_command, filters=private))
    app.add_handler(
        MessageHandler(
            private & filters.Document.ALL & filters.CaptionRegex(r"^/agenda_import(@\w+)?\b"),
            import_document,
        )
    )
    app.add_handler(CommandHandler("agenda_import", import_help, filters=private))
    app.add_handler(CallbackQueryHandler(agenda_button, pattern=r"^agenda:"))
