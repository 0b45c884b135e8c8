"""How a company reads in the chat, in the reader's language: the profile card (every value
escaped: it is what a rep or a file typed), a refused answer's problem, and the field names
the registration and the profile editor share.

The country (a code) and the sectors and intents (keys) are named by the forum file, in the
reader's language where the file gives one.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.problems import Problem
from bot.domain.profiles import Profile, display_phone
from bot.forum import Forum
from handlers.i18n import N_, Texts

# The profile's fields as the registration's titles and the field list's buttons name them.
TITLES = {
    "name": N_("Company name"),
    "country": N_("Country"),
    "city": N_("City"),
    "sectors": N_("Sectors"),
    "offers": N_("What you offer"),
    "seeks": N_("What you seek"),
    "partnerships": N_("Partnerships"),
    "size": N_("Size"),
    "website": N_("Website"),
    "contact_name": N_("Contact person"),
    "contact_email": N_("Contact email"),
    "contact_phone": N_("Phone"),
    "consent": N_("Consent"),
}


def problem_text(tx: Texts, problem: Problem, *, html: bool = True) -> str:
    """A refused value's problem in the reader's language: in HTML what they typed is
    escaped and examples are in italics; ``html=False`` for a text file."""
    values: dict[str, object] = {}
    for key, value in problem.values.items():
        if not isinstance(value, str) or not html:
            values[key] = value  # numbers keep their format ({length:,})
        elif key.startswith("example"):
            values[key] = f"<i>{tx.user(value)}</i>"
        else:
            values[key] = tx.user(value)
    text = tx._(problem.text).format(**values)
    return f"{problem.column}: {text}" if problem.column else text


def _line(tx: Texts, label: str, value: object) -> str:
    shown = tx.user(value) if value not in (None, "", [], ()) else "—"
    return label.format(value=shown)


def _labels(keys: list[str], label: Callable[[str, str | None], str], language: str) -> str:
    return ", ".join(label(key, language) for key in keys)


def card(
    tx: Texts,
    profile: Profile,
    forum: Forum,
    *,
    title: str | None = None,
    paused: bool = False,
    reps: int | None = None,
) -> str:
    """The profile card in HTML; ``title`` (HTML, already in the reader's language) on top."""
    country = forum.country(profile.country)
    name = forum.country_name(profile.country, tx.language) if profile.country else ""
    where = ", ".join(tx.user(p) for p in (profile.city, name) if p)
    lines = [title] if title else []
    lines.append(tx._("🏢 <b>{name}</b>").format(name=tx.user(profile.name or "—")))
    lines.append(f"{country.flag if country else ''} {where}".strip() or "—")
    sectors = _labels(profile.sectors, forum.sector_label, tx.language)
    intents = _labels(profile.partnerships, forum.intent_label, tx.language)
    size = tx._("{size} people").format(size=profile.size) if profile.size else None
    lines.append(_line(tx, tx._("<b>Sectors:</b> {value}"), sectors))
    lines.append(_line(tx, tx._("<b>Size:</b> {value}"), size))
    lines.append(_line(tx, tx._("<b>Offers:</b> {value}"), profile.offers))
    lines.append(_line(tx, tx._("<b>Seeks:</b> {value}"), profile.seeks))
    lines.append(_line(tx, tx._("<b>Partnerships:</b> {value}"), intents))
    lines.append(_line(tx, tx._("<b>Website:</b> {value}"), profile.website))
    lines.append(_line(tx, tx._("<b>Contact:</b> {value}"), profile.contact_name))
    lines.append(_line(tx, tx._("<b>Email:</b> {value}"), profile.contact_email))
    phone = display_phone(profile.contact_phone)
    lines.append(_line(tx, tx._("<b>Phone:</b> {value}"), phone))
    if profile.consent:
        consent = tx._(
            "<b>Consent:</b> given: contacts are shared only after both sides accept an "
            "introduction"
        )
    else:
        consent = tx._("<b>Consent:</b> not given: you are not shown to other companies")
    lines.append(consent)
    if reps is not None:
        lines.append(tx._("<b>Reps in Telegram:</b> {n}").format(n=reps))
    if paused:
        lines.append(tx._("⏸ <i>Matching is paused.</i>"))
    return "\n".join(lines)
