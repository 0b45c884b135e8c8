"""Every inline button's payload, in one place: one class per kind of button, one prefix
each (see handlers/callback_data.py for the codec). Buttons carry ids and stable keys,
never list positions; the handlers check every value against the presser on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callback_data import CallbackData

Language = Literal["en", "ro", "ur"]


@dataclass(frozen=True)
class LanguagePick(CallbackData, prefix="lang"):
    """/language: the language chosen."""

    language: Language
