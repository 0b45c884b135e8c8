"""/start (with deep-link payloads) and /help: the front door of the bot."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.runtime.context import ForumContext
from handlers.commands import organiser_commands, user_commands
from handlers.common import reply
from handlers.html import esc

HELP_BUTTON = "help:show"
AGENDA_BUTTON = "agenda:open"  # handled by handlers.agenda
REGISTER_BUTTON = "reg:start"  # handled by handlers.registration (its entry point)


def start_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("📝 Register my company", callback_data=REGISTER_BUTTON)],
            [InlineKeyboardButton("🗓 Agenda", callback_data=AGENDA_BUTTON)],
            [InlineKeyboardButton("ℹ️ Help", callback_data=HELP_BUTTON)],
        ]
    )


async def start(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    name = esc(user.first_name) if user else "there"
    payload = context.args[0] if context.args else None
    if payload:
        context.user_data["start_payload"] = payload  # type: ignore[index]
    forum = context.services.forum
    first, second = (esc(c.name) for c in forum.countries)
    await reply(
        update,
        f"Welcome to ForumBridge, {name}! 👋\n\n"
        f"I connect companies from {first} and {second} at the "
        f"<b>{esc(forum.name)}</b>:\n"
        "• register your company and find partners across the border\n"
        "• get introductions when both sides say yes\n"
        "• see the agenda in your time zone and get reminders\n\n"
        "Send /help for all commands.",
        reply_markup=start_keyboard(),
    )


async def help_text(user_id: int | None, context: ForumContext) -> str:
    organiser = await context.services.is_organiser(user_id)
    commands = organiser_commands() if organiser else user_commands()
    lines = [f"/{c.name} — {esc(c.description)}" for c in commands]
    title = "Commands (organiser)" if organiser else "Commands"
    return f"<b>{title}</b>\n" + "\n".join(lines)


async def help_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    await reply(update, await help_text(user.id if user else None, context))


async def help_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None:
        return
    await query.answer()
    await reply(update, await help_text(query.from_user.id, context))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CallbackQueryHandler(help_button, pattern=f"^{HELP_BUTTON}$"))
