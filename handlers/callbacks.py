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


# -- matches and introductions (handlers.matches, handlers.intro_request, handlers.intros) --
@dataclass(frozen=True)
class MatchPage(CallbackData, prefix="xp"):
    """/matches: show the card at this position of the (re-computed) list."""

    index: int


@dataclass(frozen=True)
class MatchDismiss(CallbackData, prefix="xn"):
    """/matches: "Not interested" in this company, pressed on the card at ``index``."""

    company_id: int
    index: int


@dataclass(frozen=True)
class IntroRequest(CallbackData, prefix="xr"):
    """/matches: ask this company for an introduction (the note step follows)."""

    company_id: int


@dataclass(frozen=True)
class NoteSend(CallbackData, prefix="xs"):
    """The note step: send the request without a note."""


@dataclass(frozen=True)
class NoteStop(CallbackData, prefix="xc"):
    """The note step: send nothing."""


@dataclass(frozen=True)
class IntroAnswer(CallbackData, prefix="ia"):
    """Accept or decline an introduction request (the notice, or /intros)."""

    intro_id: int
    accept: bool


@dataclass(frozen=True)
class IntroAnswerBefore(CallbackData, prefix="intro"):
    """Accept / Decline as request notices sent before the codec packed them
    (``intro:acc:17``): such a request stays answerable from its message until it expires."""

    action: Literal["acc", "dec"]
    intro_id: int


# -- broadcasts (handlers.broadcast) --------------------------------------------------------
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


# -- companies: the front door, registration, profiles (handlers.start, handlers.registration,
# handlers.profile, handlers.company_links, handlers.privacy) --------------------------------
RegistrationList = Literal["sectors", "partnerships"]
SummaryAction = Literal["confirm", "change", "cancel"]
ProfileField = Literal[
    "name",
    "country",
    "city",
    "sectors",
    "offers",
    "seeks",
    "partnerships",
    "size",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "consent",
]
CompanySize = Literal["1–10", "11–50", "51–200", "201–1000", "1000+"]
ProfileAction = Literal[
    "pause", "resume", "invite", "leave", "delete", "leave_yes", "delete_yes", "keep"
]


@dataclass(frozen=True)
class HomeHelp(CallbackData, prefix="hh"):
    """/start: ℹ️ Help."""


@dataclass(frozen=True)
class HomeAgenda(CallbackData, prefix="ha"):
    """/start: 🗓 Agenda (the agenda's first page)."""


@dataclass(frozen=True)
class RegisterStart(CallbackData, prefix="gr"):
    """📝 Register my company (/start, /profile): the registration's entry point."""


@dataclass(frozen=True)
class RegCountry(CallbackData, prefix="gc"):
    """Registration: the company's country, by the forum file's code."""

    code: str


@dataclass(frozen=True)
class RegToggle(CallbackData, prefix="gt"):
    """Registration: tick or untick a sector or an intent, by its key."""

    step: RegistrationList
    key: str


@dataclass(frozen=True)
class RegDone(CallbackData, prefix="gd"):
    """Registration: ✅ Done under the sectors or the intents."""

    step: RegistrationList


@dataclass(frozen=True)
class RegSize(CallbackData, prefix="gz"):
    size: CompanySize


@dataclass(frozen=True)
class RegConsent(CallbackData, prefix="ga"):
    """Registration: ✅ I agree (1) or Not now (0)."""

    agree: bool


@dataclass(frozen=True)
class RegSummary(CallbackData, prefix="gs"):
    """The summary's Confirm / Edit a field / Cancel."""

    action: SummaryAction


@dataclass(frozen=True)
class RegField(CallbackData, prefix="gf"):
    """The field list: change this field."""

    field: ProfileField


@dataclass(frozen=True)
class RegFieldsDone(CallbackData, prefix="gb"):
    """The field list: ✅ Done (editing) or ↩️ Back to the summary (registering)."""


@dataclass(frozen=True)
class ProfileEdit(CallbackData, prefix="pe"):
    """/profile: ✏️ Edit this company (the field list), for its reps only."""

    company_id: int


@dataclass(frozen=True)
class ProfileAct(CallbackData, prefix="pa"):
    """/profile: pause, resume, invite a colleague, leave or delete (then yes / keep)."""

    company_id: int
    action: ProfileAction


@dataclass(frozen=True)
class ClaimConsent(CallbackData, prefix="pc"):
    """After claiming an imported company: the rep's consent, I agree (1) or Not now (0)."""

    company_id: int
    agree: bool


@dataclass(frozen=True)
class DeleteMe(CallbackData, prefix="xd"):
    """/deleteme: erase (1) or keep (0); carries the user's own id, checked on the press."""

    user_id: int
    erase: bool
