"""Checks of ``reply_markup`` as Telegram makes them: inline keyboards (one action per button,
callback data of 1-64 bytes, valid URLs, at most 100 buttons) and reply keyboards."""

from __future__ import annotations

import re
from typing import Any


class MarkupError(ValueError):
    """A reply_markup Telegram would refuse; ``description`` is the full error description."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


_BUTTON_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_RE = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|tg://[a-z_]+[^\s]*)$", re.IGNORECASE)


def validate_reply_markup(markup: Any) -> None:
    """Raise :class:`MarkupError` for a reply_markup Telegram would refuse."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise MarkupError(
                "Bad Request: can't parse inline keyboard button: Field "
                '"inline_keyboard" must be an Array of Arrays'
            )
        if sum(len(r) for r in rows) > 100:
            raise MarkupError("Bad Request: reply markup is too long")
        for row in rows:
            for button in row:
                _validate_inline_button(button)
        return
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not isinstance(label, str) or not label:
                    raise MarkupError("Bad Request: keyboard button text must be non-empty")
        return
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return
    raise MarkupError("Bad Request: can't parse reply keyboard markup JSON object")


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an "
            "Object"
        )
    text = button.get("text")
    if not isinstance(text, str) or not text.strip():
        raise MarkupError("Bad Request: can't parse inline keyboard button: Text must be non-empty")
    actions = [a for a in _BUTTON_ACTIONS if a in button]
    if not actions:
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in "
            "the inline keyboard"
        )
    if len(actions) > 1:
        raise MarkupError(
            "Bad Request: can't parse inline keyboard button: exactly one of the optional fields "
            f"must be used, got {', '.join(actions)}"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise MarkupError("Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _URL_RE.match(url):
            raise MarkupError("Bad Request: BUTTON_URL_INVALID")
