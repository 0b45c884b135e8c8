"""An inline keyboard that is turned into JSON once, for menus built once and sent many times.

PTB's objects are immutable once made, so a menu that depends only on the reader's language
(``handlers.i18n.per_language``) or on a few choices (the registration's lists) is built once
and reused; but PTB serialises a ``reply_markup`` again for every message it goes out with
(``to_dict`` walks every button, a few hundred microseconds for a long list). A
:class:`Keyboard` keeps its JSON from the start and hands PTB a fresh copy of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


class Keyboard(InlineKeyboardMarkup):
    # A private attribute: PTB's frozen objects let those be set, and leave them out of
    # to_dict, equality and the API's JSON.
    __slots__ = ("_wire",)

    def __init__(self, inline_keyboard: Sequence[Sequence[InlineKeyboardButton]]) -> None:
        super().__init__(inline_keyboard)
        self._wire = json.dumps(super().to_dict())

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        if not recursive:
            return super().to_dict(recursive=False)
        made: dict[str, Any] = json.loads(self._wire)
        return made
