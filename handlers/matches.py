"""/matches: the company's best cross-border matches as cards, with "Request introduction"
(the note step in handlers/intro_request.py), "Not interested" and Previous / Next paging.

Buttons carry only ids and the card's position (handlers/callbacks/); every press is
re-checked against the presser's company by the matching service, and the list is worked
out again, so a card that moved or went is never acted on by its old position.
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CommandHandler

from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.matching import MatchesView
from handlers.callbacks import IntroRequest, MatchDismiss, MatchPage
from handlers.common import add_buttons, edit, pressed, reader, reply
from handlers.i18n import Texts
from handlers.match_texts import no_matches, public_card
from handlers.reasons import why_you_match


def card_text(tx: Texts, view: MatchesView, index: int, forum: Forum, notice: str = "") -> str:
    found = view.matches[index]
    lines = [notice, ""] if notice else []
    lines += [
        tx._("<b>Match {number} of {total}</b>").format(number=index + 1, total=len(view.matches)),
        "",
        public_card(tx, found.other, forum),
        "",
        why_you_match(tx, found.reasons, forum),
    ]
    return "\n".join(lines)


def card_keyboard(tx: Texts, view: MatchesView, index: int) -> InlineKeyboardMarkup:
    other = view.matches[index].other.id
    rows = [
        [
            InlineKeyboardButton(
                tx._("🤝 Request introduction"), callback_data=IntroRequest(other).pack()
            )
        ],
        [
            InlineKeyboardButton(
                tx._("🙅 Not interested"), callback_data=MatchDismiss(other, index).pack()
            )
        ],
    ]
    paging = []
    if index > 0:
        paging.append(
            InlineKeyboardButton(tx._("◀ Previous"), callback_data=MatchPage(index - 1).pack())
        )
    if index < len(view.matches) - 1:
        paging.append(
            InlineKeyboardButton(tx._("Next ▶"), callback_data=MatchPage(index + 1).pack())
        )
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows)


async def matches_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    tx = await reader(update, context)
    forum = context.services.forum
    view = await context.services.matching.matches_of_rep(user.id)
    if not view.matches:
        await reply(update, no_matches(tx, view.kind, forum, view.other_country))
        return
    await reply(update, card_text(tx, view, 0, forum), reply_markup=card_keyboard(tx, view, 0))


async def _show(update: Update, context: ForumContext, index: int, notice: str = "") -> None:
    """Redraw the card message in place (the list may have changed since it was sent)."""
    query = update.callback_query
    assert query is not None
    tx = await reader(update, context)
    forum = context.services.forum
    view = await context.services.matching.matches_of_rep(query.from_user.id)
    if not view.matches:
        empty = no_matches(tx, view.kind, forum, view.other_country)
        await edit(query, (notice + "\n\n" if notice else "") + empty, None)
        return
    index = max(0, min(index, len(view.matches) - 1))
    await edit(query, card_text(tx, view, index, forum, notice), card_keyboard(tx, view, index))


async def page(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None
    data = MatchPage.unpack(query.data)
    await query.answer()
    await _show(update, context, data.index)


async def dismiss(update: Update, context: ForumContext) -> None:
    query, tx, data = await pressed(update, context, MatchDismiss)
    done = await context.services.matching.dismiss(query.from_user.id, data.company_id)
    if done.kind == "ok":
        notice = tx._("Noted: I won't suggest {name} again.").format(name=tx.user(done.name))
    else:
        notice = tx._("That company is no longer available.")
    await query.answer()
    # Stay on the same position: the next match slides into it.
    await _show(update, context, data.index, notice)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("matches", matches_command))
    add_buttons(app, {MatchPage: page, MatchDismiss: dismiss})
