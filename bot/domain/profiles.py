"""Company profiles as the bot sees them: the fields of a profile (:class:`Profile`) and the
validation of every field a rep or an import file types.

Pure functions, no I/O and no HTML: the registration conversation, the profile screens and
the CSV import all validate through here, so a field means the same thing wherever it comes
from. A refused value raises :class:`Invalid` carrying a :class:`Problem` — an English
message id with named values — which the chat renders in the reader's language
(``handlers.company_texts``) and the command line prints as it is. E-mail addresses are
checked by email-validator and phone numbers by phonenumbers (libphonenumber's metadata),
never by hand-written patterns. A profile holds its country's code and its sectors' and
intents' keys; what they are called comes from the :class:`~bot.forum.Forum` passed in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.domain.problems import N_, Invalid
from bot.domain.unicode_text import is_bidi_control, is_visible
from bot.forum import Forum, Intent, Sector

NAME_MIN, NAME_MAX = 2, 100
CITY_MIN, CITY_MAX = 2, 60
TEXT_MIN, TEXT_MAX = 10, 1000
CONTACT_MIN, CONTACT_MAX = 2, 100
URL_MAX = 200
MAX_SECTORS = 5
SIZES = ("1–10", "11–50", "51–200", "201–1000", "1000+")
# The fields a profile must have before it can be registered (sectors and partnerships are
# lists: at least one each).
REQUIRED = (
    "name",
    "country",
    "sectors",
    "offers",
    "seeks",
    "partnerships",
    "contact_name",
    "contact_email",
)

_HOST = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


@dataclass
class Profile:
    """The answers that make a company profile: what registration collects and an edit
    changes, one field at a time. Country is a code, sectors and partnerships are keys."""

    name: str | None = None
    country: str | None = None
    city: str | None = None
    sectors: list[str] = field(default_factory=list)
    offers: str | None = None
    seeks: str | None = None
    partnerships: list[str] = field(default_factory=list)
    size: str | None = None
    website: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    consent: bool = False

    def missing(self) -> list[str]:
        """The required fields still empty, in the order of the questions."""
        return [name for name in REQUIRED if not getattr(self, name)]

    def columns(self) -> dict[str, Any]:
        """The companies-table columns (the lists are stored apart)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.pop("sectors"), values.pop("partnerships")
        values["offers"] = values["offers"] or ""
        values["seeks"] = values["seeks"] or ""
        values["consent"] = int(bool(values["consent"]))
        return values


FIELDS = tuple(f.name for f in fields(Profile))


def profile_of(record: Any) -> Profile:
    """The editable answers of a stored company (anything with the profile's attributes)."""
    values = {name: getattr(record, name) for name in FIELDS}
    values["sectors"] = list(values["sectors"])
    values["partnerships"] = list(values["partnerships"])
    values["consent"] = bool(values["consent"])
    return Profile(**values)


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    example: str
    empty: str
    long: str
    short: str


# One message per field and problem: the field's name is part of the sentence.
_BOUNDS = {
    "name": _Bounds(
        NAME_MIN,
        NAME_MAX,
        "Carpathian Code SRL",
        N_("The company name is empty: it has no visible characters. Example: {example}"),
        N_(
            "That is {length:,} characters; the limit for the company name is {limit:,}. "
            "Example: {example}"
        ),
        N_("The company name needs at least {minimum} characters. Example: {example}"),
    ),
    "city": _Bounds(
        CITY_MIN,
        CITY_MAX,
        "Cluj-Napoca",
        N_("The city is empty: it has no visible characters. Example: {example}"),
        N_(
            "That is {length:,} characters; the limit for the city is {limit:,}. Example: {example}"
        ),
        N_("The city needs at least {minimum} characters. Example: {example}"),
    ),
    "offers": _Bounds(
        TEXT_MIN,
        TEXT_MAX,
        "RPA consulting and UiPath bots for banks",
        N_("What you offer is empty: it has no visible characters. Example: {example}"),
        N_(
            "That is {length:,} characters; the limit for what you offer is {limit:,}. "
            "Example: {example}"
        ),
        N_("What you offer needs at least {minimum} characters. Example: {example}"),
    ),
    "seeks": _Bounds(
        TEXT_MIN,
        TEXT_MAX,
        "a reseller for our cybersecurity suite in the Gulf",
        N_("What you seek is empty: it has no visible characters. Example: {example}"),
        N_(
            "That is {length:,} characters; the limit for what you seek is {limit:,}. "
            "Example: {example}"
        ),
        N_("What you seek needs at least {minimum} characters. Example: {example}"),
    ),
    "contact_name": _Bounds(
        CONTACT_MIN,
        CONTACT_MAX,
        "Ioana Popescu",
        N_("The contact name is empty: it has no visible characters. Example: {example}"),
        N_(
            "That is {length:,} characters; the limit for the contact name is {limit:,}. "
            "Example: {example}"
        ),
        N_("The contact name needs at least {minimum} characters. Example: {example}"),
    ),
}
CITY_DIGITS = N_("A city name has no digits. Example: {example}")
NOT_EMAIL = N_("That is not an email address: {reason} Example: {example}")
NOT_PHONE = N_(
    "That is not a valid phone number. Please give it in international format, with the "
    "country code. Example: {example}"
)
NOT_LOCAL_PHONE = N_(
    "That is not a valid phone number. Please give it in international format, with the "
    "country code, or as you dial it in the company's country. Example: {example} or "
    "{example_local}"
)
URL_TOO_LONG = N_("That address is {length:,} characters; the limit is {limit}. Example: {example}")
NOT_URL = N_("That is not a web address. Example: {example}")
URL_SCHEME = N_("The website must start with http:// or https://. Example: {example}")
URL_HOST = N_("That is not a web address with a host name. Example: {example}")
NOT_USERNAME = N_("That is not a Telegram username. Example: {example}")
NOT_COUNTRY = N_(
    "The country must be {first} or {second} (or {first_code} / {second_code}), not “{value}”."
)
NOT_SIZE = N_("The size must be one of {sizes}, not “{value}”.")
UNKNOWN = {
    "sector": N_("Unknown sector “{value}”"),
    "partnership": N_("Unknown partnership “{value}”"),
}
WEBSITE_EXAMPLE = "https://www.example.ro"


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


