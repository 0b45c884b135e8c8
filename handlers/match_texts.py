"""The words of matching and introductions, shared by /matches, the request's note step,
/intros, /companies and the introduction notices: company cards, why there are no matches,
and what became of a request or an answer — all in the reader's language."""

from __future__ import annotations

from datetime import datetime

from bot.config import Settings
from bot.domain.company_face import PublicCompany
from bot.domain.profiles import display_phone
from bot.forum import Forum
from bot.services.introductions import (
    ACCEPTED,
    DECLINED,
    EXPIRED,
    NOTE_LIMIT,
    PENDING,
    Contact,
    Outcome,
)
from bot.services.matching import (
    INCOMPLETE,
    NO_COMPANY,
    NO_CONSENT,
    NONE_LEFT,
    NONE_READY,
    OUTSIDE,
    PAUSED,
)
from handlers.i18n import N_, Texts

CLIP = 300

STATE_LABELS = {
    PENDING: N_("⏳ waiting for an answer"),
    ACCEPTED: N_("✅ accepted"),
    DECLINED: N_("✖️ not taken further"),
    EXPIRED: N_("⌛ expired"),
}


def clip(text: str | None, limit: int = CLIP) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def state_label(tx: Texts, state: str) -> str:
    return tx._(STATE_LABELS[state]) if state in STATE_LABELS else tx.user(state)


def event_time(when: datetime, settings: Settings) -> str:
    """``25 Nov 14:00 (<the event's zone>)``."""
    local = when.astimezone(settings.tz)
    return local.strftime("%d %b %H:%M") + f" ({settings.event_timezone})"


def _heading(tx: Texts, name: str, country: str, city: str | None, forum: Forum) -> str:
    """``<b>Name</b> — 🇩🇪 Berlin, Germany``: the flag, then city and country."""
    found = forum.country(country)
    place = ", ".join(p for p in (city, forum.country_name(country, tx.language)) if p)
    flag = f"{found.flag} " if found else ""
    return f"<b>{tx.user(name)}</b> — {flag}{tx.user(place)}"


def public_card(
    tx: Texts,
    company: PublicCompany,
    forum: Forum,
    *,
    limit: int = CLIP,
    website: str | None = None,
) -> str:
    """Name, country, sectors, size, what they offer and seek (and the website, in the
    directory gives it); never contact details."""
    lines = [_heading(tx, company.name, company.country, company.city, forum)]
    if company.sectors:
        sectors = ", ".join(forum.sector_label(key, tx.language) for key in company.sectors)
        lines.append(tx._("<i>Sectors:</i> {sectors}").format(sectors=tx.user(sectors)))
    if company.size:
        lines.append(tx._("<i>Size:</i> {size} people").format(size=tx.user(company.size)))
    lines.append(
        tx._("<i>Offers:</i> {offers}").format(offers=tx.user(clip(company.offers, limit)))
    )
    lines.append(tx._("<i>Seeks:</i> {seeks}").format(seeks=tx.user(clip(company.seeks, limit))))
    if website:
        lines.append(tx._("<i>Website:</i> {website}").format(website=tx.user(website)))
    return "\n".join(lines)


def contact_card(tx: Texts, contact: Contact, forum: Forum) -> str:
    lines = [_heading(tx, contact.name, contact.country, contact.city, forum)]
    if contact.contact_name:
        lines.append(tx._("Contact: {name}").format(name=tx.user(contact.contact_name)))
    if contact.email:
        lines.append(tx._("Email: {email}").format(email=tx.user(contact.email)))
    if contact.phone:
        lines.append(tx._("Phone: {phone}").format(phone=tx.user(display_phone(contact.phone))))
    if contact.website:
        lines.append(tx._("Website: {website}").format(website=tx.user(contact.website)))
    ref = contact.telegram
    if ref is not None:
        if ref.username:
            handle = tx.user(ref.username)
            link = f'<a href="https://t.me/{handle}">@{handle}</a>'
        else:
            link = f'<a href="tg://user?id={ref.user_id}">{tx.user(ref.display_name)}</a>'
        lines.append(tx._("Telegram: {link}").format(link=link))
    return "\n".join(lines)


