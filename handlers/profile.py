"""The rep's own company and data: /profile (card, pause/resume, invite a colleague, leave,
delete), the join/claim deep links (``/start join_<token>``, ``/start claim_<token>``),
/mydata (everything stored, as JSON) and /deleteme (erase the user).

Every button carries a company id that is checked against the presser's own company: a
forged or stale id is refused and changes nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, filters

from bot.domain.company_files import deep_link
from bot.domain.profiles import country_zone, record_card
from bot.runtime.context import ForumContext
from bot.runtime.persistence import forget
from bot.services.erasure import erase
from handlers import start as start_handlers
from handlers.common import callback_number, numbered, reply
from handlers.fallback import EXPIRED_MENU
from handlers.html import esc
from handlers.registration import EDIT_PREFIX
from handlers.start import REGISTER_BUTTON
from storage.audit import pseudonym
from storage.companies import CompanyRecord, CompanyWrites
from storage.links import CLAIM, INVITE
from storage.outbox import PRIORITY_NORMAL, NewMessage
from storage.personal_data import personal_data

log = logging.getLogger(__name__)

INVITE_TTL = timedelta(days=7)
JOIN_PATTERN = r"^/start (join|claim)_"
PROFILE_DATA = "prof:"  # + action + ":" + company id
ACTIONS = ("pause", "resume", "invite", "leave", "delete", "leave_yes", "delete_yes", "keep")
NOT_YOURS = "You can't change that company."
DELETEME_YES = "me:erase:"  # + the user's own id, re-checked against the presser
DELETEME_NO = "me:keep"


def profile_keyboard(record: CompanyRecord, reps: int) -> InlineKeyboardMarkup:
    pause = (
        InlineKeyboardButton("▶️ Resume matching", callback_data=f"prof:resume:{record.id}")
        if record.paused
        else InlineKeyboardButton("⏸ Pause matching", callback_data=f"prof:pause:{record.id}")
    )
    rows = [
        [InlineKeyboardButton("✏️ Edit", callback_data=f"{EDIT_PREFIX}{record.id}"), pause],
        [InlineKeyboardButton("👥 Invite a colleague", callback_data=f"prof:invite:{record.id}")],
    ]
    if reps > 1:
        rows.append(
            [InlineKeyboardButton("🚪 Leave company", callback_data=f"prof:leave:{record.id}")]
        )
    rows.append(
        [InlineKeyboardButton("🗑 Delete company", callback_data=f"prof:delete:{record.id}")]
    )
    return InlineKeyboardMarkup(rows)


async def _card(context: ForumContext, record: CompanyRecord) -> tuple[str, InlineKeyboardMarkup]:
    reps = len(await context.services.companies.reps(record.id))
    return record_card(record, context.services.forum, reps=reps), profile_keyboard(record, reps)


async def profile(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    record = await context.services.companies.by_rep(user.id)
    if record is None:
        await reply(
            update,
            "You have not registered a company yet.",
            reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("📝 Register my company", callback_data=REGISTER_BUTTON)]]
            ),
        )
        return
    text, markup = await _card(context, record)
    await reply(update, text, reply_markup=markup)


async def profile_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None or not query.data:
        return
    _, action, _ = query.data.split(":", 2)
    company_id = callback_number(query.data, f"{PROFILE_DATA}{action}:")
    if action not in ACTIONS or company_id is None:
        await query.answer(EXPIRED_MENU)
        return
    services = context.services
    record = await services.companies.by_rep(query.from_user.id)
    if record is None:
        await query.answer(EXPIRED_MENU)
        return
    if record.id != company_id:
        log.warning("user=%s pressed %s for company %s", query.from_user.id, action, company_id)
        await query.answer(NOT_YOURS, show_alert=True)
        return
    now = services.clock.now()
    if action in ("pause", "resume"):
        paused = action == "pause"
        if not await CompanyWrites(services.db).set_paused(record.id, paused, now=now):
            await query.answer("Already paused." if paused else "Matching is already on.")
            return
        await query.answer("Matching paused." if paused else "Matching resumed.")
        fresh = await services.companies.get(record.id)
        if fresh is not None:
            text, markup = await _card(context, fresh)
            try:
                await query.edit_message_text(text, reply_markup=markup)
            except BadRequest:
                await reply(update, text, reply_markup=markup)
        return
    if action == "invite":
        await query.answer()
        link = await context.services.links.create(
            record.id, INVITE, now=now, created_by=query.from_user.id, ttl=INVITE_TTL
        )
        url = deep_link(context.bot.username, link.payload)
        await reply(
            update,
            f"Send this link to your colleague. It works once and expires in 7 days; whoever "
            f"opens it becomes a rep of <b>{esc(record.name)}</b> and can edit it.\n\n{url}",
        )
        return
    if action in ("leave", "delete"):
        await query.answer()
        colleagues = len(await services.companies.reps(record.id)) - 1
        if action == "delete":
            question = (
                f"Delete <b>{esc(record.name)}</b>? Its profile, its pending introductions and "
                "its matches go for every rep"
                + (f" (also for your {colleagues} colleague(s))" if colleagues else "")
                + ". This cannot be undone."
            )
        else:
            question = f"Leave <b>{esc(record.name)}</b>? Your colleagues keep the company."
        await reply(
            update,
            question,
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            "Yes, delete it" if action == "delete" else "Yes, leave",
                            callback_data=f"prof:{action}_yes:{record.id}",
                        )
                    ],
                    [InlineKeyboardButton("No, keep it", callback_data=f"prof:keep:{record.id}")],
                ]
            ),
        )
        return
    if action == "keep":
        await query.answer()
        await _edit_or_reply(update, "Nothing was changed.")
        return
    # leave_yes / delete_yes
    await query.answer()
    reps = await services.companies.reps(record.id)
    others = [r for r in reps if r != query.from_user.id]
    if action == "delete_yes" or not others:
        await services.companies.delete(record.id)
        await _edit_or_reply(update, f"🗑 <b>{esc(record.name)}</b> was deleted.")
        await _tell_reps(
            context,
            others,
            f"🗑 <b>{esc(record.name)}</b> was deleted by your colleague "
            f"{esc(query.from_user.full_name)}.",
            # The notice names the deleter: their id in the key lets an erasure find it.
            f"company-deleted:{record.id}:{query.from_user.id}",
        )
        return
    await services.companies.remove_rep(query.from_user.id)
    await _edit_or_reply(update, f"🚪 You left <b>{esc(record.name)}</b>.")
    await _tell_reps(
        context,
        others,
        f"🚪 {esc(query.from_user.full_name)} left <b>{esc(record.name)}</b>.",
        f"rep-left:{record.id}:{query.from_user.id}:{now.isoformat()}",
    )


async def _edit_or_reply(update: Update, text: str) -> None:
    """Turn the confirmation into its outcome, so its buttons cannot be pressed again."""
    query = update.callback_query
    if query is not None:
        try:
            await query.edit_message_text(text)
            return
        except BadRequest:
            pass
    await reply(update, text)


async def _tell_reps(context: ForumContext, reps: list[int], text: str, key: str) -> None:
    """Colleagues hear about changes through the outbox: they did not just act."""
    if not reps:
        return
    await context.services.notifier.enqueue(
        [
            NewMessage(
                chat_id=rep,
                dedupe_key=f"{key}:{rep}",
                kind="company_reps",
                payload={"text": text, "parse_mode": "HTML"},
                priority=PRIORITY_NORMAL,
            )
            for rep in reps
        ]
    )


# -- deep links --------------------------------------------------------------------------------


async def join(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None or not context.args:
        return
    kind, _, token = context.args[0].partition("_")
    services = context.services
    now = services.clock.now()
    links = context.services.links
    link = await links.get(token)
    expected = INVITE if kind == "join" else CLAIM
    if link is None or link.kind != expected or not link.usable(now):
        await reply(
            update,
            "⚠️ This link is not valid: it was already used, it expired, or it was mistyped. "
            "Ask your colleague for a new one.",
        )
        await start_handlers.start(update, context)
        return
    company = await services.companies.get(link.company_id)
    mine = await services.companies.by_rep(user.id)
    if mine is not None:
        if company is not None and mine.id == company.id:
            await reply(update, f"You already represent <b>{esc(mine.name)}</b>. See /profile.")
        else:
            await reply(
                update,
                f"You already represent <b>{esc(mine.name)}</b>; a person represents one "
                "company. Leave it first (/profile → Leave company), then open the link again.",
            )
        return
    if company is None or not await links.use(token, user.id, now=now):
        await reply(update, "⚠️ This link is not valid any more. Ask for a new one.")
        return
    others = await services.companies.reps(company.id)
    await services.companies.add_rep(company.id, user.id, now=now)
    if kind == "claim":
        await links.close_claims(company.id, now=now)
    account = await services.users.get(user.id)
    if account is not None and not account.timezone:
        await services.users.set_timezone(
            user.id,
            country_zone(company.country, services.forum, services.settings.event_timezone),
        )
    text, markup = await _card(context, company)
    await reply(
        update,
        f"✅ You now represent <b>{esc(company.name)}</b> and can edit its profile.\n\n{text}",
        reply_markup=markup,
    )
    await _tell_reps(
        context,
        others,
        f"👥 {esc(user.full_name)} joined <b>{esc(company.name)}</b> as a rep.",
        f"rep-joined:{company.id}:{user.id}:{token}",
    )


# -- the user's own data -----------------------------------------------------------------------


async def mydata(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    message = update.effective_message
    if user is None or message is None:
        return
    services = context.services
    data: dict[str, Any] = {
        "about": "Everything ForumBridge stores about you and your company.",
        "generated_at": services.clock.now().isoformat(),
        "telegram_id": user.id,
        "tables": await personal_data(services.db, user.id),
        "conversation_data": dict(context.user_data or {}),
    }
    blob = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    await message.reply_document(
        document=blob,
        filename=f"forumbridge-mydata-{user.id}.json",
        caption="Everything stored about you and your company. /deleteme erases it.",
    )


async def deleteme(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    record = await context.services.companies.by_rep(user.id)
    lines = ["This erases everything stored about you:", "• your user record and settings"]
    lines.append("• your session subscriptions and reminders")
    if record is not None:
        reps = await context.services.companies.reps(record.id)
        if len(reps) <= 1:
            lines.append(
                f"• <b>{esc(record.name)}</b>, as you are its only rep, with its introductions"
            )
        else:
            lines.append(
                f"• your membership of <b>{esc(record.name)}</b> (colleagues keep it), and "
                "its contact person, email and phone if you entered them"
            )
    lines.append(
        "• your name, username, email, phone and notes in messages sent to others, and in "
        "the organisers' log (your actions there become “erased user #N”)"
    )
    lines.append("\nAre you sure?")
    await reply(
        update,
        "\n".join(lines),
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        "🗑 Yes, delete everything", callback_data=f"{DELETEME_YES}{user.id}"
                    )
                ],
                [InlineKeyboardButton("No, keep my data", callback_data=DELETEME_NO)],
            ]
        ),
    )


async def deleteme_button(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    if query is None:
        return
    user_id = query.from_user.id
    if query.data == DELETEME_NO:
        await query.answer()
        await _edit_or_reply(update, "Nothing was deleted.")
        return
    if callback_number(query.data, DELETEME_YES) != user_id:
        await query.answer(NOT_YOURS, show_alert=True)
        return
    await query.answer()
    services = context.services
    # Memory first: a persistence flush during the erasure must find nothing to write back.
    chat = update.effective_chat
    forget(context.application, user_id, chat.id if chat is not None else None)
    services.seen_cache.pop(user_id, None)
    erased = await erase(services, user_id)
    done = ["🗑 <b>Deleted.</b>"]
    done.append("• your user record" if erased.user_row else "• (no user record was stored)")
    if erased.company_name is not None:
        if erased.company_deleted:
            done.append(
                f"• the company <b>{esc(erased.company_name)}</b> (you were its last rep) "
                f"and its {erased.introductions} introduction(s)"
            )
        else:
            done.append(f"• your membership of <b>{esc(erased.company_name)}</b>")
    if erased.contacts_cleared:
        done.append(
            "• the contact person, email and phone you had entered for a company (its reps "
            "are asked to enter them again)"
        )
    done.append(f"• {erased.subscriptions} session subscription(s)")
    done.append(f"• {erased.messages_deleted} message(s) to you")
    if erased.messages_emptied:
        done.append(f"• your details in {erased.messages_emptied} message(s) to others")
    if erased.audit_rows or erased.broadcasts:
        done.append(
            f"• your name in the organisers' log: your actions show as "
            f"“{pseudonym(erased.pseudonym)}”"
        )
    done.append("• your conversation data")
    done.append("\nIf you write to me again, I will only know your Telegram name and id.")
    await _edit_or_reply(update, "\n".join(done))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", join, filters=filters.Regex(JOIN_PATTERN)))
    app.add_handler(CommandHandler("profile", profile))
    app.add_handler(CommandHandler("mydata", mydata))
    app.add_handler(CommandHandler("deleteme", deleteme))
    app.add_handler(
        CallbackQueryHandler(
            profile_button, pattern=numbered(*(f"{PROFILE_DATA}{a}:" for a in ACTIONS))
        ),
    )
    app.add_handler(CallbackQueryHandler(deleteme_button, pattern=numbered(DELETEME_YES)))
    app.add_handler(CallbackQueryHandler(deleteme_button, pattern=f"^{DELETEME_NO}$"))
