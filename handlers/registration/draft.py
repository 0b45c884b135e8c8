"""The registration's draft: the answers so far (a :class:`~bot.domain.profiles.Profile`) and
where the conversation stands, kept in ``context.user_data["draft"]``.

The draft is written to the database when the registration starts, and with the
conversation's state before each question is sent (:func:`save_progress`), so a restart or
a kill at any moment resumes at the step the user sees, with every earlier answer.
``step`` is the step being asked, ``menu`` the message whose buttons are live: a press on
any other message is an expired menu and changes nothing.

A draft saved by an earlier version is a dict (with ``_step``, ``_menu`` ... and, before the
forum file, country and sector names): :func:`current` reads it as a :class:`Draft`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from telegram import Update

from bot.domain.profiles import FIELDS, Profile
from bot.forum import Forum, Intent, Sector
from bot.runtime.context import ForumContext
from bot.runtime.persistence import SQLitePersistence

CONVERSATION_NAME = "registration"
DRAFT = "draft"


@dataclass
class Draft:
    """A registration (``new``) or an edit of a stored company (``edit``) in progress."""

    mode: Literal["new", "edit"] = "new"
    profile: Profile = field(default_factory=Profile)
    step: str | None = None  # the step being asked
    menu: int | None = None  # the message whose buttons are live
    # The message answered just before the question went out (see :meth:`live_menu`).
    after: int | None = None
    single: bool = False  # one field is being changed from the summary or the field list
    company_id: int | None = None  # the company being edited

    @property
    def editing(self) -> bool:
        return self.mode == "edit"

    def live_menu(self, message_id: int) -> bool:
        if self.menu is not None:
            return message_id == self.menu
        # The draft was saved before its question went out, and the bot stopped before it
        # could note the question's id: the question is the first message after the one
        # answered.
        return self.after is not None and message_id > self.after


def current(context: ForumContext) -> Draft | None:
    """The user's draft, if a registration or an edit is in progress."""
    if context.user_data is None:
        return None
    draft = context.user_data.get(DRAFT)
    if isinstance(draft, dict):
        draft = _from_dict(draft, context.services.forum)
        context.user_data[DRAFT] = draft
    return draft if isinstance(draft, Draft) else None


def begin(context: ForumContext, draft: Draft) -> Draft:
    if context.user_data is not None:
        context.user_data[DRAFT] = draft
    return draft


def drop(context: ForumContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)


async def save_progress(update: Update, context: ForumContext, state: str | None) -> None:
    """Write the draft (and the state being entered) to the database now, not within the
    persistence interval: called before the user is shown anything that depends on it."""
    persistence = context.application.persistence
    chat, user = update.effective_chat, update.effective_user
    data = context.user_data
    if not isinstance(persistence, SQLitePersistence) or chat is None or user is None:
        return
    if data is None:
        return
    draft = current(context)
    resume = "/profile" if draft is not None and draft.editing else "/register"
    await persistence.save_progress(
        user.id,
        data,
        # The ConversationHandler's key: per chat and per user (PTB's defaults).
        (CONVERSATION_NAME, (chat.id, user.id), state) if state is not None else None,
        draft=DRAFT,
        resume=resume,
    )


# -- drafts saved by earlier versions ---------------------------------------------------------
Finder = Callable[[str], Sector | Intent | None]


def _from_dict(old: dict[str, Any], forum: Forum) -> Draft:
    values: dict[str, Any] = {n: old[n] for n in FIELDS if old.get(n) is not None}
    profile = Profile(**values)
    _by_keys(profile, forum)
    return Draft(
        mode="edit" if old.get("_mode") == "edit" else "new",
        profile=profile,
        step=old.get("_step"),
        menu=old.get("_menu"),
        after=old.get("_after"),
        single=bool(old.get("_single")),
        company_id=old.get("_company"),
    )


def _by_keys(profile: Profile, forum: Forum) -> None:
    """A draft saved before countries, sectors and intents were stored by code and key holds
    their names: read them as the keys (a name no longer in the forum file is kept as it
    was; storing it leaves it out)."""
    if profile.country and forum.country(profile.country) is None:
        found = forum.find_country(profile.country)
        if found is not None:
            profile.country = found.code
    lookups: tuple[tuple[str, Finder, Finder], ...] = (
        ("sectors", forum.sector, forum.find_sector),
        ("partnerships", forum.intent, forum.find_intent),
    )
    for name, by_key, by_name in lookups:
        items = [str(item) for item in getattr(profile, name)]
        keys = []
        for item in items:
            found_item = by_key(item) or by_name(item)
            keys.append(found_item.key if found_item else item)
        setattr(profile, name, list(dict.fromkeys(keys)))
