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
