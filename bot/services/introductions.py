"""Double opt-in introductions: requests, answers, expiry with one reminder halfway, and the
notices lost in a crash queued again.

A rep asks for an introduction; every rep of the other company gets the requester's public
card, the note and the reasons (a notice, ``intro_request``) with Accept / Decline. Only on
accept do both sides get each other's contact card (``intro_accepted``). Requests expire
after ``INTRO_EXPIRY_DAYS`` with one reminder halfway (``intro_reminder``, then
``intro_expired``); a company sends at most ``INTRO_DAILY_LIMIT`` requests in 24 hours.
Every check is made here, on the server, against the presser's company: callback data is
never trusted. Results are data (:class:`Outcome` and the views below); the handlers
(``handlers/intros.py``, ``handlers/intro_notices.py``) put them in words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.config import Settings
from bot.domain.matching import Reason, eligible
from bot.services.matching import Company, MatchingService
from bot.services.notices import Notifier
from storage.companies import CompanyRecord, CompanyRepository
from storage.introductions import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    PENDING,
    IntroductionRecord,
    IntroductionRepository,
)
from storage.outbox import PRIORITY_URGENT
from storage.users import UserRepository

NOTE_LIMIT = 500

log = logging.getLogger(__name__)

__all__ = [
    "ACCEPTED",
    "DECLINED",
    "EXPIRED",
    "NOTE_LIMIT",
    "PENDING",
    "AcceptedView",
    "Company",
    "Contact",
    "IntroductionRecord",
    "IntroductionService",
    "Outcome",
    "RequestView",
    "TelegramRef",
]


@dataclass(frozen=True)
class Outcome:
    """The result of a rep's action. ``kind``:

    - refusals: "no_company", "unmatchable" (``why``: a :class:`MatchesView` kind),
      "gone", "same_country", "not_match", "exists" (``state``), "limit" (``sent_today``,
      ``limit``, ``next_at``), "refused" (not addressed to the rep's company), "already"
      (``state``);
    - successes: "ok" (may ask), "sent" (``expiry_days``), "mutual", "accepted",
      "declined".

    ``name`` is the other company's name as stored (the handlers escape it)."""

    kind: str
    ok: bool = False
    name: str = ""
    state: str = ""
    why: str = ""
    sent_today: int = 0
    limit: int = 0
    next_at: datetime | None = None
    expiry_days: int = 0


@dataclass(frozen=True)
class TelegramRef:
    """How to reach a rep in Telegram: their @username, else a link to their user id."""

    username: str | None = None
    user_id: int | None = None
    display_name: str = ""


@dataclass(frozen=True)
class Contact:
    """A company's contact card: only ever shown once both sides said yes."""

    company_id: int
    name: str
    country: str
    city: str | None
    contact_name: str | None
    email: str | None
    phone: str | None  # E.164
    website: str | None
    telegram: TelegramRef | None


@dataclass(frozen=True)
class RequestView:
    """An introduction request as its target's reps read it (reasons from their side)."""

    intro_id: int
    requester: Company
    note: str
    reasons: tuple[Reason, ...]
    expires_at: datetime


@dataclass(frozen=True)
class AcceptedView:
    """An accepted introduction seen by one side: the other company's contact card."""

    intro_id: int
    other: Contact


@dataclass(eq=False)
class IntroductionService:
    settings: Settings
    clock: Clock
    companies: CompanyRepository
    repo: IntroductionRepository
    users: UserRepository
    notifier: Notifier
    matching: MatchingService

    # -- requests --------------------------------------------------------------------------
    async def check_target(
        self, user_id: int, target_id: int, *, any_company: bool = False
    ) -> Outcome:
        """Whether this rep's company may ask the target for an introduction right now.

        ``any_company``: the target was found in the directory, not among the matches, so it
        need not be a match; it must still be across the border."""
        company = await self.companies.by_rep(user_id)
        if company is None:
            return Outcome("no_company")
        why = self.matching.why_not(company)
        if why is not None:
            return Outcome("unmatchable", why=why)
        target = await self.companies.get(target_id)
        if target is None or not target.matchable:
            return Outcome("gone")
        if target.country == company.country and target.id != company.id:
            return Outcome("same_country", name=target.name)
        me, them = await self.matching.pair(company, target)
        if not eligible(me, them, self.matching.forum.codes) or (
            not any_company and self.matching.matcher().match(me, them) is None
        ):
            return Outcome("not_match")
        if await self.repo.is_dismissed(company.id, target.id):
            return Outcome("gone")
        return Outcome("ok", ok=True, name=target.name)

    async def request(
        self, user_id: int, target_id: int, note: str = "", *, any_company: bool = False
    ) -> Outcome:
        """Ask for an introduction (or complete one the other side already asked for);
        ``any_company`` as in :meth:`check_target`."""
        allowed = await self.check_target(user_id, target_id, any_company=any_company)
        if not allowed.ok:
            return allowed
        company = await self.companies.by_rep(user_id)
        target = await self.companies.get(target_id)
        assert company is not None and target is not None
        now = self.clock.now()
        seen = await self.matching.match(company, target)
        # Stored as data, from the requester's side; rendered (and flipped) when shown.
        reasons = [r.to_data() for r in seen.reasons] if seen else []
        limit = self.settings.intro_daily_limit
        outcome = await self.repo.create(
            company.id,
            target.id,
            requested_by=user_id,
            note=note.strip()[:NOTE_LIMIT],
            reasons=reasons,
            now=now,
            expires_at=now + timedelta(days=self.settings.intro_expiry_days),
            daily_limit=limit,
            day_start=now - timedelta(days=1),
        )
        if outcome.kind == "exists":
            state = outcome.introduction.state if outcome.introduction else ""
            return Outcome("exists", name=target.name, state=state)
        if outcome.kind == "limit":
            next_at = None
            if outcome.oldest_today:
                next_at = datetime.fromisoformat(outcome.oldest_today) + timedelta(days=1)
            return Outcome("limit", sent_today=outcome.sent_today, limit=limit, next_at=next_at)
        intro = outcome.introduction
        assert intro is not None
        if outcome.kind == "mutual":
            await self._tell_accepted(intro)
            return Outcome("mutual", ok=True, name=target.name)
        await self._tell_request(intro, reminder=False)
        return Outcome(
            "sent", ok=True, name=target.name, expiry_days=self.settings.intro_expiry_days
        )

    async def _tell_request(self, intro: IntroductionRecord, *, reminder: bool) -> None:
        await self._tell(intro.target_company_id, intro, "reminder" if reminder else "request")

    async def request_view(self, intro_id: int) -> RequestView | None:
        """A request still waiting for an answer, for its notice; None once answered, expired
        or erased."""
        intro = await self.repo.get(intro_id)
        if intro is None or intro.state != PENDING:
            return None
        requester = await self.companies.get(intro.requester_company_id)
        target = await self.companies.get(intro.target_company_id)
        if requester is None or target is None:
            return None
        seen = await self.matching.match(target, requester)
        # Profiles change; if they no longer match, the reasons given at request time stand.
        reasons = (
            seen.reasons if seen else tuple(Reason.from_data(r).flipped() for r in intro.reasons)
        )
        return RequestView(
            intro.id, requester, intro.note, reasons, datetime.fromisoformat(intro.expires_at)
        )

    # -- answers ---------------------------------------------------------------------------
    async def decide(self, user_id: int, intro_id: int, *, accept: bool) -> Outcome:
        """Accept or decline: only a rep of the asked company, only while pending, once."""
        intro = await self.repo.get(intro_id)
        company = await self.companies.by_rep(user_id)
        if intro is None or company is None or company.id != intro.target_company_id:
            return Outcome("refused")
        if intro.state != PENDING:
            return Outcome("already", state=intro.state)
        state = ACCEPTED if accept else DECLINED
        if not await self.repo.decide(intro.id, state, by=user_id, now=self.clock.now()):
            fresh = await self.repo.get(intro.id)
            return Outcome("already", state=(fresh or intro).state)
        decided = await self.repo.get(intro.id)
        assert decided is not None
        requester = await self.companies.get(intro.requester_company_id)
        name = requester.name if requester else ""
        if accept:
            await self._tell_accepted(decided)
            return Outcome("accepted", ok=True, name=name)
        await self._tell_requester(decided, "declined")
        return Outcome("declined", ok=True, name=name)

    async def _tell_accepted(self, intro: IntroductionRecord) -> None:
        """Both sides' reps get the other side's contact card."""
        for receiver in (intro.requester_company_id, intro.target_company_id):
            await self.notifier.tell(
                await self.companies.reps(receiver),
                "intro_accepted",
                {"intro": intro.id, "company": receiver},
                key=f"intro:{intro.id}:accepted",
                priority=PRIORITY_URGENT,
            )

    async def _tell_requester(self, intro: IntroductionRecord, what: str) -> None:
        await self._tell(intro.requester_company_id, intro, what)

    async def _tell(self, company_id: int, intro: IntroductionRecord, what: str) -> None:
        """The reps of ``company_id`` get the notice ``intro_<what>`` about ``intro``, once."""
        await self.notifier.tell(
            await self.companies.reps(company_id),
            f"intro_{what}",
            {"intro": intro.id},
            key=f"intro:{intro.id}:{what}",
            priority=PRIORITY_URGENT,
        )

    async def contact(self, company: CompanyRecord, rep_id: int | None) -> Contact:
        """The company's contact card, with the Telegram of the rep who said yes for it."""
        user = await self.users.get(rep_id) if rep_id is not None else None
        telegram = None
        if user is not None:
            telegram = TelegramRef(user.username or None, user.telegram_id, user.display_name)
        elif company.telegram_username:
            telegram = TelegramRef(company.telegram_username.lstrip("@"))
        return Contact(
            company_id=company.id,
            name=company.name,
            country=company.country,
            city=company.city,
            contact_name=company.contact_name,
            email=company.contact_email,
            phone=company.contact_phone,
            website=company.website,
            telegram=telegram,
        )

    async def contacts(self, intro: IntroductionRecord) -> tuple[Contact, Contact] | None:
        """Both contact cards of an accepted introduction (requester's, target's); each
        names the rep who said yes for it (the asker, and the accepter or asker back)."""
        requester = await self.companies.get(intro.requester_company_id)
        target = await self.companies.get(intro.target_company_id)
        if intro.state != ACCEPTED or requester is None or target is None:
            return None
        return (
            await self.contact(requester, intro.requested_by),
            await self.contact(target, intro.decided_by),
        )

    async def accepted_view(self, intro_id: int, company_id: int) -> AcceptedView | None:
        """An accepted introduction as ``company_id`` reads it; None if it is not (any
        more) accepted, or a side is gone."""
        intro = await self.repo.get(intro_id)
        if intro is None or company_id not in (
            intro.requester_company_id,
            intro.target_company_id,
        ):
            return None
        cards = await self.contacts(intro)
        if cards is None:
            return None
        requester, target = cards
        other = target if company_id == intro.requester_company_id else requester
        return AcceptedView(intro.id, other)

    async def answered(self, intro_id: int, state: str) -> str | None:
        """The asked company's name, for the notice telling the requester the request was
        declined or expired; None if the introduction is gone or in another state."""
        intro = await self.repo.get(intro_id)
        if intro is None or intro.state != state:
            return None
        target = await self.companies.get(intro.target_company_id)
        return target.name if target else None

    # -- time-driven -----------------------------------------------------------------------
    async def run_due(self) -> dict[str, int]:
        """Expire what is overdue and send the halfway reminders; safe to call any time."""
        now = self.clock.now()
        done = {"expired": 0, "reminded": 0, "recovered": 0}
        for intro in await self.repo.expired(now):
            if await self.repo.decide(intro.id, EXPIRED, by=None, now=now):
                done["expired"] += 1
                await self._tell_requester(intro, "expired")
        done["recovered"] = await self._recover_notices()
        for intro in await self.repo.pending():
            created = datetime.fromisoformat(intro.created_at)
            expires = datetime.fromisoformat(intro.expires_at)
            if intro.reminded_at is None and now >= created + (expires - created) / 2:
                if not await self.repo.mark_reminded(intro.id, now):
                    continue
                requester = await self.companies.get(intro.requester_company_id)
                target = await self.companies.get(intro.target_company_id)
                if requester and target:
                    await self._tell_request(intro, reminder=True)
                    done["reminded"] += 1
        return done

    async def _recover_notices(self) -> int:
        """Queue again the notices a crash cut off after their state change was written.

        The state change and the enqueue are two transactions; the dedupe keys make a second
        enqueue harmless, so whatever is missing is simply queued now.
        """
        recovered = 0
        for intro in await self.repo.without_notice(
            PENDING, "request", receiver="target_company_id"
        ):
            requester = await self.companies.get(intro.requester_company_id)
            target = await self.companies.get(intro.target_company_id)
            if requester and target:
                await self._tell_request(intro, reminder=False)
                recovered += 1
        for intro in await self.repo.without_notice(
            ACCEPTED, "accepted", receiver="requester_company_id"
        ):
            await self._tell_accepted(intro)
            recovered += 1
        for intro in await self.repo.without_notice(
            DECLINED, "declined", receiver="requester_company_id"
        ):
            await self._tell_requester(intro, "declined")
            recovered += 1
        if recovered:
            log.warning("re-queued the notices of %s introduction(s) after a crash", recovered)
        return recovered
