"""/language: read the bot in English, Română or اردو. The choice is kept (it wins over
the Telegram client's language), and every later message — replies and notices from other
people's actions alike — comes in it."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.languages import LANGUAGES, NATIVE_NAMES
from bot.runtime.context import ForumContext
from handlers.callbacks import LanguagePick
from handlers.commands import publish_for_organiser
from handlers.common import reader, reply
from handlers.i18n import texts


def keyboard(current: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"✓ {NATIVE_NAMES[code]}" if code == current else NATIVE_NAMES[code],
                    callback_data=LanguagePick(code).pack(),  # type: ignore[arg-type]
                )
                for code in LANGUAGES
            ]
        ]
    )


async def language_command(update: Update, context: ForumContext) -> None:
    tx = await reader(update, context)
    await reply(
        update,
        tx._("Which language should I use with you?"),
        reply_markup=keyboard(tx.language),
    )


async def language_chosen(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None:
        return
    choice = LanguagePick.unpack(query.data)
    if not await context.services.languages.choose(query.from_user.id, choice.language):
        await query.answer()
        return
    tx = texts(choice.language)
    if await context.services.is_organiser(query.from_user.id):
        await publish_for_organiser(context.bot, context.services, query.from_user.id)
    await query.answer()
    await query.edit_message_text(
        tx._("From now on I will write to you in English. /language changes it again."),
        reply_markup=None,
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("language", language_command))
    app.add_handler(CallbackQueryHandler(language_chosen, pattern=LanguagePick.filter()))
