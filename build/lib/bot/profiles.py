"""Company profiles as the bot sees them: validation of every field a rep or an import file
types, the draft a registration builds, and the profile card (HTML, everything escaped).

Pure functions, no I/O: the registration conversation, the profile screens and the CSV import
all validate through here, so a field means the same thing wherever it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from bot.texts import esc
from storage.companies import COUNTRIES, SIZES, CompanyRecord

NAME_MIN, NAME_MAX = 2, 100
CITY_MIN, CITY_MAX = 2, 60
TEXT_MIN, TEXT_MAX = 10, 1000
CONTACT_MIN, CONTACT_MAX = 2, 100
EMAIL_MAX = 254
URL_MAX = 200
MAX_SECTORS = 5

COUNTRY_FLAGS = {"Romania": "🇷🇴", "Pakistan": "🇵🇰"}
COUNTRY_CODES = {"Romania": "RO", "Pakistan": "PK"}
# The zone a rep gets when they register and have none yet (DESIGN.md: default by country).
COUNTRY_ZONES = {"Romania": "Europe/Bucharest", "Pakistan": "Asia/Karachi"}

_EMAIL = re.compile(
    r"^[^@\s<>\"',;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$"
)
_HOST = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_PHONE_NOISE = re.compile(r"[\s().\-]")
_PHONE = re.compile(r"^\+[1-9]\d{6,14}$")
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


class Invalid(ValueError):
    """A value that is not acceptable; the message is one line a user can act on (HTML)."""


def _length(value: str, low: int, high: int, what: str, example: str) -> str:
    value = value.strip()
    if len(value) > high:
        raise Invalid(
            f"That is {len(value):,} characters; the limit for {what} is {high:,}. "
            f"Example: <i>{esc(example)}</i>"
        )
    if len(value) < low:
        raise Invalid(
            f"{what.capitalize()} needs at least {low} characters. Example: <i>{esc(example)}</i>"
        )
    return value


def clean_name(value: str) -> str:
    return " ".join(
        _length(value, NAME_MIN, NAME_MAX, "the company name", "Carpathian Code SRL").split()
    )


def clean_city(value: str) -> str:
    city = _length(value, CITY_MIN, CITY_MAX, "the city", "Cluj-Napoca")
    if any(ch.isdigit() for ch in city):
        raise Invalid("A city name has no digits. Example: <i>Lahore</i>")
    return city


def clean_offers(value: str) -> str:
    return _length(
        value,
        TEXT_MIN,
        TEXT_MAX,
        "what you offer",
        "RPA consulting and UiPath bots for banks",
    )


def clean_seeks(value: str) -> str:
    return _length(
        value,
        TEXT_MIN,
        TEXT_MAX,
        "what you seek",
        "a reseller for our cybersecurity suite in the Gulf",
    )


def clean_contact_name(value: str) -> str:
    return _length(value, CONTACT_MIN, CONTACT_MAX, "the contact name", "Ioana Popescu")


def clean_email(value: str) -> str:
    email = value.strip()
    if len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise Invalid("That is not an email address. Example: <i>ioana@example.ro</i>")
    local, domain = email.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def clean_phone(value: str) -> str:
    phone = _PHONE_NOISE.sub("", value.strip())
    if phone.startswith("00"):
        phone = "+" + phone[2:]
    if not _PHONE.match(phone):
        raise Invalid(
            "Please give the phone in international format, with the country code. "
            "Example: <i>+40 721 234 567</i> or <i>+92 300 1234567</i>"
        )
    return phone


def clean_website(value: str) -> str:
    url = value.strip()
    example = "Example: <i>https://www.example.ro</i>"
    if len(url) > URL_MAX:
        raise Invalid(f"That address is {len(url):,} characters; the limit is {URL_MAX}. {example}")
    if "://" not in url:
        # "example.ro" is what people type; it means the https site.
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise Invalid(f"That is not a web address. {example}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise Invalid(f"The website must start with http:// or https://. {example}")
    if not _HOST.match(host) or any(ch.isspace() for ch in url):
        raise Invalid(f"That is not a web address with a host name. {example}")
    return url


def clean_username(value: str) -> str:
    name = value.strip().removeprefix("@").removeprefix("https://t.me/")
    if not _USERNAME.match(name):
        raise Invalid("That is not a Telegram username. Example: <i>@ioana_ro</i>")
    return name


def parse_country(value: str) -> str:
    wanted = value.strip().lower()
    for country in COUNTRIES:
        if wanted in (country.lower(), COUNTRY_CODES[country].lower()):
            return country
    raise Invalid(f"The country must be Romania or Pakistan (or RO / PK), not “{esc(value)}”.")


def parse_size(value: str) -> str:
    # People type hyphens; the labels use en dashes.
    wanted = value.strip().replace("-", "–").replace("—", "–").replace(" ", "")
    for size in SIZES:
        if wanted == size:
            return size
    raise Invalid(f"The size must be one of {', '.join(SIZES)}, not “{esc(value)}”.")


def parse_names(value: str, allowed: Sequence[str], what: str) -> list[str]:
    """``a; b; c`` → the names as spelled in ``allowed``, case-insensitive, no duplicates."""
    by_lower = {name.lower(): name for name in allowed}
    found: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name = by_lower.get(part.lower())
        if name is None:
            raise Invalid(f"Unknown {what} “{esc(part)}”.")
        if name not in found:
            found.append(name)
    return found


# -- the draft and the card -------------------------------------------------------------------


def draft_from_record(record: CompanyRecord) -> dict[str, Any]:
    """The editable answers of a stored company, in the shape the conversation keeps."""
    return {
        "name": record.name,
        "country": record.country,
        "city": record.city,
        "sectors": list(record.sectors),
        "offers": record.offers,
        "seeks": record.seeks,
        "partnerships": list(record.partnerships),
        "size": record.size,
        "website": record.website,
        "contact_name": record.contact_name,
        "contact_email": record.contact_email,
        "contact_phone": record.contact_phone,
        "consent": record.consent,
    }


def company_fields(draft: Mapping[str, Any]) -> dict[str, Any]:
    """The companies-table columns of a draft (lists are stored separately)."""
    return {
        "name": draft.get("name"),
        "country": draft.get("country"),
        "city": draft.get("city"),
        "offers": draft.get("offers") or "",
        "seeks": draft.get("seeks") or "",
        "size": draft.get("size"),
        "website": draft.get("website"),
        "contact_name": draft.get("contact_name"),
        "contact_email": draft.get("contact_email"),
        "contact_phone": draft.get("contact_phone"),
        "consent": int(bool(draft.get("consent"))),
    }


def _line(label: str, value: object) -> str:
    shown = esc(value) if value not in (None, "", [], ()) else "—"
    return f"<b>{label}:</b> {shown}"


def render_card(
    profile: Mapping[str, Any],
    *,
    title: str | None = None,
    paused: bool = False,
    reps: int | None = None,
    contacts: bool = True,
) -> str:
    """The profile card in HTML. Every value is escaped: it is what a rep or a file typed."""
    country = profile.get("country") or ""
    flag = COUNTRY_FLAGS.get(country, "")
    where = ", ".join(esc(p) for p in (profile.get("city"), country) if p)
    lines = []
    if title:
        lines.append(title)
    lines.append(f"🏢 <b>{esc(profile.get('name') or '—')}</b>")
    lines.append(f"{flag} {where}".strip() or "—")
    lines.append(_line("Sectors", ", ".join(profile.get("sectors") or ())))
    lines.append(_line("Size", f"{profile['size']} people" if profile.get("size") else None))
    lines.append(_line("Offers", profile.get("offers")))
    lines.append(_line("Seeks", profile.get("seeks")))
    lines.append(_line("Partnerships", ", ".join(profile.get("partnerships") or ())))
    lines.append(_line("Website", profile.get("website")))
    if contacts:
        lines.append(_line("Contact", profile.get("contact_name")))
        lines.append(_line("Email", profile.get("contact_email")))
        lines.append(_line("Phone", profile.get("contact_phone")))
        consent = (
            "given: contacts are shared only after both sides accept an introduction"
            if profile.get("consent")
            else "not given: you are not shown to other companies"
        )
        lines.append(_line("Consent", consent))
    if reps is not None:
        lines.append(_line("Reps in Telegram", reps))
    if paused:
        lines.append("⏸ <i>Matching is paused.</i>")
    return "\n".join(lines)


def record_card(record: CompanyRecord, *, title: str | None = None, reps: int | None = None) -> str:
    profile = draft_from_record(record)
    return render_card(profile, title=title, paused=record.paused, reps=reps)


def country_zone(country: str | None, default: str) -> str:
    return COUNTRY_ZONES.get(country or "", default)
