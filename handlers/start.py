"""/start (with deep-link payloads) and /help: the front door of the bot.

The welcome's 🗓 Agenda button opens the agenda's first page (``handlers.agenda``'s
/agenda); 📝 Register my company is the registration's entry point
(``handlers.registration``)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from handlers.callbacks import AgendaOpen, HomeHelp, RegisterStart
from handlers.commands import organiser_commands, user_commands
from handlers.common import add_buttons, pressed, reader, reply
from handlers.i18n import Texts, per_language
from handlers.keyboard import Keyboard


def register_button(tx: Texts) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        tx._("📝 Register my company"), callback_data=RegisterStart().pack()
    )


@per_language
def start_keyboard(tx: Texts) -> InlineKeyboardMarkup:
    return Keyboard(
        [
            [register_button(tx)],
            [InlineKeyboardButton(tx._("🗓 Agenda"), callback_data=AgendaOpen().pack())],
            [InlineKeyboardButton(tx._("ℹ️ Help"), callback_data=HomeHelp().pack())],
        ]
    )


async def start(update: Update, context: ForumContext) -> None:
    tx = await reader(update, context)
    user = update.effective_user
    payload = context.args[0] if context.args else None
    if payload and context.user_data is not None:
        context.user_data["start_payload"] = payload
    forum = context.services.forum
    first, second = (c.label_in(tx.language) for c in forum.countries)
    text = tx._(
        "Welcome to ForumBridge, {name}! 👋\n\n"
        "I connect companies from {first} and {second} at the <b>{forum}</b>:\n"
        "• register your company and find partners across the border\n"
        "• get introductions when both sides say yes\n"
        "• see the agenda in your time zone and get reminders\n\n"
        "Send /help for all commands."
    ).format(
        name=tx.user(user.first_name) if user else tx._("there"),
        first=tx.user(first),
        second=tx.user(second),
        forum=tx.user(forum.name_in(tx.language)),
    )
    await reply(update, text, reply_markup=start_keyboard(tx))


async def help_text(tx: Texts, user_id: int | None, context: ForumContext) -> str:
    organiser = await context.services.is_organiser(user_id)
    commands = organiser_commands() if organiser else user_commands()
    lines = [f"/{c.name} — {tx.user(tx._(c.description))}" for c in commands]
    title = tx._("<b>Commands (organiser)</b>") if organiser else tx._("<b>Commands</b>")
    return title + "\n" + "\n".join(lines)


async def help_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    tx = await reader(update, context)
    await reply(update, await help_text(tx, user.id if user else None, context))


async def help_button(update: Update, context: ForumContext) -> None:
    query, tx, _ = await pressed(update, context, HomeHelp)
    await query.answer()
    await reply(update, await help_text(tx, query.from_user.id, context))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    add_buttons(app, {HomeHelp: help_button})
