"""The concept lexicon alone (bot/domain/matching/concepts.toml, loaded and checked by
lexicon.py, read by concepts.py): the file ships and its shape is checked, every concept joins
its phrasings, words that only look alike stay apart, an unrelated text names nothing, and a
seek's own product is told from its need."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.domain.matching import concepts, lexicon
from bot.domain.matching.lexicon import CHANNELS, LEXICON, SEGMENT, SERVICE, Entry


def _phrases(raw: tuple[str, ...]) -> list[str]:
    return list(raw)


def test_the_lexicon_is_well_formed() -> None:
    assert len(LEXICON) >= 60
    assert set(CHANNELS) <= set(LEXICON)
    labels = [e.label for e in LEXICON.values()]
    assert len(set(labels)) == len(labels) and all(labels)
    for key, entry in LEXICON.items():
        assert entry.kind in (SERVICE, SEGMENT), key
        assert _phrases(entry.phrases), key
        assert all(
            not p.startswith("...") and not p.endswith("...") for p in _phrases(entry.phrases)
        )
    assert concepts.keys() == list(LEXICON)


@pytest.mark.parametrize("key", list(LEXICON))
def test_each_concept_joins_its_phrasings(key: str) -> None:
    entry = LEXICON[key]
    for phrase in _phrases(entry.phrases):
        # A gap stands for a few words: fill it with some.
        text = f"We want {phrase.replace('...', 'all the')} next year."
        assert key in concepts.found(text, seeks=False), (key, phrase)
        assert key in concepts.found(text, seeks=True), (key, phrase)
    for phrase in _phrases(entry.needs):
        text = f"Today {phrase.replace('...', 'all the')}, sadly."
        # A client's description of the problem counts in a seek, not in an offer.
        assert key in concepts.found(text, seeks=True), (key, phrase)
        assert key not in concepts.found(text, seeks=False), (key, phrase)


@pytest.mark.parametrize(
    "text",
    [
        "The weather was lovely and we walked along the river with the dog.",
        "My grandmother bakes bread every Sunday morning for the whole family.",
        "A quiet room with a view of the mountains, breakfast included.",
        "Football practice is on Tuesdays; bring water and a towel.",
    ],
)
def test_an_unrelated_text_names_no_concept(text: str) -> None:
    assert concepts.found(text, seeks=True) == frozenset()
    assert concepts.found(text, seeks=False) == frozenset()


@pytest.mark.parametrize(
    ("need", "offer", "concept"),
    [
        (
            "People to run our regression and acceptance tests",
            "QA and Selenium testers",
            "software_testing",
        ),
        ("Our clerks re-key every invoice into SAP by hand", "UiPath and Blue Prism bots", "rpa"),
        (
            "One version of the truth instead of forty spreadsheets",
            "Power BI dashboards and ETL",
            "business_intelligence",
        ),
        (
            "Three dedicated developers for a year",
            "Staff augmentation: remote developers",
            "staff_augmentation",
        ),
        (
            "We want to move our servers to the cloud",
            "Lift-and-shift migrations, landing zones",
            "cloud_migration",
        ),
        (
            "A yearly VAPT before the audit",
            "Penetration testing and red teaming",
            "security_testing",
        ),
        (
            "Customers should sign contracts online",
            "Qualified electronic signatures (eIDAS)",
            "e_signature",
        ),
        (
            "Local resellers for our product",
            "A distributor with 80 reseller partners",
            "distribution_channel",
        ),
    ],
)
def test_different_words_for_one_concept_meet(need: str, offer: str, concept: str) -> None:
    assert concept in concepts.found(need, seeks=True)
    assert concept in concepts.found(offer, seeks=False)


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        # Stems collide; the longer phrase or the chosen phrasing keeps them apart.
        ("Electricity distribution to six million homes", "distribution_channel"),
        ("Regression models for house prices", "software_testing"),
        ("Live ops and monetisation for our mobile games", "identity_verification"),
        ("A white-label LMS for schools", "data_annotation"),
        ("Terminal operating system for a container port", "telcos"),
        ("Hosted Moodle with exam content authoring", "public_sector"),
        ("Back-office processing for insurers", "investment"),
        ("Payment gateway with card acceptance", "iot_sensors"),
    ],
)
def test_words_that_only_look_alike_stay_apart(text: str, not_this: str) -> None:
    assert not_this not in concepts.found(text, seeks=True), concepts.found(text, seeks=True)


def test_a_seeks_own_product_is_told_from_its_need() -> None:
    # In a seek for resellers, investors or market entry, what follows "our" is the product.
    assert concepts.own("Resellers for our endpoint security suite in the Gulf") == {
        "security_operations"
    }
    assert concepts.own("Investors for our VR platform; a partner to test our app") == {"xr"}
    # Without a channel in the clause, "our" is where the need lives.
    assert concepts.own("Help with our cloud migration and our test automation") == frozenset()
    # Named as a need elsewhere, it stays a need.
    assert concepts.own("Resellers for our chatbot. A chatbot for our own support desk") == (
        frozenset()
    )


@pytest.mark.parametrize(
    ("seeks", "expected"),
    [
        # Investors for the VR platform: the platform is the seeker's own product.
        ("Investors for our VR platform; a partner to test our app", {"investment"}),
        # Named as a need elsewhere, it stays a need.
        (
            "Resellers for our chatbot. A chatbot for our own support desk",
            {"distribution_channel", "conversational_ai"},
        ),
        # No channel asked for: everything named is a need.
        (
            "Help with our cloud migration and our test automation",
            {"cloud_migration", "software_testing"},
        ),
    ],
)
def test_a_seek_asks_for_what_it_names_less_its_own_product(seeks: str, expected: set[str]) -> None:
    named = concepts.found(seeks, seeks=True)
    assert concepts.sought(seeks) == expected
    assert expected == (named if named.isdisjoint(CHANNELS) else named - concepts.own(seeks))


def test_reasons_name_a_concept_in_plain_words() -> None:
    assert concepts.label("software_testing") == "software testing (QA)"
    # A reason stored with a concept the lexicon no longer has still reads.
    assert concepts.label("quantum_widgets") == "quantum widgets"


def test_the_lexicon_ships_as_package_data() -> None:
    # An installed (not editable) copy has only what package-data lists.
    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["bot.domain.matching"]
    here = root / "bot" / "domain" / "matching"
    assert any(fnmatch.fnmatch(lexicon.DATA, g) for g in globs)
    assert (here / lexicon.DATA).is_file()


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ({"concept": {"x": {"label": "X", "kind": "thing", "phrases": ["x"]}}}, "unknown kind"),
        ({"concept": {"x": {"label": "", "kind": "service", "phrases": ["x"]}}}, "no label"),
        ({"concept": {"x": {"label": "X", "kind": "service", "phrases": "x; y"}}}, "list"),
        ({"concept": {"x": {"label": "X", "kind": "service", "phrases": [" "]}}}, "list"),
        (
            {"concept": {"x": {"label": "X", "kind": "service", "phrases": ["x"], "need": []}}},
            "unknown fields",
        ),
        (
            {
                "channels": ["resale"],
                "concept": {"x": {"label": "X", "kind": "service", "phrases": ["x"]}},
            },
            "channels not in the lexicon",
        ),
    ],
)
def test_a_malformed_lexicon_is_refused(raw: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        lexicon.parse(raw)


def test_the_lexicon_file_reads_as_its_entries() -> None:
    channels, entries = lexicon.parse(
        tomllib.loads(
            'channels = ["resale"]\n[concept.resale]\nlabel = "Resale"\nkind = "service"\n'
            'phrases = ["resellers", "  channel   partners "]\nneeds = ["sell more"]\n'
        )
    )
    assert channels == ("resale",)
    assert entries == {
        "resale": Entry("Resale", SERVICE, ("resellers", "channel partners"), ("sell more",))
    }
