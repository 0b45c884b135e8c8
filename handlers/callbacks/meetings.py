"""Buttons of 1:1 meetings (handlers.meetings, handlers.meetings_admin)."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData

MeetingAction = Literal["ok", "other", "no", "move", "cancel", "sure", "keep"]
Held = Literal["yes", "no", "moved"]


class OnMeeting(CallbackData):
    """The family of buttons on one meeting, by its id."""

    meeting: int


class OnRevision(OnMeeting):
    """The family of buttons that change a meeting: with the revision the reader saw, so a
    press on an outdated message changes nothing."""

    rev: int


class OnSlot(CallbackData):
    """The family of buttons on one slot: its block and its start in whole minutes since the
    epoch (UTC)."""

    block: int
    start: int


class WithPartner(CallbackData):
    """The family of buttons that book with one partner company, by its id."""

    partner: int


class MeetingBook(WithPartner, prefix="mb"):
    """📅 Book a meeting with this partner company: the free slots."""


class MeetingPick(OnSlot, WithPartner, prefix="mp"):
    """A slot chosen in the picker: propose it to the partner (``mp:<partner>:<block>:…``)."""


class MeetingAct(OnRevision, prefix="ma"):
    """On a meeting: confirm (ok), another slot (other), decline (no), reschedule (move),
    cancel (then sure / keep)."""

    action: MeetingAction


class MeetingMove(OnSlot, OnRevision, prefix="mv"):
    """A slot chosen for a meeting that moves (a counter-proposal or a reschedule)."""


class MeetingsOptIn(CallbackData, prefix="mo"):
    """/meetings: let the organisers book meetings for the company, or not."""

    on: bool


class AvailabilityPage(CallbackData, prefix="av"):
    """/availability: another meetings block."""

    block: int


class AvailabilitySet(OnSlot, prefix="as"):
    """/availability: block (free=0) or free (free=1) a slot for the company."""

    free: bool


class MeetingHeld(OnMeeting, prefix="mh"):
    """After the meeting: did it take place?"""

    held: Held


class MeetingRate(OnMeeting, prefix="mr"):
    """After the meeting: 1–5 stars."""

    stars: int


class SchedulePlan(CallbackData, prefix="sp"):
    """/schedule: apply (1) or cancel (0) a stored preview."""

    plan: int
    apply: bool
