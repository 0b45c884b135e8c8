"""What /intros shows a rep, as data: their company's introduction requests in and out with
their state; for every accepted one both contact cards (theirs and ours, exactly as the
notices carried them); and the requests still waiting for this company's answer.

/intros is the durable copy of the introduction notices: whatever happened to a notice
(given up after retries, or timed out and not sent again, see bot/runtime/outbox.py), the
rep finds the contacts and the pending decisions here. Contact details appear only for
accepted introductions, and only to the reps of the two companies. ``handlers/intros.py``
renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.services.introductions import ACCEPTED, PENDING, Contact, IntroductionService

MAX_WAITING = 10


@dataclass(frozen=True)
class Listed:
    """One introduction in the list: the other company's name (None: deleted) and state."""

    intro_id: int
    other: str | None
    state: str


@dataclass(frozen=True)
class Introduced:
    """An accepted introduction: the other company's card and ours, as they received it."""

    other: str
    theirs: Contact
    ours: Contact


@dataclass(frozen=True)
class Listing:
    """``kind``: "ok", "no_company" or "none" (no introductions yet)."""

    kind: str
    company: str = ""
    incoming: list[Listed] = field(default_factory=list)
    outgoing: list[Listed] = field(default_factory=list)
    introduced: list[Introduced] = field(default_factory=list)
    # (introduction id, requester name) of the requests waiting for us, at most MAX_WAITING
    waiting: list[tuple[int, str]] = field(default_factory=list)


async def listing(service: IntroductionService, user_id: int) -> Listing:
    companies = service.companies
    company = await companies.by_rep(user_id)
    if company is None:
        return Listing("no_company")
    intros = await service.repo.for_company(company.id)
    if not intros:
        return Listing("none", company.name)
    names = {c.id: c.name for c in await companies.all()}
    incoming = [i for i in intros if i.target_company_id == company.id]
    outgoing = [i for i in intros if i.requester_company_id == company.id]
    introduced = []
    for intro in intros:
        cards = await service.contacts(intro) if intro.state == ACCEPTED else None
        if cards is None:
            continue
        requester, target = cards
        mine = company.id == intro.requester_company_id
        theirs, ours = (target, requester) if mine else (requester, target)
        introduced.append(Introduced(theirs.name, theirs, ours))
    return Listing(
        "ok",
        company.name,
        incoming=[Listed(i.id, names.get(i.other(company.id)), i.state) for i in incoming],
        outgoing=[Listed(i.id, names.get(i.other(company.id)), i.state) for i in outgoing],
        introduced=introduced,
        waiting=[
            (i.id, names.get(i.requester_company_id, "?")) for i in incoming if i.state == PENDING
        ][:MAX_WAITING],
    )
