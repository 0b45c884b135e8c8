"""Buttons of the front door, registration and profiles (handlers.start, handlers.registration,
handlers.profile, handlers.company_links, handlers.privacy)."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks.codec import CallbackData

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


class CompanyButton(CallbackData):
    """The family of buttons about one company, by its id (checked against the presser)."""

    company_id: int


class HomeHelp(CallbackData, prefix="hh"):
    """/start: ℹ️ Help."""


class RegisterStart(CallbackData, prefix="gr"):
    """📝 Register my company (/start, /profile): the registration's entry point."""


class RegCountry(CallbackData, prefix="gc"):
    """Registration: the company's country, by the forum file's code."""

    code: str


class RegToggle(CallbackData, prefix="gt"):
    """Registration: tick or untick a sector or an intent, by its key."""

    step: RegistrationList
    key: str


class RegDone(CallbackData, prefix="gd"):
    """Registration: ✅ Done under the sectors or the intents."""

    step: RegistrationList


class RegSize(CallbackData, prefix="gz"):
    size: CompanySize


class RegConsent(CallbackData, prefix="ga"):
    """Registration: ✅ I agree (1) or Not now (0)."""

    agree: bool


class RegSummary(CallbackData, prefix="gs"):
    """The summary's Confirm / Edit a field / Cancel."""

    action: SummaryAction


class RegField(CallbackData, prefix="gf"):
    """The field list: change this field."""

    field: ProfileField


class RegFieldsDone(CallbackData, prefix="gb"):
    """The field list: ✅ Done (editing) or ↩️ Back to the summary (registering)."""


class ProfileEdit(CompanyButton, prefix="pe"):
    """/profile: ✏️ Edit this company (the field list), for its reps only."""


class ProfileAct(CompanyButton, prefix="pa"):
    """/profile: pause, resume, invite a colleague, leave or delete (then yes / keep)."""

    action: ProfileAction


class ClaimConsent(CompanyButton, prefix="pc"):
    """After claiming an imported company: the rep's consent, I agree (1) or Not now (0)."""

    agree: bool


class DeleteMe(CallbackData, prefix="xd"):
    """/deleteme: erase (1) or keep (0); carries the user's own id, checked on the press."""

    user_id: int
    erase: bool
