"""The registration's buttons, in the reader's language. Every button carries a code, a key
or a field name through the callback-data codec (``handlers.callbacks``), never a position
in a list, which may change between showing and pressing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.profiles import SIZES
from bot.forum import Forum, Intent, Sector
from handlers.callbacks import (
    CompanySize,
    ProfileField,
    RegConsent,
    RegCountry,
    RegDone,
    RegField,
    RegFieldsDone,
    RegistrationList,
    RegSize,
    RegSummary,
    RegToggle,
)
from handlers.callbacks.codec import CallbackData
from handlers.i18n import Texts, per_language
from handlers.keyboard import Keyboard
from handlers.registration.steps import PICK_LABELS, SECTORS


def countries(tx: Texts, forum: Forum) -> InlineKeyboardMarkup:
    return _countries(
        tuple((c.code, forum.flag_and_name(c.code, tx.language)) for c in forum.countries)
    )


@functools.lru_cache(maxsize=64)
def _countries(shown: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    return Keyboard(
        [
            [
                InlineKeyboardButton(label, callback_data=RegCountry(code).pack())
                for code, label in shown
            ]
        ]
    )


def offered(step: RegistrationList, forum: Forum) -> tuple[Sector, ...] | tuple[Intent, ...]:
    return forum.sectors if step == SECTORS else forum.intents


def choices(
    tx: Texts, step: RegistrationList, forum: Forum, chosen: list[str]
) -> InlineKeyboardMarkup:
    """One button per sector or intent the forum offers, carrying its key; ticked when
    chosen; Done under them."""
    items = tuple((item.key, item.label_in(tx.language)) for item in offered(step, forum))
    return _choices(tx, step, items, frozenset(chosen), len(chosen))


# Keyed by what the menu shows (so a forum whose lists change gets new menus): a rep ticking
# through a list meets the same few menus as every other rep of that language.
@functools.lru_cache(maxsize=512)
def _choices(
    tx: Texts,
    step: RegistrationList,
    items: tuple[tuple[str, str], ...],
    chosen: frozenset[str],
    count: int,
) -> InlineKeyboardMarkup:
    rows = []
    for key, label in items:
        shown = tx._("✓ {label}").format(label=label) if key in chosen else label
        rows.append([InlineKeyboardButton(shown, callback_data=RegToggle(step, key).pack())])
    done = tx.n_("✅ Done ({n} chosen)", "✅ Done ({n} chosen)", count)
    rows.append([InlineKeyboardButton(done, callback_data=RegDone(step).pack())])
    return Keyboard(rows)


@functools.lru_cache(maxsize=64)
def sizes(tx: Texts, current: str | None) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(
            tx._("✓ {label}").format(label=size) if size == current else size,
            callback_data=RegSize(cast(CompanySize, size)).pack(),
        )
        for size in SIZES
    ]
    return Keyboard([buttons])


def consent_rows(
    tx: Texts, answer: Callable[[bool], CallbackData]
) -> list[list[InlineKeyboardButton]]:
    """The consent question's ✅ I agree and Not now, one under the other; ``answer(agree)``
    is each one's data (the registration's, or a claimed company's)."""
    return [
        [InlineKeyboardButton(tx._("✅ I agree"), callback_data=answer(True).pack())],
        [
            InlineKeyboardButton(
                tx._("Not now (don't match me)"), callback_data=answer(False).pack()
            )
        ],
    ]


@per_language
def consent(tx: Texts) -> InlineKeyboardMarkup:
    return Keyboard(consent_rows(tx, RegConsent))


@per_language
def summary(tx: Texts) -> InlineKeyboardMarkup:
    return Keyboard(
        [
            [InlineKeyboardButton(tx._("✅ Confirm"), callback_data=RegSummary("confirm").pack())],
            [
                InlineKeyboardButton(
                    tx._("✏️ Edit a field"), callback_data=RegSummary("change").pack()
                )
            ],
            [InlineKeyboardButton(tx._("✖️ Cancel"), callback_data=RegSummary("cancel").pack())],
        ]
    )


@functools.lru_cache(maxsize=16)
def fields(tx: Texts, *, editing: bool) -> InlineKeyboardMarkup:
    """The field list: one button per field, two a row; Done (editing) or Back (registering)."""
    buttons = [
        InlineKeyboardButton(tx._(label), callback_data=RegField(cast(ProfileField, step)).pack())
        for step, label in PICK_LABELS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    last = tx._("✅ Done") if editing else tx._("↩️ Back to the summary")
    rows.append([InlineKeyboardButton(last, callback_data=RegFieldsDone().pack())])
    return Keyboard(rows)
