"""The Bot API methods that change what was sent or answer a button press:
``editMessageText``, ``editMessageCaption``, ``editMessageReplyMarkup``, ``deleteMessage``
and ``answerCallbackQuery`` (each answerable once, with Telegram's errors)."""

from __future__ import annotations

from typing import Any

from ..state import ApiError, ChatState, SentMessage, bad_request
from .base import BLOCKED, ApiBase, unix_now
from .params import Upload

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)


class EditingMethods(ApiBase):
    """Edits refuse an unchanged message as Telegram does ("message is not modified")."""

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
        msg.edit_date = unix_now()
        self._message_changed(msg)

    async def api_editMessageText(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return self._edit_words(p, caption=False)

    async def api_editMessageCaption(self, p: dict[str, Any], f: dict[str, Upload]) -> Any:
        return self._edit_words(p, caption=True)

    def _edit_words(self, p: dict[str, Any], *, caption: bool) -> Any:
        """editMessageText (a text message's text) or editMessageCaption (a media message's
        caption): the same edit, of the one the message has."""
        chat, msg = self._edit_target(p)
        if (msg.kind != "text") != caption:
            what = "caption" if caption else "text"
            raise bad_request(f"there is no {what} in the message to edit")
        raw, plain, ents = self._parse_caption_param(p) if caption else self._parse_text_param(p)
        markup = self._markup(p)
        self._apply_edit(
            msg, text=plain, raw=raw, entities=ents, parse_mode=p.get("parse_mode"), markup=markup
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
            self._message_changed(msg)
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
