"""/reminders: choose the lead times of session reminders (1 day, 1 hour, 15 minutes, at
start; default 15 minutes) as a multi-select.

Each button says what it will do (turn 1 hour on, turn 1 hour off), not "toggle", so a double
press acts once; the choice is saved at every press, so nothing is lost if "Done" is never
pressed.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.runtime.context import ForumContext
from bot.services.agenda import LEADS, AgendaService
from handlers.callbacks import ReminderLead, RemindersDone
from handlers.common import edit, pressed, reader, reply
from handlers.dates import lead_label, leads_text
from handlers.i18n import Texts


def menu(tx: Texts, leads: Sequence[int]) -> tuple[str, InlineKeyboardMarkup]:
    rows = []
    for minutes in LEADS:
        on = minutes in leads
        rows.append(
            [
                InlineKeyboardButton(
                    f"{'✅' if on else '▫️'} {lead_label(tx, minutes)}",
                    callback_data=ReminderLead(not on, minutes).pack(),
                )
            ]
        )
    rows.append([InlineKeyboardButton(tx._("Done"), callback_data=RemindersDone().pack())])
    text = tx._(
        "⏰ <b>Reminders</b>\nWhen should I remind you of the sessions you subscribed to? "
        "Tap to choose one or more.\nNow: <b>{leads}</b>."
    ).format(leads=leads_text(tx, leads))
    return text, InlineKeyboardMarkup(rows)


async def reminders_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    text, markup = menu(tx, await AgendaService(context.services).leads(user.id))
    await reply(update, text, reply_markup=markup)


async def lead_button(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, ReminderLead)
    done = await AgendaService(context.services).set_lead(query.from_user.id, data.minutes, data.on)
    if done.kind == "last":
        await query.answer(
            tx._("Keep at least one. To stop reminders for a session, unsubscribe in /agenda."),
            show_alert=True,
        )
        return
    await query.answer()
    if done.kind == "saved":
        text, markup = menu(tx, done.leads)
        await edit(query, text, markup)


async def done_button(update: Update, context: ForumContext) -> None:
    query, tx, _ = await pressed(update, context, RemindersDone)
    leads = await AgendaService(context.services).leads(query.from_user.id)
    await query.answer(tx._("Saved"))
    text = tx._("⏰ Saved: reminders <b>{leads}</b> each session.").format(
        leads=leads_text(tx, leads)
    )
    await edit(query, text, None)


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("reminders", reminders_command, filters=filters.ChatType.PRIVATE)
    )
    # A lead time that is not one of ours is a forged press: the fallback's "menu expired".
    app.add_handler(
        CallbackQueryHandler(lead_button, pattern=ReminderLead.filter(lambda d: d.minutes in LEADS))
    )
    app.add_handler(CallbackQueryHandler(done_button, pattern=RemindersDone.filter()))
