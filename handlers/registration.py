"""The company registration conversation (/register, the start button) and the field editor
of an existing profile (the Edit button of /profile): one persistent ConversationHandler.

The answers live in ``context.user_data["draft"]``. The draft is written to the database
when the registration starts, and the draft with the conversation state before each question
is sent (``save_progress``), so a restart or a kill at any moment resumes at the step the
user sees, with every earlier answer. ``draft["_step"]`` is the step being asked,
``draft["_menu"]`` the message whose buttons are live: a press on any other message is an
expired menu and changes nothing.

The countries, sectors and intents offered are the forum file's (``services.forum``); the
draft keeps the country's code and the sectors' and intents' keys, and the buttons carry
them (never a position in a list, which may change between showing and pressing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.domain.profiles import (
    MAX_SECTORS,
    Invalid,
    clean_city,
    clean_contact_name,
    clean_email,
    clean_name,
    clean_offers,
    clean_phone,
    clean_seeks,
    clean_website,
    company_fields,
    country_zone,
    display_phone,
    draft_from_record,
    phone_examples,
    render_card,
)
from bot.forum import Forum, Intent, Sector
from bot.runtime.context import ForumContext
from bot.runtime.persistence import SQLitePersistence
from handlers.common import (
    callback_number,
    cancel_conversation,
    cancel_fallback,
    numbered,
    reply,
)
from handlers.fallback import EXPIRED_MENU
from handlers.html import esc, split_message
from handlers.start import REGISTER_BUTTON
from storage.companies import SIZES, CompanyWrites

CONVERSATION_NAME = "registration"
DRAFT = "draft"
EDIT_PREFIX = "reg:edit:"  # + company id: the Edit button of /profile

# States (strings: they are stored as JSON by the persistence).
NAME = "name"
COUNTRY = "country"
CITY = "city"
SECTORS = "sectors"
OFFERS = "offers"
SEEKS = "seeks"
PARTNERSHIPS = "partnerships"
SIZE = "size"
WEBSITE = "website"
CONTACT_NAME = "contact_name"
EMAIL = "contact_email"
PHONE = "contact_phone"
CONSENT = "consent"
SUMMARY = "summary"
PICK = "pick"

STEPS = (
    NAME,
    COUNTRY,
    CITY,
    SECTORS,
    OFFERS,
    SEEKS,
    PARTNERSHIPS,
    SIZE,
    WEBSITE,
    CONTACT_NAME,
    EMAIL,
    PHONE,
    CONSENT,
)
OPTIONAL = (CITY, WEBSITE, PHONE)
TITLES = {
    NAME: "Company name",
    COUNTRY: "Country",
    CITY: "City",
    SECTORS: "Sectors",
    OFFERS: "What you offer",
    SEEKS: "What you seek",
    PARTNERSHIPS: "Partnerships",
    SIZE: "Size",
    WEBSITE: "Website",
    CONTACT_NAME: "Contact person",
    EMAIL: "Contact email",
    PHONE: "Phone",
    CONSENT: "Consent",
    SUMMARY: "Check and confirm",
}
NUMBERS = {step: n for n, step in enumerate(STEPS[:10], start=1)}
NUMBERS.update({EMAIL: 10, PHONE: 10, CONSENT: 11, SUMMARY: 12})
TOTAL_STEPS = 12
PROMPTS = {
    NAME: "What is your company called? (2–100 characters)",
    COUNTRY: "Where is the company based?",
    CITY: "In which city? (optional)",
    SECTORS: f"Pick your sectors (1 to {MAX_SECTORS}), then press Done.",
    OFFERS: (
        "What does your company offer to a partner? Services, products, expertise — "
        "10 to 1000 characters. This is what matching reads, so be concrete."
    ),
    SEEKS: "What do you seek from a partner across the border? 10 to 1000 characters.",
    PARTNERSHIPS: "What kind of partnership do you want? Pick at least one, then press Done.",
    SIZE: "How many people work in the company?",
    WEBSITE: "Your website? (optional; e.g. https://www.example.ro)",
    CONTACT_NAME: "Who is the contact person? (their full name)",
    EMAIL: "The contact email?",
    PHONE: (
        "A phone number? (optional) In international format, with the country code, or as "
        "it is dialled in the company's country."
    ),
    CONSENT: (
        "Your <b>public profile</b> (name, country, city, sectors, offers, seeks, "
        "partnerships, size, website) is shown to companies across the border as a "
        "possible match.\n"
        "Your <b>contact details</b> (contact person, email, phone) are shared with a "
        "company only after <b>both sides accept</b> an introduction.\n"
        "You can delete everything at any time with /deleteme.\n\n"
        "Press “I agree” to be matchable."
    ),
}
TEXT_FIELDS: dict[str, Callable[[str], str]] = {
    NAME: clean_name,
    CITY: clean_city,
    OFFERS: clean_offers,
    SEEKS: clean_seeks,
    WEBSITE: clean_website,
    CONTACT_NAME: clean_contact_name,
    EMAIL: clean_email,
    PHONE: clean_phone,
}
PICK_LABELS = {
    NAME: "Name",
    COUNTRY: "Country",
    CITY: "City",
    SECTORS: "Sectors",
    OFFERS: "Offers",
    SEEKS: "Seeks",
    PARTNERSHIPS: "Partnerships",
    SIZE: "Size",
    WEBSITE: "Website",
    CONTACT_NAME: "Contact person",
    EMAIL: "Email",
    PHONE: "Phone",
    CONSENT: "Consent",
}
COUNTRY_PREFIX = "reg:country:"  # + the country's code
SECTOR_PREFIX = "reg:sector:"  # + the sector's key
INTENT_PREFIX = "reg:intent:"  # + the intent's key
# What a key may look like in callback data (bot.forum.KEY_PATTERN); others are not ours.
KEY_DATA = r"[a-z0-9][a-z0-9_]{0,23}"

Handler = Callable[[Update, ForumContext], Coroutine[Any, Any, Any]]


# -- the draft ---------------------------------------------------------------------------------


def _draft(context: ForumContext) -> dict[str, Any] | None:
    if context.user_data is None:
        return None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict):
        return None
    _by_keys(draft, context.services.forum)
    return draft


Finder = Callable[[str], Sector | Intent | None]


@dataclass(frozen=True)
class _Unknown:
    """A name no longer in the forum file: kept as it was (storing it leaves it out)."""

    key: str


def _by_keys(draft: dict[str, Any], forum: Forum) -> None:
    """A draft saved before countries, sectors and intents were stored by code and key (a
    registration in progress across the upgrade) holds their names: read them as the keys."""
    country = draft.get(COUNTRY)
    if isinstance(country, str) and forum.country(country) is None:
        found = forum.find_country(country)
        if found is not None:
            draft[COUNTRY] = found.code
    lookups: tuple[tuple[str, Finder, Finder], ...] = (
        (SECTORS, forum.sector, forum.find_sector),
        (PARTNERSHIPS, forum.intent, forum.find_intent),
    )
    for step, by_key, by_name in lookups:
        items = draft.get(step)
        if isinstance(items, list) and not all(by_key(str(item)) for item in items):
            keys = [(by_key(str(i)) or by_name(str(i)) or _Unknown(str(i))).key for i in items]
            draft[step] = list(dict.fromkeys(keys))


async def _save_progress(update: Update, context: ForumContext, state: str | None) -> None:
    """Write the draft (and the state being entered) to the database now, not within the
    persistence interval: called before the user is shown anything that depends on it."""
    persistence = context.application.persistence
    chat, user = update.effective_chat, update.effective_user
    if not isinstance(persistence, SQLitePersistence) or chat is None or user is None:
        return
    draft = _draft(context)
    resume = "/profile" if draft is not None and draft.get("_mode") == "edit" else "/register"
    await persistence.save_progress(
        user.id,
        context.user_data,  # type: ignore[arg-type]
        # The ConversationHandler's key: per chat and per user (PTB's defaults).
        (CONVERSATION_NAME, (chat.id, user.id), state) if state is not None else None,
        draft=DRAFT,
        resume=resume,
    )


def _live_menu(draft: dict[str, Any], message_id: int) -> bool:
    menu = draft.get("_menu")
    if menu is not None:
        return bool(message_id == menu)
    # The draft was saved before its question went out, and the bot stopped before it could
    # note the question's id: the question is the first message after the one answered.
    after = draft.get("_after")
    return after is not None and message_id > after


def _user_id(update: Update) -> int:
    user = update.effective_user
    if user is None:
        raise RuntimeError("an update without a user reached the registration")
    return user.id


async def _expired_draft(update: Update) -> int:
    # /deleteme (or a lost draft) under a live conversation: start over, change nothing.
    if update.callback_query:
        await update.callback_query.answer(EXPIRED_MENU)
    else:
        await reply(update, "This registration has expired. Send /register to start again.")
    return ConversationHandler.END


def needs_draft(
    func: Callable[[Update, ForumContext, dict[str, Any]], Awaitable[object]],
) -> Handler:
    async def wrapper(update: Update, context: ForumContext) -> object:
        draft = _draft(context)
        if draft is None:
            return await _expired_draft(update)
        return await func(update, context, draft)

    wrapper.__name__ = func.__name__
    return wrapper


def menu_button(
    func: Callable[[Update, ForumContext, dict[str, Any], str], Awaitable[object]],
) -> Handler:
    """A button handler: acts only on the live menu's buttons, answers every press once."""

    async def wrapper(update: Update, context: ForumContext) -> object:
        query = update.callback_query
        if query is None:
            return None
        draft = _draft(context)
        if draft is None:
            return await _expired_draft(update)
        message = query.message
        if message is None or not _live_menu(draft, message.message_id):
            await query.answer(EXPIRED_MENU)
            return None
        return await func(update, context, draft, query.data or "")

    wrapper.__name__ = func.__name__
    return wrapper


