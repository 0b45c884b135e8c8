"""What the /broadcast conversation's steps share: the named states, the draft kept in
the organiser's user data (persisted with it), and the answer to a press with no draft."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, Update
from telegram.ext import ConversationHandler

from bot.forum import Forum
from bot.runtime.context import ForumContext
from bot.services.broadcasts import COUNTRY, SECTOR, Audience, Draft
from handlers.common import organiser_id, reader
from handlers.i18n import Texts

# Conversation states (persisted: named, so a state added later never shifts the others).
COMPOSE = "broadcast:compose"
AUDIENCE = "broadcast:audience"
CONFIRM = "broadcast:confirm"
WHEN = "broadcast:when"
# What versions before named states saved (range(4)): a conversation in flight across the
# upgrade carries on in the same step.
LEGACY_STATES = {0: COMPOSE, 1: AUDIENCE, 2: CONFIRM, 3: WHEN}

DRAFT_KEY = "broadcast_draft"


def draft_of(context: ForumContext) -> dict[str, Any] | None:
    data = context.user_data
    return data.get(DRAFT_KEY) if data is not None else None


def drop_draft(context: ForumContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT_KEY, None)


async def organiser_press(
    update: Update, context: ForumContext
) -> tuple[CallbackQuery, Texts] | None:
    """An organiser's button press (the role re-checked on the server) and their texts;
    None for anyone else, who has been told."""
    if await organiser_id(update, context) is None or update.callback_query is None:
        return None
    return update.callback_query, await reader(update, context)


async def expired(update: Update, context: ForumContext) -> int:
    """A press with no draft behind it (the conversation was lost): say so, end it."""
    tx = await reader(update, context)
    query = update.callback_query
    assert query is not None
    await query.answer(tx._("This menu has expired. Send /broadcast to begin again."))
    return ConversationHandler.END


def draft_parts(context: ForumContext) -> tuple[Draft, Audience] | None:
    draft = draft_of(context)
    if draft is None or "audience" not in draft:
        return None
    aud = draft["audience"]
    return (
        Draft(draft["chat_id"], draft["message_id"], draft["summary"]),
        _by_key(Audience(aud["kind"], aud["value"]), context.services.forum),
    )


def _by_key(audience: Audience, forum: Forum) -> Audience:
    """A draft saved before audiences named countries and sectors by code and key (one being
    composed across the upgrade) names them: read the names as their code or key."""
    value = str(audience.value)
    if audience.kind == COUNTRY and forum.country(value) is None:
        country = forum.find_country(value)
        return Audience(COUNTRY, country.code) if country else audience
    if audience.kind == SECTOR and forum.sector(value) is None:
        sector = forum.find_sector(value)
        return Audience(SECTOR, sector.key) if sector else audience
    return audience
