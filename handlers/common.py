"""Small pieces every handler module shares: replying safely, the /cancel fallback and the
conversations built around it (with their text steps), the organiser check and reading
numbers out of callback data."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Coroutine, Mapping, Sequence
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyKeyboardRemove, Update
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import ForumContext
from handlers.callbacks.codec import CallbackData
from handlers.html import split_message
from handlers.i18n import N_, Texts, texts

CANCELLED = N_("Cancelled. Nothing was saved. Send /help to see what you can do.")
NOT_ORGANISER = N_("Sorry, this is for the forum organisers only.")

# Callback data is never trusted. The numbers our buttons carry (row ids, list positions) are
# plain ASCII decimals that SQLite can bind; anything else (a negative, 10**30, "²", an
# Arabic-Indic digit) is a forged or corrupt press and gets the fallback's quiet "menu expired".
MAX_CALLBACK_NUMBER = 2**63 - 1
_DECIMAL = re.compile(r"[0-9]{1,19}")


async def reader(update: Update, context: ForumContext) -> Texts:
    """The texts of the person this update came from, in their language (async: the
    language a user chose is stored)."""
    user = update.effective_user
    if user is None:
        return texts()
    return texts(await context.services.languages.of(user.id, user.language_code))


Pressed = TypeVar("Pressed", bound=CallbackData)
# A conversation step's handler: it returns the next state (None: stay).
Step = Callable[[Update, ForumContext], Coroutine[Any, Any, Any]]


async def pressed(
    update: Update, context: ForumContext, kind: type[Pressed]
) -> tuple[CallbackQuery, Texts, Pressed]:
    """A press on a button of ``kind``: the query, the presser's texts and the button's
    data (the handler is registered with ``kind.filter()``, so the data unpacks)."""
    query = update.callback_query
    assert query is not None  # registered as a CallbackQueryHandler
    return query, await reader(update, context), kind.unpack(query.data)


async def organiser_pressed(
    update: Update, context: ForumContext, kind: type[Pressed]
) -> tuple[CallbackQuery, Texts, Pressed] | None:
    """:func:`pressed` for an organiser's button: the role re-checked on the server first;
    None for anyone else, who has been told (:func:`organiser_id`)."""
    if await organiser_id(update, context) is None:
        return None
    return await pressed(update, context, kind)


Answered = TypeVar("Answered")
OrganiserButton = Callable[
    [Update, ForumContext, CallbackQuery, Texts, Pressed], Coroutine[Any, Any, Answered]
]


def organiser_button(
    kind: type[Pressed],
) -> Callable[
    [OrganiserButton[Pressed, Answered]],
    Callable[[Update, ForumContext], Coroutine[Any, Any, Answered | int]],
]:
    """An organiser's button of ``kind`` (:func:`organiser_pressed`): the handler also gets
    the query, the organiser's texts and the button's data. Anyone else is told no and the
    press returns ``ConversationHandler.END``, which ends a conversation the button is a
    step of (a handler outside conversations has its result ignored)."""

    def decorate(
        handler: OrganiserButton[Pressed, Answered],
    ) -> Callable[[Update, ForumContext], Coroutine[Any, Any, Answered | int]]:
        @functools.wraps(handler)
        async def checked(update: Update, context: ForumContext) -> Answered | int:
            got = await organiser_pressed(update, context, kind)
            if got is None:
                return ConversationHandler.END
            return await handler(update, context, *got)

        return checked

    return decorate


async def reply(update: Update, text: str, **kwargs: object) -> Message | None:
    """Answer in the chat the update came from, splitting text over 4096 characters."""
    chat = update.effective_chat
    if chat is None:
        return None
    parts = split_message(text)
    sent: Message | None = None
    for index, part in enumerate(parts):
        # Buttons belong under the last part, where the user's eyes end up.
        extra = kwargs if index == len(parts) - 1 else {}
        sent = await chat.send_message(part, **extra)  # type: ignore[arg-type]
    return sent


async def cancel_conversation(update: Update, context: ForumContext) -> int:
    """The /cancel fallback every ConversationHandler uses: drop the draft, say so."""
    if context.user_data is not None:
        context.user_data.pop("draft", None)
    if update.callback_query:
        await update.callback_query.answer()
    tx = await reader(update, context)
    await reply(update, tx._(CANCELLED), reply_markup=ReplyKeyboardRemove())
    return ConversationHandler.END


def cancel_fallback() -> CommandHandler[ForumContext, int]:
    return CommandHandler("cancel", cancel_conversation)


def conversation(
    name: str,
    entry_points: Sequence[Any],
    states: Mapping[object, Sequence[Any]],
    *fallbacks: Any,
) -> ConversationHandler[ForumContext]:
    """A conversation as all of ours are: /cancel first among the fallbacks (then
    ``fallbacks``), kept across restarts under ``name``, and started afresh from an entry
    point at any step."""
    every_fallback: list[Any] = [cancel_fallback(), *fallbacks]
    return ConversationHandler(
        entry_points=list(entry_points),
        states={state: list(handlers) for state, handlers in states.items()},
        fallbacks=every_fallback,
        name=name,
        persistent=True,
        allow_reentry=True,
    )


def add_buttons(app: Application, presses: Mapping[type[CallbackData], Step]) -> None:
    """One handler per kind of button, in this order: each takes only the presses whose data
    unpack as its class."""
    app.add_handlers(
        [CallbackQueryHandler(step, pattern=kind.filter()) for kind, step in presses.items()]
    )


def text_step(got: Step, *presses: Any, otherwise: Step) -> list[Any]:
    """The handlers of a step that waits for text: ``got`` takes it, ``presses`` (buttons or
    commands such as /skip) are the other ways on, and anything else that is not a command
    (a photo, a sticker) gets ``otherwise``, which says what the step wants."""
    return [
        MessageHandler(filters.TEXT & ~filters.COMMAND, got),
        *presses,
        MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, otherwise),
    ]


def say(message: str, state: str | None = None, **values: str) -> Step:
    """A handler that answers ``message`` (marked with ``N_``; its placeholders filled from
    ``values``) in the user's language and keeps the conversation at ``state``: what a step
    says to input it cannot take."""

    async def answer(update: Update, context: ForumContext) -> str | None:
        tx = await reader(update, context)
        text = tx._(message)
        await reply(update, text.format(**values) if values else text)
        return state

    return answer


async def organiser_id(update: Update, context: ForumContext) -> int | None:
    """The sender's id if the server knows them as an organiser; otherwise say no.

    Every organiser command goes through here, so the role is checked on our side for each
    update and never taken from what the client sent.
    """
    user = update.effective_user
    if user is None or not await context.services.is_organiser(user.id):
        refusal = (await reader(update, context))._(NOT_ORGANISER)
        if update.callback_query:
            await update.callback_query.answer(refusal, show_alert=True)
        else:
            await reply(update, refusal)
        return None
    return user.id


OrganiserCommand = Callable[[Update, ForumContext, int, Texts], Coroutine[Any, Any, None]]


def for_organisers(
    command: OrganiserCommand,
) -> Callable[[Update, ForumContext], Coroutine[Any, Any, None]]:
    """An organiser command: the role is checked on the server for each update (anyone else
    is told no, :func:`organiser_id`, and nothing runs); ``command`` also gets the
    organiser's id and texts."""

    @functools.wraps(command)
    async def checked(update: Update, context: ForumContext) -> None:
        actor = await organiser_id(update, context)
        if actor is not None:
            await command(update, context, actor, await reader(update, context))

    return checked


