"""Field validation (pure functions) and the profile card the handlers render."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.profiles import (
    Invalid,
    Profile,
    clean_city,
    clean_contact_name,
    clean_email,
    clean_name,
    clean_offers,
    clean_phone,
    clean_username,
    clean_website,
    display_phone,
    parse_country,
    parse_names,
    parse_size,
)
from bot.forum import load_forum
from handlers.company_texts import card
from handlers.i18n import texts
from sandbox import parse_text

REPO = Path(__file__).resolve().parents[2]
FORUM = load_forum(REPO / "data" / "forum.toml")
SECOND = load_forum(REPO / "tests" / "data" / "forum_de_vn.toml")


def test_name_trimmed_and_bounded() -> None:
    assert clean_name("  Carpathian   Code  ") == "Carpathian Code"
    assert clean_name("Ștefan & Țară 🚀") == "Ștefan & Țară 🚀"
    with pytest.raises(Invalid, match="at least 2"):
        clean_name(" x ")
    with pytest.raises(Invalid, match="101 characters; the limit"):
        clean_name("a" * 101)


def test_texts_bounded_with_the_limit_named() -> None:
    assert clean_offers("  0123456789 ") == "0123456789"
    with pytest.raises(Invalid, match="10,000 characters; the limit for what you offer is 1,000"):
        clean_offers("x" * 10_000)
    with pytest.raises(Invalid, match="at least 10"):
        clean_offers("too short")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("https://www.example.ro", "https://www.example.ro"),
        ("http://a.example/path?q=1", "http://a.example/path?q=1"),
        ("example.pk", "https://example.pk"),
    ],
)
def test_website_ok(raw: str, clean: str) -> None:
    assert clean_website(raw) == clean


@pytest.mark.parametrize(
    "raw", ["ftp://x.example", "https://", "not a url", "javascript:alert(1)", "http://localhost"]
)
def test_website_refused(raw: str) -> None:
    with pytest.raises(Invalid):
        clean_website(raw)


def test_email_and_phone() -> None:
    assert clean_email(" Ana.P+tag@Example.RO ") == "Ana.P+tag@example.ro"
    # email-validator's normalized form: an internationalised domain stays readable.
    assert clean_email("ana@EXÄMPLE.ro") == "ana@exämple.ro"
    for bad in ("ana", "ana@", "a@b", "a b@c.ro", "<a>@x.ro", "a..b@x.ro", ".a@x.ro", "a@x..ro"):
        with pytest.raises(Invalid, match="not an email address"):
            clean_email(bad)
    assert clean_phone("+40 (721) 234-567") == "+40721234567"
    # 00 is the international prefix of Romania and Pakistan (not of every country).
    assert clean_phone("0092 300 1234567", "RO") == "+923001234567"
    # A number as dialled in the company's country (its code is libphonenumber's region).
    assert clean_phone("0722 000 111", "RO") == "+40722000111"
    assert clean_phone("0300 1234567", "PK") == "+923001234567"
    assert clean_phone("+92 300 1234567", "RO") == "+923001234567"
    assert clean_phone("030 901820", "DE") == "+4930901820"
    for bad, country in (
        ("0721234567", None),  # no country to read it in
        ("+1 000 000 0000", "RO"),  # the right shape, but no such number
        ("+0 123", None),
        ("+40 abc", None),
        ("+1234", None),
        ("0722 000", "RO"),
    ):
        with pytest.raises(Invalid, match="not a valid phone number"):
            clean_phone(bad, country)
    # The example is one of the company's country, whichever forum that is.
    with pytest.raises(Invalid, match=r"Example: \+84 912 345 678 or 0912 345 678") as refused:
        clean_phone("0912", "VN")
    # No HTML in the domain: the chat puts the examples in italics.
    assert "<i>" not in str(refused.value)
    assert refused.value.problem.values == {
        "example": "+84 912 345 678",
        "example_local": "0912 345 678",
    }


def test_phones_are_shown_formatted_and_legacy_values_as_they_are() -> None:
    assert display_phone("+40722000111") == "+40 722 000 111"
    assert display_phone("+923001234567") == "+92 300 1234567"
    assert display_phone("+40 700 000 000") == "+40 700 000 000"
    assert display_phone("0721 234 567") == "0721 234 567"  # no country code: kept
    assert display_phone("call me") == "call me"
    assert display_phone(None) is None
    shown = card(texts(), Profile(name="X", contact_phone="+40722000111"), FORUM)
    assert "<b>Phone:</b> +40 722 000 111" in shown


def test_invisible_text_is_refused_and_controls_dropped() -> None:
    for blank in ("\u200b\u200d", "\u202e\u2066", "\x00\x01", "\u00ad\ufeff", " \u2060 "):
        for check in (clean_name, clean_city, clean_contact_name, clean_offers):
            with pytest.raises(Invalid, match="no visible characters"):
                check(blank)
    assert clean_name("\u202eAcme\u202c\x00 \t Soft\n") == "Acme Soft"
    assert clean_offers("Line one\r\nline\x00 two\u2067 here") == "Line one\nline two here"
    # Joiners inside words are kept: they are part of how the text is written.
    assert clean_name("👩\u200d💻 Devs") == "👩\u200d💻 Devs"
    assert clean_name("می\u200cخواهم") == "می\u200cخواهم"


def test_country_size_names_city_username() -> None:
    assert parse_country("ro", FORUM) == "RO" and parse_country(" PAKISTAN ", FORUM) == "PK"
    with pytest.raises(Invalid, match="Romania or Pakistan"):
        parse_country("France", FORUM)
    # Another forum file, another pair: its names and codes, and nothing else.
    assert parse_country("vietnam", SECOND) == "VN" and parse_country("de", SECOND) == "DE"
    with pytest.raises(Invalid, match="Germany or Vietnam"):
        parse_country("Romania", SECOND)
    assert parse_size("11-50") == "11–50" and parse_size("1000+") == "1000+"
    with pytest.raises(Invalid):
        parse_size("huge")
    # By label or key, any case, no duplicates: the keys come back.
    assert parse_names("fintech; Telecom;FINTECH;cyber", FORUM.find_sector, "sector") == [
        "fintech",
        "telecom",
        "cyber",
    ]
    with pytest.raises(Invalid, match="Unknown sector"):
        parse_names("Fintech;Quantum", FORUM.find_sector, "sector")
    with pytest.raises(Invalid):
        clean_city("1234")
    assert clean_username("@ana_ro") == "ana_ro"


def test_card_escapes_everything_and_parses_as_html() -> None:
    evil = "<b>&</b> _*[]()~ ș ț ă سندھ"
    shown = card(
        texts(),
        Profile(
            name=evil,
            country="PK",
            city=evil,
            sectors=["fintech"],
            offers=evil,
            seeks=evil,
            partnerships=["joint_venture"],
            size="1–10",
            website="https://x.example/?a=1&b=<2>",
            contact_name=evil,
            contact_email="a@x.example",
            consent=True,
        ),
        FORUM,
        paused=True,
    )
    text, _ = parse_text(shown, "HTML")
    assert text.count(evil) == 5
    # Country, sectors and intents are named by the forum file.
    assert "🇵🇰" in text and "Pakistan" in text and "Fintech" in text and "Joint venture" in text
    assert "https://x.example/?a=1&b=<2>" in text and "paused" in text
