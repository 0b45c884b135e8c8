"""/availability: a company's reps block the meeting slots it cannot attend (every slot is
free by default) and free them again, one meetings block per page. Nobody can propose a
blocked slot to the company, and the organisers' scheduler leaves it alone."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, filters

from bot.domain.meeting_slots import ReaderZones
from bot.runtime.context import ForumContext
from bot.services.meeting_availability import AvailabilityPage as Page
from bot.services.meeting_availability import MeetingAvailability
from handlers.callbacks import AvailabilityPage, AvailabilitySet
from handlers.common import add_buttons, edit, pressed, reader, reply
from handlers.i18n import Texts
from handlers.meeting_texts import day, slot_label

MARKS = {"free": "✅", "blocked": "🚫", "busy": "📅"}


def render(tx: Texts, page: Page, own: ReaderZones) -> tuple[str, InlineKeyboardMarkup | None]:
    if page.kind == "no_company":
        return tx._("Register your company first: /register."), None
    if page.kind == "no_blocks":
        return tx._("There are no meeting slots on the agenda yet."), None
    first = page.slots[0].slot.starts_at if page.slots else None
    lines = [
        tx._("🗓 <b>Your availability</b> — {block}").format(block=tx.user(page.block_title)),
        day(tx, first, own) if first else "",
        tx._(
            "Tap a slot to block it (🚫) or to free it again (✅). 📅 = you have a meeting "
            "then (cancel it in /meetings first)."
        ),
    ]
    rows = []
    for item in page.slots:
        # What a press does: free a blocked slot, block a free one (a busy one is refused).
        free = item.state == "blocked"
        data = AvailabilitySet(page.block_id, item.slot.minute, free).pack()
        rows.append(
            [
                InlineKeyboardButton(
                    f"{MARKS[item.state]} {slot_label(tx, item.slot, own)}", callback_data=data
                )
            ]
        )
    nav = []
    if page.previous is not None:
        nav.append(
            InlineKeyboardButton(
                tx._("◀ Earlier block"), callback_data=AvailabilityPage(page.previous).pack()
            )
        )
    if page.following is not None:
        nav.append(
            InlineKeyboardButton(
                tx._("Later block ▶"), callback_data=AvailabilityPage(page.following).pack()
            )
        )
    if nav:
        rows.append(nav)
    return "\n".join(line for line in lines if line), InlineKeyboardMarkup(rows)


async def availability_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    service = MeetingAvailability(context.services)
    text, markup = render(tx, await service.availability(user.id), await service.zone_of(user.id))
    await reply(update, text, reply_markup=markup)


async def turn_page(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, AvailabilityPage)
    service = MeetingAvailability(context.services)
    page = await service.availability(query.from_user.id, data.block)
    await query.answer()
    text, markup = render(tx, page, await service.zone_of(query.from_user.id))
    await edit(query, text, markup)


async def toggle(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, AvailabilitySet)
    service = MeetingAvailability(context.services)
    user_id = query.from_user.id
    done = await service.set_available(user_id, data.block, data.start, data.free)
    if done != "ok":
        alerts = {
            "busy": tx._("You have a meeting then: cancel it in /meetings first."),
            "gone": tx._("That slot is no longer on the agenda."),
            "no_company": tx._("Register your company first: /register."),
        }
        await query.answer(alerts.get(done, alerts["gone"]), show_alert=True)
        return
    await query.answer(tx._("Freed ✅") if data.free else tx._("Blocked 🚫"))
    page = await service.availability(user_id, data.block)
    text, markup = render(tx, page, await service.zone_of(user_id))
    await edit(query, text, markup)


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("availability", availability_command, filters=filters.ChatType.PRIVATE)
    )
    add_buttons(app, {AvailabilityPage: turn_page, AvailabilitySet: toggle})
