"""Matches and double opt-in introductions: the service behind /matches, /intros and the
organisers' match statistics and export.

A rep asks for an introduction; every rep of the other company gets the requester's public
card, the note and the reasons, through the outbox, with Accept / Decline. Only on accept do
both sides get each other's contact card. Requests expire after ``INTRO_EXPIRY_DAYS`` with one
reminder halfway; a company sends at most ``INTRO_DAILY_LIMIT`` requests in 24 hours.
Every check is made here, on the server, against the presser's company: callback data is
never trusted.
"""

from __future__ import annotations

import asyncio
import csv
import io
import logging
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.matching import (
    Match,
    Matcher,
    MatchIndex,
    Profile,
    Reason,
    Rules,
    eligible,
    pair_key,
)
from bot.domain.profiles import display_phone
from bot.domain.reason_texts import render, render_all
from bot.domain.spreadsheet import spreadsheet_safe
from bot.forum import Forum
from bot.services.container import Services
from bot.services.embeddings import ProfileVectors
from handlers.html import esc
from storage.companies import CompanyRecord
from storage.introductions import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    PENDING,
    IntroductionRecord,
)
from storage.outbox import BLOCKED, FAILED, PRIORITY_URGENT, UNKNOWN, NewMessage

ACCEPT_DATA = "intro:acc:"
# handlers.callbacks.MeetingBook packed (services cannot import handlers; a test holds them
# equal): the contact card's "📅 Book a meeting" button.
BOOK_MEETING_DATA = "mb:{partner}"
NOTICE_KIND_PREFIX = "intro_"  # outbox kinds: intro_request, intro_accepted, ...
DECLINE_DATA = "intro:dec:"
MATCHES_SHOWN = 5
NOTE_LIMIT = 500
DIGEST_TOP = 3
DIGEST_EVERY = timedelta(days=1)
EXPORT_COLUMNS = ("company", "country", "match", "match_country", "rank", "score", "reasons")
STATE_LABELS = {
    PENDING: "⏳ waiting for an answer",
    ACCEPTED: "✅ accepted",
    DECLINED: "✖️ not taken further",
    EXPIRED: "⌛ expired",
}

log = logging.getLogger(__name__)


def decision_keyboard(intro_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("✅ Accept", callback_data=f"{ACCEPT_DATA}{intro_id}"),
                InlineKeyboardButton("✖️ Decline", callback_data=f"{DECLINE_DATA}{intro_id}"),
            ]
        ]
    )


