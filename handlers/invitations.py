"""/invite_unclaimed: the organisers' claim invitations by e-mail — a preview of who gets an
invitation or a reminder, then Send (in the background; the outcome comes back as a
notice). Without SMTP settings, the message names them and a mail-merge CSV comes instead.

Also the "N imported companies not yet claimed" line and its button, which /stats and the
broadcast audience step show, and the renderer of the outcome notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import Application, CommandHandler

from bot.runtime.context import ForumContext
from bot.services.container import Services
from bot.services.invitations import DONE_NOTICE, SMTP_SETTINGS, InvitationService, Plan
from handlers.callbacks import InviteCancel, InviteSend, InviteUnclaimed
from handlers.common import add_buttons, audit, edit, organiser_button, organiser_id, reader, reply
from handlers.i18n import Texts
from handlers.notifications import Rendered, renderer

LISTED = 10  # bounced companies named in a message; the rest are counted


def unclaimed_line(tx: Texts, count: int) -> str:
    """The line /stats and the broadcast audience step show (empty when there are none)."""
    if not count:
        return ""
    return tx.n_(
        "⚠️ {n} imported company not yet claimed (not reachable in Telegram).",
        "⚠️ {n} imported companies not yet claimed (not reachable in Telegram).",
        count,
    )


def invite_row(tx: Texts) -> list[InlineKeyboardButton]:
    return [
        InlineKeyboardButton(
            tx._("✉️ Invite them by e-mail"), callback_data=InviteUnclaimed().pack()
        )
    ]


def _not_configured(tx: Texts) -> str:
    return tx._(
        "E-mail is not set up, so nothing was sent. Set {settings} in the bot's .env and "
        "restart it to send the invitations from here. Meanwhile the file below has every "
        "claim link for your own mail merge."
    ).format(settings=", ".join(SMTP_SETTINGS))


def preview_text(tx: Texts, plan: Plan) -> str:
    lines = [
        tx._("✉️ <b>Claim invitations</b>"),
        tx.n_(
            "{n} imported company is not claimed yet (not reachable in Telegram).",
            "{n} imported companies are not claimed yet (not reachable in Telegram).",
            plan.unclaimed,
        ),
        "",
    ]
    counts = [
        (
            len(plan.invitations),
            tx.n_("• {n} gets an invitation", "• {n} get an invitation", len(plan.invitations)),
        ),
        (
            len(plan.reminders),
            tx.n_(
                "• {n} gets a reminder (invited 3 or more days ago)",
                "• {n} get a reminder (invited 3 or more days ago)",
                len(plan.reminders),
            ),
        ),
        (
            plan.waiting,
            tx.n_(
                "• {n} was invited less than 3 days ago (a reminder can follow)",
                "• {n} were invited less than 3 days ago (a reminder can follow)",
                plan.waiting,
            ),
        ),
        (
            plan.finished,
            tx.n_(
                "• {n} was invited and reminded already",
                "• {n} were invited and reminded already",
                plan.finished,
            ),
        ),
        (
            plan.no_email,
            tx.n_("• {n} has no e-mail address", "• {n} have no e-mail address", plan.no_email),
        ),
    ]
    lines += [text for count, text in counts if count]
    if plan.bounced:
        lines += ["", _bounced(tx, plan.bounced)]
    return "\n".join(lines)


def _bounced(tx: Texts, bounced: list[tuple[str, str]]) -> str:
    lines = [
        tx.n_(
            "{n} address was refused by the mail server; a re-import with a new address "
            "sends again:",
            "{n} addresses were refused by the mail server; a re-import with a new address "
            "sends again:",
            len(bounced),
        )
    ]
    lines += [
        tx._("• {company}: {answer}").format(company=tx.user(name), answer=tx.user(answer))
        for name, answer in bounced[:LISTED]
    ]
    if len(bounced) > LISTED:
        lines.append(tx._("… and {n} more.").format(n=len(bounced) - LISTED))
    return "\n".join(lines)


async def show_preview(update: Update, context: ForumContext) -> None:
    """/invite_unclaimed, or its button in /stats and /broadcast."""
    if await organiser_id(update, context) is None:
        return
    if update.callback_query:
        await update.callback_query.answer()
    tx = await reader(update, context)
    service = InvitationService(context.services)
    plan = await service.plan()
    if not plan.unclaimed:
        await reply(update, tx._("Every imported company has been claimed: nobody to invite."))
        return
    text = preview_text(tx, plan)
    if not plan.mail_ready:
        await reply(update, text + "\n\n" + _not_configured(tx))
        chat = update.effective_chat
        username = context.bot.username
        if chat is not None and plan.to_send:
            csv_text = await service.mail_merge(username)
            await chat.send_document(
                InputFile(
                    csv_text.encode("utf-8"), filename=tx.plain(tx._("claim-invitations.csv"))
                ),
                caption=tx.n_(
                    "{n} claim link for your mail merge.",
                    "{n} claim links for your mail merge.",
                    len(plan.to_send),
                ),
            )
        return
    if not plan.to_send:
        await reply(update, text + "\n\n" + tx._("Nothing to send now."))
        return
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    tx.n_("✉️ Send {n} e-mail", "✉️ Send {n} e-mails", len(plan.to_send)),
                    callback_data=InviteSend().pack(),
                )
            ],
            [InlineKeyboardButton(tx._("✖️ Cancel"), callback_data=InviteCancel().pack())],
        ]
    )
    await reply(update, text, reply_markup=markup)


@organiser_button(InviteSend)
async def send_pressed(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, _: InviteSend
) -> None:
    actor = query.from_user.id
    service = InvitationService(context.services)
    plan = await service.plan()
    if not plan.mail_ready or not plan.to_send:
        await query.answer(tx._("Nothing to send now."), show_alert=True)
        return
    await query.answer()
    service.start(actor, context.bot.username)
    await audit(context, actor, "send invitations", f"{len(plan.to_send)} e-mails")
    await edit(
        query,
        tx.n_(
            "✉️ Sending {n} e-mail… the report follows here.",
            "✉️ Sending {n} e-mails… the report follows here.",
            len(plan.to_send),
        ),
    )


@organiser_button(InviteCancel)
async def cancel_pressed(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, _: InviteCancel
) -> None:
    await query.answer()
    await edit(query, tx._("No e-mails sent."))


@renderer(DONE_NOTICE)
async def render_done(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    kind = str(data.get("kind", ""))
    if kind == "not_configured":
        return Rendered(
            text=tx._("E-mail is not set up, so nothing was sent. Set {settings}.").format(
                settings=", ".join(SMTP_SETTINGS)
            )
        )
    if kind == "no_link":
        return Rendered(
            text=tx._("Nothing was sent: I could not learn the bot's @name for the links.")
        )
    if kind == "unreachable":
        return Rendered(
            text=tx._("⚠️ Nothing was sent: the mail server did not answer ({error}).").format(
                error=tx.user(data.get("error", ""))
            )
        )
    lines = [
        tx._("✉️ <b>Claim invitations sent</b>"),
        tx.n_("Invitations: {n}", "Invitations: {n}", int(data.get("invitations", 0))),
        tx.n_("Reminders: {n}", "Reminders: {n}", int(data.get("reminders", 0))),
    ]
    if data.get("skipped"):
        lines.append(
            tx.n_(
                "Skipped (another run sent it): {n}",
                "Skipped (another run sent them): {n}",
                int(data["skipped"]),
            )
        )
    if data.get("failed"):
        lines.append(
            tx.n_(
                "Not accepted for now (tried again on the next run): {n}",
                "Not accepted for now (tried again on the next run): {n}",
                int(data["failed"]),
            )
        )
    bounced = await InvitationService(services).bounces_since(str(data.get("started", "")))
    if bounced:
        lines += ["", _bounced(tx, bounced)]
    if data.get("error"):
        lines += [
            "",
            tx._(
                "⚠️ The mail server stopped answering ({error}); the rest waits for the next run."
            ).format(error=tx.user(data["error"])),
        ]
    return Rendered(text="\n".join(lines))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("invite_unclaimed", show_preview))
    add_buttons(
        app, {InviteUnclaimed: show_preview, InviteSend: send_pressed, InviteCancel: cancel_pressed}
    )
