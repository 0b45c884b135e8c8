"""The registration's steps: their names (the conversation's states, stored as strings),
their order, which may be skipped, how each text answer is checked, and the words of each
question in the reader's language."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.profiles import (
    MAX_SECTORS,
    clean_city,
    clean_contact_name,
    clean_email,
    clean_name,
    clean_offers,
    clean_phone,
    clean_seeks,
    clean_website,
)
from handlers.company_texts import TITLES
from handlers.i18n import N_, Texts

# States: the profile's field names, plus the summary and the field list.
NAME = "name"
COUNTRY = "country"
CITY = "city"
SECTORS = "sectors"
OFFERS = "offers"
SEEKS = "seeks"
PARTNERSHIPS = "partnerships"
SIZE = "size"
WEBSITE = "website"
CONTACT_NAME = "contact_name"
EMAIL = "contact_email"
PHONE = "contact_phone"
CONSENT = "consent"
SUMMARY = "summary"
PICK = "pick"

STEPS = (
    NAME,
    COUNTRY,
    CITY,
    SECTORS,
    OFFERS,
    SEEKS,
    PARTNERSHIPS,
    SIZE,
    WEBSITE,
    CONTACT_NAME,
    EMAIL,
    PHONE,
    CONSENT,
)
OPTIONAL = (CITY, WEBSITE, PHONE)
# The contact's three questions are one step for the counter shown.
NUMBERS = {step: n for n, step in enumerate(STEPS[:10], start=1)}
NUMBERS.update({EMAIL: 10, PHONE: 10, CONSENT: 11, SUMMARY: 12})
TOTAL_STEPS = 12
TEXT_FIELDS: dict[str, Callable[[str], str]] = {
    NAME: clean_name,
    CITY: clean_city,
    OFFERS: clean_offers,
    SEEKS: clean_seeks,
    WEBSITE: clean_website,
    CONTACT_NAME: clean_contact_name,
    EMAIL: clean_email,
    PHONE: clean_phone,
}
PROMPTS = {
    NAME: N_("What is your company called? (2–100 characters)"),
    COUNTRY: N_("Where is the company based?"),
    CITY: N_("In which city? (optional)"),
    SECTORS: N_("Pick your sectors (1 to {limit}), then press Done."),
    OFFERS: N_(
        "What does your company offer to a partner? Services, products, expertise — "
        "10 to 1000 characters. This is what matching reads, so be concrete."
    ),
    SEEKS: N_("What do you seek from a partner across the border? 10 to 1000 characters."),
    PARTNERSHIPS: N_("What kind of partnership do you want? Pick at least one, then press Done."),
    SIZE: N_("How many people work in the company?"),
    WEBSITE: N_("Your website? (optional; e.g. https://www.example.ro)"),
    CONTACT_NAME: N_("Who is the contact person? (their full name)"),
    EMAIL: N_("The contact email?"),
    PHONE: N_(
        "A phone number? (optional) In international format, with the country code, or as "
        "it is dialled in the company's country."
    ),
    CONSENT: N_(
        "Your <b>public profile</b> (name, country, city, sectors, offers, seeks, "
        "partnerships, size, website) is shown to companies across the border as a "
        "possible match.\n"
        "Your <b>contact details</b> (contact person, email, phone) are shared with a "
        "company only after <b>both sides accept</b> an introduction.\n"
        "You can delete everything at any time with /deleteme.\n\n"
        "Press “I agree” to be matchable."
    ),
}
# The field list's buttons (shorter than the titles).
PICK_LABELS = {
    NAME: N_("Name"),
    COUNTRY: N_("Country"),
    CITY: N_("City"),
    SECTORS: N_("Sectors"),
    OFFERS: N_("Offers"),
    SEEKS: N_("Seeks"),
    PARTNERSHIPS: N_("Partnerships"),
    SIZE: N_("Size"),
    WEBSITE: N_("Website"),
    CONTACT_NAME: N_("Contact person"),
    EMAIL: N_("Email"),
    PHONE: N_("Phone"),
    CONSENT: N_("Consent"),
}


def title(tx: Texts, step: str) -> str:
    if step == SUMMARY:
        return tx._("Check and confirm")
    return tx._(TITLES[step])


def header(tx: Texts, step: str, *, editing: bool) -> str:
    if editing:
        return tx._("<b>Edit · {title}</b>").format(title=title(tx, step))
    return tx._("<b>Step {n} of {total} · {title}</b>").format(
        n=NUMBERS[step], total=TOTAL_STEPS, title=title(tx, step)
    )


def prompt(tx: Texts, step: str) -> str:
    return tx._(PROMPTS[step]).format(limit=MAX_SECTORS) if step == SECTORS else tx._(PROMPTS[step])


def hints(tx: Texts, step: str) -> str:
    if step in OPTIONAL:
        return tx._("<i>/skip to leave it empty · /back to go back · /cancel to stop</i>")
    return tx._("<i>/back to go back · /cancel to stop</i>")


def following(step: str) -> str:
    """The step after ``step`` in a registration: the next question, then the summary."""
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else SUMMARY


def previous(step: str) -> str | None:
    """The step before ``step`` (None on the first)."""
    if step == SUMMARY:
        return CONSENT
    index = STEPS.index(step) if step in STEPS else 0
    return STEPS[index - 1] if index > 0 else None