def _length(value: str, name: str, *, lines: bool = False) -> str:
    bounds = _BOUNDS[name]
    value = _typed_text(value, lines=lines)
    if not any(is_visible(ch) for ch in value):
        raise Invalid(bounds.empty, example=bounds.example)
    if len(value) > bounds.high:
        raise Invalid(bounds.long, length=len(value), limit=bounds.high, example=bounds.example)
    # Invisible characters (a zero-width space) do not make a short answer long enough.
    if sum(1 for ch in value if ch.isspace() or is_visible(ch)) < bounds.low:
        raise Invalid(bounds.short, minimum=bounds.low, example=bounds.example)
    return value


def clean_name(value: str) -> str:
    return _length(value, "name")


def clean_city(value: str) -> str:
    city = _length(value, "city")
    if any(ch.isdigit() for ch in city):
        raise Invalid(CITY_DIGITS, example="Lahore")
    return city


def clean_offers(value: str) -> str:
    return _length(value, "offers", lines=True)


def clean_seeks(value: str) -> str:
    return _length(value, "seeks", lines=True)


def clean_contact_name(value: str) -> str:
    return _length(value, "contact_name")


def clean_email(value: str) -> str:
    """The address in email-validator's normalized form (the domain in lower case and
    Unicode, e.g. ``ana@exämple.ro``); its syntax only: nobody's mail server is asked."""
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise Invalid(NOT_EMAIL, reason=str(exc), example="ioana@example.ro") from None
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
        examples = phone_examples(country)
        if region and examples:
            raise Invalid(NOT_LOCAL_PHONE, example=examples[0], example_local=examples[1])
        raise Invalid(NOT_PHONE, example="+44 7400 123456")
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
    if len(url) > URL_MAX:
        raise Invalid(URL_TOO_LONG, length=len(url), limit=URL_MAX, example=WEBSITE_EXAMPLE)
    if "://" not in url:
        # "example.ro" is what people type; it means the https site.
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:
        raise Invalid(NOT_URL, example=WEBSITE_EXAMPLE) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise Invalid(URL_SCHEME, example=WEBSITE_EXAMPLE)
    if not _HOST.match(host) or not url.isprintable() or any(ch.isspace() for ch in url):
        raise Invalid(URL_HOST, example=WEBSITE_EXAMPLE)
    return url


def clean_username(value: str) -> str:
    name = value.strip().removeprefix("@").removeprefix("https://t.me/")
    if not _USERNAME.match(name):
        raise Invalid(NOT_USERNAME, example="@ioana_ro")
    return name


def parse_country(value: str, forum: Forum) -> str:
    """The code of one of the forum's two countries, from its code or its name in any
    language (any case)."""
    country = forum.find_country(value)
    if country is not None:
        return country.code
    first, second = forum.countries
    raise Invalid(
        NOT_COUNTRY,
        first=first.name,
        second=second.name,
        first_code=first.code,
        second_code=second.code,
        value=value,
    )


def parse_size(value: str) -> str:
    # People type hyphens; the labels use en dashes.
    wanted = value.strip().replace("-", "–").replace("—", "–").replace(" ", "")
    for size in SIZES:
        if wanted == size:
            return size
    raise Invalid(NOT_SIZE, sizes=", ".join(SIZES), value=value)


def parse_names(value: str, find: Callable[[str], Sector | Intent | None], what: str) -> list[str]:
    """``a; b; c`` → the keys of what ``find`` (``forum.find_sector`` or ``find_intent``)
    knows by key or label (any case, any language), in that order, no duplicates. ``what``
    is ``"sector"`` or ``"partnership"``."""
    found: list[str] = []
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        item = find(part)
        if item is None:
            raise Invalid(UNKNOWN[what], value=part)
        if item.key not in found:
            found.append(item.key)
    return found


def country_zone(country: str | None, forum: Forum, default: str) -> str:
    """The zone a rep gets when they have none yet: their country's, else ``default`` (the
    event's)."""
    found = forum.country(country)
    return found.timezone if found else default
