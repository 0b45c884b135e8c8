"""Field validation and the profile card: pure functions."""

from __future__ import annotations

import pytest

from bot.profiles import (
    Invalid,
    clean_city,
    clean_email,
    clean_name,
    clean_offers,
    clean_phone,
    clean_username,
    clean_website,
    parse_country,
    parse_names,
    parse_size,
    render_card,
)
from bot.sandbox import parse_text


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
    for bad in ("ana", "ana@", "a@b", "a b@c.ro", "<a>@x.ro"):
        with pytest.raises(Invalid):
            clean_email(bad)
    assert clean_phone("+40 (721) 234-567") == "+40721234567"
    assert clean_phone("0092 300 1234567") == "+923001234567"
    for bad in ("0721234567", "+0 123", "+40 abc", "+1234"):
        with pytest.raises(Invalid):
            clean_phone(bad)


def test_country_size_names_city_username() -> None:
    assert parse_country("ro") == "Romania" and parse_country(" PAKISTAN ") == "Pakistan"
    with pytest.raises(Invalid):
        parse_country("France")
    assert parse_size("11-50") == "11–50" and parse_size("1000+") == "1000+"
    with pytest.raises(Invalid):
        parse_size("huge")
    assert parse_names("fintech; Telecom;FINTECH", ["Fintech", "Telecom"], "sector") == [
        "Fintech",
        "Telecom",
    ]
    with pytest.raises(Invalid, match="Unknown sector"):
        parse_names("Fintech;Quantum", ["Fintech"], "sector")
    with pytest.raises(Invalid):
        clean_city("1234")
    assert clean_username("@ana_ro") == "ana_ro"


def test_card_escapes_everything_and_parses_as_html() -> None:
    evil = "<b>&</b> _*[]()~ ș ț ă سندھ"
    card = render_card(
        {
            "name": evil,
            "country": "Pakistan",
            "city": evil,
            "sectors": ["Fintech"],
            "offers": evil,
            "seeks": evil,
            "partnerships": ["Joint venture"],
            "size": "1–10",
            "website": "https://x.example/?a=1&b=<2>",
            "contact_name": evil,
            "contact_email": "a@x.example",
            "consent": True,
        },
        paused=True,
    )
    text, _ = parse_text(card, "HTML")
    assert text.count(evil) == 5
    assert "https://x.example/?a=1&b=<2>" in text and "paused" in text
