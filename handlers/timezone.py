"""/timezone: pick one of the forum's two zones with a button (named as the forum file names
them), or type a city, a country or any IANA zone name; a name that is not known gets the
closest ones as buttons.

A short conversation (state: waiting for a zone) so that a typed name is understood as one;
``/timezone Europe/London`` or ``/timezone Dubai`` sets it in one go.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from bot.domain.timefmt import suggest_zones
from bot.forum import Forum
from bot.runtime.context import ForumContext
from handlers.callbacks import TimezonePick
from handlers.common import conversation, pressed, reader, reply, say, text_step
from handlers.dates import local_time, zone_city
from handlers.i18n import N_, Texts

WAITING_ZONE = "timezone:waiting"
# What may be typed, said the same way wherever it is asked.
EXAMPLES = {
    "city": "<code>Dubai</code>",
    "other_city": "<code>London</code>",
    "iana": "<code>Europe/London</code>",
}


def zone_keyboard(tx: Texts, forum: Forum) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(tx.plain(label), callback_data=TimezonePick(zone).pack())
                for zone, label in forum.zone_labels(tx.language).items()
            ]
        ]
    )


async def _unknown(update: Update, tx: Texts, typed: str) -> None:
    """Say the name is not known; offer the closest known names as buttons."""
    shown = tx.user(typed.strip()[:64])
    close = suggest_zones(typed)
    if not close:
        await reply(
            update,
            tx._(
                "I don't know the time zone “{typed}”. Type a city such as {city} or "
                "{other_city}, your country, or an IANA name such as {iana}, tap a city above, "
                "or /cancel."
            ).format(typed=shown, **EXAMPLES),
        )
        return
    await reply(
        update,
        tx._(
            "I don't know the time zone “{typed}”. Did you mean one of these? Tap it, or type "
            "a city such as {city} or {other_city}, your country, or an IANA name such as "
            "{iana}. /cancel keeps your zone."
        ).format(typed=shown, **EXAMPLES),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"{zone_city(tx, z)} · {z}", callback_data=TimezonePick(z).pack()
                    )
                ]
                for z in close
            ]
        ),
    )


def _chosen(tx: Texts, context: ForumContext, name: str) -> str:
    services = context.services
    first, second = services.forum.zone_labels(tx.language).values()
    return tx._(
        "🌍 Your time zone is now <b>{zone}</b> — it is {now} there.\n"
        "The /agenda and your reminders show this time next to {first} and {second}."
    ).format(
        zone=tx.user(name),
        now=local_time(tx, services.clock.now(), name),
        first=tx.user(first),
        second=tx.user(second),
    )


async def ask(update: Update, context: ForumContext) -> str | int:
    user = update.effective_user
    if user is None:
        return ConversationHandler.END
    services = context.services
    tx = await reader(update, context)
    if context.args:
        typed = " ".join(context.args)
        name = await services.timezones.choose(user.id, typed)
        if name is not None:
            await reply(update, _chosen(tx, context, name))
            return ConversationHandler.END
        await _unknown(update, tx, typed)
    current = await services.timezones.of(user.id)
    now = local_time(tx, services.clock.now(), current.name)
    if current.chosen:
        head = tx._("🌍 Your time zone: <b>{zone}</b>, now {now}.")
    else:
        head = tx._("🌍 Your time zone: <b>{zone}</b> (the event's, until you choose), now {now}.")
    ask_text = tx._(
        "Tap a city, or type a city such as {city} or {other_city}, your country, or an IANA "
        "name such as {iana}. /cancel keeps it as it is."
    ).format(**EXAMPLES)
    await reply(
        update,
        head.format(zone=tx.user(current.name), now=now) + "\n" + ask_text,
        reply_markup=zone_keyboard(tx, services.forum),
    )
    return WAITING_ZONE


async def typed(update: Update, context: ForumContext) -> str | int:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return WAITING_ZONE
    tx = await reader(update, context)
    name = await context.services.timezones.choose(user.id, message.text or "")
    if name is None:
        await _unknown(update, tx, message.text or "")
        return WAITING_ZONE
    await reply(update, _chosen(tx, context, name))
    return ConversationHandler.END


async def picked(update: Update, context: ForumContext) -> str | int:
    query, tx, data = await pressed(update, context, TimezonePick)
    name = await context.services.timezones.choose(query.from_user.id, data.zone)
    if name is None:
        await query.answer(tx._("Unknown time zone"))
        return WAITING_ZONE
    await query.answer()
    await query.edit_message_text(_chosen(tx, context, name))
    return ConversationHandler.END


odd_input = say(
    N_(
        "Please send the zone as text. Type a city such as {city} or {other_city}, your "
        "country, or an IANA name such as {iana}, or tap a city above."
    ),
    WAITING_ZONE,
    **EXAMPLES,
)


def build_timezone_conversation() -> ConversationHandler[ForumContext]:
    return conversation(
        "timezone",
        [CommandHandler("timezone", ask, filters=filters.ChatType.PRIVATE)],
        {
            WAITING_ZONE: [
                CallbackQueryHandler(picked, pattern=TimezonePick.filter()),
                *text_step(typed, otherwise=odd_input),
            ],
        },
    )


def register(app: Application) -> None:
    app.add_handler(build_timezone_conversation())
