"""Organiser roles and the dashboard: /promote, /demote, /audit and /stats (with its chart).

Every command re-checks the organiser role on the server; organisers' actions are recorded
in the audit log."""

from __future__ import annotations

import contextlib
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import BotCommandScopeChat, InlineKeyboardMarkup, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from bot.services.funnel import compute as compute_funnel
from bot.services.invitations import InvitationService
from bot.services.stats import dashboard
from handlers.commands import publish_for_organiser
from handlers.common import organiser_id, reader, reply
from handlers.html import esc
from handlers.invitations import invite_row, unclaimed_line
from handlers.outcomes import funnel_text
from storage.outbox import PRIORITY_URGENT, NewMessage
from storage.users import ORGANISER, PARTICIPANT, UserRecord

log = logging.getLogger(__name__)

AUDIT_LIMIT = 50


async def _target(update: Update, context: ForumContext, command: str) -> UserRecord | None:
    """The one user an organiser named, by numeric id or by a username that only one stored
    user has; otherwise say why and ask for the id."""
    args = context.args or []
    if len(args) != 1:
        await reply(update, f"Usage: /{command} @username or /{command} 123456789")
        return None
    raw = args[0].strip()
    users = context.services.users
    if raw.lstrip("-").isdigit():
        target = await users.get(int(raw))
        found = [target] if target is not None else []
    else:
        found = await users.with_username(raw)
    if not found:
        await reply(
            update,
            f"I don't know {esc(raw[:64])} yet: they must open the bot and send /start first.",
        )
        return None
    if len(found) > 1:
        lines = [
            f"⚠️ {len(found)} users I know have the username {esc(raw[:64])}, so I changed "
            "nothing. Usernames are compared without case, and one that an account gave up "
            "can be taken by another, while I still have the old owner on record. Send the "
            f"numeric id instead, e.g. /{command} {found[0].telegram_id}:",
        ]
        for user in found:
            lines.append(
                f"• {user.telegram_id} — {esc(user.display_name)}, last seen {user.last_seen[:10]}"
            )
        await reply(update, "\n".join(lines))
        return None
    return found[0]


def _who(user: UserRecord) -> str:
    handle = f"@{esc(user.username)}, " if user.username else ""
    return f"{esc(user.display_name)} ({handle}id {user.telegram_id})"


async def promote(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    target = await _target(update, context, "promote")
    if target is None:
        return
    services = context.services
    if await services.is_organiser(target.telegram_id):
        await reply(update, f"{_who(target)} is already an organiser.")
        return
    await services.users.set_role(target.telegram_id, ORGANISER)
    now = services.clock.now()
    detail = f"{target.telegram_id} {target.username or ''}"
    await services.audit.record(actor, "promote", detail, now=now)
    await publish_for_organiser(context.bot, services, target.telegram_id)
    await services.notifier.enqueue(
        [
            NewMessage(
                chat_id=target.telegram_id,
                dedupe_key=f"promoted:{target.telegram_id}:{now.isoformat()}",
                kind="role",
                payload={
                    "text": "You are now an organiser of the forum bot. Send /help to see "
                    "the organiser commands."
                },
                priority=PRIORITY_URGENT,
            )
        ]
    )
    await reply(update, f"✅ {_who(target)} is now an organiser.")


async def demote(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    target = await _target(update, context, "demote")
    if target is None:
        return
    services = context.services
    if target.telegram_id in services.settings.admin_ids:
        await reply(
            update,
            f"{_who(target)} is an organiser by the ADMIN_IDS setting; remove them there.",
        )
        return
    if target.role != ORGANISER:
        await reply(update, f"{_who(target)} is not an organiser.")
        return
    await services.users.set_role(target.telegram_id, PARTICIPANT)
    await services.audit.record(
        actor, "demote", f"{target.telegram_id} {target.username or ''}", now=services.clock.now()
    )
    try:
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(target.telegram_id))
    except TelegramError as exc:
        log.warning("user=%s command menu not reset: %s", target.telegram_id, exc)
    await reply(update, f"{_who(target)} is no longer an organiser.")


async def audit(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    services = context.services
    entries = await services.audit.recent(AUDIT_LIMIT)
    if not entries:
        await reply(update, "The audit log is empty.")
        return
    me = await services.users.get(actor)
    zone = services.settings.tz
    if me is not None and me.timezone:
        with contextlib.suppress(ValueError, KeyError):
            zone = ZoneInfo(me.timezone)
    names: dict[int, str] = {}
    lines = [f"🗂 <b>Audit log</b> — last {len(entries)} organiser actions, newest first"]
    for entry in entries:
        if entry.actor_id not in names:
            user = await services.users.get(entry.actor_id)
            names[entry.actor_id] = entry.erased_actor or (
                _who(user) if user else str(entry.actor_id)
            )
        when = datetime.fromisoformat(entry.created_at).astimezone(zone)
        lines.append(
            f"{when:%m-%d %H:%M} {names[entry.actor_id]}: <b>{esc(entry.action)}</b> "
            f"{esc(entry.detail)}"
        )
    await reply(update, "\n".join(lines))


async def stats(update: Update, context: ForumContext) -> None:
    actor = await organiser_id(update, context)
    if actor is None:
        return
    tx = await reader(update, context)
    funnel = funnel_text(tx, await compute_funnel(context.services))
    text, png = await dashboard(context.services, funnel)
    unclaimed = await InvitationService(context.services).unclaimed_count()
    markup = None
    if unclaimed:
        text += "\n\n" + unclaimed_line(tx, unclaimed)
        markup = InlineKeyboardMarkup([invite_row(tx)])
    await reply(update, text, reply_markup=markup)
    chat = update.effective_chat
    if chat is not None:
        await chat.send_photo(
            InputFile(png, filename="companies_by_sector.png"),
            caption="Companies by sector and country",
        )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("promote", promote))
    app.add_handler(CommandHandler("demote", demote))
    app.add_handler(CommandHandler("audit", audit))
    app.add_handler(CommandHandler("stats", stats))
