"""The agenda for participants: /agenda, session details, Subscribe / Unsubscribe, Subscribe
to all, /ics (the organisers' import is ``handlers.agenda_admin``).

Buttons carry session ids only (``handlers.callbacks``); every press is checked again by
``bot.services.agenda`` and acts for the presser.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.agenda_files import export_ics
from bot.domain.meeting_blocks import meeting_events
from bot.domain.meeting_slots import block_slots
from bot.domain.unicode_text import without_bidi_controls
from bot.runtime.context import ForumContext
from bot.services.agenda import (
    MEETINGS,
    AgendaService,
    Listing,
    Session,
    SessionView,
)
from handlers.callbacks import (
    AgendaOpen,
    AgendaPage,
    AgendaSession,
    AgendaSubscribe,
    AgendaSubscribeAll,
)
from handlers.common import add_buttons, edit, pressed, reader, reply
from handlers.dates import date, duration, leads_text, time, times, until
from handlers.i18n import Texts
from handlers.meeting_texts import calendar_meeting

log = logging.getLogger(__name__)

PAGE_SIZE = 8


def when(tx: Texts, starts_at: datetime, zone_name: str, forum_zones: Mapping[str, str]) -> str:
    """``Thu 20 Nov 2025 · 10:00 <zone> · 13:00 <zone>``: the date in the reader's zone and
    the time in the forum's two zones and the reader's own."""
    return tx._("{date} · {times}").format(
        date=date(tx, starts_at, zone_name), times=times(tx, starts_at, forum_zones, zone_name)
    )


# -- rendering ---------------------------------------------------------------------------
def agenda_page(
    tx: Texts, listing: Listing, page: int, forum_zones: Mapping[str, str]
) -> tuple[str, InlineKeyboardMarkup]:
    """A page of the agenda; each line in the forum's two zones (``forum_zones``: IANA zone
    → label, from the forum file) and the reader's own."""
    sessions, zone_name = listing.sessions, listing.zone
    if not sessions:
        return tx._("🗓 <b>Agenda</b>\nNo upcoming sessions yet."), InlineKeyboardMarkup([])
    pages = -(-len(sessions) // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = sessions[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    title = tx._("🗓 <b>Agenda</b>")
    if pages > 1:
        title = tx._("🗓 <b>Agenda</b> (page {page} of {pages})").format(page=page + 1, pages=pages)
    lines = [title]
    day = ""
    for s in shown:
        this_day = date(tx, s.starts_at, zone_name)
        if this_day != day:
            lines.append(f"\n<b>{this_day}</b>")
            day = this_day
        line = tx._("• {times} — <b>{title}</b>").format(
            times=times(tx, s.starts_at, forum_zones, zone_name), title=tx.user(s.title)
        )
        lines.append(
            line
            + (" 🤝" if s.kind == MEETINGS else "")
            + (" ✅" if s.id in listing.subscribed else "")
        )
    lines.append("\n" + tx._("Tap a session for details and reminders. ✅ = subscribed."))
    if any(s.kind == MEETINGS for s in shown):
        lines.append(tx._("🤝 = 1:1 meeting slots: book them from /meetings."))
    rows = [
        [
            InlineKeyboardButton(
                f"{time(tx, s.starts_at, zone_name)} {tx.plain(without_bidi_controls(s.title))}"[
                    :60
                ],
                callback_data=AgendaSession(s.id).pack(),
            )
        ]
        for s in shown
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(tx._("◀ Earlier"), callback_data=AgendaPage(page - 1).pack())
        )
    if page < pages - 1:
        nav.append(InlineKeyboardButton(tx._("Later ▶"), callback_data=AgendaPage(page + 1).pack()))
    if nav:
        rows.append(nav)
    rows.append(
        [
            InlineKeyboardButton(
                tx._("🔔 Subscribe to all"), callback_data=AgendaSubscribeAll().pack()
            )
        ]
    )
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
    tx: Texts, view: SessionView, context: ForumContext
) -> tuple[str, InlineKeyboardMarkup]:
    session = view.session
    assert session is not None
    services = context.services
    forum_zones = services.forum.zone_labels(tx.language)
    lines = [
        f"<b>{tx.user(session.title)}</b>",
        tx._("🕙 {when}").format(when=when(tx, session.starts_at, view.zone, forum_zones)),
        tx._("⏳ {duration} · {until}").format(
            duration=duration(tx, session.ends_at - session.starts_at),
            until=until(tx, session.starts_at, services.clock.now()),
        ),
    ]
    if session.speakers:
        lines.append(tx._("🎤 {speakers}").format(speakers=tx.user(session.speakers)))
    if session.track:
        lines.append(tx._("🏷 {track}").format(track=tx.user(session.track)))
    if session.description:
        lines.append(f"\n{tx.user(session.description)}\n")
    if session.link:
        lines.append(tx._("🔗 {link}").format(link=tx.user(session.link)))
    if session.kind == MEETINGS:
        lines.append(block_line(tx, session))
    if view.subscribed:
        lines.append(
            "\n"
            + tx._("✅ Subscribed: reminders {leads} (change with /reminders).").format(
                leads=leads_text(tx, view.leads)
            )
        )
        toggle = InlineKeyboardButton(
            tx._("🔕 Unsubscribe"), callback_data=AgendaSubscribe(False, session.id).pack()
        )
    else:
        lines.append("\n" + tx._("Not subscribed."))
        toggle = InlineKeyboardButton(
            tx._("🔔 Subscribe"), callback_data=AgendaSubscribe(True, session.id).pack()
        )
    back = InlineKeyboardButton(tx._("⬅ Agenda"), callback_data=AgendaPage(0).pack())
    return "\n".join(lines), InlineKeyboardMarkup([[toggle], [back]])


