"""What a test's users do: register (``user``, ``group``), send text and documents, press
inline buttons (or forge callback data), block and unblock the bot. Each action becomes an
update the bot receives, as Telegram would send it."""

from __future__ import annotations

import itertools
import time
from typing import Any

from ..markup import utf16_len
from ..state import ChatState, SentMessage
from ..users import SandboxUser
from .waiting import Observing


def _command_entities(text: str | None) -> list[dict[str, Any]]:
    if not text or not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0] if text.strip() else text
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]


class UserActions(Observing):
    """Users acting on the emulated Telegram."""

    def __init__(self, token: str, bot_username: str, enforce_rate_limits: bool) -> None:
        super().__init__(token, bot_username, enforce_rate_limits)
        self._users: dict[int, SandboxUser] = {}
        self._ids = itertools.count(1)

    def user(
        self,
        user_id: int,
        first_name: str = "User",
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SandboxUser:
        """Register a user and return its handle. Private chat id == user id. Calling it again
        for a known user returns the same handle and updates only the fields given explicitly
        (so ``sb.user(uid)`` never renames an existing user)."""
        existing = self._chats.get(user_id)
        if existing is not None and existing.user is not None:
            old = existing.user
            first_name = first_name if first_name != "User" else old["first_name"]
            last_name = last_name or old.get("last_name")
            username = username or old.get("username")
            if language_code == "en":
                language_code = old.get("language_code")
        info: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            info["last_name"] = last_name
        if username:
            info["username"] = username
        if language_code:
            info["language_code"] = language_code
        chat = {k: v for k, v in info.items() if k in ("id", "first_name", "last_name", "username")}
        chat["type"] = "private"
        state = self._chats.get(user_id)
        if state is None:
            self._chats[user_id] = ChatState(chat=chat, user=info)
        else:
            state.chat, state.user = chat, info
        handle = self._users.get(user_id)
        if handle is None:
            handle = self._users[user_id] = SandboxUser(self, user_id)
        return handle

    def group(self, chat_id: int, title: str = "Group", *, supergroup: bool = True) -> None:
        """Register a group chat (negative id) the bot is a member of, so it can send there."""
        chat = {"id": chat_id, "type": "supergroup" if supergroup else "group", "title": title}
        self._chats[chat_id] = ChatState(chat=chat, known=True)

    def _private(self, user_id: int) -> tuple[ChatState, dict[str, Any]]:
        if user_id not in self._users:
            self.user(user_id)
        chat = self._chats[user_id]
        assert chat.user is not None
        return chat, chat.user

    async def _push_update(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._last_update_id += 1
        update = {"update_id": self._last_update_id, kind: payload}
        self._updates.append(update)
        self._bump()
        self._touch()
        await self._notify()
        return update

    async def _acting(self, user_id: int) -> tuple[ChatState, dict[str, Any]]:
        """Common start of every user action: mark chat known, unblock, move the cursor."""
        chat, user = self._private(user_id)
        if chat.blocked:
            await self.unblock(user_id)
        chat.known = True
        self._users[user_id].mark(len(chat.sent), self._version)
        return chat, user

    async def send_message(self, user_id: int, **fields: Any) -> dict[str, Any]:
        """The user sends a message with arbitrary content fields (photo, sticker, caption...)."""
        chat, user = await self._acting(user_id)
        message: dict[str, Any] = {
            "message_id": chat.new_message_id(),
            "from": user,
            "chat": chat.chat,
            "date": int(time.time()),
        }
        message.update(fields)
        chat.incoming[message["message_id"]] = message
        return await self._push_update("message", message)

    async def send_text(self, user_id: int, text: str) -> dict[str, Any]:
        """The user sends ``text``; a leading ``/command`` gets a bot_command entity."""
        fields: dict[str, Any] = {"text": text}
        entities = _command_entities(text)
        if entities:
            fields["entities"] = entities
        return await self.send_message(user_id, **fields)

    async def send_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str = "text/csv",
    ) -> dict[str, Any]:
        """The user uploads a document (downloadable by the bot via getFile)."""
        stored = self._new_file(filename, content, mime_type)
        fields: dict[str, Any] = {"document": stored.document_json()}
        if caption:
            fields["caption"] = caption
            entities = _command_entities(caption)
            if entities:
                fields["caption_entities"] = entities
        return await self.send_message(user_id, **fields)

    def _find_button(
        self, chat: ChatState, button: str, message_id: int | None
    ) -> tuple[SentMessage, str]:
        candidates = [m for m in reversed(chat.sent) if not m.deleted]
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
        available: list[str] = []
        for msg in candidates:
            markup = msg.reply_markup or {}
            for row in markup.get("inline_keyboard") or []:
                for b in row:
                    available.append(f"#{msg.message_id}:{b.get('text')!r}")
                    if button in (b.get("text"), b.get("callback_data")):
                        if "callback_data" not in b:
                            raise LookupError(f"button {button!r} has no callback_data: {b}")
                        return msg, str(b["callback_data"])
        where = f"message #{message_id}" if message_id is not None else f"chat {chat.id}"
        raise LookupError(
            f"no inline button {button!r} in {where}; available: {', '.join(available) or 'none'}"
        )

    async def _callback(
        self, chat: ChatState, user: dict[str, Any], message: dict[str, Any], data: str
    ) -> dict[str, Any]:
        qid = str(4_000_000_000_000 + next(self._ids))
        self._callbacks[qid] = {"user_id": user["id"], "data": data}
        query = {
            "id": qid,
            "from": user,
            "message": message,
            "chat_instance": str(-(10**12) - chat.id),
            "data": data,
        }
        return await self._push_update("callback_query", query)

    async def press(
        self, user_id: int, button: str, *, message_id: int | None = None
    ) -> dict[str, Any]:
        """Press the inline button whose text or callback_data is ``button`` on the newest bot
        message having it (or on ``message_id``). Raises LookupError listing the buttons."""
        chat, user = self._private(user_id)
        msg, data = self._find_button(chat, button, message_id)
        chat, user = await self._acting(user_id)
        return await self._callback(chat, user, self.message_json(chat, msg), data)

    async def press_data(self, user_id: int, message_id: int, data: str) -> dict[str, Any]:
        """A callback query with arbitrary (possibly forged) data on ``message_id``."""
        chat, user = await self._acting(user_id)
        msg = chat.by_id.get(message_id)
        if msg is not None:
            message = self.message_json(chat, msg)
        else:  # InaccessibleMessage
            message = {"message_id": message_id, "chat": chat.chat, "date": 0}
        return await self._callback(chat, user, message, data)

    async def _member_update(self, user_id: int, old: str, new: str) -> dict[str, Any]:
        chat, user = self._private(user_id)
        bot = self.bot_from
        new_member: dict[str, Any] = {"user": bot, "status": new}
        old_member: dict[str, Any] = {"user": bot, "status": old}
        # Telegram always sends until_date for "kicked" (0 = forever); PTB requires it.
        for member in (new_member, old_member):
            if member["status"] == "kicked":
                member["until_date"] = 0
        payload = {
            "chat": chat.chat,
            "from": user,
            "date": int(time.time()),
            "old_chat_member": old_member,
            "new_chat_member": new_member,
        }
        return await self._push_update("my_chat_member", payload)

    async def block(self, user_id: int) -> None:
        """The user blocks the bot: my_chat_member "kicked"; sends then fail with 403."""
        chat, _ = self._private(user_id)
        chat.blocked = True
        self._users[user_id].mark(len(chat.sent), self._version)
        await self._member_update(user_id, "member", "kicked")

    async def unblock(self, user_id: int) -> None:
        """The user unblocks the bot: my_chat_member "member"."""
        chat, _ = self._private(user_id)
        chat.blocked = False
        chat.known = True
        await self._member_update(user_id, "kicked", "member")
