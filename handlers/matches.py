"""/matches: the company's best cross-border matches as cards, with "Request introduction"
(optional note, then the request goes out), "Not interested" and Previous / Next paging.

Callback data carries only ids and page numbers; every press is re-checked against the
presser's company by :class:`bot.services.introductions.IntroductionService`.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.introductions import (
    NOTE_LIMIT,
    IntroductionService,
    MatchesView,
    public_card,
    reasons_block,
)
from handlers.callbacks import DirRequest
from handlers.common import callback_number, cancel_fallback, numbered, reply

REQUEST_DATA = "m:req:"
DISMISS_DATA = "m:no:"
PAGE_DATA = "m:pg:"
SEND_DATA = "m:send"
STOP_DATA = "m:stop"
TARGET_KEY = "intro_target"
ANY_COMPANY_KEY = "intro_any_company"  # the target came from the directory

# Conversation states of the introduction request.
NOTE = "note"

NO_COMPANY = (
    "You don't have a company yet. Register it with /register, and I will show you the best "
    "partners from the other country."
)


def card_text(view: MatchesView, index: int, forum: Forum, notice: str = "") -> str:
    found = view.matches[index]
    lines = [notice, ""] if notice else []
    lines += [
        f"<b>Match {index + 1} of {len(view.matches)}</b>",
        "",
        public_card(found.other, forum),
        "",
        "<b>Why you match:</b>",
        reasons_block(found.reasons, forum),
    ]
    return "\n".join(lines)


def card_keyboard(view: MatchesView, index: int) -> InlineKeyboardMarkup:
    other = view.matches[index].other.id
    rows = [
        [InlineKeyboardButton("🤝 Request introduction", callback_data=f"{REQUEST_DATA}{other}")],
        [InlineKeyboardButton("🙅 Not interested", callback_data=f"{DISMISS_DATA}{other}")],
    ]
    paging = []
    if index > 0:
        paging.append(InlineKeyboardButton("◀ Previous", callback_data=f"{PAGE_DATA}{index - 1}"))
    if index < len(view.matches) - 1:
        paging.append(InlineKeyboardButton("Next ▶", callback_data=f"{PAGE_DATA}{index + 1}"))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows)


async def _view(user_id: int, context: ForumContext) -> MatchesView | None:
    company = await context.services.companies.by_rep(user_id)
    if company is None:
        return None
    return await IntroductionService(context.services).matches_for(company)


async def matches_command(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None:
        return
    view = await _view(user.id, context)
    if view is None:
        await reply(update, NO_COMPANY)
        return
    if not view.matches:
        await reply(update, view.empty_reason)
        return
    await reply(
        update, card_text(view, 0, context.services.forum), reply_markup=card_keyboard(view, 0)
    )


async def _show(update: Update, context: ForumContext, index: int, notice: str = "") -> None:
    """Redraw the card message in place (the list may have changed since it was sent)."""
    query = update.callback_query
    assert query is not None
    view = await _view(query.from_user.id, context)
    if view is None or not view.matches:
        text = (notice + "\n\n" if notice else "") + (view.empty_reason if view else NO_COMPANY)
        await _edit(update, text, None)
        return
    index = max(0, min(index, len(view.matches) - 1))
    await _edit(
        update, card_text(view, index, context.services.forum, notice), card_keyboard(view, index)
    )


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # A double press redraws the same card: nothing to change is not an error.
        if "not modified" not in exc.message.lower():
            raise


async def page(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    index = callback_number(query.data, PAGE_DATA)
    assert index is not None  # the handler's pattern checked it
    await query.answer()
    await _show(update, context, index)


async def dismiss(update: Update, context: ForumContext) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    other_id = callback_number(query.data, DISMISS_DATA)
    assert other_id is not None  # the handler's pattern checked it
    service = IntroductionService(context.services)
    done = await service.dismiss(query.from_user.id, other_id)
    await query.answer()
    # Stay on the same position: the next match slides into it.
    message = query.message
    current = _page_of(message.reply_markup if isinstance(message, Message) else None)
    await _show(update, context, current, done.text)


def _page_of(markup: InlineKeyboardMarkup | None) -> int:
    """The card's index, from its own paging buttons (Previous points one back)."""
    for row in markup.inline_keyboard if markup else ():
        for button in row:
            target = callback_number(button.callback_data, PAGE_DATA)
            if target is not None:
                return target + 1 if button.text.startswith("◀") else target - 1
    return 0


# -- the introduction request conversation ----------------------------------------------


def _note_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("📨 Send without a note", callback_data=SEND_DATA)],
            [InlineKeyboardButton("Cancel", callback_data=STOP_DATA)],
        ]
    )


