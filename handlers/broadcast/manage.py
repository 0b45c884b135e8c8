"""/broadcasts (the latest broadcasts with their counts, scheduled and running ones with a
Cancel or Stop button) and the Stop / Cancel presses, which re-check the organiser role."""

from __future__ import annotations

from telegram import CallbackQuery, Update

from bot.runtime.context import ForumContext
from handlers.broadcast.texts import listed_text, listing_keyboard
from handlers.callbacks import BroadcastCancel, BroadcastStop
from handlers.callbacks.broadcasts import OnBroadcast
from handlers.common import for_organisers, organiser_button, reply
from handlers.i18n import Texts

LISTED = 20


@for_organisers
async def list_broadcasts(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
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


@organiser_button(BroadcastStop)
async def stop_pressed(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, data: BroadcastStop
) -> None:
    await _pressed(update, context, query, tx, data, stop=True)


@organiser_button(BroadcastCancel)
async def cancel_pressed(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, data: BroadcastCancel
) -> None:
    await _pressed(update, context, query, tx, data, stop=False)


async def _pressed(
    update: Update,
    context: ForumContext,
    query: CallbackQuery,
    tx: Texts,
    data: OnBroadcast,
    *,
    stop: bool,
) -> None:
    """Stop a running broadcast, or cancel a scheduled one; a second press changes nothing."""
    service = context.services.broadcasts
    actor, number = query.from_user.id, data.broadcast_id
    if stop:
        done = await service.stop(number, actor)
        answer = tx._("Broadcast #{id} stopped.") if done else None
        refused = tx._("That broadcast is not running any more.")
    else:
        done = await service.cancel(number, actor)
        answer = tx._("Broadcast #{id} cancelled.") if done else None
        refused = tx._("That broadcast is no longer scheduled.")
    await query.answer(answer.format(id=number) if answer else refused)
    if done and not stop:
        await reply(
            update,
            tx._("✖️ Scheduled broadcast #{id} is cancelled; nothing was sent.").format(id=number),
        )
