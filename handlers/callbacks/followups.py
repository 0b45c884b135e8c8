"""Buttons of the follow-up survey after an accepted introduction (handlers.followups)."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData

FollowupChoice = Literal["none", "ongoing", "signed", "private"]


class FollowupAnswer(CallbackData, prefix="fa"):
    intro_id: int
    company_id: int
    answer: FollowupChoice


class FollowupNoNote(CallbackData, prefix="fn"):
    """Finish the survey without a note."""
