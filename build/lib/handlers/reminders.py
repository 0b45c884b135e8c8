"""/reminders: choose the lead times of session reminders (1 day, 1 hour, 15 minutes, at
start; default 15 minutes) as a multi-select.

Each button says what it will do (``rem:on:60`` / ``rem:off:60``), not "toggle", so a double
press acts once; the choice is saved at every press, so nothing is lost if "Done" is never
pressed.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.timefmt import lead_label
from bot.runtime.context import ForumContext
from bot.services.reminders import LEADS
from handlers.common import callback_number, reply

DONE = "rem:done"


def chosen_text(leads: list[int]) -> str:
    labels = [lead_label(m) + ("" if m == 0 else " before") for m in sorted(leads, reverse=True)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def menu(leads: list[int]) -> tuple[str, InlineKeyboardMarkup]:
    rows = []
    for minutes in LEADS:
        on = minutes in leads
        label = lead_label(minutes) + ("" if minutes == 0 else " before")
        rows.append(
            [
                InlineKeyboardButton(
                    f"{'✅' if on else '▫️'} {label}",
                    callback_data=f"rem:{'off' if on else 'on'}:{minutes}",
                )
            ]
        )
    rows.append([InlineKeyboardButton("Done", callback_data=DONE)])
    text = (
        "⏰ <b>Reminders</b>\nWhen should I remind you of the sessions you subscribed to? "
        f"Tap to choose one or more.\nNow: <b>{chosen_text(leads)}</b>."
    )
    return text, InlineKeyboardMarkup(rows)


async def reminders_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    text, markup = menu(await context.services.agenda.leads(user.id))
    await reply(update, text, reply_markup=markup)


async def reminders_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None or query.data is None:
        return
    agenda = context.services.agenda
    user_id = query.from_user.id
    leads = await agenda.leads(user_id)
    if query.data == DONE:
        await query.answer("Saved")
        await _edit(query, f"⏰ Saved: reminders <b>{chosen_text(leads)}</b> each session.", None)
        return
    parts = query.data.split(":")
    minutes = callback_number(parts[2]) if len(parts) == 3 else None
    if minutes is None or minutes not in LEADS or parts[1] not in ("on", "off"):
        await query.answer("This menu has expired. Send /reminders to begin again.")
        return
    wanted = set(leads)
    if parts[1] == "on":
        wanted.add(minutes)
    else:
        wanted.discard(minutes)
    if not wanted:
        await query.answer(
            "Keep at least one. To stop reminders for a session, unsubscribe in /agenda.",
            show_alert=True,
        )
        return
    if wanted == set(leads):
        await query.answer()  # a double press: already so
        return
    await agenda.set_leads(user_id, wanted)
    await query.answer()
    text, markup = menu(sorted(wanted, reverse=True))
    await _edit(query, text, markup)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message:
            raise


def register(app: Application) -> None:
    app.add_handler(
        CommandHandler("reminders", reminders_command, filters=filters.ChatType.PRIVATE)
    )
    app.add_handler(CallbackQueryHandler(reminders_button, pattern=r"^rem:"))
