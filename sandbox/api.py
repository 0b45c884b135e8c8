"""The Telegram side of the sandbox: chats, updates, files and the Bot API methods themselves.

``BotApi`` implements each supported method as ``api_<methodName>(params, files)`` working on
decoded parameters and returning the JSON ``result`` or raising :class:`ApiError`. It knows
nothing about HTTP; ``server.Sandbox`` adds the HTTP layer, user actions and waiting helpers.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .faults import FaultBook, RateMeter
from .markup import EntityParseError, MarkupError, parse_text, utf16_len, validate_reply_markup
from .state import LOCAL_HOSTS, ApiCall, ApiError, ChatState, SentMessage, StoredFile, bad_request

__all__ = ["BotApi", "Upload", "decode_params"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
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
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "allowed_updates",
        "commands",
        "scope",
        "link_preview_options",
        "reply_parameters",
        "media",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "reply_to_message_id",
        "message_thread_id",
        "cache_time",
        "user_id",
    }
)
_BOOL_FIELDS = frozenset(
    {
        "disable_notification",
        "protect_content",
        "show_alert",
        "drop_pending_updates",
        "disable_web_page_preview",
        "allow_sending_without_reply",
        "disable_content_type_detection",
        "has_spoiler",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")

Handler = Callable[[dict[str, Any], dict[str, "Upload"]], Awaitable[Any]]


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str


def decode_params(raw: dict[str, Any], files: dict[str, Upload]) -> dict[str, Any]:
    """Decode form/JSON parameters: JSON-encoded objects, integers and booleans; file parts
    appear as ``{"upload": filename, "size": n}``."""
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, str):
            if key in _JSON_FIELDS:
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            elif key in _INT_FIELDS:
                with contextlib.suppress(ValueError):
                    value = int(value)
            elif key in _BOOL_FIELDS and value.lower() in ("true", "false"):
                value = value.lower() == "true"
        params[key] = value
    for key, upload in files.items():
        if key not in params:
            params[key] = {"upload": upload.filename, "size": len(upload.content)}
    return params


def _now() -> int:
    return int(time.time())


class BotApi:
    """State of the emulated Telegram and the Bot API method implementations."""

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
        self._methods: dict[str, tuple[str, Handler]] = {}
        for attr in dir(self):
            if attr.startswith("api_"):
                name = attr[4:]
                self._methods[name.lower()] = (name, getattr(self, attr))

    # ------------------------------------------------------------------ helpers

    @property
    def bot_from(self) -> dict[str, Any]:
        return {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}

    async def _notify(self) -> None:
        """Wake everything waiting on the sandbox condition (long polls, wait_for, ...)."""
        if self._cond is None:
            return
        async with self._cond:
            self._cond.notify_all()

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
        text: str, parse_mode: Any, entities: Any, *, limit: int, too_long: str
    ) -> tuple[str, list[dict[str, Any]]]:
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
            text,
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT,
            too_long="message is too long",
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
            params.get("parse_mode"),
            params.get("caption_entities"),
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
        msg.version = self._bump()
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

    def _edit_target(self, params: dict[str, Any]) -> tuple[ChatState, SentMessage]:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self._chat_or_404(params.get("chat_id"))
        if chat.blocked:
            raise ApiError(403, BLOCKED)
        mid = params.get("message_id")
        msg = chat.by_id.get(mid) if isinstance(mid, int) else None
        if msg is None or msg.deleted:
            if isinstance(mid, int) and mid in chat.incoming:
                raise bad_request("message can't be edited")
            raise bad_request("message to edit not found")
        return chat, msg

    def _apply_edit(
        self,
        msg: SentMessage,
        *,
        text: str | None,
        raw: str | None,
        entities: list[dict[str, Any]],
        parse_mode: Any,
        markup: dict[str, Any] | None,
    ) -> None:
        inline = markup if markup and "inline_keyboard" in markup else None
        current = msg.reply_markup
        if current is not None and "inline_keyboard" not in current:
            current = None  # a reply keyboard is not part of the message; edits keep it
        if text == msg.text and entities == msg.entities and inline == current:
            raise bad_request(NOT_MODIFIED)
        if text != msg.text:
            msg.edits.append(msg.text)
        msg.text = text
        msg.raw_text = raw
        msg.entities = entities
        msg.parse_mode = parse_mode if isinstance(parse_mode, str) else None
        if inline is not None or current is not None:
            msg.reply_markup = inline
        msg.edit_date = _now()
        msg.version = self._bump()

    def _deliverable(self) -> list[dict[str, Any]]:
        return [u for u in self._updates if (set(u) - {"update_id"}) & self._allowed_updates]

    def _source_message(
        self, params: dict[str, Any], what: str
    ) -> tuple[ChatState, dict[str, Any], SentMessage | None]:
        src_chat = self._chat_or_404(params.get("from_chat_id"))
        mid = params.get("message_id")
        if not isinstance(mid, int):
            raise bad_request("message identifier is not specified")
        sent = src_chat.by_id.get(mid)
        if sent is not None and not sent.deleted:
            return src_chat, self.message_json(src_chat, sent), sent
        if mid in src_chat.incoming:
            return src_chat, src_chat.incoming[mid], None
        raise bad_request(f"message to {what} not found")

    def _message_from_source(
        self, chat: ChatState, body: dict[str, Any], sent: SentMessage | None
    ) -> SentMessage:
        """A new bot message in ``chat`` carrying the content of ``body``."""
        if sent is not None:
            return SentMessage(
                message_id=chat.new_message_id(),
                chat_id=chat.id,
                text=sent.text,
                parse_mode=sent.parse_mode,
                entities=list(sent.entities),
                kind=sent.kind,
                filename=sent.filename,
                content=sent.content,
                file_id=sent.file_id,
                raw_text=sent.raw_text,
                extra=dict(sent.extra),
            )
        msg = SentMessage(message_id=chat.new_message_id(), chat_id=chat.id, text=None)
        if "text" in body:
            msg.text = body["text"]
            msg.entities = list(body.get("entities", []))
        else:
            msg.text = body.get("caption")
            msg.entities = list(body.get("caption_entities", []))
            if "document" in body and body["document"].get("file_id") in self._files:
                stored = self._files[body["document"]["file_id"]]
                msg.kind, msg.file_id = "document", stored.file_id
                msg.filename, msg.content = stored.filename, stored.content
            elif "photo" in body and body["photo"] and body["photo"][-1]["file_id"] in self._files:
                stored = self._files[body["photo"][-1]["file_id"]]
                msg.kind, msg.file_id, msg.content = "photo", stored.file_id, stored.content
            else:
                msg.kind = "other"
                skip = {"message_id", "from", "chat", "date", "caption", "caption_entities"}
                msg.extra = {k: v for k, v in body.items() if k not in skip}
        msg.raw_text = msg.text
        return msg

    # ------------------------------------------------------------------ bot & updates

    async def api_getMe(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return self.bot_user

    async def api_logOut(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_close(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_getUpdates(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.get("offset")
        limit = p.get("limit")
        limit = min(max(limit, 1), 100) if isinstance(limit, int) else 100
        timeout = p.get("timeout")
        timeout = max(timeout, 0) if isinstance(timeout, int) else 0
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        if isinstance(offset, int) and offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif isinstance(offset, int) and offset < 0:
            self._updates = self._updates[offset:]
        # updates of types the bot did not ask for are never delivered
        self._updates = self._deliverable()
        self._poll_generation += 1
        generation = self._poll_generation
        await self._notify()  # a pending older poll is answered with 409 Conflict

        def ready() -> bool:
            return bool(self._deliverable()) or generation != self._poll_generation or self._closing

        if timeout > 0 and not ready() and self._cond is not None:
            async with self._cond:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._cond.wait_for(ready), timeout)
        if generation != self._poll_generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        if self._closing:
            return []
        return self._deliverable()[:limit]

    async def api_setWebhook(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        url = str(p.get("url") or "")
        secret = str(p.get("secret_token") or "")
        if url:
            parts = urlsplit(url)
            # Telegram wants https; the sandbox also takes http to this machine, as a
            # self-hosted Bot API server does.
            local = parts.scheme == "http" and parts.hostname in LOCAL_HOSTS
            if parts.scheme != "https" and not local:
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if not parts.hostname:
                raise bad_request("bad webhook: Failed to resolve host: Name or service not known")
        if secret and not _SECRET_RE.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else DEFAULT_UPDATE_TYPES
        self.webhook_url, self.webhook_secret = url, secret if url else ""
        self.webhook_last_error = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        await self._notify()  # the deliverer starts on what is pending
        return True

    async def api_deleteWebhook(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        self.webhook_url, self.webhook_secret = "", ""
        self.webhook_last_error = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def api_getWebhookInfo(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._deliverable()),
        }
        if self.webhook_url:
            info["max_connections"] = 40
            info["allowed_updates"] = sorted(self._allowed_updates)
        if self.webhook_last_error is not None:
            info["last_error_date"], info["last_error_message"] = self.webhook_last_error
        return info

    # ------------------------------------------------------------------ sending

    async def api_sendMessage(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._send_target(p)
        raw, plain, ents = self._parse_text_param(p)
        markup = self._markup(p)
        self._rate_gate(chat)
        msg = SentMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.id,
            text=plain,
            parse_mode=p.get("parse_mode"),
            reply_markup=markup,
            entities=ents,
            raw_text=raw,
        )
        return self.message_json(chat, self._commit(chat, msg))

    async def _send_media(self, p: dict[str, Any], f: dict[str, Upload], kind: str) -> Any:
        chat = self._send_target(p)
        raw, caption, ents = self._parse_caption_param(p)
        markup = self._markup(p)
        stored = self._resolve_file(p, f, kind)
        self._rate_gate(chat)
        msg = SentMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.id,
            text=caption,
            parse_mode=p.get("parse_mode"),
            reply_markup=markup,
            entities=ents,
            kind=kind,
            filename=stored.filename if kind == "document" else None,
            content=stored.content,
            file_id=stored.file_id,
            raw_text=raw,
        )
        return self.message_json(chat, self._commit(chat, msg))

    async def api_sendDocument(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return await self._send_media(p, f, "document")

    async def api_sendPhoto(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return await self._send_media(p, f, "photo")

    async def api_copyMessage(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._send_target(p)
        _, body, sent = self._source_message(p, "copy")
        msg = self._message_from_source(chat, body, sent)
        if "caption" in p and msg.kind != "text":
            msg.raw_text, msg.text, msg.entities = self._parse_caption_param(p)
            msg.parse_mode = p.get("parse_mode")
        msg.reply_markup = self._markup(p)
        self._rate_gate(chat)
        self._commit(chat, msg)
        return {"message_id": msg.message_id}

    async def api_forwardMessage(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._send_target(p)
        src_chat, body, sent = self._source_message(p, "forward")
        msg = self._message_from_source(chat, body, sent)
        origin_user = src_chat.user if sent is None and src_chat.user else self.bot_from
        msg.extra["forward_origin"] = {
            "type": "user",
            "sender_user": origin_user,
            "date": body.get("date", _now()),
        }
        self._rate_gate(chat)
        self._commit(chat, msg)
        result = self.message_json(chat, msg)
        result["forward_origin"] = msg.extra["forward_origin"]
        return result

    async def api_sendChatAction(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        self._send_target(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    # ------------------------------------------------------------------ editing

    async def api_editMessageText(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat, msg = self._edit_target(p)
        if msg.kind != "text":
            raise bad_request("there is no text in the message to edit")
        raw, plain, ents = self._parse_text_param(p)
        markup = self._markup(p)
        self._apply_edit(
            msg, text=plain, raw=raw, entities=ents, parse_mode=p.get("parse_mode"), markup=markup
        )
        return self.message_json(chat, msg)

    async def api_editMessageCaption(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat, msg = self._edit_target(p)
        if msg.kind == "text":
            raise bad_request("there is no caption in the message to edit")
        raw, caption, ents = self._parse_caption_param(p)
        markup = self._markup(p)
        self._apply_edit(
            msg, text=caption, raw=raw, entities=ents, parse_mode=p.get("parse_mode"), markup=markup
        )
        return self.message_json(chat, msg)

    async def api_editMessageReplyMarkup(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat, msg = self._edit_target(p)
        markup = self._markup(p)
        self._apply_edit(
            msg,
            text=msg.text,
            raw=msg.raw_text,
            entities=msg.entities,
            parse_mode=msg.parse_mode,
            markup=markup,
        )
        return self.message_json(chat, msg)

    async def api_deleteMessage(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._chat_or_404(p.get("chat_id"))
        mid = p.get("message_id")
        msg = chat.by_id.get(mid) if isinstance(mid, int) else None
        if msg is not None and not msg.deleted:
            msg.deleted = True
            msg.version = self._bump()
            return True
        if isinstance(mid, int) and mid in chat.incoming:
            del chat.incoming[mid]
            return True
        raise bad_request("message to delete not found")

    async def api_answerCallbackQuery(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        qid = str(p.get("callback_query_id") or "")
        query = self._callbacks.get(qid)
        if query is None or qid in self.callback_answers:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        text = p.get("text")
        if isinstance(text, str) and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        self.callback_answers[qid] = {
            "text": text,
            "show_alert": bool(p.get("show_alert")),
            "url": p.get("url"),
            "cache_time": p.get("cache_time"),
        }
        self._bump()
        return True

    # ------------------------------------------------------------------ files, chats, commands

    async def api_getFile(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        stored = self._files.get(str(p.get("file_id") or ""))
        if stored is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        return stored.file_json()

    async def api_getChat(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._chat_or_404(p.get("chat_id"))
        info = dict(chat.chat)
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return info

    @staticmethod
    def _commands_key(p: dict[str, Any]) -> str:
        scope = p.get("scope") if isinstance(p.get("scope"), dict) else {"type": "default"}
        return json.dumps(scope, sort_keys=True) + "|" + str(p.get("language_code") or "")

    async def api_setMyCommands(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands")
        for cmd in commands:
            if not isinstance(cmd, dict) or not _COMMAND_RE.match(str(cmd.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            desc = cmd.get("description")
            if not isinstance(desc, str) or not 1 <= len(desc) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands[self._commands_key(p)] = [
            {"command": c["command"], "description": c["description"]} for c in commands
        ]
        return True

    async def api_getMyCommands(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return self._commands.get(self._commands_key(p), [])

    async def api_deleteMyCommands(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        self._commands.pop(self._commands_key(p), None)
        return True

    async def api_setMyDescription(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_setMyShortDescription(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_setMyName(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True

    async def api_setChatMenuButton(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return True
