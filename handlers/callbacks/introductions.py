"""Buttons of matches and introductions (handlers.matches, handlers.intro_request,
handlers.intros)."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData
from handlers.callbacks.companies import CompanyButton


class MatchPage(CallbackData, prefix="xp"):
    """/matches: show the card at this position of the (re-computed) list."""

    index: int


class MatchDismiss(CompanyButton, prefix="xn"):
    """/matches: "Not interested" in this company, pressed on the card at ``index``."""

    index: int


class IntroRequest(CompanyButton, prefix="xr"):
    """/matches: ask this company for an introduction (the note step follows)."""


class NoteSend(CallbackData, prefix="xs"):
    """The note step: send the request without a note."""


class NoteStop(CallbackData, prefix="xc"):
    """The note step: send nothing."""


class IntroAnswer(CallbackData, prefix="ia"):
    """Accept or decline an introduction request (the notice, or /intros)."""

    intro_id: int
    accept: bool


class IntroAnswerBefore(CallbackData, prefix="intro"):
    """Accept / Decline as request notices sent before the codec packed them
    (``intro:acc:17``): such a request stays answerable from its message until it expires."""

    action: Literal["acc", "dec"]
    intro_id: int
