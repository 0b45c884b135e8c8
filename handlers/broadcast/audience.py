"""The audience step of /broadcast: who gets it (everyone, a country, a sector, company reps,
users without a company, a session's subscribers), counted; then the preview and Send now /
Schedule / Cancel. Buttons carry kinds, codes, keys and ids; each is checked on the server."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ConversationHandler

from bot.domain.unicode_text import without_bidi_controls
from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.broadcasts import COUNTRY, SECTOR, SESSION, Audience
from handlers.broadcast.steps import AUDIENCE, CONFIRM, draft_of, expired, organiser_press
from handlers.broadcast.texts import audience_text
from handlers.callbacks import (
    BroadcastConfirm,
    BroadcastCountry,
    BroadcastMenu,
    BroadcastSector,
    BroadcastSession,
    BroadcastTo,
)
from handlers.callbacks.codec import InvalidCallback
from handlers.common import organiser_button, reply
from handlers.i18n import Texts

SESSIONS_SHOWN = 40
AUDIENCE_CLASSES = (BroadcastTo, BroadcastCountry, BroadcastSector, BroadcastSession)


def audience_keyboard(tx: Texts, forum: Forum) -> InlineKeyboardMarkup:
    """The audiences; one button per country of the forum, carrying its code."""

    def button(label: str, data: Any) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=data.pack())

    return InlineKeyboardMarkup(
        [
            [button(tx._("Everyone"), BroadcastTo("everyone"))],
            [
                button(tx.plain(forum.flag_and_name(c.code, tx.language)), BroadcastCountry(c.code))
                for c in forum.countries
            ],
            [
                button(tx._("A sector…"), BroadcastMenu("sector")),
                button(tx._("Companies only"), BroadcastTo("companies")),
            ],
            [button(tx._("Users without a company"), BroadcastTo("no_company"))],
            [button(tx._("Subscribers of a session…"), BroadcastMenu("session"))],
        ]
    )


def _with_back(tx: Texts, rows: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    back = BroadcastMenu("audiences").pack()
    return InlineKeyboardMarkup([*rows, [InlineKeyboardButton(tx._("⬅️ Back"), callback_data=back)]])


def _chosen(data: object) -> Audience | None:
    """The audience a button names (its value not yet checked against the forum)."""
    for cls in AUDIENCE_CLASSES:
        try:
            press = cls.unpack(data)
        except InvalidCallback:
            continue
        if isinstance(press, BroadcastTo):
            return Audience(press.kind)
        if isinstance(press, BroadcastCountry):
            return Audience(COUNTRY, press.code)
        if isinstance(press, BroadcastSector):
            return Audience(SECTOR, press.key)
        if isinstance(press, BroadcastSession):
            return Audience(SESSION, press.session_id)
    return None


def is_audience(data: object) -> bool:
    return _chosen(data) is not None


async def _valid(context: ForumContext, audience: Audience) -> bool:
    """Callback data is never trusted: the country, sector or session must exist now."""
    forum = context.services.forum
    if audience.kind == COUNTRY:
        return forum.country(str(audience.value)) is not None
    if audience.kind == SECTOR:
        return forum.sector(str(audience.value)) is not None
    if audience.kind == SESSION:
        return (await context.services.broadcasts.audience_view(audience)).title is not None
    return True


async def choose_audience(update: Update, context: ForumContext) -> str | int:
    """Count the audience, send the preview, offer Send now / Schedule / Cancel."""
    pressed = await organiser_press(update, context)
    if pressed is None:
        return ConversationHandler.END
    query, tx = pressed
    draft = draft_of(context)
    if draft is None:
        return await expired(update, context)
    audience = _chosen(query.data)
    if audience is None or not await _valid(context, audience):
        await query.answer(tx._("This menu has expired: that choice is no longer offered."))
        return AUDIENCE
    await query.answer()
    service = context.services.broadcasts
    forum = context.services.forum
    count = await service.count(audience)
    label = audience_text(tx, forum, await service.audience_view(audience))
    if count == 0:
        await query.edit_message_text(
            tx._("Nobody is in “{audience}” yet. Choose another audience, or /cancel.").format(
                audience=label
            ),
            reply_markup=audience_keyboard(tx, forum),
        )
        return AUDIENCE
    draft["audience"] = {"kind": audience.kind, "value": audience.value}
    await query.edit_message_text(
        tx.n_(
            "Audience: <b>{audience}</b> — {n} recipient(s).",
            "Audience: <b>{audience}</b> — {n} recipient(s).",
            count,
        ).format(audience=label)
    )
    # The preview: the very copy a recipient will get, straight back to the organiser.
    await context.bot.copy_message(
        chat_id=draft["chat_id"], from_chat_id=draft["chat_id"], message_id=draft["message_id"]
    )

    def button(label: str, choice: Any) -> InlineKeyboardButton:
        return InlineKeyboardButton(label, callback_data=BroadcastConfirm(choice).pack())

    await reply(
        update,
        tx.n_(
            "⬆️ That is the preview, exactly as the {n} recipient(s) will see it.\n"
            "Send it now, schedule it, or cancel?",
            "⬆️ That is the preview, exactly as the {n} recipient(s) will see it.\n"
            "Send it now, schedule it, or cancel?",
            count,
        ),
        reply_markup=InlineKeyboardMarkup(
            [
                [button(tx._("✅ Send now"), "send"), button(tx._("🕒 Schedule"), "schedule")],
                [button(tx._("✖️ Cancel"), "cancel")],
            ]
        ),
    )
    return CONFIRM


@organiser_button(BroadcastMenu)
async def open_menu(
    update: Update, context: ForumContext, query: CallbackQuery, tx: Texts, data: BroadcastMenu
) -> str | int:
    """The sectors, the sessions, or back to the audiences."""
    menu = data.menu
    forum = context.services.forum
    await query.answer()
    if menu == "sector":
        rows = [
            [
                InlineKeyboardButton(
                    tx.plain(forum.sector_label(s.key, tx.language)),
                    callback_data=BroadcastSector(s.key).pack(),
                )
            ]
            for s in forum.sectors
        ]
        await query.edit_message_text(tx._("Which sector?"), reply_markup=_with_back(tx, rows))
        return AUDIENCE
    if menu == "session":
        sessions = await context.services.broadcasts.sessions()
        if not sessions:
            await query.edit_message_text(
                tx._("There are no sessions on the agenda yet. Choose another audience."),
                reply_markup=audience_keyboard(tx, forum),
            )
            return AUDIENCE
        rows = [
            [
                InlineKeyboardButton(
                    tx.plain(without_bidi_controls(s.title)[:60]),
                    callback_data=BroadcastSession(s.id).pack(),
                )
            ]
            for s in sessions[:SESSIONS_SHOWN]
        ]
        await query.edit_message_text(
            tx._("Subscribers of which session?"), reply_markup=_with_back(tx, rows)
        )
        return AUDIENCE
    await query.edit_message_text(
        tx._("Who should get it?"), reply_markup=audience_keyboard(tx, forum)
    )
    return AUDIENCE