# -- asking ------------------------------------------------------------------------------------


def _header(step: str, draft: dict[str, Any]) -> str:
    if draft.get("_mode") == "edit":
        return f"<b>Edit · {TITLES[step]}</b>"
    return f"<b>Step {NUMBERS[step]} of {TOTAL_STEPS} · {TITLES[step]}</b>"


def _hints(step: str, draft: dict[str, Any]) -> str:
    hints = ["/back to go back", "/cancel to stop"]
    if step in OPTIONAL:
        hints.insert(0, "/skip to leave it empty")
    return "<i>" + " · ".join(hints) + "</i>"


def _choice_rows(
    items: tuple[Sector, ...] | tuple[Intent, ...], chosen: list[str], prefix: str, done: str
) -> InlineKeyboardMarkup:
    """One button per offered item, carrying its key; ticked when chosen."""
    rows = [
        [
            InlineKeyboardButton(
                f"✓ {item.label}" if item.key in chosen else item.label,
                callback_data=f"{prefix}{item.key}",
            )
        ]
        for item in items
    ]
    rows.append([InlineKeyboardButton(f"✅ Done ({len(chosen)} chosen)", callback_data=done)])
    return InlineKeyboardMarkup(rows)


def _offered(step: str, forum: Forum) -> tuple[Sector, ...] | tuple[Intent, ...]:
    return forum.sectors if step == SECTORS else forum.intents


