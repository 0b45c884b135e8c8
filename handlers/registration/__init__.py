"""The company registration conversation (/register, the 📝 button) and the field editor of
an existing profile (✏️ Edit in /profile): one persistent ConversationHandler.

- ``steps``: the steps (named string states), their order and their questions' words;
- ``draft``: the typed draft in ``user_data`` and saving it before each question;
- ``keyboards``: the buttons, through the callback-data codec;
- ``flow``: asking, closing used menus, where an answer leads;
- ``answers`` and ``entries``: the handlers.

The countries, sectors and intents offered are the forum file's (``services.forum``); the
draft keeps the country's code and the sectors' and intents' keys, and the buttons carry
them. The company is written by the companies service (``services.company_service``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.runtime.context import ForumContext
from handlers.callbacks import (
    ProfileEdit,
    RegConsent,
    RegCountry,
    RegDone,
    RegField,
    RegFieldsDone,
    RegisterStart,
    RegSize,
    RegSummary,
    RegToggle,
)
from handlers.callbacks.codec import CallbackData
from handlers.common import conversation
from handlers.registration.answers import (
    choose_consent,
    choose_country,
    choose_size,
    fields_done,
    list_done,
    pick_field,
    summary_button,
    text_step,
    toggle,
)
from handlers.registration.draft import CONVERSATION_NAME
from handlers.registration.entries import (
    back,
    reask,
    skip,
    stale_button,
    start_edit,
    start_registration,
)
from handlers.registration.steps import (
    CONSENT,
    COUNTRY,
    PARTNERSHIPS,
    PICK,
    SECTORS,
    SIZE,
    SUMMARY,
    TEXT_FIELDS,
)

# The buttons of the conversation: pressed in another state, they are out of date.
BUTTONS: tuple[type[CallbackData], ...] = (
    RegCountry,
    RegToggle,
    RegDone,
    RegSize,
    RegConsent,
    RegSummary,
    RegField,
    RegFieldsDone,
)


def _ours(data: object) -> bool:
    return isinstance(data, str) and data.split(":")[0] in {b.prefix for b in BUTTONS}


def _at(step: str) -> Callable[[RegToggle | RegDone], bool]:
    def check(data: RegToggle | RegDone) -> bool:
        return data.step == step

    return check


def build_registration_conversation() -> ConversationHandler[ForumContext]:
    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {
        step: [MessageHandler(text, text_step(step))] for step in TEXT_FIELDS
    }
    states[COUNTRY] = [CallbackQueryHandler(choose_country, pattern=RegCountry.filter())]
    for step in (SECTORS, PARTNERSHIPS):
        states[step] = [
            CallbackQueryHandler(toggle, pattern=RegToggle.filter(_at(step))),
            CallbackQueryHandler(list_done, pattern=RegDone.filter(_at(step))),
        ]
    states[SIZE] = [CallbackQueryHandler(choose_size, pattern=RegSize.filter())]
    states[CONSENT] = [CallbackQueryHandler(choose_consent, pattern=RegConsent.filter())]
    states[SUMMARY] = [CallbackQueryHandler(summary_button, pattern=RegSummary.filter())]
    states[PICK] = [
        CallbackQueryHandler(pick_field, pattern=RegField.filter()),
        CallbackQueryHandler(fields_done, pattern=RegFieldsDone.filter()),
    ]
    return conversation(
        CONVERSATION_NAME,
        [
            CommandHandler("register", start_registration),
            CallbackQueryHandler(start_registration, pattern=RegisterStart.filter()),
            CallbackQueryHandler(start_edit, pattern=ProfileEdit.filter()),
        ],
        states,
        CommandHandler("back", back),
        CommandHandler("skip", skip),
        CallbackQueryHandler(stale_button, pattern=_ours),
        MessageHandler(~filters.COMMAND & ~filters.StatusUpdate.ALL, reask),
    )


def register(app: Application) -> None:
    app.add_handler(build_registration_conversation())
