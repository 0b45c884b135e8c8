"""The companies' deep links: ``/start join_<token>`` (a colleague's invitation) and
``/start claim_<token>`` (taking over a company the organisers imported).

Consent comes from the rep, in the chat: a claim takes the organisers' consent back, and the
bot asks the new rep at once. Until they press "I agree" the company is not matched; "Not
now" keeps it out of matching (/profile → Edit → Consent gives it later).
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler, filters

from bot.runtime.context import ForumContext
from bot.services.companies import CompanyCard
from handlers import start as start_handlers
from handlers.callbacks import ClaimConsent
from handlers.common import add_buttons, pressed, reader, reply
from handlers.i18n import Texts
from handlers.profile import card_and_buttons, edit_or_reply, refused
from handlers.registration.keyboards import consent_rows
from handlers.registration.steps import CONSENT, PROMPTS

JOIN_PATTERN = r"^/start (join|claim)_"


def consent_keyboard(tx: Texts, company_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(consent_rows(tx, lambda agree: ClaimConsent(company_id, agree)))


async def join(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None or not context.args:
        return
    tx = await reader(update, context)
    outcome = await context.services.company_service.use_link(user.id, context.args[0])
    name = tx.user(outcome.company.name) if outcome.company else ""
    if outcome.kind == "invalid":
        await reply(
            update,
            tx._(
                "⚠️ This link is not valid: it was already used, it expired, or it was "
                "mistyped. Ask your colleague for a new one."
            ),
        )
        await start_handlers.start(update, context)
        return
    if outcome.kind == "yours":
        await reply(
            update, tx._("You already represent <b>{name}</b>. See /profile.").format(name=name)
        )
        return
    if outcome.kind == "already":
        await reply(
            update,
            tx._(
                "You already represent <b>{name}</b>; a person represents one company. Leave "
                "it first (/profile → Leave company), then open the link again."
            ).format(name=name),
        )
        return
    if outcome.kind == "gone" or outcome.company is None:
        await reply(update, tx._("⚠️ This link is not valid any more. Ask for a new one."))
        return
    text, markup = card_and_buttons(tx, context, CompanyCard(outcome.company, outcome.reps))
    head = tx._("✅ You now represent <b>{name}</b> and can edit its profile.").format(name=name)
    await reply(update, f"{head}\n\n{text}", reply_markup=markup)
    if outcome.kind == "claimed":
        question = tx._(
            "<b>{name}</b> is not shown to other companies until you, its rep, agree."
        ).format(name=name)
        await reply(
            update,
            f"{question}\n\n{tx._(PROMPTS[CONSENT])}",
            reply_markup=consent_keyboard(tx, outcome.company.id),
        )


async def claim_consent(update: Update, context: ForumContext) -> None:
    query, tx, button = await pressed(update, context, ClaimConsent)
    service = context.services.company_service
    outcome = await service.answer_consent(query.from_user.id, button.company_id, button.agree)
    if await refused(update, tx, outcome):
        return
    await query.answer()
    assert outcome.company is not None
    name = tx.user(outcome.company.name)
    if button.agree:
        text = tx._(
            "✅ Thank you: <b>{name}</b> is now matchable. Companies across the border see its "
            "public profile; its contacts go only to those you both say yes to. /matches "
            "shows your best partners."
        )
    else:
        text = tx._(
            "Not now: <b>{name}</b> is not shown to other companies. Give your consent any "
            "time in /profile → ✏️ Edit → Consent."
        )
    await edit_or_reply(update, text.format(name=name))


def register(app: Application) -> None:
    # Before /start itself (handlers.start): these payloads are the companies'.
    app.add_handler(CommandHandler("start", join, filters=filters.Regex(JOIN_PATTERN)))
    add_buttons(app, {ClaimConsent: claim_consent})
