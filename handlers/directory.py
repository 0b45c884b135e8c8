"""/companies: the company directory in the chat — a page of companies (the other country
first; your own country marked "same country — not matched"), a sector filter, a keyword
search (``/companies fraud detection``, or the Search button), paging, and each company's
card with Request introduction (the /matches request conversation takes it from there).

Buttons carry the side, the sector's key, the number of one of the user's saved searches
and the page, never the search text itself (user text, and 64 bytes): the searches are kept
in the user's data, the last ``KEPT_SEARCHES`` of them.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)

from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.directory import OTHER, PAGE_SIZE, SAME, Card, Page
from handlers.callbacks import DirCard, DirList, DirRequest, DirSearch, DirSectors, Scope
from handlers.common import add_buttons, conversation, edit, pressed, reader, reply, say, text_step
from handlers.i18n import N_, Texts
from handlers.match_texts import clip, public_card

SEARCHES_KEY = "directory_searches"
KEPT_SEARCHES = 20
WORDS = "directory_words"  # the conversation's one state: waiting for the search words
SCOPE_KEY = "directory_scope"
CLIP = 90
CARD_CLIP = 500
BUTTON_NAME = 30


def _searches(context: ForumContext) -> dict[int, str]:
    data = context.user_data
    if data is None:
        return {}
    saved: dict[int, str] = data.setdefault(SEARCHES_KEY, {})
    return saved


def _save_search(context: ForumContext, words: str) -> int:
    saved = _searches(context)
    for number, text in saved.items():
        if text == words:
            return number
    number = max(saved, default=0) + 1
    saved[number] = words
    for old in sorted(saved)[:-KEPT_SEARCHES]:
        del saved[old]
    return number


def page_text(tx: Texts, page: Page, forum: Forum) -> str:
    place = forum.flag_and_name(page.country, tx.language)
    lines = [tx._("🏢 <b>Companies from {country}</b>").format(country=tx.user(place))]
    if page.scope == SAME:
        lines.append(
            tx._(
                "Your own country: same country — not matched. Introductions are made "
                "across the border only."
            )
        )
    filters_line = []
    if page.sector:
        label = forum.sector_label(page.sector, tx.language)
        filters_line.append(tx._("Sector: {sector}").format(sector=tx.user(label)))
    if page.query:
        filters_line.append(tx._("Search: “{words}”").format(words=tx.user(page.query)))
    if filters_line:
        lines.append(" · ".join(filters_line))
    if page.fuzzy:
        lines.append(tx._("Nothing matched as typed; these are the closest spellings."))
    lines.append("")
    if not page.entries:
        lines.append(tx._("No company found. Try another sector or other words."))
        return "\n".join(lines)
    lines.append(
        tx.n_("{n} company", "{n} companies", page.total)
        + " · "
        + tx._("page {page} of {pages}").format(page=page.page + 1, pages=page.pages)
    )
    for number, company in enumerate(page.entries, start=page.page * PAGE_SIZE + 1):
        place = f" — {tx.user(company.city)}" if company.city else ""
        lines += [
            "",
            f"{number}. <b>{tx.user(company.name)}</b>{place}",
            tx._("<i>Offers:</i> {offers}").format(offers=tx.user(clip(company.offers, CLIP))),
        ]
    return "\n".join(lines)


def page_keyboard(tx: Texts, page: Page, query: int, sector: str) -> InlineKeyboardMarkup:
    scope: Scope = "s" if page.scope == SAME else "o"
    rows = [
        [
            InlineKeyboardButton(
                f"🔎 {tx.plain(clip(company.name, BUTTON_NAME))}",
                callback_data=DirCard(company.id, scope, sector, query, page.page).pack(),
            )
        ]
        for company in page.entries
    ]
    paging = []
    if page.page > 0:
        paging.append(
            InlineKeyboardButton(
                tx._("◀ Previous"),
                callback_data=DirList(scope, sector, query, page.page - 1).pack(),
            )
        )
    if page.page < page.pages - 1:
        paging.append(
            InlineKeyboardButton(
                tx._("Next ▶"), callback_data=DirList(scope, sector, query, page.page + 1).pack()
            )
        )
    if paging:
        rows.append(paging)
    other: Scope = "o" if scope == "s" else "s"
    rows.append(
        [
            InlineKeyboardButton(tx._("🏷 Sector"), callback_data=DirSectors(scope, query).pack()),
            InlineKeyboardButton(tx._("🔍 Search"), callback_data=DirSearch(scope).pack()),
        ]
    )
    side = tx._("Other country") if other == "o" else tx._("My own country")
    row = [InlineKeyboardButton(side, callback_data=DirList(other, sector, query, 0).pack())]
    if sector or query:
        row.append(
            InlineKeyboardButton(
                tx._("✖️ Clear filters"), callback_data=DirList(scope, "", 0, 0).pack()
            )
        )
    rows.append(row)
    return InlineKeyboardMarkup(rows)


def card_text(tx: Texts, card: Card, forum: Forum) -> str:
    company = card.company
    assert company is not None
    lines = [public_card(tx, company, forum, limit=CARD_CLIP, website=company.website)]
    if card.same_country:
        lines += [
            "",
            tx._("Same country — not matched: introductions are made across the border only."),
        ]
    return "\n".join(lines)


async def _show(update: Update, context: ForumContext, view: DirList, *, in_place: bool) -> None:
    """Show (or redraw in place) one page; a button press is answered exactly once."""
    tx = await reader(update, context)
    user = update.effective_user
    if user is None:
        return
    words = _searches(context).get(view.query, "") if view.query else ""
    if view.query and not words:
        await _refuse(update, tx._("This search has expired. Send /companies to search again."))
        return
    page = await context.services.directory.browse(
        user.id, scope=view.scope, sector=view.sector, query=words, page=view.page
    )
    if page.kind == "no_company":
        await _refuse(
            update,
            tx._(
                "Register your company first (/register): the directory shows the companies "
                "you can meet."
            ),
        )
        return
    text = page_text(tx, page, context.services.forum)
    markup = page_keyboard(tx, page, view.query, view.sector)
    if update.callback_query:
        await update.callback_query.answer()
    if in_place:
        assert update.callback_query is not None
        await edit(update.callback_query, text, markup)
    else:
        await reply(update, text, reply_markup=markup)


async def _refuse(update: Update, text: str) -> None:
    if update.callback_query:
        await update.callback_query.answer(text, show_alert=True)
    else:
        await reply(update, text)


async def companies_command(update: Update, context: ForumContext) -> None:
    words = " ".join(context.args or []).strip()
    query = _save_search(context, words[:200]) if words else 0
    await _show(update, context, DirList("o", "", query, 0), in_place=False)


async def list_pressed(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None
    await _show(update, context, DirList.unpack(query.data), in_place=True)


async def sectors_pressed(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, DirSectors)
    sectors = await context.services.directory.sectors()
    forum = context.services.forum
    rows = [
        [
            InlineKeyboardButton(
                tx._("All sectors"), callback_data=DirList(data.scope, "", data.query, 0).pack()
            )
        ]
    ]
    rows += [
        [
            InlineKeyboardButton(
                tx.plain(forum.sector_label(key, tx.language)),
                callback_data=DirList(data.scope, key, data.query, 0).pack(),
            )
        ]
        for key in sectors
    ]
    await query.answer()
    await edit(query, tx._("Which sector?"), InlineKeyboardMarkup(rows))


async def card_pressed(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, DirCard)
    card = await context.services.directory.card(query.from_user.id, data.company_id)
    if card.kind != "ok" or card.company is None:
        await query.answer(tx._("That company is not in the directory any more."), show_alert=True)
        return
    rows = []
    if not card.same_country:
        rows.append(
            [
                InlineKeyboardButton(
                    tx._("🤝 Request introduction"),
                    callback_data=DirRequest(card.company.id).pack(),
                )
            ]
        )
    rows.append(
        [
            InlineKeyboardButton(
                tx._("◀ Back to the list"),
                callback_data=data.back().pack(),
            )
        ]
    )
    await query.answer()
    await edit(query, card_text(tx, card, context.services.forum), InlineKeyboardMarkup(rows))


# -- the search conversation ------------------------------------------------------------
async def ask_words(update: Update, context: ForumContext) -> str:
    query, tx, data = await pressed(update, context, DirSearch)
    await query.answer()
    context.user_data[SCOPE_KEY] = data.scope  # type: ignore[index]
    await reply(
        update,
        tx._(
            "Send the words to look for in the companies' names and what they offer and "
            "seek, e.g. <i>fraud detection</i>. /cancel to stop."
        ),
    )
    return WORDS


async def got_words(update: Update, context: ForumContext) -> int:
    message = update.effective_message
    words = (message.text or "").strip() if message else ""
    scope = context.user_data.pop(SCOPE_KEY, OTHER)  # type: ignore[union-attr]
    query = _save_search(context, words[:200]) if words else 0
    await _show(
        update, context, DirList("s" if scope == SAME else "o", "", query, 0), in_place=False
    )
    return ConversationHandler.END


def build_search_conversation() -> ConversationHandler[ForumContext]:
    return conversation(
        "directory_search",
        [CallbackQueryHandler(ask_words, pattern=DirSearch.filter())],
        {
            WORDS: text_step(
                got_words, otherwise=say(N_("Please send the words as text, or /cancel."), WORDS)
            )
        },
    )


def register(app: Application) -> None:
    app.add_handler(build_search_conversation())
    app.add_handler(CommandHandler("companies", companies_command))
    add_buttons(app, {DirList: list_pressed, DirSectors: sectors_pressed, DirCard: card_pressed})
