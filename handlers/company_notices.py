"""The companies' notices to the other reps, rendered for each recipient when the outbox
sends them: a colleague joined or left, the company was deleted, and the contact details an
erased rep had entered must be entered again.

Each renderer loads what it names at sending time: a notice about a person or a company
erased meanwhile renders as None and is dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.services.container import Services
from handlers.i18n import Texts
from handlers.notifications import Rendered, renderer


async def _colleague(
    tx: Texts, text: str, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    """``text`` about a colleague (``{person}``) and the company (``{company}``), or None if
    either is gone."""
    company = await services.companies.get(int(data["company"]))
    user = await services.users.get(int(data["user"]))
    if company is None or user is None:
        return None
    return Rendered(
        text=text.format(person=tx.user(user.display_name), company=tx.user(company.name))
    )


@renderer("rep_joined")
async def rep_joined(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    return await _colleague(
        tx, tx._("👥 {person} joined <b>{company}</b> as a rep."), data, services
    )


@renderer("rep_left")
async def rep_left(tx: Texts, data: Mapping[str, Any], services: Services) -> Rendered | None:
    return await _colleague(tx, tx._("🚪 {person} left <b>{company}</b>."), data, services)


@renderer("company_deleted")
async def company_deleted(
    tx: Texts, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    # The company is gone: its name travels in the notice (a company's, not a person's).
    user = await services.users.get(int(data["by"]))
    if user is None:
        return None
    text = tx._("🗑 <b>{company}</b> was deleted by your colleague {person}.")
    return Rendered(
        text=text.format(company=tx.user(data["name"]), person=tx.user(user.display_name))
    )


@renderer("contacts_erased")
async def contacts_erased(
    tx: Texts, data: Mapping[str, Any], services: Services
) -> Rendered | None:
    company = await services.companies.get(int(data["company"]))
    if company is None:
        return None
    text = tx._(
        "A rep of <b>{company}</b> erased their data from the bot, and with it the contact "
        "person, email and phone they had entered for the company. Please enter the company's "
        "contact again (/profile → ✏️ Edit): until it has a contact email, it is not matched."
    )
    return Rendered(text=text.format(company=tx.user(company.name)))