async def ask_note(update: Update, context: ForumContext) -> str | int:
    query = update.callback_query
    assert query is not None and query.data is not None
    target_id = callback_number(query.data, REQUEST_DATA)
    assert target_id is not None  # the handler's pattern checked it
    return await _ask_note(update, context, target_id, any_company=False)


async def ask_note_from_directory(update: Update, context: ForumContext) -> str | int:
    """Request introduction on a /companies card: any company across the border, not only
    a match; the same note, double opt-in and daily limit."""
    query = update.callback_query
    assert query is not None
    target_id = DirRequest.unpack(query.data).company_id
    return await _ask_note(update, context, target_id, any_company=True)


async def _ask_note(
    update: Update, context: ForumContext, target_id: int, *, any_company: bool
) -> str | int:
    query = update.callback_query
    assert query is not None
    checked = await IntroductionService(context.services).check_target(
        query.from_user.id, target_id, any_company=any_company
    )
    if not checked.ok:
        await query.answer()
        await reply(update, checked.text)
        return ConversationHandler.END
    await query.answer()
    context.user_data[TARGET_KEY] = target_id  # type: ignore[index]
    context.user_data[ANY_COMPANY_KEY] = any_company  # type: ignore[index]
    await reply(
        update,
        f"Add a short note for <b>{checked.text}</b> (up to {NOTE_LIMIT} characters): who you "
        "are and what you would like to discuss. Or send the request without a note.\n\n"
        "/cancel to stop.",
        reply_markup=_note_keyboard(),
    )
    return NOTE


async def _send(update: Update, context: ForumContext, note: str) -> int:
    user = update.effective_user
    target_id = context.user_data.pop(TARGET_KEY, None)  # type: ignore[union-attr]
    if user is None or target_id is None:
        await reply(update, "This request has expired. Send /matches to start again.")
        return ConversationHandler.END
    any_company = bool(context.user_data.pop(ANY_COMPANY_KEY, False))  # type: ignore[union-attr]
    done = await IntroductionService(context.services).request(
        user.id, int(target_id), note, any_company=any_company
    )
    if update.callback_query:
        await _edit(update, done.text, None)
    else:
        await reply(update, done.text)
    return ConversationHandler.END


async def got_note(update: Update, context: ForumContext) -> str | int:
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    if not text:
        return await odd_input(update, context)
    if len(text) > NOTE_LIMIT:
        await reply(
            update,
            f"That note is {len(text)} characters long; please keep it to {NOTE_LIMIT} and "
            "send it again (or press Send without a note).",
            reply_markup=_note_keyboard(),
        )
        return NOTE
    return await _send(update, context, text)


async def send_without_note(update: Update, context: ForumContext) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    return await _send(update, context, "")


async def stop(update: Update, context: ForumContext) -> int:
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.user_data.pop(TARGET_KEY, None)  # type: ignore[union-attr]
    context.user_data.pop(ANY_COMPANY_KEY, None)  # type: ignore[union-attr]
    await _edit(update, "No request sent. Send /matches to see your matches again.", None)
    return ConversationHandler.END


async def odd_input(update: Update, context: ForumContext) -> str:
    await reply(
        update,
        f"Please type your note as text (up to {NOTE_LIMIT} characters), or press "
        "Send without a note. /cancel to stop.",
        reply_markup=_note_keyboard(),
    )
    return NOTE


def build_intro_request_conversation() -> ConversationHandler[ForumContext]:
    entry: list[Any] = [
        CallbackQueryHandler(ask_note, pattern=numbered(REQUEST_DATA)),
        CallbackQueryHandler(ask_note_from_directory, pattern=DirRequest.filter()),
    ]
    note_step: list[Any] = [
        MessageHandler(filters.TEXT & ~filters.COMMAND, got_note),
        CallbackQueryHandler(send_without_note, pattern=f"^{SEND_DATA}$"),
        CallbackQueryHandler(stop, pattern=f"^{STOP_DATA}$"),
        MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, odd_input),
    ]
    fallbacks: list[Any] = [cancel_fallback()]
    return ConversationHandler(
        entry_points=entry,
        states={NOTE: note_step},
        fallbacks=fallbacks,
        allow_reentry=True,
        name="intro_request",
        persistent=True,
    )


def register(app: Application) -> None:
    app.add_handler(build_intro_request_conversation())
    app.add_handler(CommandHandler("matches", matches_command))
    app.add_handler(CallbackQueryHandler(page, pattern=numbered(PAGE_DATA)))
    app.add_handler(CallbackQueryHandler(dismiss, pattern=numbered(DISMISS_DATA)))
