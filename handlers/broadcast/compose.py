"""/broadcast, the organiser's conversation: message → audience → preview → send now or
schedule. Every step and button re-checks the organiser role on the server; the buttons
carry audiences by kind, country code, sector key or session id (handlers.callbacks)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import ForumContext
from bot.services.broadcasts import summary_of
from bot.services.invitations import InvitationService
from handlers.broadcast.audience import audience_keyboard, choose_audience, is_audience, open_menu
from handlers.broadcast.steps import (
    AUDIENCE,
    COMPOSE,
    CONFIRM,
    DRAFT_KEY,
    LEGACY_STATES,
    WHEN,
    draft_parts,
    drop_draft,
    expired,
)
from handlers.broadcast.texts import audience_text
from handlers.callbacks import BroadcastConfirm, BroadcastMenu
from handlers.common import (
    conversation,
    organiser_button,
    organiser_id,
    reader,
    reply,
    say,
    text_step,
)
from handlers.i18n import N_, Texts
from handlers.invitations import invite_row, unclaimed_line

TIME_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m %H:%M")


# -- the message ---------------------------------------------------------------------------
async def begin(update: Update, context: ForumContext) -> str | int:
    if await organiser_id(update, context) is None:
        return ConversationHandler.END
    drop_draft(context)
    tx = await reader(update, context)
    await reply(
        update,
        tx._(
            "📣 <b>New broadcast</b>\nSend me the message exactly as recipients should see "
            "it: text (formatting is kept), or a photo or a document with a caption. "
            "/cancel to stop."
        ),
    )
    return COMPOSE


async def got_message(update: Update, context: ForumContext) -> str | int:
    message = update.effective_message
    if message is None or context.user_data is None:
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
    tx = await reader(update, context)
    markup = audience_keyboard(tx, context.services.forum)
    question = tx._("Who should get it?")
    # How many imported companies no broadcast can reach yet, the invitations one tap away.
    unclaimed = await InvitationService(context.services).unclaimed_count()
    if unclaimed:
        question += "\n\n" + unclaimed_line(tx, unclaimed)
        markup = InlineKeyboardMarkup([*markup.inline_keyboard, invite_row(tx)])
    await reply(update, question, reply_markup=markup)
    return AUDIENCE


odd_message = say(
    N_(
        "I can broadcast text, a photo or a document (with a caption). Please send one "
        "of those, or /cancel."
    ),
    COMPOSE,
)
use_buttons = say(N_("Please choose with the buttons above, or /cancel."))


@organiser_button(BroadcastConfirm)
async def confirm(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, data: BroadcastConfirm
) -> str | int:
    choice = data.choice
    if choice == "cancel":
        await query.answer()
        drop_draft(context)
        await query.edit_message_text(tx._("Cancelled. Nothing was sent."))
        return ConversationHandler.END
    parts = draft_parts(context)
    if parts is None:
        return await expired(update, context)
    service = context.services.broadcasts
    if choice == "schedule":
        await query.answer()
        zone = await context.services.organisers.zone_of(query.from_user.id)
        example = (context.services.clock.now() + timedelta(hours=1)).astimezone(zone)
        await query.edit_message_text(
            tx._(
                "When should it go out? Send the date and time in your zone ({zone}), "
                "e.g. <code>{example}</code>. /cancel to stop."
            ).format(zone=tx.user(zone.key), example=f"{example:%Y-%m-%d %H:%M}")
        )
        return WHEN
    await query.answer(tx._("Sending…"))
    record = await service.create(query.from_user.id, *parts)
    await query.edit_message_text(
        tx.n_(
            "📣 Broadcast #{id} is going out to {n} recipient(s). Progress follows below.",
            "📣 Broadcast #{id} is going out to {n} recipient(s). Progress follows below.",
            record.recipients,
        ).format(id=record.id)
    )
    await service.start(record.id)
    drop_draft(context)
    return ConversationHandler.END


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


async def got_time(update: Update, context: ForumContext) -> str | int:
    message = update.effective_message
    user = update.effective_user
    if message is None or message.text is None or user is None:
        return WHEN
    if await organiser_id(update, context) is None:
        return ConversationHandler.END
    tx = await reader(update, context)
    parts = draft_parts(context)
    if parts is None:
        await reply(update, tx._("This broadcast has expired. Send /broadcast to begin again."))
        return ConversationHandler.END
    service = context.services.broadcasts
    zone = await context.services.organisers.zone_of(user.id)
    now = context.services.clock.now()
    when = parse_when(message.text, zone, now)
    if when is None:
        await reply(
            update,
            tx._(
                "I could not read that time. Please send it like "
                "<code>2025-11-20 14:30</code>, or /cancel."
            ),
        )
        return WHEN
    if when <= now:
        await reply(update, tx._("That time has already passed. Please send a time in the future."))
        return WHEN
    record = await service.create(user.id, *parts, scheduled_for=when)
    audience = audience_text(
        tx, context.services.forum, await service.audience_view(record.audience)
    )
    await reply(
        update,
        tx.n_(
            "🕒 Broadcast #{id} is scheduled for <b>{when}</b> ({zone}) to {audience} "
            "({n} recipient(s) today). /broadcasts lists it; you can cancel it there.",
            "🕒 Broadcast #{id} is scheduled for <b>{when}</b> ({zone}) to {audience} "
            "({n} recipient(s) today). /broadcasts lists it; you can cancel it there.",
            record.recipients,
        ).format(
            id=record.id,
            when=f"{when:%Y-%m-%d %H:%M}",
            zone=tx.user(zone.key),
            audience=audience,
        ),
    )
    drop_draft(context)
    return ConversationHandler.END


def build_broadcast_conversation() -> ConversationHandler[ForumContext]:
    private = filters.ChatType.PRIVATE
    not_command = ~filters.COMMAND
    anything_else = not_command & ~filters.StatusUpdate.ALL
    states: dict[object, list[Any]] = {
        COMPOSE: [
            MessageHandler(
                (filters.TEXT & not_command) | filters.PHOTO | filters.Document.ALL,
                got_message,
            ),
            MessageHandler(anything_else, odd_message),
        ],
        AUDIENCE: [
            CallbackQueryHandler(choose_audience, pattern=is_audience),
            CallbackQueryHandler(open_menu, pattern=BroadcastMenu.filter()),
            MessageHandler(anything_else, use_buttons),
        ],
        CONFIRM: [
            CallbackQueryHandler(confirm, pattern=BroadcastConfirm.filter()),
            MessageHandler(anything_else, use_buttons),
        ],
        WHEN: text_step(
            got_time,
            otherwise=say(
                N_("Please send the date and time as text, e.g. 2025-11-20 14:30, or /cancel."),
                WHEN,
            ),
        ),
    }
    states.update({old: states[new] for old, new in LEGACY_STATES.items()})
    return conversation("broadcast", [CommandHandler("broadcast", begin, filters=private)], states)
