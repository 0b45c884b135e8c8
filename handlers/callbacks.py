"""Every inline button's payload, in one place: one class per kind of button, one prefix
each (see handlers/callback_data.py for the codec). Buttons carry ids and stable keys,
never list positions; the handlers check every value against the presser on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from handlers.callback_data import CallbackData

Scope = Literal["o", "s"]  # the directory: the other country, or the same country
FollowupChoice = Literal["none", "ongoing", "signed", "private"]


# -- claim invitations ---------------------------------------------------------------------
@dataclass(frozen=True)
class InviteUnclaimed(CallbackData, prefix="iu"):
    """Show the invitations' preview (from /stats and the broadcast audience step)."""


@dataclass(frozen=True)
class InviteSend(CallbackData, prefix="is"):
    """Send the invitations the preview listed."""


@dataclass(frozen=True)
class InviteCancel(CallbackData, prefix="ic"):
    pass


# -- the directory --------------------------------------------------------------------------
@dataclass(frozen=True)
class DirList(CallbackData, prefix="dl"):
    """A page of the directory: which side, which sector (its key, "" for all), which of
    the user's saved searches (0: none) and which page."""

    scope: Scope
    sector: str
    query: int
    page: int


@dataclass(frozen=True)
class DirSectors(CallbackData, prefix="dx"):
    """The sector filter's choices for this side and search."""

    scope: Scope
    query: int


@dataclass(frozen=True)
class DirCard(CallbackData, prefix="dc"):
    """One company's card, with the list it was opened from (for Back)."""

    company_id: int
    scope: Scope
    sector: str
    query: int
    page: int


@dataclass(frozen=True)
class DirSearch(CallbackData, prefix="ds"):
    """Ask for the words to search."""

    scope: Scope


@dataclass(frozen=True)
class DirRequest(CallbackData, prefix="dr"):
    """Request an introduction to a company found in the directory."""

    company_id: int


# -- the follow-up survey -------------------------------------------------------------------
@dataclass(frozen=True)
class FollowupAnswer(CallbackData, prefix="fa"):
    intro_id: int
    company_id: int
    answer: FollowupChoice


@dataclass(frozen=True)
class FollowupNoNote(CallbackData, prefix="fn"):
    """Finish the survey without a note."""


# -- languages ------------------------------------------------------------------------------
Language = Literal["en", "ro", "ur"]


@dataclass(frozen=True)
class LanguagePick(CallbackData, prefix="lang"):
    """/language: the language chosen."""

    language: Language


# -- 1:1 meetings (handlers.meetings, handlers.meetings_admin) ---------------------------
# A slot travels as its block and its start in whole minutes since the epoch (UTC); a
# meeting with the revision the reader saw, so a press on an outdated message changes nothing.
MeetingAction = Literal["ok", "other", "no", "move", "cancel", "sure", "keep"]
Held = Literal["yes", "no", "moved"]


@dataclass(frozen=True)
class MeetingBook(CallbackData, prefix="mb"):
    """📅 Book a meeting with this partner company: the free slots."""

    partner: int


@dataclass(frozen=True)
class MeetingPick(CallbackData, prefix="mp"):
    """A slot chosen in the picker: propose it to the partner."""

    partner: int
    block: int
    start: int


@dataclass(frozen=True)
class MeetingAct(CallbackData, prefix="ma"):
    """On a meeting: confirm (ok), another slot (other), decline (no), reschedule (move),
    cancel (then sure / keep)."""

    meeting: int
    rev: int
    action: MeetingAction


@dataclass(frozen=True)
class MeetingMove(CallbackData, prefix="mv"):
    """A slot chosen for a meeting that moves (a counter-proposal or a reschedule)."""

    meeting: int
    rev: int
    block: int
    start: int


@dataclass(frozen=True)
class MeetingsOptIn(CallbackData, prefix="mo"):
    """/meetings: let the organisers book meetings for the company, or not."""

    on: bool


@dataclass(frozen=True)
class AvailabilityPage(CallbackData, prefix="av"):
    """/availability: another meetings block."""

    block: int


@dataclass(frozen=True)
class AvailabilitySet(CallbackData, prefix="as"):
    """/availability: block (free=0) or free (free=1) a slot for the company."""

    block: int
    start: int
    free: bool


@dataclass(frozen=True)
class MeetingHeld(CallbackData, prefix="mh"):
    """After the meeting: did it take place?"""

    meeting: int
    held: Held


@dataclass(frozen=True)
class MeetingRate(CallbackData, prefix="mr"):
    """After the meeting: 1–5 stars."""

    meeting: int
    stars: int


@dataclass(frozen=True)
class SchedulePlan(CallbackData, prefix="sp"):
    """/schedule: apply (1) or cancel (0) a stored preview."""

    plan: int
    apply: bool


# -- the agenda, reminders and time zones (handlers.agenda, .reminders, .timezone) --------
@dataclass(frozen=True)
class AgendaOpen(CallbackData, prefix="ago"):
    """Open the agenda (the /start menu's button)."""


@dataclass(frozen=True)
class AgendaPage(CallbackData, prefix="agp"):
    """A page of the agenda."""

    page: int


@dataclass(frozen=True)
class AgendaSession(CallbackData, prefix="ags"):
    """One session's details, with Subscribe / Unsubscribe."""

    session: int


@dataclass(frozen=True)
class AgendaSubscribe(CallbackData, prefix="agsu"):
    """Subscribe to (on=1) or unsubscribe from (on=0) a session: the button says which, so a
    double press acts once."""

    on: bool
    session: int


@dataclass(frozen=True)
class AgendaSubscribeAll(CallbackData, prefix="aga"):
    """Subscribe to every session not started yet."""


@dataclass(frozen=True)
class ReminderLead(CallbackData, prefix="rml"):
    """/reminders: turn one lead time (in minutes) on or off."""

    on: bool
    minutes: int


@dataclass(frozen=True)
class RemindersDone(CallbackData, prefix="rmd"):
    """/reminders: close the menu (every press is already saved)."""


@dataclass(frozen=True)
class TimezonePick(CallbackData, prefix="tzp"):
    """/timezone: the zone chosen (an IANA name; checked again when pressed)."""

    zone: str
