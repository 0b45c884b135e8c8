"""The rep's own company: /profile (the card with ✏️ Edit, pause / resume, invite a
colleague, leave, delete).

Every button carries a company id that the companies service checks against the presser's
own company: a forged or stale id is refused and changes nothing. What the other reps should
hear (a colleague left, the company was deleted) are notices (``handlers.company_notices``).
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from bot.domain.company_files import deep_link
from bot.domain.profiles import profile_of
from bot.runtime.context import ForumContext
from bot.services.companies import CompanyCard, CompanyRecord, Outcome
from handlers.callbacks import ProfileAct, ProfileAction, ProfileEdit
from handlers.common import pressed, reader, reply
from handlers.company_texts import card
from handlers.fallback import EXPIRED_MENU
from handlers.i18n import Texts
from handlers.start import register_button


def profile_keyboard(tx: Texts, company: CompanyRecord, reps: int) -> InlineKeyboardMarkup:
    def act(label: str, action: ProfileAction) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=ProfileAct(company.id, action).pack())

    pause = (
        act(tx._("▶️ Resume matching"), "resume")
        if company.paused
        else act(tx._("⏸ Pause matching"), "pause")
    )
    edit = InlineKeyboardButton(tx._("✏️ Edit"), callback_data=ProfileEdit(company.id).pack())
    rows = [[edit, pause], [act(tx._("👥 Invite a colleague"), "invite")]]
    if reps > 1:
        rows.append([act(tx._("🚪 Leave company"), "leave")])
    rows.append([act(tx._("🗑 Delete company"), "delete")])
    return InlineKeyboardMarkup(rows)


def company_card(tx: Texts, context: ForumContext, mine: CompanyCard) -> str:
    company = mine.company
    forum = context.services.forum
    return card(tx, profile_of(company), forum, paused=company.paused, reps=mine.reps)


def card_and_buttons(
    tx: Texts, context: ForumContext, mine: CompanyCard
) -> tuple[str, InlineKeyboardMarkup]:
    return company_card(tx, context, mine), profile_keyboard(tx, mine.company, mine.reps)


async def profile(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    mine = await context.services.company_service.card(user.id)
    if mine is None:
        await reply(
            update,
            tx._("You have not registered a company yet."),
            reply_markup=InlineKeyboardMarkup([[register_button(tx)]]),
        )
        return
    text, markup = card_and_buttons(tx, context, mine)
    await reply(update, text, reply_markup=markup)


async def refused(update: Update, tx: Texts, outcome: Outcome) -> bool:
    """Answer a press the service refused (True), or do nothing (False)."""
    query = update.callback_query
    assert query is not None
    if outcome.kind == "expired":
        await query.answer(tx._(EXPIRED_MENU))
    elif outcome.kind == "not_yours":
        await query.answer(tx._("You can't change that company."), show_alert=True)
    else:
        return False
    return True


async def edit_or_reply(update: Update, text: str, **kwargs: object) -> None:
    """Turn a message with buttons into its outcome, so its buttons cannot be pressed again."""
    query = update.callback_query
    if query is not None:
        try:
            await query.edit_message_text(text, **kwargs)  # type: ignore[arg-type]
            return
        except BadRequest:
            pass
    await reply(update, text, **kwargs)


async def profile_button(update: Update, context: ForumContext) -> None:
    query, tx, button = await pressed(update, context, ProfileAct)
    service = context.services.company_service
    user_id, company_id = query.from_user.id, button.company_id
    action = button.action
    if action in ("pause", "resume"):
        paused = action == "pause"
        outcome = await service.set_paused(user_id, company_id, paused)
        if await refused(update, tx, outcome):
            return
        if outcome.kind == "unchanged":
            await query.answer(
                tx._("Already paused.") if paused else tx._("Matching is already on.")
            )
            return
        await query.answer(tx._("Matching paused.") if paused else tx._("Matching resumed."))
        assert outcome.company is not None
        mine = CompanyCard(outcome.company, outcome.reps)
        text, markup = card_and_buttons(tx, context, mine)
        await edit_or_reply(update, text, reply_markup=markup)
        return
    if action == "invite":
        outcome = await service.invite(user_id, company_id)
        if await refused(update, tx, outcome):
            return
        await query.answer()
        assert outcome.company is not None and outcome.payload is not None
        text = tx._(
            "Send this link to your colleague. It works once and expires in 7 days; whoever "
            "opens it becomes a rep of <b>{name}</b> and can edit it.\n\n{link}"
        ).format(
            name=tx.user(outcome.company.name),
            link=deep_link(context.bot.username, outcome.payload),
        )
        await reply(update, text)
        return
    if action in ("leave", "delete"):
        await _ask_sure(update, context, tx, company_id, action)
        return
    if action == "keep":
        await query.answer()
        await edit_or_reply(update, tx._("Nothing was changed."))
        return
    # leave_yes / delete_yes
    if action == "delete_yes":
        outcome = await service.delete(user_id, company_id)
    else:
        outcome = await service.leave(user_id, company_id)
    if await refused(update, tx, outcome):
        return
    await query.answer()
    assert outcome.company is not None
    name = tx.user(outcome.company.name)
    if outcome.kind == "deleted":
        await edit_or_reply(update, tx._("🗑 <b>{name}</b> was deleted.").format(name=name))
    else:
        await edit_or_reply(update, tx._("🚪 You left <b>{name}</b>.").format(name=name))


async def _ask_sure(
    update: Update, context: ForumContext, tx: Texts, company_id: int, action: ProfileAction
) -> None:
    query = update.callback_query
    assert query is not None
    outcome = await context.services.company_service.check(query.from_user.id, company_id)
    if await refused(update, tx, outcome):
        return
    await query.answer()
    assert outcome.company is not None
    name = tx.user(outcome.company.name)
    if action == "delete" and outcome.colleagues:
        question = tx.n_(
            "Delete <b>{name}</b>? Its profile, its pending introductions and its matches go "
            "for every rep (also for your {n} colleague). This cannot be undone.",
            "Delete <b>{name}</b>? Its profile, its pending introductions and its matches go "
            "for every rep (also for your {n} colleagues). This cannot be undone.",
            outcome.colleagues,
        ).format(name=name)
    elif action == "delete":
        question = tx._(
            "Delete <b>{name}</b>? Its profile, its pending introductions and its matches go "
            "for every rep. This cannot be undone."
        ).format(name=name)
    else:
        question = tx._("Leave <b>{name}</b>? Your colleagues keep the company.").format(name=name)
    yes = tx._("Yes, delete it") if action == "delete" else tx._("Yes, leave")
    confirmed: ProfileAction = "delete_yes" if action == "delete" else "leave_yes"
    buttons = [
        [InlineKeyboardButton(yes, callback_data=ProfileAct(company_id, confirmed).pack())],
        [
            InlineKeyboardButton(
                tx._("No, keep it"), callback_data=ProfileAct(company_id, "keep").pack()
            )
        ],
    ]
    await reply(update, question, reply_markup=InlineKeyboardMarkup(buttons))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("profile", profile))
    app.add_handler(CallbackQueryHandler(profile_button, pattern=ProfileAct.filter()))
