"""Organiser roles in the chat: /promote and /demote (by numeric id, or by a username only one
known user has), /audit (the latest organiser actions), the promoted person's notice, and
/stats (handlers.dashboard). Every command re-checks the organiser role on the server."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from bot.services.container import Services
from bot.services.organisers import PROMOTED_NOTICE, AuditLine, Person, RoleChange
from handlers.commands import publish_for_organiser
from handlers.common import for_organisers, reply
from handlers.dashboard import stats
from handlers.i18n import N_, Texts
from handlers.notifications import Rendered, renderer

log = logging.getLogger(__name__)

AUDIT_LIMIT = 50
# What /promote and /demote answer when the person's role stays as it was.
UNCHANGED = {
    "already": N_("{person} is already an organiser."),
    "by_setting": N_("{person} is an organiser by the ADMIN_IDS setting; remove them there."),
    "not_organiser": N_("{person} is not an organiser."),
}


def who(tx: Texts, person: Person) -> str:
    """``Maria (@maria_ro, id 6001)``, escaped."""
    if person.username:
        return tx._("{name} (@{username}, id {id})").format(
            name=tx.user(person.name), username=tx.user(person.username), id=person.id
        )
    return tx._("{name} (id {id})").format(name=tx.user(person.name), id=person.id)


def refusal(tx: Texts, change: RoleChange, command: str) -> str | None:
    """Why nobody's role changed, when the name did not single out one user."""
    if change.kind == "unknown":
        return tx._(
            "I don't know {asked} yet: they must open the bot and send /start first."
        ).format(asked=tx.user(change.asked[:64]))
    if change.kind != "ambiguous":
        return None
    first = change.candidates[0]
    lines = [
        tx.n_(
            "⚠️ {n} user I know has the username {name}, so I changed nothing.",
            "⚠️ {n} users I know have the username {name}, so I changed nothing.",
            len(change.candidates),
        ).format(name=tx.user(change.asked[:64]))
        + " "
        + tx._(
            "Usernames are compared without case, and one that an account gave up can be "
            "taken by another, while I still have the old owner on record. Send the numeric "
            "id instead, e.g. /{command} {id}:"
        ).format(command=command, id=first.id)
    ]
    for person in change.candidates:
        lines.append(
            tx._("• {id} — {name}, last seen {day}").format(
                id=person.id, name=tx.user(person.name), day=person.last_seen[:10]
            )
        )
    return "\n".join(lines)


async def _change(
    update: Update, context: ForumContext, actor: int, tx: Texts, command: str
) -> Person | None:
    """Run /promote or /demote for the organiser who sent it: the person whose role changed,
    or None when none did (the sender has been told why)."""
    args = context.args or []
    if len(args) != 1:
        await reply(
            update,
            tx._("Usage: /{command} @username or /{command} 123456789").format(command=command),
        )
        return None
    organisers = context.services.organisers
    if command == "promote":
        change = await organisers.promote(actor, args[0])
    else:
        change = await organisers.demote(actor, args[0])
    refused = refusal(tx, change, command)
    if refused is not None:
        await reply(update, refused)
        return None
    if change.person is None:
        return None
    if change.kind in UNCHANGED:
        await reply(update, tx._(UNCHANGED[change.kind]).format(person=who(tx, change.person)))
        return None
    return change.person


@for_organisers
async def promote(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    person = await _change(update, context, actor, tx, "promote")
    if person is None:
        return
    await publish_for_organiser(context.bot, context.services, person.id)
    await reply(update, tx._("✅ {person} is now an organiser.").format(person=who(tx, person)))


@for_organisers
async def demote(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    person = await _change(update, context, actor, tx, "demote")
    if person is None:
        return
    try:
        await context.bot.delete_my_commands(scope=BotCommandScopeChat(person.id))
    except TelegramError as exc:
        log.warning("user=%s command menu not reset: %s", person.id, exc)
    await reply(update, tx._("{person} is no longer an organiser.").format(person=who(tx, person)))


def audit_line(tx: Texts, line: AuditLine, zone: Any) -> str:
    if line.erased_actor:
        actor = tx.user(line.erased_actor)
    elif line.actor is not None:
        actor = who(tx, line.actor)
    else:
        actor = str(line.actor_id)
    return tx._("{when} {actor}: <b>{action}</b> {detail}").format(
        when=f"{line.at.astimezone(zone):%m-%d %H:%M}",
        actor=actor,
        action=tx.user(line.action),
        detail=tx.user(line.detail),
    )


@for_organisers
async def audit(update: Update, context: ForumContext, actor: int, tx: Texts) -> None:
    lines = await context.services.organisers.audit_log(AUDIT_LIMIT)
    if not lines:
        await reply(update, tx._("The audit log is empty."))
        return
    zone = await context.services.organisers.zone_of(actor)
    text = [
        tx.n_(
            "🗂 <b>Audit log</b> — the last organiser action, newest first",
            "🗂 <b>Audit log</b> — last {n} organiser actions, newest first",
            len(lines),
        )
    ]
    text += [audit_line(tx, line, zone) for line in lines]
    await reply(update, "\n".join(text))


@renderer(PROMOTED_NOTICE)
async def promoted(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    if not await services.organisers.is_organiser(int(data["user"])):
        return None  # demoted again before this went out
    return Rendered(
        text=tx._(
            "You are now an organiser of the forum bot. Send /help to see the organiser commands."
        )
    )


def register(app: Application) -> None:
    app.add_handler(CommandHandler("promote", promote))
    app.add_handler(CommandHandler("demote", demote))
    app.add_handler(CommandHandler("audit", audit))
    app.add_handler(CommandHandler("stats", stats))
