"""Buttons of /language."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData

Language = Literal["en", "ro", "ur"]


class LanguagePick(CallbackData, prefix="lang"):
    """/language: the language chosen."""

    language: Language
