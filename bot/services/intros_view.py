"""What /intros shows a rep: their company's introduction requests in and out with their
state; for every accepted one both contact cards (theirs and ours, exactly as the notices
carried them); and Accept / Decline for the requests still waiting for this company.

/intros is the durable copy of the introduction notices: whatever happened to a notice
(given up after retries, or timed out and not sent again, see bot/delivery.py), the rep
finds the contacts and the pending decisions here. Contact details appear only for accepted
introductions, and only to the reps of the two companies.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.services.introductions import ACCEPT_DATA, DECLINE_DATA, STATE_LABELS, IntroductionService
from handlers.html import esc
from storage.introductions import ACCEPTED, PENDING, IntroductionRecord

MAX_DECISION_ROWS = 10
BUTTON_NAME_LIMIT = 24


@dataclass(frozen=True)
class IntrosView:
    text: str
    markup: InlineKeyboardMarkup | None = None


def _short(name: str) -> str:
    return name if len(name) <= BUTTON_NAME_LIMIT else name[: BUTTON_NAME_LIMIT - 1] + "…"


def decision_rows(waiting: list[tuple[int, str]]) -> InlineKeyboardMarkup | None:
    """Accept / Decline per (introduction id, requester name), newest first, at most ten."""
    rows = [
        [
            InlineKeyboardButton(f"✅ Accept {_short(name)}", callback_data=f"{ACCEPT_DATA}{i}"),
            InlineKeyboardButton(f"✖️ Decline {_short(name)}", callback_data=f"{DECLINE_DATA}{i}"),
        ]
        for i, name in waiting[:MAX_DECISION_ROWS]
    ]
    return InlineKeyboardMarkup(rows) if rows else None


async def _cards(service: IntroductionService, intro: IntroductionRecord, own_id: int) -> str:
    """Both contact cards of an accepted introduction, seen from the company ``own_id``.

    The same cards as the notices: each side's card names the rep who said yes for it (the
    requester's asker, the target's accepter)."""
    companies = service.companies
    requester = await companies.get(intro.requester_company_id)
    target = await companies.get(intro.target_company_id)
    if requester is None or target is None:
        return ""
    requester_card = await service.contact_card(requester, intro.requested_by)
    target_card = await service.contact_card(target, intro.decided_by)
    theirs, ours = (
        (target_card, requester_card)
        if own_id == intro.requester_company_id
        else (requester_card, target_card)
    )
    other = target if own_id == intro.requester_company_id else requester
    return "\n".join(
        [
            "",
            f"🤝 <b>{esc(other.name)}</b>",
            "<i>Their contact details:</i>",
            theirs,
            "<i>Yours, as they received them:</i>",
            ours,
        ]
    )


async def intros_view(service: IntroductionService, user_id: int) -> IntrosView:
    companies = service.companies
    company = await companies.by_rep(user_id)
    if company is None:
        return IntrosView("You have no company yet, so no introductions. Register with /register.")
    intros = await service.repo.for_company(company.id)
    if not intros:
        return IntrosView(
            "No introductions yet. Send /matches to see your best matches and ask for one."
        )
    names = {c.id: c.name for c in await companies.all()}
    incoming = [i for i in intros if i.target_company_id == company.id]
    outgoing = [i for i in intros if i.requester_company_id == company.id]
    lines = [f"<b>Introductions of {esc(company.name)}</b>"]
    for title, items in (("Requests to you", incoming), ("Your requests", outgoing)):
        lines += ["", f"<b>{title}</b>"]
        if not items:
            lines.append("none")
        for intro in items:
            other = names.get(intro.other(company.id), "a deleted company")
            lines.append(f"• {esc(other)} — {STATE_LABELS.get(intro.state, intro.state)}")
    accepted = [i for i in intros if i.state == ACCEPTED]
    if accepted:
        lines += ["", "<b>Contact details of your introductions</b>"]
        for intro in accepted:
            lines.append(await _cards(service, intro, company.id))
    waiting = [
        (i.id, names.get(i.requester_company_id, "?")) for i in incoming if i.state == PENDING
    ]
    if waiting:
        lines += ["", "Answer the requests waiting for you with the buttons below."]
    return IntrosView("\n".join(lines), decision_rows(waiting))
