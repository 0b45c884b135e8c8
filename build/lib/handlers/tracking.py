"""Runs before every other handler: records who is talking to the bot, and whether they
blocked it (``my_chat_member``), so the users table is always current."""

from __future__ import annotations

import time

from telegram import ChatMember, Update
from telegram.ext import Application, ChatMemberHandler, TypeHandler

from bot.runtime.context import ForumContext

TRACKING_GROUP = -10
# A user's names rarely change; refreshing last_seen at most this often keeps a write off
# the hot path of every single update.
REFRESH_SECONDS = 300.0


async def record_user(update: Update, context: ForumContext) -> None:
    user = update.effective_user
    if user is None or user.is_bot or update.my_chat_member is not None:
        # A my_chat_member update is the user leaving or returning; chat_member_changed
        # owns that state, and "seen" here would undo a block.
        return
    services = context.services
    names = (user.first_name, user.last_name, user.username, user.language_code)
    cached = services.seen_cache.get(user.id)
    now = time.monotonic()
    if cached and cached[0] == names and now - cached[1] < REFRESH_SECONDS:
        return
    await services.users.seen(
        user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
        now=services.clock.now(),
    )
    services.seen_cache[user.id] = (names, now)


async def chat_member_changed(update: Update, context: ForumContext) -> None:
    change = update.my_chat_member
    if change is None or change.chat.type != "private":
        return
    status = change.new_chat_member.status
    blocked = status in (ChatMember.BANNED, ChatMember.LEFT)
    services = context.services
    await services.users.set_active(change.chat.id, not blocked, now=services.clock.now())
    services.seen_cache.pop(change.chat.id, None)


def register(app: Application) -> None:
    app.add_handler(
        ChatMemberHandler(chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER),
        group=TRACKING_GROUP - 1,
    )
    app.add_handler(TypeHandler(Update, record_user), group=TRACKING_GROUP)