def no_matches(tx: Texts, kind: str, forum: Forum, other: str = "") -> str:
    """Why /matches shows nothing (a :class:`bot.services.matching.MatchesView` kind)."""
    country = tx.user(forum.country_name(other, tx.language)) if other else ""
    if kind == NO_COMPANY:
        return tx._(
            "You don't have a company yet. Register it with /register, and I will show you "
            "the best partners from the other country."
        )
    if kind == INCOMPLETE:
        return tx._(
            "Your company profile is not complete yet: matching needs your sectors, what you "
            "offer, what you seek, the partnership you want and a contact email. Complete it "
            "with /register or /profile."
        )
    if kind == NO_CONSENT:
        return tx._(
            "You have not agreed to be shown to other companies, so I cannot match you. Give "
            "your consent in /profile."
        )
    if kind == PAUSED:
        return tx._("Your company is paused, so it is not matched. Resume it in /profile.")
    if kind == OUTSIDE:
        first, second = (tx.user(forum.country_name(c.code, tx.language)) for c in forum.countries)
        return tx._(
            "This forum matches companies from {first} with companies from {second}; set "
            "your country in /profile."
        ).format(first=first, second=second)
    if kind == NONE_READY:
        return tx._(
            "No company from {country} is ready to be matched yet. I will send you a note "
            "when new matches arrive; meanwhile, invite partners you know to register."
        ).format(country=country)
    if kind == NONE_LEFT:
        return tx._(
            "None of the companies from {country} matches you yet (or you have seen them "
            "all). Describe what you offer and seek in more words in /profile — specific "
            "services and technologies match best."
        ).format(country=country)
    return tx._("There are no matches to show.")


# What a request, its check or an answer came to (an Outcome kind), where no count is said.
OUTCOMES = {
    "no_company": N_("Register your company first: /register."),
    "gone": N_("That company is no longer available for introductions."),
    "same_country": N_(
        "{name} is from your own country: introductions are made across the border only "
        "(same country — not matched)."
    ),
    "not_match": N_("That company is not one of your matches."),
    "exists": N_("There is already an introduction with {name} ({state}). See /intros."),
    "mutual": N_(
        "🎉 {name} had already asked to meet you, so the introduction is made: you will both "
        "receive each other's contact details now."
    ),
    "ok": N_(
        "Add a short note for <b>{name}</b> (up to {limit} characters): who you are and what "
        "you would like to discuss. Or send the request without a note.\n\n/cancel to stop."
    ),
    "refused": N_("This introduction is not addressed to your company."),
    "already": N_("This request was already answered: {state}."),
    "accepted": N_(
        "✅ You accepted the introduction with {name}. Contact details are on their way to "
        "both of you."
    ),
    "declined": N_(
        "✖️ You declined the introduction with {name}. They will only hear that you cannot "
        "take it further now, and you will not be matched again."
    ),
}


def outcome_text(tx: Texts, done: Outcome, forum: Forum, settings: Settings) -> str:
    """What a request, its check or an answer came to, for the rep who pressed."""
    name = tx.user(done.name) if done.name else tx._("the company")
    if done.kind == "unmatchable":
        return no_matches(tx, done.why, forum)
    if done.kind == "limit":
        if done.next_at is None:
            text = tx.n_(
                "Your company has sent {n} introduction request in the last 24 hours: the "
                "daily limit is {limit}.",
                "Your company has sent {n} introduction requests in the last 24 hours: the "
                "daily limit is {limit}.",
                done.sent_today,
            )
            return text.format(limit=done.limit)
        text = tx.n_(
            "Your company has sent {n} introduction request in the last 24 hours: the daily "
            "limit is {limit}. You can send the next one after {when}.",
            "Your company has sent {n} introduction requests in the last 24 hours: the daily "
            "limit is {limit}. You can send the next one after {when}.",
            done.sent_today,
        )
        return text.format(limit=done.limit, when=event_time(done.next_at, settings))
    if done.kind == "sent":
        return tx.n_(
            "📨 Your request was sent to {name}. If they accept, you will both get each "
            "other's contact details. They have {n} day to answer.",
            "📨 Your request was sent to {name}. If they accept, you will both get each "
            "other's contact details. They have {n} days to answer.",
            done.expiry_days,
        ).format(name=name)
    if done.kind in OUTCOMES:
        return tx._(OUTCOMES[done.kind]).format(
            name=name, state=state_label(tx, done.state), limit=NOTE_LIMIT
        )
    return tx._("Something went wrong. Please try again.")
