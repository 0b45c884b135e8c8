"""The forum file: what it holds, and the one-line errors an operator sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.forum import ForumError, load_forum, parse_forum

REPO = Path(__file__).resolve().parents[2]
SECOND = REPO / "tests" / "data" / "forum_de_vn.toml"


def test_the_default_forum_is_romania_pakistan() -> None:
    forum = load_forum(REPO / "data" / "forum.toml")
    assert forum.name == "Romania–Pakistan IT Forum 2025"
    assert forum.codes == ("RO", "PK")
    assert forum.zones == ("Europe/Bucharest", "Asia/Karachi")
    assert forum.other("RO").name == "Pakistan"
    assert len(forum.sectors) == 16
    assert forum.complements()["outsource"] == ("subcontract",)
    assert forum.complements()["rnd"] == ("rnd",)


def test_a_second_forum_has_its_own_countries_and_short_form_sectors() -> None:
    forum = load_forum(SECOND)
    assert forum.codes == ("DE", "VN")
    assert forum.other("VN").flag == "🇩🇪"
    assert forum.zone_labels() == {"Europe/Berlin": "Berlin", "Asia/Ho_Chi_Minh": "Hanoi"}
    assert [s.key for s in forum.sectors] == [
        "software_engineering",
        "industrial_iot",
        "cybersecurity",
        "fintech",
    ]
    assert forum.intent("cooperate") is not None
    assert forum.intent("cooperate").phrase_in("en") == "research cooperation"  # type: ignore[union-attr]


def test_countries_sectors_and_intents_are_found_by_code_name_or_label() -> None:
    forum = load_forum(REPO / "data" / "forum.toml")
    assert forum.find_country(" pk ") is forum.countries[1]
    assert forum.find_country("romania") is forum.countries[0]
    assert forum.find_country("Germany") is None
    assert forum.find_sector("CYBERSECURITY") == forum.sector("cyber")
    assert forum.find_intent("joint venture") == forum.intent("joint_venture")


def test_translations_fall_back_to_english() -> None:
    forum = parse_forum(
        {
            "forum": {"name": "F", "timezone": "UTC", "name_ro": "Forumul F"},
            "countries": [
                {"code": "RO", "name": "Romania", "name_ro": "România", "timezone": "UTC"},
                {"code": "PK", "name": "Pakistan", "timezone": "UTC"},
            ],
            "sectors": [{"key": "ai", "label": "AI", "label_ur": "مصنوعی ذہانت"}],
            "intents": [{"key": "jv", "label": "Joint venture", "complements": ["jv"]}],
        }
    )
    assert forum.name_in("ro") == "Forumul F"
    assert forum.name_in("ur") == "F"
    assert forum.countries[0].label_in("ro") == "România"
    assert forum.find_country("românia") is forum.countries[0]
    assert forum.sectors[0].label_in("ur") == "مصنوعی ذہانت"
    assert forum.sectors[0].label_in("ro") == "AI"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["countries"].pop(), "exactly two"),
        (lambda d: d["countries"][1].update(code="RO"), "both countries"),
        (lambda d: d["countries"][0].update(timezone="Mars/Base"), "not an IANA time zone"),
        (lambda d: d["countries"][0].update(code="ROU"), "two letters"),
        (lambda d: d["intents"][0].update(complements=["nope"]), "unknown intent 'nope'"),
        (lambda d: d["intents"].append(dict(d["intents"][0])), "used twice"),
        (lambda d: d["sectors"][0].update(key="Has Space"), "lowercase"),
        (lambda d: d.pop("forum"), "[forum]"),
    ],
)
def test_mistakes_give_one_line_naming_the_place(change, message: str) -> None:  # type: ignore[no-untyped-def]
    data = {
        "forum": {"name": "F", "timezone": "UTC"},
        "countries": [
            {"code": "RO", "name": "Romania", "timezone": "UTC"},
            {"code": "PK", "name": "Pakistan", "timezone": "UTC"},
        ],
        "sectors": [{"key": "ai", "label": "AI"}],
        "intents": [{"key": "jv", "label": "Joint venture", "complements": ["jv"]}],
    }
    change(data)
    with pytest.raises(ForumError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_forum(data)


def test_a_missing_or_broken_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ForumError, match="does not exist"):
        load_forum(tmp_path / "nope.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[forum\n", encoding="utf-8")
    with pytest.raises(ForumError, match="not valid TOML"):
        load_forum(broken)
