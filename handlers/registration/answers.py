"""The registration's answers: a text step, the country, the sectors and intents (tick, then
Done), the size and the consent; the summary's Confirm / Edit a field / Cancel and the field
list. Each button press is unpacked by its codec class and checked against what the forum
offers: a forged or outdated one gets the "menu expired" answer and changes nothing."""

from __future__ import annotations

from telegram import CallbackQuery, Update
from telegram.ext import ConversationHandler

from bot.domain.problems import Invalid
from bot.domain.profiles import MAX_SECTORS, clean_phone
from bot.runtime.context import ForumContext
from handlers.callbacks import (
    RegConsent,
    RegCountry,
    RegDone,
    RegField,
    RegSize,
    RegSummary,
    RegToggle,
)
from handlers.common import cancel_conversation, reader, reply
from handlers.company_texts import TITLES, problem_text
from handlers.fallback import EXPIRED_MENU
from handlers.i18n import Texts
from handlers.registration import keyboards
from handlers.registration.draft import Draft, drop, save_progress
from handlers.registration.flow import (
    Handler,
    after_answer,
    ask,
    chosen,
    close_menu,
    menu_button,
    needs_draft,
    summary_card,
)
from handlers.registration.steps import (
    CONSENT,
    COUNTRY,
    NAME,
    PHONE,
    PICK,
    SECTORS,
    SIZE,
    STEPS,
    SUMMARY,
    TEXT_FIELDS,
    header,
    title,
)


async def _clash(tx: Texts, context: ForumContext, draft: Draft, name: str, country: str) -> str:
    """Why the name cannot be taken in that country ("" when it can)."""
    service = context.services.company_service
    other = await service.name_taken(name, country, draft.company_id)
    if other is None:
        return ""
    where = context.services.forum.country_name(country, tx.language)
    return tx._(
        "A company called “{name}” from {country} is already registered. If it is yours, ask "
        "its rep for an invitation link (Invite a colleague in /profile) or the organisers for "
        "its claim link; otherwise use the full legal name, e.g. <i>{typed} SRL</i>."
    ).format(name=tx.user(other.name), country=tx.user(where), typed=tx.user(name))


def text_step(step: str) -> Handler:
    check = TEXT_FIELDS[step]

    @needs_draft
    async def answer(update: Update, context: ForumContext, draft: Draft) -> str | int:
        message = update.effective_message
        text = message.text if message and message.text else ""
        tx = await reader(update, context)
        try:
            # A local phone number is read in the company's country.
            value = clean_phone(text, draft.profile.country) if step == PHONE else check(text)
        except Invalid as exc:
            return await ask(update, context, step, problem=problem_text(tx, exc.problem))
        if step == NAME and draft.profile.country:
            clash = await _clash(tx, context, draft, value, draft.profile.country)
            if clash:
                return await ask(update, context, NAME, problem=clash)
        setattr(draft.profile, step, value)
        return await after_answer(update, context, step)

    answer.__name__ = f"answer_{step}"
    return answer


async def _answered(
    update: Update, context: ForumContext, tx: Texts, draft: Draft, step: str, shown: str
) -> str | int:
    """A menu answered: the press acknowledged, its message now shows the question's header
    and ``shown`` (so its buttons cannot be pressed again), and the conversation goes on
    from ``step``."""
    if update.callback_query:
        await update.callback_query.answer()
    await close_menu(update, f"{header(tx, step, editing=draft.editing)}\n{shown}")
    return await after_answer(update, context, step)


async def _expired(update: Update, context: ForumContext) -> None:
    if update.callback_query:
        await update.callback_query.answer((await reader(update, context))._(EXPIRED_MENU))


