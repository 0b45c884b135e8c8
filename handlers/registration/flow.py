"""How the registration moves: asking a step's question (saved first, so a restart resumes
there), closing a used menu, where an answer leads, and the guards every answer goes
through (a draft must exist; a button must be on the live menu)."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler

from bot.domain.profiles import display_phone, phone_examples
from bot.runtime.context import ForumContext
from handlers.callbacks import RegistrationList
from handlers.common import reader, reply
from handlers.company_texts import card
from handlers.fallback import EXPIRED_MENU
from handlers.html import split_message
from handlers.i18n import Texts
from handlers.registration import keyboards
from handlers.registration.draft import Draft, current, drop, save_progress
from handlers.registration.steps import (
    CONSENT,
    COUNTRY,
    PARTNERSHIPS,
    PHONE,
    PICK,
    SECTORS,
    SIZE,
    SUMMARY,
    TEXT_FIELDS,
    following,
    header,
    hints,
    prompt,
    title,
)

Handler = Callable[[Update, ForumContext], Coroutine[Any, Any, Any]]
Answer = Callable[[Update, ForumContext, Draft], Awaitable[object]]
Press = Callable[[Update, ForumContext, Draft, CallbackQuery], Awaitable[object]]


def user_id(update: Update) -> int:
    user = update.effective_user
    if user is None:
        raise RuntimeError("an update without a user reached the registration")
    return user.id


async def expired_draft(update: Update, context: ForumContext) -> int:
    """/deleteme (or a lost draft) under a live conversation: start over, change nothing."""
    tx = await reader(update, context)
    if update.callback_query:
        await update.callback_query.answer(tx._(EXPIRED_MENU))
    else:
        await reply(update, tx._("This registration has expired. Send /register to start again."))
    return ConversationHandler.END


def needs_draft(func: Answer) -> Handler:
    async def wrapper(update: Update, context: ForumContext) -> object:
        draft = current(context)
        if draft is None:
            return await expired_draft(update, context)
        return await func(update, context, draft)

    wrapper.__name__ = func.__name__
    return wrapper


def menu_button(func: Press) -> Handler:
    """A button handler: acts only on the live menu's buttons, answers every press once."""

    async def wrapper(update: Update, context: ForumContext) -> object:
        query = update.callback_query
        if query is None:
            return None
        draft = current(context)
        if draft is None:
            return await expired_draft(update, context)
        message = query.message
        if message is None or not draft.live_menu(message.message_id):
            await query.answer((await reader(update, context))._(EXPIRED_MENU))
            return None
        return await func(update, context, draft, query)

    wrapper.__name__ = func.__name__
    return wrapper


def summary_card(tx: Texts, draft: Draft, context: ForumContext, heading: str | None) -> str:
    return card(tx, draft.profile, context.services.forum, title=heading)


def _question(
    tx: Texts, step: str, draft: Draft, context: ForumContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    forum = context.services.forum
    top = header(tx, step, editing=draft.editing)
    if step == SUMMARY:
        return f"{top}\n\n{summary_card(tx, draft, context, None)}", keyboards.summary(tx)
    lines = [top, prompt(tx, step)]
    profile = draft.profile
    examples = phone_examples(profile.country) if step == PHONE else None
    if examples:
        # libphonenumber's example for the company's country, both ways of writing it.
        lines[-1] += " " + tx._("E.g. {example} or {example_local}.").format(
            example=examples[0], example_local=examples[1]
        )
    now = getattr(profile, step) if step in TEXT_FIELDS else None
    if step == PHONE:
        now = display_phone(now)
    if now:
        lines.append(tx._("Now: <i>{value}</i>").format(value=tx.user(now)))
    markup: InlineKeyboardMarkup | None = None
    if step == COUNTRY:
        markup = keyboards.countries(tx, forum)
    elif step in (SECTORS, PARTNERSHIPS):
        list_step: RegistrationList = "sectors" if step == SECTORS else "partnerships"
        markup = keyboards.choices(tx, list_step, forum, chosen(draft, step, context))
    elif step == SIZE:
        markup = keyboards.sizes(tx, profile.size)
    elif step == CONSENT:
        markup = keyboards.consent(tx)
    lines.append(hints(tx, step))
    return "\n".join(lines), markup


def chosen(draft: Draft, step: str, context: ForumContext) -> list[str]:
    """The draft's choices of ``step``, less any the forum no longer offers (they stay on a
    stored profile until its rep changes that field, and are not offered again)."""
    forum = context.services.forum
    items = forum.sectors if step == SECTORS else forum.intents
    offered = {item.key for item in items}
    kept = [key for key in getattr(draft.profile, step) if key in offered]
    setattr(draft.profile, step, kept)
    return kept


async def ask(
    update: Update, context: ForumContext, step: str, *, problem: str | None = None
) -> str:
    """Send the question of ``step`` (after ``problem``, if the last answer was wrong)."""
    draft = current(context)
    assert draft is not None
    draft.step = step
    draft.menu = None
    answered = update.effective_message
    draft.after = answered.message_id if answered else None
    await save_progress(update, context, step)
    tx = await reader(update, context)
    markup: InlineKeyboardMarkup | None
    if step == PICK:
        heading = tx._("<b>Which field do you want to change?</b>")
        text = summary_card(tx, draft, context, heading + "\n") if draft.editing else heading
        markup = keyboards.fields(tx, editing=draft.editing)
        text = f"{problem}\n\n{text}" if problem else text
    else:
        text, markup = _question(tx, step, draft, context)
        text = f"⚠️ {problem}\n\n{text}" if problem else text
    sent = await reply(update, text, reply_markup=markup)
    draft.menu = sent.message_id if (sent and markup) else None
    return step


async def close_menu(update: Update, text: str) -> None:
    """Replace a used menu by what was chosen, so its buttons cannot be pressed again.

    A text too long for one message (a long summary, which was sent in parts) cannot replace
    the last part; its buttons are taken away and the parts above stay as they were."""
    query = update.callback_query
    if query is None:
        return
    # BadRequest: already closed by an earlier press; nothing to change.
    with contextlib.suppress(BadRequest):
        if len(split_message(text)) > 1:
            await query.edit_message_reply_markup(None)
        else:
            await query.edit_message_text(text)


async def after_answer(update: Update, context: ForumContext, step: str) -> str | int:
    """Where an answer leads: the next step, or back to the summary / field list."""
    draft = current(context)
    assert draft is not None
    if draft.single:
        draft.single = False
        if draft.editing:
            return await save_field(update, context, draft, step)
        return await ask(update, context, SUMMARY)
    return await ask(update, context, following(step))


async def save_field(update: Update, context: ForumContext, draft: Draft, step: str) -> str | int:
    """Edit mode: write the one field just answered, then offer the field list again."""
    tx = await reader(update, context)
    service = context.services.company_service
    company = draft.company_id or 0
    outcome = await service.save_field(user_id(update), company, draft.profile, step)
    if outcome.kind != "ok":
        drop(context)
        await reply(update, tx._("You no longer represent this company; nothing was changed."))
        return ConversationHandler.END
    saved = tx._("✓ Saved: {title}.").format(title=title(tx, step))
    return await ask(update, context, PICK, problem=saved)
