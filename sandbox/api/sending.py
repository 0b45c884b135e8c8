"""The Bot API methods that send: ``sendMessage``, ``sendDocument``, ``sendPhoto``,
``copyMessage``, ``forwardMessage`` and ``sendChatAction``."""

from __future__ import annotations

from typing import Any

from ..state import ChatState, SentMessage, bad_request
from .base import ApiBase, unix_now
from .params import Upload

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


class SendingMethods(ApiBase):
    """Sending new messages, copies and forwards; each send counts towards the rate limits."""

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

    async def api_sendMessage(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        chat = self._send_target(p)
        parsed = self._parse_text_param(p)
        return self._deliver(chat, p, parsed, self._markup(p))

    async def _send_media(self, p: dict[str, Any], f: dict[str, Upload], kind: str) -> Any:
        chat = self._send_target(p)
        parsed = self._parse_caption_param(p)
        markup = self._markup(p)
        stored = self._resolve_file(p, f, kind)
        return self._deliver(
            chat,
            p,
            parsed,
            markup,
            kind=kind,
            filename=stored.filename if kind == "document" else None,
            content=stored.content,
            file_id=stored.file_id,
        )

    def _deliver(
        self,
        chat: ChatState,
        p: dict[str, Any],
        parsed: tuple[str | None, str | None, list[dict[str, Any]]],
        markup: dict[str, Any] | None,
        **media: Any,
    ) -> Any:
        """A message the bot sends, once the checks passed: through the rate limits, into
        the chat; answered as the Bot API does. ``parsed``: (raw, plain, entities)."""
        raw, plain, ents = parsed
        self._rate_gate(chat)
        msg = SentMessage(
            message_id=chat.new_message_id(),
            chat_id=chat.id,
            text=plain,
            parse_mode=p.get("parse_mode"),
            reply_markup=markup,
            entities=ents,
            raw_text=raw,
            **media,
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
            "date": body.get("date", unix_now()),
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
