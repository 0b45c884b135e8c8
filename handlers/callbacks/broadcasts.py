"""Buttons of organiser broadcasts (handlers.broadcast)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callbacks.codec import CallbackData

SimpleAudience = Literal["everyone", "companies", "no_company"]
BroadcastMenuName = Literal["sector", "session", "audiences"]
BroadcastChoice = Literal["send", "schedule", "cancel"]


@dataclass(frozen=True)
class BroadcastTo(CallbackData, prefix="bct"):
    """An audience that needs no value: everyone, company reps, users without a company."""

    kind: SimpleAudience


@dataclass(frozen=True)
class BroadcastCountry(CallbackData, prefix="bcc"):
    """The reps of one of the forum's countries (its code)."""

    code: str


@dataclass(frozen=True)
class BroadcastSector(CallbackData, prefix="bcq"):
    """The reps in one sector (its key)."""

    key: str


@dataclass(frozen=True)
class BroadcastSession(CallbackData, prefix="bcn"):
    """The subscribers of one agenda session."""

    session_id: int


@dataclass(frozen=True)
class BroadcastMenu(CallbackData, prefix="bcm"):
    """Open the sectors or the sessions, or go back to the audiences."""

    menu: BroadcastMenuName


@dataclass(frozen=True)
class BroadcastConfirm(CallbackData, prefix="bcg"):
    """Under the preview: send now, schedule, or cancel."""

    choice: BroadcastChoice


@dataclass(frozen=True)
class BroadcastStop(CallbackData, prefix="bcs"):
    broadcast_id: int


@dataclass(frozen=True)
class BroadcastCancel(CallbackData, prefix="bcx"):
    """Cancel a scheduled broadcast (from /broadcasts)."""

    broadcast_id: int