# -- participants ----------------------------------------------------------------------------
async def _page(
    context: ForumContext, tx: Texts, user_id: int, page: int
) -> tuple[str, InlineKeyboardMarkup]:
    listing = await AgendaService(context.services).listing(user_id)
    return agenda_page(tx, listing, page, context.services.forum.zone_labels(tx.language))


async def agenda_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    text, markup = await _page(context, await reader(update, context), user.id, 0)
    await reply(update, text, reply_markup=markup)


async def open_button(update: Update, context: ForumContext) -> None:
    query, tx, _ = await pressed(update, context, AgendaOpen)
    await query.answer()
    text, markup = await _page(context, tx, query.from_user.id, 0)
    await reply(update, text, reply_markup=markup)


async def page_button(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, AgendaPage)
    await query.answer()
    text, markup = await _page(context, tx, query.from_user.id, data.page)
    await edit(query, text, markup)


async def subscribe_all_button(update: Update, context: ForumContext) -> None:
    query, tx, _ = await pressed(update, context, AgendaSubscribeAll)
    user_id = query.from_user.id
    done = await AgendaService(context.services).subscribe_all(user_id)
    if done.added:
        await query.answer(
            tx.n_("Subscribed to {n} more session", "Subscribed to {n} more sessions", done.added)
        )
        await reply(
            update,
            tx.n_(
                "🔔 Subscribed to all {n} upcoming session. You'll be reminded {leads} (change "
                "with /reminders). /ics puts it in your calendar.",
                "🔔 Subscribed to all {n} upcoming sessions. You'll be reminded {leads} each one "
                "(change with /reminders). /ics puts them in your calendar.",
                done.total,
            ).format(leads=leads_text(tx, done.leads)),
        )
    else:
        await query.answer(tx._("Done"))
        await reply(update, tx._("You are already subscribed to every upcoming session."))
    text, markup = await _page(context, tx, user_id, 0)
    await edit(query, text, markup)


async def _show(
    update: Update, context: ForumContext, view: SessionView, answer: str | None
) -> None:
    query = update.callback_query
    assert query is not None
    tx = await reader(update, context)
    if view.kind == "gone":
        await query.answer(
            tx._("This session is no longer on the agenda. Send /agenda for the current one."),
            show_alert=True,
        )
        return
    await query.answer(answer)
    if view.kind == "already":
        return
    text, markup = session_details(tx, view, context)
    await edit(query, text, markup)


async def session_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None:
        return
    data = AgendaSession.unpack(query.data)
    view = await AgendaService(context.services).session(query.from_user.id, data.session)
    await _show(update, context, view, None)


async def subscribe_button(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, AgendaSubscribe)
    view = await AgendaService(context.services).subscribe(
        query.from_user.id, data.session, data.on
    )
    answers = {
        "subscribed": tx._("Subscribed 🔔"),
        "unsubscribed": tx._("Unsubscribed"),
        "already": tx._("Already subscribed") if data.on else tx._("Not subscribed"),
    }
    await _show(update, context, view, answers.get(view.kind))


async def ics_command(update: Update, context: ForumContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    tx = await reader(update, context)
    calendar = await AgendaService(context.services).calendar(user.id)
    sessions, meetings = calendar.sessions, calendar.meetings
    if not sessions and not meetings:
        await reply(
            update, tx._("You have not subscribed to any session yet. Send /agenda to pick.")
        )
        return
    events = meeting_events([calendar_meeting(tx, m) for m in meetings], now=calendar.now)
    data = export_ics(sessions, now=calendar.now, name=tx._("Forum agenda"), extra=events)
    caption = tx.n_(
        "🗓 Your {n} session. Open the file to add it to your calendar.",
        "🗓 Your {n} sessions. Open the file to add them to your calendar.",
        len(sessions),
    )
    if meetings:
        caption = tx._(
            "🗓 Your {sessions} session(s) and {meetings} meeting(s). Open the file to add them "
            "to your calendar."
        ).format(sessions=len(sessions), meetings=len(meetings))
    await chat.send_document(InputFile(data, filename=tx._("forum-agenda.ics")), caption=caption)


def register(app: Application) -> None:
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("agenda", agenda_command, filters=private))
    app.add_handler(CommandHandler("ics", ics_command, filters=private))
    add_buttons(
        app,
        {
            AgendaOpen: open_button,
            AgendaPage: page_button,
            AgendaSession: session_button,
            AgendaSubscribe: subscribe_button,
            AgendaSubscribeAll: subscribe_all_button,
        },
    )