async def audit(context: ForumContext, actor_id: int, action: str, detail: str = "") -> None:
    """Record an organiser action in the audit log (/audit shows the last 50)."""
    services = context.services
    await services.audit.record(actor_id, action, detail, now=services.clock.now())


def callback_number(data: object, prefix: str = "") -> int | None:
    """The number in callback data that is exactly ``prefix`` + a decimal in SQLite's
    INTEGER range (0 .. 2**63 - 1); None for anything else."""
    if not isinstance(data, str) or not data.startswith(prefix):
        return None
    tail = data[len(prefix) :]
    if _DECIMAL.fullmatch(tail) is None:
        return None
    number = int(tail)
    return number if number <= MAX_CALLBACK_NUMBER else None


def numbered(*prefixes: str) -> Callable[[object], bool]:
    """A ``CallbackQueryHandler`` pattern: one of ``prefixes`` followed by a number that
    :func:`callback_number` accepts. Other presses fall through to the "menu expired" answer
    (handlers.fallback, or a conversation's own stale-button fallback)."""

    def matches(data: object) -> bool:
        return any(callback_number(data, prefix) is not None for prefix in prefixes)

    return matches


async def edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Replace the pressed message; a double press that changes nothing is not an error."""
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        # A double press renders the same thing twice; Telegram refuses the no-op edit.
        if "not modified" not in exc.message.lower():
            raise
