"""Company profiles as the bot sees them: validation of every field a rep or an import file
types, the draft a registration builds, and the profile card (HTML, everything escaped).

Pure functions, no I/O: the registration conversation, the profile screens and the CSV import
all validate through here, so a field means the same thing wherever it comes from. E-mail
addresses are checked by email-validator and phone numbers by phonenumbers (libphonenumber's
metadata), never by hand-written patterns. A profile holds its country's code and its sectors'
and intents' keys; what they are called comes from the :class:`~bot.forum.Forum` passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.domain.unicode_text import is_bidi_control, is_visible
from bot.forum import Forum, Intent, Sector
from handlers.html import esc
from storage.companies import SIZES, CompanyRecord

NAME_MIN, NAME_MAX = 2, 100
CITY_MIN, CITY_MAX = 2, 60
TEXT_MIN, TEXT_MAX = 10, 1000
CONTACT_MIN, CONTACT_MAX = 2, 100
URL_MAX = 200
MAX_SECTORS = 5

_HOST = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


class Invalid(ValueError):
    """A value that is not acceptable; the message is one line a user can act on (HTML)."""


def _typed_text(value: str, *, lines: bool = False) -> str:
    """What a person typed, made fit to store and show: control characters out (line breaks
    kept where the field has lines; tabs and other whitespace controls become spaces), bidi
    embedding/override/isolate controls and lone surrogates out, the ends trimmed; a
    single-line field has each run of whitespace made one space."""
    if lines:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    for ch in value:
        category = unicodedata.category(ch)
        if lines and ch == "\n":
            kept.append(ch)
        elif category in ("Cc", "Zl", "Zp"):
            if ch.isspace():
                kept.append(" ")
        elif category != "Cs" and not is_bidi_control(ch):
            kept.append(ch)
    text = "".join(kept)
    return text.strip() if lines else " ".join(text.split())


def _length(
    value: str, low: int, high: int, what: str, example: str, *, lines: bool = False
) -> str:
    value = _typed_text(value, lines=lines)
    if not any(is_visible(ch) for ch in value):
        raise Invalid(
            f"{what.capitalize()} is empty: it has no visible characters. "
            f"Example: <i>{esc(example)}</i>"
        )
    if len(value) > high:
        raise Invalid(
            f"That is {len(value):,} characters; the limit for {what} is {high:,}. "
            f"Example: <i>{esc(example)}</i>"
        )
    # Invisible characters (a zero-width space) do not make a short answer long enough.
    if sum(1 for ch in value if ch.isspace() or is_visible(ch)) < low:
        raise Invalid(
            f"{what.capitalize()} needs at least {low} characters. Example: <i>{esc(example)}</i>"
        )
    return value


def clean_name(value: str) -> str:
    return _length(value, NAME_MIN, NAME_MAX, "the company name", "Carpathian Code SRL")


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
        lines=True,
    )


def clean_seeks(value: str) -> str:
    return _length(
        value,
        TEXT_MIN,
        TEXT_MAX,
        "what you seek",
        "a reseller for our cybersecurity suite in the Gulf",
        lines=True,
    )


def clean_contact_name(value: str) -> str:
    return _length(value, CONTACT_MIN, CONTACT_MAX, "the contact name", "Ioana Popescu")


def clean_email(value: str) -> str:
    """The address in email-validator's normalized form (the domain in lower case and
    Unicode, e.g. ``ana@exämple.ro``); its syntax only: nobody's mail server is asked."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(
            f"That is not an email address: {esc(exc)} Example: <i>ioana@example.ro</i>"
        ) from None
    return checked.normalized


def phone_region(country: str | None) -> str | None:
    """The region a phone number without a country code is read in: the company's country,
    whose code is ISO 3166's, as libphonenumber wants it."""
    return country if country and country in phonenumbers.SUPPORTED_REGIONS else None


def phone_examples(country: str | None) -> tuple[str, str] | None:
    """A mobile number of the company's country from libphonenumber's metadata, written
    (internationally, as dialled there): the examples the prompts and errors show."""
    region = phone_region(country)
    number = (
        phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if region
        else None
    )
    if number is None:
        return None
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
    )


