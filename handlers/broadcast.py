"""/broadcast (the organiser's conversation: message → audience → preview → send or
schedule), /broadcasts (past and scheduled ones, with their reports) and the Stop / Cancel
buttons. Every step and button re-checks the organiser role on the server."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.unicode_text import without_bidi_controls
from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.broadcasts import CANCEL_PREFIX, STOP_PREFIX, BroadcastService, Draft, summary_of
from bot.services.invitations import InvitationService
from handlers.common import (
    callback_number,
    cancel_fallback,
    numbered,
    organiser_id,
    reader,
    reply,
)
from handlers.html import esc
from handlers.invitations import invite_row, unclaimed_line
from storage.broadcasts import (
    COMPANIES,
    COUNTRY,
    EVERYONE,
    NO_COMPANY,
    RUNNING,
    SCHEDULED,
    SECTOR,
    SESSION,
    Audience,
)

# Conversation states.
COMPOSE, AUDIENCE, CONFIRM, WHEN = range(4)

DRAFT_KEY = "broadcast_draft"
COUNTRY_DATA = "bc:aud:c:"  # + the country's code
SECTOR_DATA = "bc:sec:"  # + the sector's key
SESSION_DATA = "bc:ses:"  # + the session id
ASK_MESSAGE = (
    "📣 <b>New broadcast</b>\n"
    "Send me the message exactly as recipients should see it: text (formatting is kept), "
    "or a photo or a document with a caption. /cancel to stop."
)
ASK_MESSAGE_AGAIN = (
    "I can broadcast text, a photo or a document (with a caption). Please send one of those, "
    "or /cancel."
)
USE_BUTTONS = "Please choose with the buttons above, or /cancel."
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m %H:%M")

SIMPLE_AUDIENCES = {
    "everyone": Audience(EVERYONE),
    "companies": Audience(COMPANIES),
    "nocompany": Audience(NO_COMPANY),
}


def audience_buttons(forum: Forum) -> list[list[tuple[str, str]]]:
    """The audiences; one button per country of the forum, carrying its code."""
    return [
        [("Everyone", "bc:aud:everyone")],
        [(forum.flag_and_name(c.code), f"{COUNTRY_DATA}{c.code}") for c in forum.countries],
        [("A sector…", "bc:aud:sector"), ("Companies only", "bc:aud:companies")],
        [("Users without a company", "bc:aud:nocompany")],
        [("Subscribers of a session…", "bc:aud:session")],
    ]


def _service(context: ForumContext) -> BroadcastService:
    service = context.services.broadcaster
    if service is None:
        raise RuntimeError("the broadcast service is not set up")
    return service


def _keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def _draft(context: ForumContext) -> dict[str, Any] | None:
    data = context.user_data
    return data.get(DRAFT_KEY) if data is not None else None


async def _zone(context: ForumContext, user_id: int) -> ZoneInfo:
    user = await context.services.users.get(user_id)
    return _service(context).zone_for(user.timezone if user else None)


async def _organiser_query(update: Update, context: ForumContext) -> bool:
    """Answer the button press; False (and an alert) if the presser is not an organiser."""
    return await organiser_id(update, context) is not None


# -- the conversation ---------------------------------------------------------------------
async def begin(update: Update, context: ForumContext) -> int:
    if await organiser_id(update, context) is None:
        return ConversationHandler.END
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    await reply(update, ASK_MESSAGE)
    return COMPOSE


async def got_message(update: Update, context: ForumContext) -> int:
    message = update.effective_message
    user = update.effective_user
    if message is None or user is None or context.user_data is None:
        return COMPOSE
    if await organiser_id(update, context) is None:
        return ConversationHandler.END
    if message.photo:
        summary = summary_of(message.caption, "photo")
    elif message.document:
        name = message.document.file_name or "document"
        summary = summary_of(message.caption, f"document {name}")
    else:
        summary = summary_of(message.text)
    context.user_data[DRAFT_KEY] = {
        "chat_id": message.chat_id,
        "message_id": message.message_id,
        "summary": summary,
    }
    question, markup = await _audience_step(update, context)
    await reply(update, question, reply_markup=markup)
    return AUDIENCE


async def _audience_step(update: Update, context: ForumContext) -> tuple[str, InlineKeyboardMarkup]:
    """ "Who should get it?", and how many imported companies no broadcast can reach yet,
    with the invitations one tap away."""
    tx = await reader(update, context)
    unclaimed = await InvitationService(context.services).unclaimed_count()
    markup = _keyboard(audience_buttons(context.services.forum))
    if not unclaimed:
        return "Who should get it?", markup
    rows = [*markup.inline_keyboard, invite_row(tx)]
    return f"Who should get it?\n\n{unclaimed_line(tx, unclaimed)}", InlineKeyboardMarkup(rows)


async def odd_message(update: Update, context: ForumContext) -> int:
    await reply(update, ASK_MESSAGE_AGAIN)
    return COMPOSE


async def use_buttons(update: Update, context: ForumContext) -> None:
    await reply(update, USE_BUTTONS)


async def _show_choice(update: Update, context: ForumContext, audience: Audience) -> int:
    """Count the audience, send the preview, offer Send now / Schedule / Cancel."""
    draft = _draft(context)
    query = update.callback_query
    assert query is not None
    if draft is None:
        await query.answer("This menu has expired. Send /broadcast to begin again.")
        return ConversationHandler.END
    await query.answer()
    service = _service(context)
    count = await service.count(audience)
    label = await service.audience_label(audience)
    if count == 0:
        await query.edit_message_text(
            f"Nobody is in “{esc(label)}” yet. Choose another audience, or /cancel.",
            reply_markup=_keyboard(audience_buttons(context.services.forum)),
        )
        return AUDIENCE
    draft["audience"] = {"kind": audience.kind, "value": audience.value}
    await query.edit_message_text(f"Audience: <b>{esc(label)}</b> — {count} recipient(s).")
    await service.preview(Draft(draft["chat_id"], draft["message_id"], draft["summary"]))
    await reply(
        update,
        f"⬆️ That is the preview, exactly as the {count} recipient(s) will see it.\n"
        "Send it now, schedule it, or cancel?",
        reply_markup=_keyboard(
            [
                [("✅ Send now", "bc:send"), ("🕒 Schedule", "bc:schedule")],
                [("✖️ Cancel", "bc:cancel")],
            ]
        ),
    )
    return CONFIRM


async def choose_audience(update: Update, context: ForumContext) -> int:
    if not await _organiser_query(update, context):
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = query.data.removeprefix("bc:aud:")
    if choice in SIMPLE_AUDIENCES:
        return await _show_choice(update, context, SIMPLE_AUDIENCES[choice])
    service = _service(context)
    forum = context.services.forum
    if choice.startswith("c:"):
        country = forum.country(choice.removeprefix("c:"))
        if country is None:
            await query.answer("This menu has expired.")
            return AUDIENCE
        return await _show_choice(update, context, Audience(COUNTRY, country.code))
    if choice == "sector":
        rows = [[(s.label, f"{SECTOR_DATA}{s.key}")] for s in forum.sectors]
        await query.answer()
        await query.edit_message_text(
            "Which sector?", reply_markup=_keyboard([*rows, [("⬅️ Back", "bc:back")]])
        )
        return AUDIENCE
    if choice == "session":
        sessions = await service.repo.sessions()
        await query.answer()
        if not sessions:
            await query.edit_message_text(
                "There are no sessions on the agenda yet. Choose another audience.",
                reply_markup=_keyboard(audience_buttons(forum)),
            )
            return AUDIENCE
        rows = [
            [(without_bidi_controls(s.title)[:60], f"{SESSION_DATA}{s.id}")] for s in sessions[:40]
        ]
        await query.edit_message_text(
            "Subscribers of which session?",
            reply_markup=_keyboard([*rows, [("⬅️ Back", "bc:back")]]),
        )
        return AUDIENCE
    await query.answer("This menu has expired.")
    return AUDIENCE


async def choose_sector(update: Update, context: ForumContext) -> int:
    if not await _organiser_query(update, context):
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None and query.data is not None
    key = query.data.removeprefix(SECTOR_DATA)
    if not any(s.key == key for s in context.services.forum.sectors):
        await query.answer("This menu has expired: that sector is no longer offered.")
        return AUDIENCE
    return await _show_choice(update, context, Audience(SECTOR, key))


async def choose_session(update: Update, context: ForumContext) -> int:
    if not await _organiser_query(update, context):
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None and query.data is not None
    session_id = callback_number(query.data, SESSION_DATA)
    if session_id is None or await _service(context).repo.session_title(session_id) is None:
        await query.answer("That session no longer exists.")
        return AUDIENCE
    return await _show_choice(update, context, Audience(SESSION, session_id))


async def back_to_audiences(update: Update, context: ForumContext) -> int:
    if not await _organiser_query(update, context):
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    await query.answer()
    buttons = audience_buttons(context.services.forum)
    await query.edit_message_text("Who should get it?", reply_markup=_keyboard(buttons))
    return AUDIENCE


def _draft_parts(context: ForumContext) -> tuple[Draft, Audience] | None:
    draft = _draft(context)
    if draft is None or "audience" not in draft:
        return None
    aud = draft["audience"]
    return (
        Draft(draft["chat_id"], draft["message_id"], draft["summary"]),
        _by_key(Audience(aud["kind"], aud["value"]), context.services.forum),
    )


def _by_key(audience: Audience, forum: Forum) -> Audience:
    """A draft saved before audiences named countries and sectors by code and key (one being
    composed across the upgrade) names them: read the names as their code or key."""
    value = str(audience.value)
    if audience.kind == COUNTRY and forum.country(value) is None:
        country = forum.find_country(value)
        return Audience(COUNTRY, country.code) if country else audience
    if audience.kind == SECTOR and forum.sector(value) is None:
        sector = forum.find_sector(value)
        return Audience(SECTOR, sector.key) if sector else audience
    return audience


async def send_now(update: Update, context: ForumContext) -> int:
    if not await _organiser_query(update, context):
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    parts = _draft_parts(context)
    if parts is None:
        await query.answer("This menu has expired. Send /broadcast to begin again.")
        return ConversationHandler.END
    await query.answer("Sending…")
    service = _service(context)
    record = await service.create(query.from_user.id, *parts)
    await query.edit_message_text(
        f"📣 Broadcast #{record.id} is going out to {record.recipients} recipient(s). "
        "Progress follows below."
    )
    await service.start(record.id)
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    return ConversationHandler.END


async def ask_time(update: Update, context: ForumContext) -> int:
    if not await _organiser_query(update, context):
        return ConversationHandler.END
    query = update.callback_query
    assert query is not None
    await query.answer()
    zone = await _zone(context, query.from_user.id)
    example = (context.services.clock.now() + timedelta(hours=1)).astimezone(zone)
    await query.edit_message_text(
        f"When should it go out? Send the date and time in your zone ({esc(zone.key)}), "
        f"e.g. <code>{example:%Y-%m-%d %H:%M}</code>. /cancel to stop."
    )
    return WHEN


def parse_when(text: str, zone: ZoneInfo, now: datetime) -> datetime | None:
    """A local date and time as the organiser typed it, or None."""
    for fmt in TIME_FORMATS:
        try:
            naive = datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        if fmt == "%d.%m %H:%M":
            naive = naive.replace(year=now.astimezone(zone).year)
        return naive.replace(tzinfo=zone)
    return None


async def got_time(update: Update, context: ForumContext) -> int:
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None:
        return WHEN
    if await organiser_id(update, context) is None:
        return ConversationHandler.END
    parts = _draft_parts(context)
    if parts is None:
        await reply(update, "This broadcast has expired. Send /broadcast to begin again.")
        return ConversationHandler.END
    zone = await _zone(context, user.id)
    now = context.services.clock.now()
    when = parse_when(message.text, zone, now)
    if when is None:
        await reply(
            update,
            "I could not read that time. Please send it like <code>2025-11-20 14:30</code>, "
            "or /cancel.",
        )
        return WHEN
    if when <= now:
        await reply(update, "That time has already passed. Please send a time in the future.")
        return WHEN
    record = await _service(context).create(user.id, *parts, scheduled_for=when)
    await reply(
        update,
        f"🕒 Broadcast #{record.id} is scheduled for <b>{when:%Y-%m-%d %H:%M}</b> "
        f"({esc(zone.key)}) to {esc(record.audience_label)} ({record.recipients} recipient(s) "
        "today). /broadcasts lists it; you can cancel it there.",
    )
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    return ConversationHandler.END


async def time_expected(update: Update, context: ForumContext) -> int:
    await reply(update, "Please send the date and time as text, e.g. 2025-11-20 14:30, or /cancel.")
    return WHEN


async def cancel_button(update: Update, context: ForumContext) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)
    await query.edit_message_text("Cancelled. Nothing was sent.")
    return ConversationHandler.END


def build_broadcast_conversation() -> ConversationHandler[ForumContext]:
    private = filters.ChatType.PRIVATE
    not_command = ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CommandHandler("broadcast", begin, filters=private)],
        states={
            COMPOSE: [
                MessageHandler(
                    (filters.TEXT & not_command) | filters.PHOTO | filters.Document.ALL,
                    got_message,
                ),
                MessageHandler(not_command & ~filters.StatusUpdate.ALL, odd_message),
            ],
            AUDIENCE: [
                CallbackQueryHandler(choose_audience, pattern=r"^bc:aud:([a-z]+|c:[A-Z]{2})$"),
                CallbackQueryHandler(choose_sector, pattern=r"^bc:sec:[a-z0-9][a-z0-9_]{0,23}$"),
                CallbackQueryHandler(choose_session, pattern=numbered(SESSION_DATA)),
                CallbackQueryHandler(back_to_audiences, pattern=r"^bc:back$"),
                MessageHandler(not_command & ~filters.StatusUpdate.ALL, use_buttons),
            ],
            CONFIRM: [
                CallbackQueryHandler(send_now, pattern=r"^bc:send$"),
                CallbackQueryHandler(ask_time, pattern=r"^bc:schedule$"),
                CallbackQueryHandler(cancel_button, pattern=r"^bc:cancel$"),
                MessageHandler(not_command & ~filters.StatusUpdate.ALL, use_buttons),
            ],
            WHEN: [
                MessageHandler(filters.TEXT & not_command, got_time),
                MessageHandler(not_command & ~filters.StatusUpdate.ALL, time_expected),
            ],
        },
        fallbacks=[cast(Any, cancel_fallback())],
        name="broadcast",
        persistent=True,
        allow_reentry=True,
    )


# -- outside the conversation ----------------------------------------------------------
async def list_broadcasts(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    service = _service(context)
    records = await service.repo.recent(20)
    if not records:
        await reply(update, "No broadcasts yet. Start one with /broadcast.")
        return
    zone = await _zone(context, actor)
    lines = ["📣 <b>Broadcasts</b> (newest first)"]
    buttons: list[list[tuple[str, str]]] = []
    for record in records:
        lines.append(await service.describe(record, zone))
        if record.state == SCHEDULED:
            buttons.append([(f"✖️ Cancel #{record.id}", f"{CANCEL_PREFIX}{record.id}")])
        elif record.state == RUNNING:
            buttons.append([(f"⏹ Stop #{record.id}", f"{STOP_PREFIX}{record.id}")])
    await reply(update, "\n\n".join(lines), reply_markup=_keyboard(buttons) if buttons else None)


async def stop_pressed(update: Update, context: ForumContext) -> None:
    if not await _organiser_query(update, context):
        return
    query = update.callback_query
    assert query is not None and query.data is not None
    broadcast_id = callback_number(query.data, STOP_PREFIX)
    assert broadcast_id is not None  # the handler's pattern checked it
    if await _service(context).stop(broadcast_id, query.from_user.id):
        await query.answer(f"Broadcast #{broadcast_id} stopped.")
    else:
        await query.answer("That broadcast is not running any more.")


async def cancel_pressed(update: Update, context: ForumContext) -> None:
    if not await _organiser_query(update, context):
        return
    query = update.callback_query
    assert query is not None and query.data is not None
    broadcast_id = callback_number(query.data, CANCEL_PREFIX)
    assert broadcast_id is not None  # the handler's pattern checked it
    if await _service(context).cancel(broadcast_id, query.from_user.id):
        await query.answer(f"Broadcast #{broadcast_id} cancelled.")
        await reply(
            update, f"✖️ Scheduled broadcast #{broadcast_id} is cancelled; nothing was sent."
        )
    else:
        await query.answer("That broadcast is no longer scheduled.")


def register(app: Application) -> None:
    app.add_handler(build_broadcast_conversation())
    app.add_handler(CommandHandler("broadcasts", list_broadcasts))
    app.add_handler(CallbackQueryHandler(stop_pressed, pattern=numbered(STOP_PREFIX)))
    app.add_handler(CallbackQueryHandler(cancel_pressed, pattern=numbered(CANCEL_PREFIX)))
