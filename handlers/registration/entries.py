"""Starting and steering the registration: /register and the 📝 button (or continuing a
draft), the ✏️ Edit button of /profile (the field list of a stored company), and /back,
/skip and odd input inside the conversation."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.domain.profiles import profile_of
from bot.runtime.context import ForumContext
from handlers.callbacks import ProfileEdit
from handlers.common import reader, reply
from handlers.fallback import EXPIRED_MENU
from handlers.registration.draft import Draft, begin, current, drop, save_progress
from handlers.registration.flow import after_answer, ask, needs_draft, user_id
from handlers.registration.steps import NAME, OPTIONAL, PICK, SUMMARY, TEXT_FIELDS, previous


async def start_registration(update: Update, context: ForumContext) -> str | int:
    uid = user_id(update)
    if update.callback_query:
        await update.callback_query.answer()
    tx = await reader(update, context)
    existing = await context.services.company_service.mine(uid)
    if existing is not None:
        drop(context)
        edit = InlineKeyboardButton(
            tx._("✏️ Edit my company"), callback_data=ProfileEdit(existing.id).pack()
        )
        await reply(
            update,
            tx._(
                "You already represent <b>{name}</b>. One company per person: you can edit it "
                "instead."
            ).format(name=tx.user(existing.name)),
            reply_markup=InlineKeyboardMarkup([[edit]]),
        )
        return ConversationHandler.END
    draft = current(context)
    if draft is not None and not draft.editing and draft.step:
        await reply(update, tx._("Let's continue where you left off."))
        return await ask(update, context, draft.step)
    begin(context, Draft(mode="new"))
    # Saved before anything is said, so that an answer lost to a restart before the first
    # question was saved is known as lost (handlers.fallback) rather than met with a shrug.
    await save_progress(update, context, None)
    await reply(
        update,
        tx._(
            "Let's register your company. It takes about 3 minutes.\n"
            "Send /back to change the previous answer and /cancel to stop at any time."
        ),
    )
    return await ask(update, context, NAME)


async def start_edit(update: Update, context: ForumContext) -> str | int:
    query = update.callback_query
    if query is None:
        return ConversationHandler.END
    pressed = ProfileEdit.unpack(query.data)
    company = await context.services.company_service.editable(
        query.from_user.id, pressed.company_id
    )
    if company is None:
        # Forged or stale: only a rep of that very company may edit it.
        tx = await reader(update, context)
        await query.answer(tx._("You can't edit that company."), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    begin(context, Draft(mode="edit", profile=profile_of(company), company_id=company.id))
    return await ask(update, context, PICK)


@needs_draft
async def back(update: Update, context: ForumContext, draft: Draft) -> str:
    step = draft.step or NAME
    if draft.single or step == PICK:
        draft.single = False
        return await ask(update, context, PICK if draft.editing else SUMMARY)
    before = previous(step)
    if before is None:
        tx = await reader(update, context)
        return await ask(update, context, NAME, problem=tx._("This is the first step."))
    return await ask(update, context, before)


@needs_draft
async def skip(update: Update, context: ForumContext, draft: Draft) -> str | int:
    step = draft.step or NAME
    if step not in OPTIONAL:
        tx = await reader(update, context)
        return await ask(update, context, step, problem=tx._("This step can't be skipped."))
    setattr(draft.profile, step, None)
    return await after_answer(update, context, step)


@needs_draft
async def reask(update: Update, context: ForumContext, draft: Draft) -> str:
    step = draft.step or NAME
    tx = await reader(update, context)
    if step in TEXT_FIELDS:
        problem = tx._("Please answer with a text message.")
    else:
        problem = tx._("Please choose with the buttons below.")
    return await ask(update, context, step, problem=problem)


async def stale_button(update: Update, context: ForumContext) -> None:
    if update.callback_query:
        await update.callback_query.answer((await reader(update, context))._(EXPIRED_MENU))
