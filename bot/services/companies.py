"""Companies, the use cases: registering a company, editing one field, pausing and resuming
matching, its reps (invitation and claim links, joining, leaving) and deleting it.

No Telegram and no sentences: every method takes ids and values, checks them on the server
(a button's company id is never trusted: it must be the presser's own company) and returns
data — an :class:`Outcome` with a ``kind`` the handlers word for their reader. What other
reps should hear goes through the notifier as a notice (``rep_joined``, ``rep_left``,
``company_deleted``), rendered in ``handlers.company_notices``. The organisers' import and
export are :mod:`bot.services.company_files`.
"""

from __future__ import annotations

import logging
from dataclasses import KW_ONLY, InitVar, dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.domain.profiles import Profile, country_zone
from bot.forum import Forum
from bot.services.notices import Notifier
from storage.companies import CompanyRecord, CompanyRepository
from storage.company_writes import CompanyWrites
from storage.db import Database
from storage.links import CLAIM, INVITE, LinkRepository
from storage.users import UserRepository

__all__ = ["INVITE_TTL", "CompanyCard", "CompanyRecord", "CompanyService", "Outcome"]

log = logging.getLogger(__name__)

INVITE_TTL = timedelta(days=7)
# What a deep link's payload starts with (``join_<token>``, ``claim_<token>``), by link kind.
LINK_KINDS = {"join": INVITE, "claim": CLAIM}


@dataclass(frozen=True)
class CompanyCard:
    """A company as its rep sees it in /profile: the record and how many reps it has."""

    company: CompanyRecord
    reps: int


@dataclass(frozen=True)
class Outcome:
    """What an action did. ``kind`` is one of:

    ``ok`` done; ``unchanged`` nothing to do (a double press); ``expired`` the presser has no
    company (any more); ``not_yours`` the button names another company; ``deleted`` leaving
    took the company along (the last rep); ``missing`` fields still empty (``missing``);
    ``taken`` another company has that name in that country (``company`` is it);
    ``already`` the user represents a company already (``company``), ``yours`` the very
    company of the link; ``invalid`` a link that
    is unknown, used or expired; ``gone`` the link's company no longer exists; ``joined`` /
    ``claimed`` the user now represents ``company`` (a claim waits for their consent).
    """

    kind: str
    company: CompanyRecord | None = None
    reps: int = 0
    colleagues: int = 0  # the other reps
    payload: str | None = None  # an invitation's /start payload
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Owned:
    """A company checked to be the presser's, and its other reps."""

    company: CompanyRecord
    others: list[int]


@dataclass(eq=False)
class CompanyStore:
    """What the companies' use cases work on: the companies, their links and the writes
    that span a company and its reps (:mod:`bot.services.company_files` too)."""

    db: InitVar[Database]
    _: KW_ONLY
    companies: CompanyRepository
    links: LinkRepository
    clock: Clock
    forum: Forum
    writes: CompanyWrites = field(init=False)

    def __post_init__(self, db: Database) -> None:
        self.writes = CompanyWrites(db)


