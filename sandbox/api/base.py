"""The emulated Telegram's state and what every Bot API method shares.

:class:`ApiBase` holds the chats, files, pending updates, commands and faults, and the
checks and conversions the methods have in common: which chat a call targets, parsing text
and captions in their parse mode, validating reply markup, storing files, recording a sent
message (and its rate) and rendering it as a Telegram ``Message``. The methods themselves are
in the sibling modules, one group each; :class:`sandbox.api.BotApi` puts them together.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from ..faults import FaultBook, RateMeter
from ..markup import EntityParseError, MarkupError, parse_text, utf16_len, validate_reply_markup
from ..state import ApiCall, ApiError, ChatState, SentMessage, StoredFile, bad_request
from .params import Upload

MAX_TEXT = 4096
MAX_CAPTION = 1024
BLOCKED = "Forbidden: bot was blocked by the user"
DEFAULT_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)

Handler = Callable[[dict[str, Any], dict[str, Upload]], Awaitable[Any]]


def unix_now() -> int:
    """Now as Telegram dates messages: whole seconds since the epoch."""
    return int(time.time())


class ApiBase:
    """State of the emulated Telegram and the helpers its Bot API methods share."""

    def __init__(self, token: str, bot_username: str, enforce_rate_limits: bool) -> None:
        self.token = token
        self.enforce_rate_limits = enforce_rate_limits
        head = token.split(":", 1)[0]
        self.bot_user: dict[str, Any] = {
            "id": int(head) if head.isdigit() else 123456,
            "is_bot": True,
            "first_name": "ForumBridge",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.calls: list[ApiCall] = []
        self.callback_answers: dict[str, dict[str, Any]] = {}
        self.webhook_url: str = ""
        self.webhook_secret: str = ""
        # (unix time, message) of the last failed webhook delivery, as getWebhookInfo says.
        self.webhook_last_error: tuple[int, str] | None = None
        self._chats: dict[int, ChatState] = {}
        self._files: dict[str, StoredFile] = {}
        self._updates: list[dict[str, Any]] = []
        self._last_update_id = 1000
        self._allowed_updates: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._callbacks: dict[str, dict[str, Any]] = {}
        self._faults = FaultBook()
        self._rate = RateMeter()
        self._version = 0
        self._file_counter = 0
        self._poll_generation = 0
        self._closing = False
        self._cond: asyncio.Condition | None = None
        # Who waits for a chat's messages, woken only when that chat's messages change: with
        # one condition for everything, a thousand users waiting each woke at every call.
        self._chat_waiters: dict[int, list[asyncio.Future[None]]] = {}
        self._changed_chats: set[int] = set()
        self._methods: dict[str, tuple[str, Handler]] = {}
        for attr in dir(self):
            if attr.startswith("api_"):
                name = attr[4:]
                self._methods[name.lower()] = (name, getattr(self, attr))

    @property
    def bot_from(self) -> dict[str, Any]:
        return {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}

    async def _notify(self) -> None:
        """Wake everything waiting on the sandbox condition (long polls, answers, idleness)
        and whoever waits for the messages of a chat that changed since the last call."""
        changed, self._changed_chats = self._changed_chats, set()
        for chat_id in changed:
            for waiter in self._chat_waiters.pop(chat_id, ()):
                if not waiter.done():
                    waiter.set_result(None)
        if self._cond is None:
            return
        async with self._cond:
            self._cond.notify_all()

    def _message_changed(self, msg: SentMessage) -> None:
        """A message was sent, edited or deleted: a new version, and its chat's waiters are
        woken at the next notify."""
        msg.version = self._bump()
        self._changed_chats.add(msg.chat_id)

    def _bump(self) -> int:
        self._version += 1
        return self._version

    def _chat_or_404(self, chat_id: Any) -> ChatState:
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None or not chat.known:
            raise bad_request("chat not found")
        return chat

    def _send_target(self, params: dict[str, Any]) -> ChatState:
        chat = self._chat_or_404(params.get("chat_id"))
        if chat.blocked:
            raise ApiError(403, BLOCKED)
        return chat

    @staticmethod
    def _parse(
        text: str, params: dict[str, Any], entities_key: str, *, limit: int, too_long: str
    ) -> tuple[str, list[dict[str, Any]]]:
        """``text`` (a message's text or caption) with the request's ``parse_mode`` and its
        entities under ``entities_key``: the plain text and its entities, or a Bot API error."""
        parse_mode = params.get("parse_mode")
        entities = params.get(entities_key)
        try:
            plain, ents = parse_text(
                text,
                parse_mode if isinstance(parse_mode, str) else None,
                entities if isinstance(entities, list) else None,
            )
        except EntityParseError as exc:
            raise bad_request(f"can't parse entities: {exc.reason}") from None
        except ValueError:
            raise bad_request("unsupported parse_mode") from None
        if utf16_len(plain) > limit:
            raise bad_request(too_long)
        return plain, ents

    def _parse_text_param(self, params: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise bad_request("message text is empty")
        plain, ents = self._parse(
            text, params, "entities", limit=MAX_TEXT, too_long="message is too long"
        )
        if not plain.strip():
            raise bad_request("message text is empty")
        return text, plain, ents

    def _parse_caption_param(
        self, params: dict[str, Any]
    ) -> tuple[str | None, str | None, list[dict[str, Any]]]:
        caption = params.get("caption")
        if not isinstance(caption, str) or caption == "":
            return None, None, []
        plain, ents = self._parse(
            caption,
            params,
            "caption_entities",
            limit=MAX_CAPTION,
            too_long="message caption is too long",
        )
        return caption, plain, ents

    @staticmethod
    def _markup(params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if markup is None or markup == "":
            return None
        if isinstance(markup, str):
            raise bad_request("can't parse reply keyboard markup JSON object")
        try:
            validate_reply_markup(markup)
        except MarkupError as exc:
            raise ApiError(400, exc.description) from None
        return dict(markup)

    def _rate_gate(self, chat: ChatState) -> None:
        self._rate.check(time.monotonic(), chat.id, self.enforce_rate_limits)

    def _commit(self, chat: ChatState, msg: SentMessage) -> SentMessage:
        self._rate.record(time.monotonic(), chat.id)
        self._message_changed(msg)
        chat.sent.append(msg)
        chat.by_id[msg.message_id] = msg
        return msg

    def _new_file(
        self, filename: str, content: bytes, mime_type: str, folder: str = "documents"
    ) -> StoredFile:
        self._file_counter += 1
        n = self._file_counter
        ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        stored = StoredFile(
            file_id=f"BQACAgIAAxkBAAI{n:06d}sandbox",
            file_unique_id=f"AgAD{n:06d}",
            file_path=f"{folder}/file_{n}.{ext}",
            filename=filename,
            content=content,
            mime_type=mime_type,
        )
        self._files[stored.file_id] = stored
        return stored

    def _resolve_file(
        self, params: dict[str, Any], files: dict[str, Upload], field: str
    ) -> StoredFile:
        value = params.get(field)
        upload = files.get(field)
        if upload is None and isinstance(value, str) and value.startswith("attach://"):
            upload = files.get(value[len("attach://") :])
            if upload is None:
                raise bad_request(f"wrong file identifier/HTTP URL specified ({field})")
        if upload is not None:
            folder = "photos" if field == "photo" else "documents"
            return self._new_file(
                upload.filename or field,
                upload.content,
                upload.content_type or "application/octet-stream",
                folder,
            )
        if value is None or value == "":
            raise bad_request(f"there is no {field} in the request")
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            name = value.rstrip("/").rsplit("/", 1)[-1] or "file"
            return self._new_file(name, b"", "application/octet-stream")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def message_json(self, chat: ChatState, msg: SentMessage) -> dict[str, Any]:
        """The Telegram ``Message`` object for a message the bot sent."""
        body: dict[str, Any] = {
            "message_id": msg.message_id,
            "from": self.bot_from,
            "chat": chat.chat,
            "date": msg.date,
        }
        if msg.edit_date is not None:
            body["edit_date"] = msg.edit_date
        stored = self._files.get(msg.file_id or "")
        if msg.kind == "text":
            body["text"] = msg.text or ""
            if msg.entities:
                body["entities"] = msg.entities
        else:
            if msg.kind == "document" and stored is not None:
                body["document"] = stored.document_json()
            elif msg.kind == "photo" and stored is not None:
                body["photo"] = stored.photo_json()
            else:
                body.update(msg.extra)
            if msg.text:
                body["caption"] = msg.text
                if msg.entities:
                    body["caption_entities"] = msg.entities
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            body["reply_markup"] = msg.reply_markup
        return body

    def _deliverable(self) -> list[dict[str, Any]]:
        return [u for u in self._updates if (set(u) - {"update_id"}) & self._allowed_updates]