def _chosen(step: str, draft: dict[str, Any], forum: Forum) -> list[str]:
    """The draft's choices of ``step``, less any the forum no longer offers (they stay on a
    stored profile until its rep changes that field, and are not offered again)."""
    offered = {item.key for item in _offered(step, forum)}
    chosen: list[str] = [key for key in draft.get(step) or [] if key in offered]
    draft[step] = chosen
    return chosen


async def _question(
    step: str, draft: dict[str, Any], context: ForumContext
) -> tuple[str, InlineKeyboardMarkup | None]:
    forum = context.services.forum
    lines = [_header(step, draft)]
    markup: InlineKeyboardMarkup | None = None
    if step == SUMMARY:
        card = render_card(draft, forum)
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("✅ Confirm", callback_data="reg:confirm")],
                [InlineKeyboardButton("✏️ Edit a field", callback_data="reg:change")],
                [InlineKeyboardButton("✖️ Cancel", callback_data="reg:cancel")],
            ]
        )
        return f"{lines[0]}\n\n{card}", markup
    lines.append(PROMPTS[step])
    examples = phone_examples(draft.get(COUNTRY)) if step == PHONE else None
    if examples:
        # libphonenumber's example for the company's country, both ways of writing it.
        lines[-1] += f" E.g. {examples[0]} or {examples[1]}."
    current = display_phone(draft.get(step)) if step == PHONE else draft.get(step)
    if step in TEXT_FIELDS and current:
        lines.append(f"Now: <i>{esc(current)}</i>")
    if step == COUNTRY:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        forum.flag_and_name(c.code), callback_data=f"{COUNTRY_PREFIX}{c.code}"
                    )
                    for c in forum.countries
                ]
            ]
        )
    elif step == SECTORS:
        chosen = _chosen(SECTORS, draft, forum)
        markup = _choice_rows(forum.sectors, chosen, SECTOR_PREFIX, "reg:sectors")
    elif step == PARTNERSHIPS:
        chosen = _chosen(PARTNERSHIPS, draft, forum)
        markup = _choice_rows(forum.intents, chosen, INTENT_PREFIX, "reg:intents")
    elif step == SIZE:
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        f"✓ {size}" if draft.get("size") == size else size,
                        callback_data=f"reg:size:{index}",
                    )
                    for index, size in enumerate(SIZES)
                ]
            ]
        )
    elif step == CONSENT:
        markup = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("✅ I agree", callback_data="reg:consent:yes")],
                [InlineKeyboardButton("Not now (don't match me)", callback_data="reg:consent:no")],
            ]
        )
    lines.append(_hints(step, draft))
    return "\n".join(lines), markup