@dataclass(eq=False, kw_only=True)
class CompanyService(CompanyStore):
    users: UserRepository
    notifier: Notifier
    default_zone: str

    # -- reading ---------------------------------------------------------------------------
    async def mine(self, user_id: int) -> CompanyRecord | None:
        """The company ``user_id`` represents, if any."""
        return await self.companies.by_rep(user_id)

    async def card(self, user_id: int) -> CompanyCard | None:
        company = await self.companies.by_rep(user_id)
        if company is None:
            return None
        return CompanyCard(company, len(await self.companies.reps(company.id)))

    async def name_taken(
        self, name: str, country: str, own: int | None = None
    ) -> CompanyRecord | None:
        """Another company (not ``own``) with this name (any case) in this country."""
        other = await self.companies.by_name(name, country)
        return None if other is None or other.id == own else other

    async def editable(self, user_id: int, company_id: int) -> CompanyRecord | None:
        """The company, if ``user_id`` is one of its reps (else a forged or stale button)."""
        company = await self.companies.by_rep(user_id)
        return company if company is not None and company.id == company_id else None

    # -- registration and edits ------------------------------------------------------------
    async def register(self, user_id: int, profile: Profile) -> Outcome:
        """Register ``profile`` with ``user_id`` as its first rep, once: a double press or a
        second device finds the company already there."""
        missing = profile.missing()
        if missing:
            return Outcome("missing", missing=tuple(missing))
        assert profile.name is not None and profile.country is not None
        other = await self.name_taken(profile.name, profile.country)
        if other is not None:
            return Outcome("taken", company=other)
        company_id = await self.writes.register(
            profile.columns(),
            sectors=profile.sectors,
            partnerships=profile.partnerships,
            rep_id=user_id,
            now=self.clock.now(),
        )
        if company_id is None:
            return Outcome("already", company=await self.companies.by_rep(user_id))
        await self._zone_from(user_id, profile.country)
        return Outcome("ok", company=await self.companies.get(company_id), reps=1)

    async def save_field(
        self, user_id: int, company_id: int, profile: Profile, name: str
    ) -> Outcome:
        """Write the one field ``name`` of ``profile`` to the company, if ``user_id`` still
        represents it; who typed a contact field is recorded with it (for their erasure)."""
        company = await self.editable(user_id, company_id)
        if company is None:
            return Outcome("not_yours")
        now = self.clock.now()
        if name == "sectors":
            await self.companies.update(company.id, {}, now=now, sectors=profile.sectors)
        elif name == "partnerships":
            await self.companies.update(company.id, {}, now=now, partnerships=profile.partnerships)
        else:
            value = profile.columns()[name]
            await self.companies.update(company.id, {name: value}, now=now, by=user_id)
        return Outcome("ok", company=await self.companies.get(company.id))

    async def _zone_from(self, user_id: int, country: str) -> None:
        """A rep with no time zone yet gets their company's country's."""
        user = await self.users.get(user_id)
        if user is not None and not user.timezone:
            zone = country_zone(country, self.forum, self.default_zone)
            await self.users.set_timezone(user_id, zone)

    # -- the /profile buttons ---------------------------------------------------------------
    async def _own(self, user_id: int, company_id: int) -> _Owned | Outcome:
        """The presser's company with its other reps, if the button names it."""
        company = await self.companies.by_rep(user_id)
        if company is None:
            return Outcome("expired")
        if company.id != company_id:
            log.warning("user=%s pressed a button of company %s", user_id, company_id)
            return Outcome("not_yours")
        others = [r for r in await self.companies.reps(company.id) if r != user_id]
        return _Owned(company, others)

    async def check(self, user_id: int, company_id: int) -> Outcome:
        """Before a question about the company (leave? delete?): whether it is the user's,
        with its number of reps and the other reps."""
        own = await self._own(user_id, company_id)
        if isinstance(own, Outcome):
            return own
        reps = len(own.others) + 1
        return Outcome("ok", company=own.company, reps=reps, colleagues=reps - 1)

    async def set_paused(self, user_id: int, company_id: int, paused: bool) -> Outcome:
        own = await self._own(user_id, company_id)
        if isinstance(own, Outcome):
            return own
        if not await self.writes.set_paused(company_id, paused, now=self.clock.now()):
            return Outcome("unchanged", company=own.company)
        fresh = await self.companies.get(company_id)
        return Outcome("ok", company=fresh, reps=len(own.others) + 1)

    async def invite(self, user_id: int, company_id: int) -> Outcome:
        """A one-time invitation link for a colleague (``payload`` is its /start payload)."""
        own = await self._own(user_id, company_id)
        if isinstance(own, Outcome):
            return own
        link = await self.links.create(
            company_id, INVITE, now=self.clock.now(), created_by=user_id, ttl=INVITE_TTL
        )
        return Outcome("ok", company=own.company, payload=link.payload)

    async def delete(self, user_id: int, company_id: int) -> Outcome:
        """Delete the company for every rep; the others are told."""
        own = await self._own(user_id, company_id)
        return own if isinstance(own, Outcome) else await self._delete(user_id, own)

    async def _delete(self, user_id: int, own: _Owned) -> Outcome:
        await self.companies.delete(own.company.id)
        # The notice names the deleter: their id in the key lets an erasure find it.
        await self.notifier.tell(
            own.others,
            "company_deleted",
            {"name": own.company.name, "by": user_id},
            key=f"company-deleted:{own.company.id}:{user_id}",
        )
        return Outcome("deleted", company=own.company, colleagues=len(own.others))

    async def leave(self, user_id: int, company_id: int) -> Outcome:
        """Leave the company; its last rep leaving deletes it."""
        own = await self._own(user_id, company_id)
        if isinstance(own, Outcome):
            return own
        if not own.others:
            return await self._delete(user_id, own)
        await self.companies.remove_rep(user_id)
        now = self.clock.now()
        await self.notifier.tell(
            own.others,
            "rep_left",
            {"company": company_id, "user": user_id},
            key=f"rep-left:{company_id}:{user_id}:{now.isoformat()}",
        )
        return Outcome("ok", company=own.company, colleagues=len(own.others))

    # -- deep links --------------------------------------------------------------------------
    async def use_link(self, user_id: int, payload: str) -> Outcome:
        """``join_<token>`` (an invitation) or ``claim_<token>`` (an imported company's claim
        link): make ``user_id`` a rep. A claim takes the organisers' consent back: the company
        is not matched until its new rep agrees (:meth:`answer_consent`)."""
        prefix, _, token = payload.partition("_")
        kind = LINK_KINDS.get(prefix)
        now = self.clock.now()
        link = await self.links.get(token) if kind else None
        if link is None or link.kind != kind or not link.usable(now):
            return Outcome("invalid")
        company = await self.companies.get(link.company_id)
        mine = await self.companies.by_rep(user_id)
        if mine is not None:
            same = company is not None and mine.id == company.id
            return Outcome("yours" if same else "already", company=mine)
        if company is None or not await self.links.use(token, user_id, now=now):
            return Outcome("gone")
        others = await self.companies.reps(company.id)
        claim = kind == CLAIM
        await self.writes.join(company.id, user_id, now=now, claim=claim)
        await self._zone_from(user_id, company.country)
        await self.notifier.tell(
            others,
            "rep_joined",
            {"company": company.id, "user": user_id},
            key=f"rep-joined:{company.id}:{user_id}:{token}",
        )
        fresh = await self.companies.get(company.id) or company
        return Outcome("claimed" if claim else "joined", company=fresh, reps=len(others) + 1)

    async def answer_consent(self, user_id: int, company_id: int, agree: bool) -> Outcome:
        """The rep's answer to the consent question (after a claim): "I agree" makes the
        company matchable; "Not now" leaves it out of matching."""
        own = await self._own(user_id, company_id)
        if isinstance(own, Outcome):
            return own
        changed = await self.writes.set_consent(company_id, agree, now=self.clock.now())
        fresh = await self.companies.get(company_id) or own.company
        kind = "ok" if changed else "unchanged"
        return Outcome(kind, company=fresh, reps=len(own.others) + 1)