def _clip(text: str | None, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _place(company: CompanyRecord | Profile, forum: Forum) -> str:
    """``🇩🇪 Berlin, Germany``: the flag, then city and country (escaped)."""
    country = forum.country(company.country)
    place = ", ".join(p for p in (company.city, forum.country_name(company.country)) if p)
    return f"{country.flag if country else ''} {esc(place)}".strip()


def public_card(company: CompanyRecord | Profile, forum: Forum) -> str:
    """Name, country, sectors, what they offer and seek; never contact details."""
    lines = [f"<b>{esc(company.name)}</b> — {_place(company, forum)}"]
    if company.sectors:
        sectors = ", ".join(forum.sector_label(key) for key in company.sectors)
        lines.append(f"<i>Sectors:</i> {esc(sectors)}")
    if company.size:
        lines.append(f"<i>Size:</i> {esc(company.size)} people")
    lines.append(f"<i>Offers:</i> {esc(_clip(company.offers))}")
    lines.append(f"<i>Seeks:</i> {esc(_clip(company.seeks))}")
    return "\n".join(lines)


def reasons_block(reasons: tuple[Reason, ...] | list[Reason], forum: Forum) -> str:
    return "\n".join(f"• {esc(render(r, forum))}" for r in reasons)


@dataclass(frozen=True)
class MatchesView:
    """What /matches shows: the matches, or why there are none and what to do."""

    matches: list[Match]
    empty_reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """The result of a rep's action: ``ok`` and the text to show them."""

    ok: bool
    text: str
    kind: str = ""


class IntroductionService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.repo = services.introductions
        self.companies = services.companies
        self.forum = services.forum
        # The forum file decides which countries pair and which intents meet.
        self.rules = Rules.of(services.forum)

    # -- matching --------------------------------------------------------------------------
    async def matcher(self) -> Matcher:
        return Matcher(self.rules)

    async def _profiles(self) -> tuple[list[CompanyRecord], list[Profile]]:
        """Every company, and as a matcher profile with its embeddings."""
        records = await self.companies.all()
        vectors = ProfileVectors(self.services.embeddings, places=self.forum.place_names())
        return records, await vectors.profiles(records, now=self.services.clock.now())

    async def _pair(self, a: CompanyRecord, b: CompanyRecord) -> tuple[Profile, Profile]:
        vectors = ProfileVectors(self.services.embeddings, places=self.forum.place_names())
        me, them = await vectors.profiles([a, b], now=self.services.clock.now())
        return me, them

    async def matches_for(self, company: CompanyRecord, limit: int = MATCHES_SHOWN) -> MatchesView:
        """The company's best matches, or a plain reason why there are none."""
        if not company.complete:
            return MatchesView(
                [],
                "Your company profile is not complete yet: matching needs your sectors, what "
                "you offer, what you seek, the partnership you want and a contact email. "
                "Complete it with /register or /profile.",
            )
        if not company.consent:
            return MatchesView(
                [],
                "You have not agreed to be shown to other companies, so I cannot match you. "
                "Give your consent in /profile.",
            )
        if company.paused:
            return MatchesView(
                [],
                "Your company is paused, so it is not matched. Resume it in /profile.",
            )
        if company.country not in self.forum.codes:
            first, second = (c.name for c in self.forum.countries)
            return MatchesView(
                [],
                f"This forum matches companies from {esc(first)} with companies from "
                f"{esc(second)}; set your country in /profile.",
            )
        records, profiles = await self._profiles()
        other_code = self.forum.other(company.country).code
        other = esc(self.forum.country_name(other_code))
        if not any(r.country == other_code and r.matchable for r in records):
            return MatchesView(
                [],
                f"No company from {other} is ready to be matched yet. I will send you a note "
                "when new matches arrive; meanwhile, invite partners you know to register.",
            )
        me = next(p for p in profiles if p.id == company.id)
        matcher = await self.matcher()
        excluded = await self.repo.excluded_pairs()
        found = matcher.rank(me, profiles, excluded=excluded, limit=limit)
        if not found:
            return MatchesView(
                [],
                f"None of the companies from {other} matches you yet (or you have seen them "
                "all). Describe what you offer and seek in more words in /profile — specific "
                "services and technologies match best.",
            )
        return MatchesView(found)

    async def dismiss(self, user_id: int, other_id: int) -> Outcome:
        company = await self.companies.by_rep(user_id)
        other = await self.companies.get(other_id)
        if company is None or other is None or other.id == company.id:
            return Outcome(False, "That company is no longer available.")
        await self.repo.dismiss(company.id, other.id, self.services.clock.now())
        return Outcome(True, f"Noted: I won't suggest {esc(other.name)} again.")

    # -- requests --------------------------------------------------------------------------
    async def check_target(
        self, user_id: int, target_id: int, *, any_company: bool = False
    ) -> Outcome:
        """Whether this rep's company may ask the target for an introduction right now.

        ``any_company``: the target was found in the directory, not among the matches, so it
        need not be a match; it must still be across the border."""
        company = await self.companies.by_rep(user_id)
        if company is None:
            return Outcome(False, "Register your company first: /register.")
        if not company.matchable:
            return Outcome(False, (await self.matches_for(company)).empty_reason)
        target = await self.companies.get(target_id)
        if target is None or not target.matchable:
            return Outcome(False, "That company is no longer available for introductions.")
        if target.country == company.country and target.id != company.id:
            return Outcome(
                False,
                f"{esc(target.name)} is from your own country: introductions are made across "
                "the border only (same country — not matched).",
                "same_country",
            )
        matcher = await self.matcher()
        me, them = await self._pair(company, target)
        if not eligible(me, them, self.forum.codes) or (
            not any_company and matcher.match(me, them) is None
        ):
            return Outcome(False, "That company is not one of your matches.")
        if await self.repo.is_dismissed(company.id, target.id):
            return Outcome(False, "That company is no longer available for introductions.")
        return Outcome(True, esc(target.name))

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
        settings = self.services.settings
        now = self.services.clock.now()
        matcher = await self.matcher()
        seen = matcher.match(*await self._pair(company, target))
        # Stored as data, from the requester's side; rendered (and flipped) when shown.
        reasons = [r.to_data() for r in seen.reasons] if seen else []
        outcome = await self.repo.create(
            company.id,
            target.id,
            requested_by=user_id,
            note=note.strip()[:NOTE_LIMIT],
            reasons=reasons,
            now=now,
            expires_at=now + timedelta(days=settings.intro_expiry_days),
            daily_limit=settings.intro_daily_limit,
            day_start=now - timedelta(days=1),
        )
        name = esc(target.name)
        if outcome.kind == "exists":
            intro = outcome.introduction
            state = STATE_LABELS.get(intro.state, intro.state) if intro else ""
            return Outcome(
                False, f"There is already an introduction with {name} ({state}). See /intros."
            )
        if outcome.kind == "limit":
            limit = settings.intro_daily_limit
            when = ""
            if outcome.oldest_today:
                at = datetime.fromisoformat(outcome.oldest_today) + timedelta(days=1)
                when = f" You can send the next one after {self._local(at)}."
            return Outcome(
                False,
                f"Your company has sent {outcome.sent_today} introduction requests in the last "
                f"24 hours: the daily limit is {limit}.{when}",
                "limit",
            )
        intro = outcome.introduction
        assert intro is not None
        if outcome.kind == "mutual":
            await self._notify_accepted(intro)
            return Outcome(
                True,
                f"🎉 {name} had already asked to meet you, so the introduction is made: you "
                "will both receive each other's contact details now.",
                "mutual",
            )
        await self._send_request(intro, company, target, reminder=False)
        return Outcome(
            True,
            f"📨 Your request was sent to {name}. If they accept, you will both get each "
            f"other's contact details. They have {settings.intro_expiry_days} days to answer.",
            "sent",
        )

    def _local(self, when: datetime) -> str:
        local = when.astimezone(self.services.settings.tz)
        return local.strftime("%d %b %H:%M") + f" ({self.services.settings.event_timezone})"

    async def _send_request(
        self,
        intro: IntroductionRecord,
        requester: CompanyRecord,
        target: CompanyRecord,
        *,
        reminder: bool,
    ) -> None:
        matcher = await self.matcher()
        seen = matcher.match(*await self._pair(target, requester))
        # Profiles change; if they no longer match, the reasons given at request time stand.
        reasons = (
            seen.reasons if seen else tuple(Reason.from_data(r).flipped() for r in intro.reasons)
        )
        head = (
            "⏰ <b>Reminder: an introduction request is waiting for your answer</b>"
            if reminder
            else "🤝 <b>Introduction request</b>"
        )
        parts = [head, "", public_card(requester, self.forum)]
        if intro.note:
            parts += ["", f"<b>Their note:</b> {esc(intro.note)}"]
        if reasons:
            parts += ["", "<b>Why you match:</b>", reasons_block(reasons, self.forum)]
        expires = self._local(_at(intro.expires_at))
        parts += [
            "",
            "Accept to exchange contact details. If you decline, they will only hear that you "
            f"cannot take it further now. The request expires on {expires}.",
        ]
        text = "\n".join(parts)
        what = "reminder" if reminder else "request"
        markup = decision_keyboard(intro.id).to_dict()
        messages = [
            NewMessage(
                chat_id=rep,
                dedupe_key=f"intro:{intro.id}:{what}:{rep}",
                kind=f"intro_{what}",
                payload={"text": text, "parse_mode": "HTML", "reply_markup": markup},
                priority=PRIORITY_URGENT,
            )
            for rep in await self.companies.reps(target.id)
        ]
        await self.services.notifier.enqueue(messages)

    # -- answers ---------------------------------------------------------------------------
    async def decide(self, user_id: int, intro_id: int, *, accept: bool) -> Outcome:
        """Accept or decline: only a rep of the asked company, only while pending, once."""
        intro = await self.repo.get(intro_id)
        company = await self.companies.by_rep(user_id)
        if intro is None or company is None or company.id != intro.target_company_id:
            return Outcome(False, "This introduction is not addressed to your company.", "refused")
        if intro.state != PENDING:
            return Outcome(False, self._already(intro), "already")
        now = self.services.clock.now()
        state = ACCEPTED if accept else DECLINED
        if not await self.repo.decide(intro.id, state, by=user_id, now=now):
            fresh = await self.repo.get(intro.id)
            return Outcome(False, self._already(fresh or intro), "already")
        decided = await self.repo.get(intro.id)
        assert decided is not None
        requester = await self.companies.get(intro.requester_company_id)
        name = esc(requester.name) if requester else "the company"
        if accept:
            await self._notify_accepted(decided)
            return Outcome(
                True,
                f"✅ You accepted the introduction with {name}. Contact details are on their "
                "way to both of you.",
                "accepted",
            )
        await self._notify_declined(decided)
        return Outcome(
            True,
            f"✖️ You declined the introduction with {name}. They will only hear that you "
            "cannot take it further now, and you will not be matched again.",
            "declined",
        )

    @staticmethod
    def _already(intro: IntroductionRecord) -> str:
        return f"This request was already answered: {STATE_LABELS.get(intro.state, intro.state)}."

    async def contact_card(self, company: CompanyRecord, rep_id: int | None) -> str:
        lines = [f"<b>{esc(company.name)}</b> — {_place(company, self.forum)}"]
        if company.contact_name:
            lines.append(f"Contact: {esc(company.contact_name)}")
        if company.contact_email:
            lines.append(f"Email: {esc(company.contact_email)}")
        if company.contact_phone:
            lines.append(f"Phone: {esc(display_phone(company.contact_phone))}")
        if company.website:
            lines.append(f"Website: {esc(company.website)}")
        link = await self._telegram_link(company, rep_id)
        if link:
            lines.append(f"Telegram: {link}")
        return "\n".join(lines)

    async def _telegram_link(self, company: CompanyRecord, rep_id: int | None) -> str:
        user = await self.services.users.get(rep_id) if rep_id is not None else None
        if user is not None and user.username:
            return f'<a href="https://t.me/{esc(user.username)}">@{esc(user.username)}</a>'
        if user is not None:
            return f'<a href="tg://user?id={user.telegram_id}">{esc(user.display_name)}</a>'
        if company.telegram_username:
            handle = company.telegram_username.lstrip("@")
            return f'<a href="https://t.me/{esc(handle)}">@{esc(handle)}</a>'
        return ""

    async def _notify_accepted(self, intro: IntroductionRecord) -> None:
        requester = await self.companies.get(intro.requester_company_id)
        target = await self.companies.get(intro.target_company_id)
        if requester is None or target is None:
            return
        # Who said yes on each side: the asker, and whoever accepted (or asked back).
        sides = (
            (requester, target, intro.decided_by),
            (target, requester, intro.requested_by),
        )
        messages: list[NewMessage] = []
        for receiver, other, other_rep in sides:
            card = await self.contact_card(other, other_rep)
            text = (
                f"🎉 <b>Introduction made: {esc(other.name)}</b>\n\n"
                f"Both sides said yes. Here are their contact details:\n\n{card}\n\n"
                "Book a 1:1 meeting in one of the forum's meeting slots below (or write to "
                "them today) — the forum is the best moment to meet."
            )
            data = BOOK_MEETING_DATA.format(partner=other.id)
            book = {"inline_keyboard": [[{"text": "📅 Book a meeting", "callback_data": data}]]}
            for rep in await self.companies.reps(receiver.id):
                messages.append(
                    NewMessage(
                        chat_id=rep,
                        dedupe_key=f"intro:{intro.id}:accepted:{rep}",
                        kind="intro_accepted",
                        payload={"text": text, "parse_mode": "HTML", "reply_markup": book},
                        priority=PRIORITY_URGENT,
                    )
                )
        await self.services.notifier.enqueue(messages)

    async def _notify_declined(self, intro: IntroductionRecord) -> None:
        target = await self.companies.get(intro.target_company_id)
        name = esc(target.name) if target else "The company"
        text = (
            f"{name} cannot take your introduction request further now. Send /matches to "
            "see your other matches."
        )
        await self._to_requester(intro, "declined", text)

    async def _to_requester(self, intro: IntroductionRecord, what: str, text: str) -> None:
        messages = [
            NewMessage(
                chat_id=rep,
                dedupe_key=f"intro:{intro.id}:{what}:{rep}",
                kind=f"intro_{what}",
                payload={"text": text, "parse_mode": "HTML"},
                priority=PRIORITY_URGENT,
            )
            for rep in await self.companies.reps(intro.requester_company_id)
        ]
        await self.services.notifier.enqueue(messages)

    # -- time-driven -----------------------------------------------------------------------
    async def run_due(self) -> dict[str, int]:
        """Expire what is overdue and send the halfway reminders; safe to call any time."""
        now = self.services.clock.now()
        done = {"expired": 0, "reminded": 0, "recovered": 0}
        for intro in await self.repo.expired(now):
            if await self.repo.decide(intro.id, EXPIRED, by=None, now=now):
                done["expired"] += 1
                target = await self.companies.get(intro.target_company_id)
                name = esc(target.name) if target else "The company"
                await self._to_requester(
                    intro,
                    "expired",
                    f"⌛ Your introduction request to {name} expired without an answer. "
                    "Send /matches to see your other matches.",
                )
        done["recovered"] = await self._recover_notices()
        for intro in await self.repo.pending():
            created, expires = _at(intro.created_at), _at(intro.expires_at)
            if intro.reminded_at is None and now >= created + (expires - created) / 2:
                if not await self.repo.mark_reminded(intro.id, now):
                    continue
                requester = await self.companies.get(intro.requester_company_id)
                target = await self.companies.get(intro.target_company_id)
                if requester and target:
                    await self._send_request(intro, requester, target, reminder=True)
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
                await self._send_request(intro, requester, target, reminder=False)
                recovered += 1
        for intro in await self.repo.without_notice(
            ACCEPTED, "accepted", receiver="requester_company_id"
        ):
            await self._notify_accepted(intro)
            recovered += 1
        for intro in await self.repo.without_notice(
            DECLINED, "declined", receiver="requester_company_id"
        ):
            await self._notify_declined(intro)
            recovered += 1
        if recovered:
            log.warning("re-queued the notices of %s introduction(s) after a crash", recovered)
        return recovered

    async def send_digests(self) -> int:
        """Tell reps (at most once a day) when a company newer than their last digest entered
        their top 3. Returns how many companies were told."""
        now = self.services.clock.now()
        records, profiles = await self._profiles()
        by_id = {r.id: r for r in records}
        index = MatchIndex(
            profiles, self.rules, k=DIGEST_TOP, excluded=await self.repo.excluded_pairs()
        )
        told = 0
        for company in records:
            top = index.top_ids(company.id)
            if not top:
                continue
            last = await self.repo.digest_sent_at(company.id)
            if last is not None and now - _at(last) < DIGEST_EVERY:
                continue
            since = max(company.created_at, last or "")
            fresh = [by_id[i] for i in top if by_id[i].created_at > since]
            if not fresh:
                continue
            names = "\n".join(
                f"• {esc(c.name)} ({esc(self.forum.flag_and_name(c.country))})" for c in fresh
            )
            text = (
                f"✨ <b>New matches for {esc(company.name)}</b>\n\n{names}\n\n"
                "They just joined and are among your best matches. Send /matches to see why "
                "and to ask for an introduction."
            )
            day = now.date().isoformat()
            await self.services.notifier.enqueue(
                [
                    NewMessage(
                        chat_id=rep,
                        dedupe_key=f"digest:{company.id}:{day}:{rep}",
                        kind="match_digest",
                        payload={"text": text, "parse_mode": "HTML"},
                        priority=PRIORITY_URGENT,
                    )
                    for rep in await self.companies.reps(company.id)
                ]
            )
            await self.repo.set_digest_sent(company.id, now)
            told += 1
        return told

    # -- lists and organisers --------------------------------------------------------------
    async def stats_text(self, funnel: str) -> str:
        """The organisers' figures; ``funnel`` is the one funnel (bot.services.funnel), as
        the reader's handler rendered it: "has a match" has one definition, there."""
        by_country = await self.companies.count_by_country()
        counts = await self.repo.counts()
        sent = sum(counts.values())
        decided = counts[ACCEPTED] + counts[DECLINED] + counts[EXPIRED]
        rate = f"{100 * counts[ACCEPTED] / decided:.0f}%" if decided else "—"
        lines = ["<b>Matching and introductions</b>", ""]
        lines += [
            f"{esc(self.forum.flag_and_name(c.code))}: {by_country.get(c.code, 0)} companies"
            for c in self.forum.countries
        ]
        # Companies of a country the forum file no longer has (another forum's database).
        lines += [
            f"{esc(code)}: {n} companies"
            for code, n in sorted(by_country.items())
            if code not in self.forum.codes
        ]
        lines += [
            "",
            funnel,
            "",
            f"Requests sent: {sent}",
            f"Accepted: {counts[ACCEPTED]}",
            f"Declined: {counts[DECLINED]}",
            f"Expired: {counts[EXPIRED]}",
            f"Waiting: {counts[PENDING]}",
            f"Acceptance rate: {rate} (of the {decided} answered or expired)",
        ]
        notices = await self.services.outbox.counts(kind_prefix=NOTICE_KIND_PREFIX)
        lines += [
            "",
            "<b>Introduction notices not delivered</b>",
            f"Given up (after retries, or the chat is gone): {notices[FAILED]}",
            f"Reps who blocked the bot: {notices[BLOCKED]}",
            f"Timed out, maybe delivered (not sent again): {notices[UNKNOWN]}",
            "Contact details of accepted introductions stay in /intros for both sides.",
        ]
        return "\n".join(lines)

    async def export_rows(self, top: int) -> list[dict[str, str]]:
        _, profiles = await self._profiles()
        return export_rows(profiles, self.forum, top=top, excluded=await self.repo.excluded_pairs())


def export_rows(
    profiles: list[Profile],
    forum: Forum,
    *,
    top: int,
    excluded: set[tuple[int, int]] | None = None,
) -> list[dict[str, str]]:
    """One row per (company, suggested match), companies in name order, ranks from 1;
    countries by their names in the forum file."""
    index = MatchIndex(profiles, Rules.of(forum), k=top, excluded=excluded or set())
    by_id = {p.id: p for p in profiles}
    rows: list[dict[str, str]] = []
    for company in sorted(by_id.values(), key=lambda p: (p.name.casefold(), p.id)):
        for rank, found in enumerate(index.top(company.id), start=1):
            rows.append(
                {
                    "company": company.name,
                    "country": forum.country_name(company.country),
                    "match": found.other.name,
                    "match_country": forum.country_name(found.other.country),
                    "rank": str(rank),
                    "score": f"{found.score:.3f}",
                    "reasons": "; ".join(render_all(found.reasons, forum)),
                }
            )
    return rows


def rows_to_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


def _at(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


__all__ = [
    "ACCEPT_DATA",
    "DECLINE_DATA",
    "IntroductionService",
    "MatchesView",
    "Outcome",
    "export_rows",
    "pair_key",
    "rows_to_csv",
]


async def export_matches_cli(top: int, path: str) -> int:
    """``python -m bot export-matches --top K FILE.csv``: no bot, just the database."""
    from pathlib import Path

    from bot.config import load_settings
    from storage.db import Database

    if top < 1:
        print("error: --top must be at least 1", file=sys.stderr)
        return 2
    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        rows = await IntroductionService(services).export_rows(top)
    finally:
        await db.close()
    await asyncio.to_thread(Path(path).write_text, rows_to_csv(rows), encoding="utf-8")
    companies = len({r["company"] for r in rows})
    print(f"Wrote {len(rows)} rows ({companies} companies, top {top}) to {path}")
    return 0