async def ask(
    update: Update, context: ForumContext, step: str, *, problem: str | None = None
) -> str:
    """Send the question of ``step`` (after ``problem``, if the last answer was wrong)."""
    draft = _draft(context)
    assert draft is not None
    draft["_step"] = step
    draft["_menu"] = None
    answered = update.effective_message
    draft["_after"] = answered.message_id if answered else None
    await _save_progress(update, context, step)
    if step == PICK:
        return await _ask_pick(update, context, draft, problem=problem)
    text, markup = await _question(step, draft, context)
    if problem:
        text = f"⚠️ {problem}\n\n{text}"
    sent = await reply(update, text, reply_markup=markup)
    draft["_menu"] = sent.message_id if (sent and markup) else None
    return step


async def _ask_pick(
    update: Update, context: ForumContext, draft: dict[str, Any], *, problem: str | None
) -> str:
    buttons = [
        InlineKeyboardButton(label, callback_data=f"reg:field:{step}")
        for step, label in PICK_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if draft.get("_mode") == "edit":
        rows.append([InlineKeyboardButton("✅ Done", callback_data="reg:done")])
        text = render_card(
            draft, context.services.forum, title="<b>Which field do you want to change?</b>\n"
        )
    else:
        rows.append([InlineKeyboardButton("↩️ Back to the summary", callback_data="reg:done")])
        text = "<b>Which field do you want to change?</b>"
    if problem:
        text = f"{problem}\n\n{text}"
    sent = await reply(update, text, reply_markup=InlineKeyboardMarkup(rows))
    draft["_menu"] = sent.message_id if sent else None
    return PICK


async def _close_menu(update: Update, text: str) -> None:
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
    draft = _draft(context)
    assert draft is not None
    if draft.get("_single"):
        draft["_single"] = False
        if draft.get("_mode") == "edit":
            return await _save_field(update, context, draft, step)
        return await ask(update, context, SUMMARY)
    index = STEPS.index(step)
    following = STEPS[index + 1] if index + 1 < len(STEPS) else SUMMARY
    return await ask(update, context, following)


# -- entry points ------------------------------------------------------------------------------


async def start_registration(update: Update, context: ForumContext) -> str | int:
    user_id = _user_id(update)
    if update.callback_query:
        await update.callback_query.answer()
    existing = await context.services.companies.by_rep(user_id)
    if existing is not None:
        context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
        await reply(
            update,
            f"You already represent <b>{esc(existing.name)}</b>. "
            "One company per person: you can edit it instead.",
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            "✏️ Edit my company", callback_data=f"{EDIT_PREFIX}{existing.id}"
                        )
                    ]
                ]
            ),
        )
        return ConversationHandler.END
    draft = _draft(context)
    if draft is not None and draft.get("_mode") == "new" and draft.get("_step"):
        await reply(update, "Let's continue where you left off.")
        return await ask(update, context, draft["_step"])
    context.user_data[DRAFT] = {"_mode": "new"}  # type: ignore[index]
    # Saved before anything is said, so that an answer lost to a restart before the first
    # question was saved is known as lost (handlers.fallback) rather than met with a shrug.
    await _save_progress(update, context, None)
    await reply(
        update,
        "Let's register your company. It takes about 3 minutes.\n"
        "Send /back to change the previous answer and /cancel to stop at any time.",
    )
    return await ask(update, context, NAME)