@menu_button
async def choose_country(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | int | None:
    forum = context.services.forum
    found = forum.country(RegCountry.unpack(query.data).code)
    if found is None:
        await _expired(update, context)
        return None
    tx = await reader(update, context)
    await query.answer()
    shown = forum.flag_and_name(found.code, tx.language)
    await close_menu(update, f"{header(tx, COUNTRY, editing=draft.editing)}\n✓ {tx.user(shown)}")
    if draft.profile.name:
        clash = await _clash(tx, context, draft, draft.profile.name, found.code)
        if clash:
            draft.single = False
            return await ask(update, context, PICK if draft.editing else NAME, problem=clash)
    draft.profile.country = found.code
    return await after_answer(update, context, COUNTRY)


@menu_button
async def toggle(update: Update, context: ForumContext, draft: Draft, query: CallbackQuery) -> None:
    pressed = RegToggle.unpack(query.data)
    forum = context.services.forum
    if draft.step != pressed.step or not any(
        item.key == pressed.key for item in keyboards.offered(pressed.step, forum)
    ):
        # Not one the forum offers (any more), or not this step's: the menu is out of date.
        await _expired(update, context)
        return None
    tx = await reader(update, context)
    picked = chosen(draft, pressed.step, context)
    if pressed.key in picked:
        picked.remove(pressed.key)
    elif pressed.step == SECTORS and len(picked) >= MAX_SECTORS:
        alert = tx._("You can choose up to {limit} sectors.").format(limit=MAX_SECTORS)
        await query.answer(alert, show_alert=True)
        return None
    else:
        picked.append(pressed.key)
    await save_progress(update, context, pressed.step)
    await query.answer()
    await query.edit_message_reply_markup(keyboards.choices(tx, pressed.step, forum, picked))
    return None


@menu_button
async def list_done(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | int | None:
    step = RegDone.unpack(query.data).step
    if draft.step != step:
        await _expired(update, context)
        return None
    tx = await reader(update, context)
    forum = context.services.forum
    picked = chosen(draft, step, context)
    if not picked:
        if step == SECTORS:
            alert = tx._("Pick at least one sector first.")
        else:
            alert = tx._("Pick at least one partnership first.")
        await query.answer(alert, show_alert=True)
        return None
    label = forum.sector_label if step == SECTORS else forum.intent_label
    shown = ", ".join(label(key, tx.language) for key in picked)
    return await _answered(update, context, tx, draft, step, f"✓ {tx.user(shown)}")


@menu_button
async def choose_size(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | int:
    size = RegSize.unpack(query.data).size
    tx = await reader(update, context)
    draft.profile.size = size
    return await _answered(
        update, context, tx, draft, SIZE, tx._("✓ {size} people").format(size=size)
    )


@menu_button
async def choose_consent(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | int:
    agreed = RegConsent.unpack(query.data).agree
    tx = await reader(update, context)
    draft.profile.consent = agreed
    if agreed:
        shown = tx._("✓ I agree")
    else:
        shown = tx._("✓ Not now: you will not be matched until you agree")
    return await _answered(update, context, tx, draft, CONSENT, shown)


# -- the summary and the field list ------------------------------------------------------------


async def confirm(update: Update, context: ForumContext, draft: Draft) -> str | int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    tx = await reader(update, context)
    service = context.services.company_service
    outcome = await service.register(query.from_user.id, draft.profile)
    if outcome.kind == "missing":
        missing = ", ".join(tx._(TITLES[name]) for name in outcome.missing)
        problem = tx._("Still missing: {fields}").format(fields=missing)
        return await ask(update, context, SUMMARY, problem=problem)
    if outcome.kind == "taken":
        assert draft.profile.name is not None and draft.profile.country is not None
        clash = await _clash(tx, context, draft, draft.profile.name, draft.profile.country)
        return await ask(update, context, NAME, problem=clash)
    drop(context)
    registered = summary_card(tx, draft, context, None)
    if outcome.kind == "already":
        await close_menu(update, registered)
        await reply(update, tx._("You already represent a company; see /profile."))
        return ConversationHandler.END
    await close_menu(update, registered + "\n\n" + tx._("✅ <b>Registered.</b>"))
    if draft.profile.consent:
        done = tx._(
            "🎉 <b>{name}</b> is registered. You are now visible to matching companies across "
            "the border.\n\nOpen /profile to edit it, pause matching or invite a colleague."
        )
    else:
        done = tx._(
            "🎉 <b>{name}</b> is registered. You are not matchable yet: give your consent in "
            "/profile → Edit → Consent.\n\nOpen /profile to edit it, pause matching or invite "
            "a colleague."
        )
    await reply(update, done.format(name=tx.user(draft.profile.name)))
    return ConversationHandler.END


async def change_field(update: Update, context: ForumContext, draft: Draft) -> str:
    assert update.callback_query is not None
    await update.callback_query.answer()
    tx = await reader(update, context)
    heading = tx._("<b>Check and confirm</b>") + "\n"
    await close_menu(update, summary_card(tx, draft, context, heading))
    return await ask(update, context, PICK)


async def cancel_button(update: Update, context: ForumContext, draft: Draft) -> int:
    tx = await reader(update, context)
    await close_menu(update, tx._("✖️ Registration cancelled."))
    return await cancel_conversation(update, context)


@menu_button
async def pick_field(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | None:
    step = RegField.unpack(query.data).field
    if step not in STEPS:
        await _expired(update, context)
        return None
    tx = await reader(update, context)
    await query.answer()
    await close_menu(update, tx._("Changing: <b>{title}</b>").format(title=title(tx, step)))
    draft.single = True
    return await ask(update, context, step)


@menu_button
async def fields_done(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | int:
    await query.answer()
    tx = await reader(update, context)
    if not draft.editing:
        await close_menu(update, tx._("Back to the summary."))
        return await ask(update, context, SUMMARY)
    heading = tx._("✅ <b>Your profile is up to date.</b>") + "\n"
    await close_menu(update, summary_card(tx, draft, context, heading))
    drop(context)
    await reply(update, tx._("Done. Open /profile any time to change it again."))
    return ConversationHandler.END


SUMMARY_ACTIONS = {"confirm": confirm, "change": change_field, "cancel": cancel_button}


@menu_button
async def summary_button(
    update: Update, context: ForumContext, draft: Draft, query: CallbackQuery
) -> str | int:
    return await SUMMARY_ACTIONS[RegSummary.unpack(query.data).action](update, context, draft)
