"""/broadcasts (the latest broadcasts with their counts, scheduled and running ones with a
Cancel or Stop button) and the Stop / Cancel presses, which re-check the organiser role."""

from __future__ import annotations

from telegram import Update

from bot.runtime.context import ForumContext
from handlers.broadcast.texts import listed_text, listing_keyboard
from handlers.callbacks import BroadcastCancel, BroadcastStop
from handlers.common import organiser_id, reader, reply

LISTED = 20


async def list_broadcasts(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    tx = await reader(update, context)
    service = context.services.broadcasts
    items = await service.listing(LISTED)
    if not items:
        await reply(update, tx._("No broadcasts yet. Start one with /broadcast."))
        return
    zone = await context.services.organisers.zone_of(actor)
    forum = context.services.forum
    lines = [tx._("📣 <b>Broadcasts</b> (newest first)")]
    lines += [listed_text(tx, forum, item, zone) for item in items]
    await reply(update, "\n\n".join(lines), reply_markup=listing_keyboard(tx, items))


async def stop_pressed(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    query = update.callback_query
    if actor is None or query is None:
        return
    tx = await reader(update, context)
    broadcast_id = BroadcastStop.unpack(query.data).broadcast_id
    if await context.services.broadcasts.stop(broadcast_id, actor):
        await query.answer(tx._("Broadcast #{id} stopped.").format(id=broadcast_id))
    else:
        await query.answer(tx._("That broadcast is not running any more."))


async def cancel_pressed(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    query = update.callback_query
    if actor is None or query is None:
        return
    tx = await reader(update, context)
    broadcast_id = BroadcastCancel.unpack(query.data).broadcast_id
    if await context.services.broadcasts.cancel(broadcast_id, actor):
        await query.answer(tx._("Broadcast #{id} cancelled.").format(id=broadcast_id))
        await reply(
            update,
            tx._("✖️ Scheduled broadcast #{id} is cancelled; nothing was sent.").format(
                id=broadcast_id
            ),
        )
    else:
        await query.answer(tx._("That broadcast is no longer scheduled."))