async def start_edit(update: Update, context: ForumContext) -> str | int:
    query = update.callback_query
    if query is None:
        return ConversationHandler.END
    company_id = callback_number(query.data, EDIT_PREFIX)
    record = await context.services.companies.by_rep(query.from_user.id)
    if record is None or record.id != company_id:
        # Forged or stale: only a rep of that very company may edit it.
        await query.answer("You can't edit that company.", show_alert=True)
        return ConversationHandler.END
    await query.answer()
    draft = draft_from_record(record)
    draft.update({"_mode": "edit", "_company": record.id})
    context.user_data[DRAFT] = draft  # type: ignore[index]
    return await ask(update, context, PICK)


# -- answers -----------------------------------------------------------------------------------


def text_step(step: str) -> Handler:
    check = TEXT_FIELDS[step]

    @needs_draft
    async def answer(update: Update, context: ForumContext, draft: dict[str, Any]) -> str | int:
        message = update.effective_message
        text = message.text if message and message.text else ""
        try:
            # A local phone number is read in the company's country.
            value = clean_phone(text, draft.get(COUNTRY)) if step == PHONE else check(text)
        except Invalid as exc:
            return await ask(update, context, step, problem=str(exc))
        if step == NAME and draft.get("country"):
            clash = await _name_taken(context, draft, value, draft["country"])
            if clash:
                return await ask(update, context, NAME, problem=clash)
        draft[step] = value
        return await after_answer(update, context, step)

    answer.__name__ = f"answer_{step}"
    return answer


async def _name_taken(
    context: ForumContext, draft: dict[str, Any], name: str, country: str
) -> str | None:
    other = await context.services.companies.by_name(name, country)
    if other is None or other.id == draft.get("_company"):
        return None
    where = esc(context.services.forum.country_name(country))
    return (
        f"A company called “{esc(other.name)}” from {where} is already registered. "
        "If it is yours, ask its rep for an invitation link (Invite a colleague in /profile) "
        "or the organisers for its claim link; otherwise use the full legal name, e.g. "
        f"<i>{esc(name)} SRL</i>."
    )


