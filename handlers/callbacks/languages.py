"""Buttons of /language."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callbacks.codec import CallbackData

Language = Literal["en", "ro", "ur"]


@dataclass(frozen=True)
class LanguagePick(CallbackData, prefix="lang"):
    """/language: the language chosen."""

    language: Language