def clean_phone(value: str, country: str | None = None) -> str:
    """A valid phone number in E.164 (``+40722000111``). With the company's ``country`` code
    a local number (``0722 000 111`` for RO) is understood; without, it needs the +code."""
    region = phone_region(country)
    try:
        number = phonenumbers.parse(value.strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        local = " or as you dial it in the company's country" if region else ""
        examples = phone_examples(country)
        example = (
            f"<i>{examples[0]}</i> or <i>{examples[1]}</i>"
            if examples
            else "<i>+44 7400 123456</i>"
        )
        raise Invalid(
            "That is not a valid phone number. Please give it in international format, with "
            f"the country code{local}. Example: {example}"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(value: str | None) -> str | None:
    """A stored number as people read it (``+40 722 000 111``); a stored value that is not a
    number (from before numbers were checked this way) is shown as it is."""
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


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
    if not _HOST.match(host) or not url.isprintable() or any(ch.isspace() for ch in url):
        raise Invalid(f"That is not a web address with a host name. {example}")
    return url


def clean_username(value: str) -> str:
    name = value.strip().removeprefix("@").removeprefix("https://t.me/")
    if not _USERNAME.match(name):
        raise Invalid("That is not a Telegram username. Example: <i>@ioana_ro</i>")
    return name


def parse_country(value: str, forum: Forum) -> str:
    """The code of one of the forum's two countries, from its code or its name in any
    language (any case)."""
    country = forum.find_country(value)
    if country is not None:
        return country.code
    first, second = forum.countries
    raise Invalid(
        f"The country must be {esc(first.name)} or {esc(second.name)} "
        f"(or {first.code} / {second.code}), not “{esc(value)}”."
    )


def parse_size(value: str) -> str:
    # People type hyphens; the labels use en dashes.
    wanted = value.strip().replace("-", "–").replace("—", "–").replace(" ", "")
    for size in SIZES:
        if wanted == size:
            return size
    raise Invalid(f"The size must be one of {', '.join(SIZES)}, not “{esc(value)}”.")


def parse_names(value: str, find: Callable[[str], Sector | Intent | None], what: str) -> list[str]:
    """``a; b; c`` → the keys of what ``find`` (``forum.find_sector`` or ``find_intent``)
    knows by key or label (any case, any language), in that order, no duplicates."""
    found: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        item = find(part)
        if item is None:
            raise Invalid(f"Unknown {what} “{esc(part)}”.")
        if item.key not in found:
            found.append(item.key)
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
    forum: Forum,
    *,
    title: str | None = None,
    paused: bool = False,
    reps: int | None = None,
    contacts: bool = True,
) -> str:
    """The profile card in HTML. Every value is escaped: it is what a rep or a file typed.
    The country (a code) and the sectors and intents (keys) are named by ``forum``."""
    code = profile.get("country") or ""
    country = forum.country(code)
    name = forum.country_name(code)
    where = ", ".join(esc(p) for p in (profile.get("city"), name) if p)
    lines = []
    if title:
        lines.append(title)
    lines.append(f"🏢 <b>{esc(profile.get('name') or '—')}</b>")
    lines.append(f"{country.flag if country else ''} {where}".strip() or "—")
    sectors = [forum.sector_label(key) for key in profile.get("sectors") or ()]
    intents = [forum.intent_label(key) for key in profile.get("partnerships") or ()]
    lines.append(_line("Sectors", ", ".join(sectors)))
    lines.append(_line("Size", f"{profile['size']} people" if profile.get("size") else None))
    lines.append(_line("Offers", profile.get("offers")))
    lines.append(_line("Seeks", profile.get("seeks")))
    lines.append(_line("Partnerships", ", ".join(intents)))
    lines.append(_line("Website", profile.get("website")))
    if contacts:
        lines.append(_line("Contact", profile.get("contact_name")))
        lines.append(_line("Email", profile.get("contact_email")))
        lines.append(_line("Phone", display_phone(profile.get("contact_phone"))))
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


def record_card(
    record: CompanyRecord, forum: Forum, *, title: str | None = None, reps: int | None = None
) -> str:
    profile = draft_from_record(record)
    return render_card(profile, forum, title=title, paused=record.paused, reps=reps)


def country_zone(country: str | None, forum: Forum, default: str) -> str:
    """The zone a rep gets when they have none yet: their country's (docs/architecture.md:
    default by country), else ``default`` (the event's)."""
    found = forum.country(country)
    return found.timezone if found else default
