"""Buttons of the follow-up survey after an accepted introduction (handlers.followups)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callbacks.codec import CallbackData

FollowupChoice = Literal["none", "ongoing", "signed", "private"]


@dataclass(frozen=True)
class FollowupAnswer(CallbackData, prefix="fa"):
    intro_id: int
    company_id: int
    answer: FollowupChoice


@dataclass(frozen=True)
class FollowupNoNote(CallbackData, prefix="fn"):
    """Finish the survey without a note."""
