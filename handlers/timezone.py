"""/timezone: pick one of the forum's two zones with a button (named as the forum file names
them), or type a city, a country or any IANA zone name; a name that is not known gets the
closest ones as buttons.

A short conversation (state: waiting for a zone) so that a typed name is understood as one;
``/timezone Europe/London`` or ``/timezone Dubai`` sets it in one go.
"""

from __future__ import annotations

from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.timefmt import city, find_zone, local_time, suggest_zones, user_zone
from bot.forum import Forum
from bot.runtime.context import ForumContext
from handlers.common import cancel_fallback, reply
from handlers.html import esc

WAITING_ZONE = "timezone:waiting"
PICK_PREFIX = "tz:"
EXAMPLE = (
    "Type a city such as <code>Dubai</code> or <code>London</code>, your country, or an IANA "
    "name such as <code>Europe/London</code>"
)


def zone_keyboard(forum: Forum) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=f"{PICK_PREFIX}{zone}")
                for zone, label in forum.zone_labels().items()
            ]
        ]
    )


async def _unknown(update: Update, typed: str) -> None:
    """Say the name is not known; offer the closest known names as buttons."""
    shown = esc(typed.strip()[:64])
    close = suggest_zones(typed)
    if not close:
        await reply(
            update,
            f"I don't know the time zone “{shown}”. {EXAMPLE}, tap a city above, or /cancel.",
        )
        return
    await reply(
        update,
        f"I don't know the time zone “{shown}”. Did you mean one of these? "
        f"Tap it, or {EXAMPLE[0].lower()}{EXAMPLE[1:]}. /cancel keeps your zone.",
        reply_markup=InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(f"{city(z)} · {z}", callback_data=f"{PICK_PREFIX}{z}")]
                for z in close
            ]
        ),
    )


async def _set(update: Update, context: ForumContext, user_id: int, name: str) -> str:
    services = context.services
    await services.users.set_timezone(user_id, name)
    now = services.clock.now()
    forum_zones = " and ".join(esc(label) for label in services.forum.zone_labels().values())
    return (
        f"🌍 Your time zone is now <b>{esc(name)}</b> — it is {local_time(now, name)} there.\n"
        f"The /agenda and your reminders show this time next to {forum_zones}."
    )


async def ask(update: Update, context: ForumContext) -> str | int:
    user = update.effective_user
    if user is None:
        return ConversationHandler.END
    services = context.services
    if context.args:
        name = find_zone(" ".join(context.args))
        if name is not None:
            await reply(update, await _set(update, context, user.id, name))
            return ConversationHandler.END
        await _unknown(update, " ".join(context.args))
    record = await services.users.get(user.id)
    current = user_zone(record.timezone if record else None, services.settings.event_timezone)
    chosen = "" if record and record.timezone else " (the event's, until you choose)"
    await reply(
        update,
        f"🌍 Your time zone: <b>{esc(current)}</b>{chosen}, now "
        f"{local_time(services.clock.now(), current)}.\n"
        f"Tap a city, or {EXAMPLE[0].lower()}{EXAMPLE[1:]}. /cancel keeps it as it is.",
        reply_markup=zone_keyboard(services.forum),
    )
    return WAITING_ZONE


async def typed(update: Update, context: ForumContext) -> str | int:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return WAITING_ZONE
    name = find_zone(message.text or "")
    if name is None:
        await _unknown(update, message.text or "")
        return WAITING_ZONE
    await reply(update, await _set(update, context, user.id, name))
    return ConversationHandler.END


async def picked(update: Update, context: ForumContext) -> str | int:
    query = update.callback_query
    if query is None or query.data is None:
        return ConversationHandler.END
    name = find_zone(query.data.removeprefix(PICK_PREFIX))
    if name is None:
        await query.answer("Unknown time zone")
        return WAITING_ZONE
    await query.answer()
    text = await _set(update, context, query.from_user.id, name)
    await query.edit_message_text(text)
    return ConversationHandler.END


async def odd_input(update: Update, context: ForumContext) -> str:
    await reply(update, f"Please send the zone as text. {EXAMPLE}, or tap a city above.")
    return WAITING_ZONE


def build_timezone_conversation() -> ConversationHandler[ForumContext]:
    return ConversationHandler(
        entry_points=[CommandHandler("timezone", ask, filters=filters.ChatType.PRIVATE)],
        states={
            WAITING_ZONE: [
                CallbackQueryHandler(picked, pattern=f"^{PICK_PREFIX}"),
                MessageHandler(filters.TEXT & ~filters.COMMAND, typed),
                MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, odd_input),
            ],
        },
        fallbacks=[cast(Any, cancel_fallback())],
        name="timezone",
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build_timezone_conversation())