@menu_button
async def choose_country(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str | int | None:
    forum = context.services.forum
    found = forum.country(data.removeprefix(COUNTRY_PREFIX))
    if found is None:
        await update.callback_query.answer(EXPIRED_MENU)  # type: ignore[union-attr]
        return None
    country = found.code
    await update.callback_query.answer()  # type: ignore[union-attr]
    await _close_menu(update, f"{_header(COUNTRY, draft)}\n✓ {esc(forum.flag_and_name(country))}")
    if draft.get("name"):
        clash = await _name_taken(context, draft, draft["name"], country)
        if clash:
            draft["_single"] = False
            if draft.get("_mode") == "edit":
                return await ask(update, context, PICK, problem=clash)
            return await ask(update, context, NAME, problem=clash)
    draft["country"] = country
    return await after_answer(update, context, COUNTRY)


def _toggle(
    kind: str, limit: int | None, what: str
) -> Callable[[Update, ForumContext, dict[str, Any], str], Awaitable[object]]:
    key = SECTORS if kind == "sector" else PARTNERSHIPS

    async def toggle(
        update: Update, context: ForumContext, draft: dict[str, Any], data: str
    ) -> None:
        query = update.callback_query
        assert query is not None
        forum = context.services.forum
        offered = _offered(key, forum)
        prefix = SECTOR_PREFIX if kind == "sector" else INTENT_PREFIX
        pressed = data.removeprefix(prefix)
        if not any(item.key == pressed for item in offered):
            # Not one the forum offers (any more): the menu is out of date.
            await query.answer(EXPIRED_MENU)
            return None
        chosen = _chosen(key, draft, forum)
        if pressed in chosen:
            chosen.remove(pressed)
        elif limit is not None and len(chosen) >= limit:
            await query.answer(f"You can choose up to {limit} {what}.", show_alert=True)
            return None
        else:
            chosen.append(pressed)
        await _save_progress(update, context, key)
        await query.answer()
        done = "reg:sectors" if kind == "sector" else "reg:intents"
        await query.edit_message_reply_markup(_choice_rows(offered, chosen, prefix, done))
        return None

    toggle.__name__ = f"toggle_{kind}"
    return toggle


toggle_sector = menu_button(_toggle("sector", MAX_SECTORS, "sectors"))
toggle_intent = menu_button(_toggle("intent", None, "partnerships"))


def _done(key: str, what: str) -> Handler:
    @menu_button
    async def done(
        update: Update, context: ForumContext, draft: dict[str, Any], data: str
    ) -> str | int | None:
        query = update.callback_query
        assert query is not None
        forum = context.services.forum
        chosen = _chosen(key, draft, forum)
        if not chosen:
            await query.answer(f"Pick at least one {what} first.", show_alert=True)
            return None
        await query.answer()
        label = forum.sector_label if key == SECTORS else forum.intent_label
        shown = ", ".join(label(k) for k in chosen)
        await _close_menu(update, f"{_header(key, draft)}\n✓ " + esc(shown))
        return await after_answer(update, context, key)

    done.__name__ = f"done_{key}"
    return done


sectors_done = _done(SECTORS, "sector")
intents_done = _done(PARTNERSHIPS, "partnership")


@menu_button
async def choose_size(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str | int | None:
    query = update.callback_query
    assert query is not None
    index = callback_number(data, "reg:size:")
    if index is None or index >= len(SIZES):
        await query.answer(EXPIRED_MENU)
        return None
    await query.answer()
    draft["size"] = SIZES[index]
    await _close_menu(update, f"{_header(SIZE, draft)}\n✓ {SIZES[index]} people")
    return await after_answer(update, context, SIZE)


@menu_button
async def choose_consent(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str | int | None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    agreed = data == "reg:consent:yes"
    draft["consent"] = agreed
    shown = "✓ I agree" if agreed else "✓ Not now: you will not be matched until you agree"
    await _close_menu(update, f"{_header(CONSENT, draft)}\n{shown}")
    return await after_answer(update, context, CONSENT)


# -- the summary and the field list ------------------------------------------------------------


@menu_button
async def confirm(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str | int | None:
    query = update.callback_query
    assert query is not None
    await query.answer()
    services = context.services
    user_id = query.from_user.id
    missing = [
        TITLES[s] for s in (NAME, COUNTRY, OFFERS, SEEKS, CONTACT_NAME, EMAIL) if not draft.get(s)
    ]
    if not draft.get(SECTORS):
        missing.append(TITLES[SECTORS])
    if not draft.get(PARTNERSHIPS):
        missing.append(TITLES[PARTNERSHIPS])
    if missing:
        return await ask(update, context, SUMMARY, problem="Still missing: " + ", ".join(missing))
    clash = await _name_taken(context, draft, draft[NAME], draft[COUNTRY])
    if clash:
        return await ask(update, context, NAME, problem=clash)
    company_id = await CompanyWrites(services.db).register(
        company_fields(draft),
        sectors=draft[SECTORS],
        partnerships=draft[PARTNERSHIPS],
        rep_id=user_id,
        now=services.clock.now(),
    )
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    forum = services.forum
    if company_id is None:
        await _close_menu(update, render_card(draft, forum))
        await reply(update, "You already represent a company; see /profile.")
        return ConversationHandler.END
    user = await services.users.get(user_id)
    if user is not None and not user.timezone:
        await services.users.set_timezone(
            user_id, country_zone(draft[COUNTRY], forum, services.settings.event_timezone)
        )
    await _close_menu(update, render_card(draft, forum) + "\n\n✅ <b>Registered.</b>")
    matchable = (
        "You are now visible to matching companies across the border."
        if draft.get(CONSENT)
        else "You are not matchable yet: give your consent in /profile → Edit → Consent."
    )
    await reply(
        update,
        f"🎉 <b>{esc(draft[NAME])}</b> is registered. {matchable}\n\n"
        "Open /profile to edit it, pause matching or invite a colleague.",
    )
    return ConversationHandler.END


@menu_button
async def change_field(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str:
    await update.callback_query.answer()  # type: ignore[union-attr]
    await _close_menu(
        update, render_card(draft, context.services.forum, title="<b>Check and confirm</b>\n")
    )
    return await ask(update, context, PICK)


@menu_button
async def cancel_button(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> int:
    await _close_menu(update, "✖️ Registration cancelled.")
    return await cancel_conversation(update, context)


@menu_button
async def pick_field(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str | None:
    query = update.callback_query
    assert query is not None
    step = data.removeprefix("reg:field:")
    if step not in STEPS:
        await query.answer(EXPIRED_MENU)
        return None
    await query.answer()
    await _close_menu(update, f"Changing: <b>{TITLES[step]}</b>")
    draft["_single"] = True
    return await ask(update, context, step)


@menu_button
async def pick_done(
    update: Update, context: ForumContext, draft: dict[str, Any], data: str
) -> str | int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    if draft.get("_mode") != "edit":
        await _close_menu(update, "Back to the summary.")
        return await ask(update, context, SUMMARY)
    title = "✅ <b>Your profile is up to date.</b>\n"
    await _close_menu(update, render_card(draft, context.services.forum, title=title))
    context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
    await reply(update, "Done. Open /profile any time to change it again.")
    return ConversationHandler.END


async def _save_field(
    update: Update, context: ForumContext, draft: dict[str, Any], step: str
) -> str | int:
    """Edit mode: write the one field just answered, then offer the field list again."""
    services = context.services
    record = await services.companies.by_rep(_user_id(update))
    if record is None or record.id != draft.get("_company"):
        context.user_data.pop(DRAFT, None)  # type: ignore[union-attr]
        await reply(update, "You no longer represent this company; nothing was changed.")
        return ConversationHandler.END
    fields = company_fields(draft)
    now = services.clock.now()
    if step == SECTORS:
        await services.companies.update(record.id, {}, now=now, sectors=draft[SECTORS])
    elif step == PARTNERSHIPS:
        await services.companies.update(record.id, {}, now=now, partnerships=draft[PARTNERSHIPS])
    else:
        await services.companies.update(
            record.id, {step: fields[step]}, now=now, by=_user_id(update)
        )
    return await ask(update, context, PICK, problem=f"✓ Saved: {TITLES[step]}.")


# -- commands and odd input inside the conversation --------------------------------------------


@needs_draft
async def back(update: Update, context: ForumContext, draft: dict[str, Any]) -> str:
    step = draft.get("_step") or NAME
    if draft.get("_single") or step == PICK:
        draft["_single"] = False
        if draft.get("_mode") == "edit":
            return await ask(update, context, PICK)
        return await ask(update, context, SUMMARY)
    if step == SUMMARY:
        return await ask(update, context, CONSENT)
    index = STEPS.index(step) if step in STEPS else 0
    if index == 0:
        return await ask(update, context, NAME, problem="This is the first step.")
    return await ask(update, context, STEPS[index - 1])


@needs_draft
async def skip(update: Update, context: ForumContext, draft: dict[str, Any]) -> str | int:
    step = draft.get("_step") or NAME
    if step not in OPTIONAL:
        return await ask(update, context, step, problem="This step can't be skipped.")
    draft[step] = None
    return await after_answer(update, context, step)


@needs_draft
async def reask(update: Update, context: ForumContext, draft: dict[str, Any]) -> str:
    step = draft.get("_step") or NAME
    if step in TEXT_FIELDS:
        problem = "Please answer with a text message."
    else:
        problem = "Please choose with the buttons below."
    return await ask(update, context, step, problem=problem)


async def stale_button(update: Update, context: ForumContext) -> None:
    if update.callback_query:
        await update.callback_query.answer(EXPIRED_MENU)


def build_registration_conversation() -> ConversationHandler[ForumContext]:
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        step: [MessageHandler(text, text_step(step))] for step in TEXT_FIELDS
    }
    states[COUNTRY] = [
        CallbackQueryHandler(choose_country, pattern=f"^{COUNTRY_PREFIX}[A-Z]{{2}}$")
    ]
    states[SECTORS] = [
        CallbackQueryHandler(toggle_sector, pattern=f"^{SECTOR_PREFIX}{KEY_DATA}$"),
        CallbackQueryHandler(sectors_done, pattern=r"^reg:sectors$"),
    ]
    states[PARTNERSHIPS] = [
        CallbackQueryHandler(toggle_intent, pattern=f"^{INTENT_PREFIX}{KEY_DATA}$"),
        CallbackQueryHandler(intents_done, pattern=r"^reg:intents$"),
    ]
    states[SIZE] = [CallbackQueryHandler(choose_size, pattern=numbered("reg:size:"))]
    states[CONSENT] = [CallbackQueryHandler(choose_consent, pattern=r"^reg:consent:(yes|no)$")]
    states[SUMMARY] = [
        CallbackQueryHandler(confirm, pattern=r"^reg:confirm$"),
        CallbackQueryHandler(change_field, pattern=r"^reg:change$"),
        CallbackQueryHandler(cancel_button, pattern=r"^reg:cancel$"),
    ]
    states[PICK] = [
        CallbackQueryHandler(pick_field, pattern=r"^reg:field:"),
        CallbackQueryHandler(pick_done, pattern=r"^reg:done$"),
    ]
    return ConversationHandler(
        entry_points=[
            CommandHandler("register", start_registration),
            CallbackQueryHandler(start_registration, pattern=f"^{REGISTER_BUTTON}$"),
            CallbackQueryHandler(start_edit, pattern=numbered(EDIT_PREFIX)),
        ],
        states=states,
        fallbacks=[
            cast(Any, cancel_fallback()),
            CommandHandler("back", back),
            CommandHandler("skip", skip),
            CallbackQueryHandler(stale_button, pattern=r"^reg:"),
            MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, reask),
        ],
        name=CONVERSATION_NAME,
        persistent=True,
        allow_reentry=True,
    )


def register(app: Application) -> None:
    app.add_handler(build_registration_conversation())
