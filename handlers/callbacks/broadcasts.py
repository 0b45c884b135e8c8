"""Buttons of organiser broadcasts (handlers.broadcast)."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData

SimpleAudience = Literal["everyone", "companies", "no_company"]
BroadcastMenuName = Literal["sector", "session", "audiences"]
BroadcastChoice = Literal["send", "schedule", "cancel"]


class BroadcastTo(CallbackData, prefix="bct"):
    """An audience that needs no value: everyone, company reps, users without a company."""

    kind: SimpleAudience


class BroadcastCountry(CallbackData, prefix="bcc"):
    """The reps of one of the forum's countries (its code)."""

    code: str


class BroadcastSector(CallbackData, prefix="bcq"):
    """The reps in one sector (its key)."""

    key: str


class BroadcastSession(CallbackData, prefix="bcn"):
    """The subscribers of one agenda session."""

    session_id: int


class BroadcastMenu(CallbackData, prefix="bcm"):
    """Open the sectors or the sessions, or go back to the audiences."""

    menu: BroadcastMenuName


class BroadcastConfirm(CallbackData, prefix="bcg"):
    """Under the preview: send now, schedule, or cancel."""

    choice: BroadcastChoice


class OnBroadcast(CallbackData):
    """The family of buttons on one stored broadcast, by its id."""

    broadcast_id: int


class BroadcastStop(OnBroadcast, prefix="bcs"):
    """Stop a broadcast that is sending (under its progress message)."""


class BroadcastCancel(OnBroadcast, prefix="bcx"):
    """Cancel a scheduled broadcast (from /broadcasts)."""
