"""The user's own data: /mydata (everything stored, as a JSON file) and /deleteme (erase
the user, after a confirmation that says what goes)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from bot.runtime.persistence import forget
from bot.services.erasure import Erasure, erase, my_data
from handlers.callbacks import DeleteMe
from handlers.common import add_buttons, pressed, reader, reply
from handlers.i18n import Texts
from handlers.profile import edit_or_reply


def _plain(value: Any) -> Any:
    """Conversation data as JSON can hold it (a registration draft is a dataclass)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


async def mydata(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    tx = await reader(update, context)
    conversation = {str(k): _plain(v) for k, v in (context.user_data or {}).items()}
    stored = await my_data(context.services, user.id, conversation)
    data = {"about": tx._("Everything ForumBridge stores about you and your company."), **stored}
    blob = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await message.reply_document(
        document=blob,
        filename=tx._("forumbridge-mydata-{id}.json").format(id=user.id),
        caption=tx._("Everything stored about you and your company. /deleteme erases it."),
    )


async def deleteme(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    mine = await context.services.company_service.card(user.id)
    lines = [
        tx._("This erases everything stored about you:"),
        tx._("• your user record and settings"),
        tx._("• your session subscriptions and reminders"),
    ]
    if mine is not None:
        name = tx.user(mine.company.name)
        if mine.reps <= 1:
            line = tx._("• <b>{name}</b>, as you are its only rep, with its introductions")
        else:
            line = tx._(
                "• your membership of <b>{name}</b> (colleagues keep it), and its contact "
                "person, email and phone if you entered them"
            )
        lines.append(line.format(name=name))
    lines.append(
        tx._(
            "• your name, username, email, phone and notes in messages sent to others, and in "
            "the organisers' log (your actions there become “erased user #N”)"
        )
    )
    lines.append("\n" + tx._("Are you sure?"))
    buttons = [
        [
            InlineKeyboardButton(
                tx._("🗑 Yes, delete everything"), callback_data=DeleteMe(user.id, True).pack()
            )
        ],
        [
            InlineKeyboardButton(
                tx._("No, keep my data"), callback_data=DeleteMe(user.id, False).pack()
            )
        ],
    ]
    await reply(update, "\n".join(lines), reply_markup=InlineKeyboardMarkup(buttons))


def _done(tx: Texts, erased: Erasure) -> str:
    done = [tx._("🗑 <b>Deleted.</b>")]
    done.append(
        tx._("• your user record") if erased.user_row else tx._("• (no user record was stored)")
    )
    if erased.company_name is not None:
        name = tx.user(erased.company_name)
        if erased.company_deleted:
            company = tx.n_(
                "• the company <b>{name}</b> (you were its last rep) and its {n} introduction",
                "• the company <b>{name}</b> (you were its last rep) and its {n} introductions",
                erased.introductions,
            )
        else:
            company = tx._("• your membership of <b>{name}</b>")
        done.append(company.format(name=name))
    if erased.contacts_cleared:
        done.append(
            tx._(
                "• the contact person, email and phone you had entered for a company (its reps "
                "are asked to enter them again)"
            )
        )
    done.append(
        tx.n_("• {n} session subscription", "• {n} session subscriptions", erased.subscriptions)
    )
    done.append(tx.n_("• {n} message to you", "• {n} messages to you", erased.messages_deleted))
    if erased.messages_emptied:
        done.append(
            tx.n_(
                "• your details in {n} message to others",
                "• your details in {n} messages to others",
                erased.messages_emptied,
            )
        )
    if erased.audit_rows or erased.broadcasts:
        done.append(
            tx._(
                "• your name in the organisers' log: your actions show as “erased user #{n}”"
            ).format(n=erased.pseudonym)
        )
    done.append(tx._("• your conversation data"))
    done.append(
        "\n" + tx._("If you write to me again, I will only know your Telegram name and id.")
    )
    return "\n".join(done)


async def deleteme_button(update: Update, context: ForumContext) -> None:
    query, tx, button = await pressed(update, context, DeleteMe)
    user_id = query.from_user.id
    if not button.erase:
        await query.answer()
        await edit_or_reply(update, tx._("Nothing was deleted."))
        return
    if button.user_id != user_id:
        await query.answer(tx._("You can't change that company."), show_alert=True)
        return
    await query.answer()
    services = context.services
    # Memory first: a persistence flush during the erasure must find nothing to write back.
    chat = update.effective_chat
    forget(context.application, user_id, chat.id if chat is not None else None)
    services.seen_cache.pop(user_id, None)
    erased = await erase(services, user_id)
    await edit_or_reply(update, _done(tx, erased))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("mydata", mydata))
    app.add_handler(CommandHandler("deleteme", deleteme))
    add_buttons(app, {DeleteMe: deleteme_button})
