"""The matcher alone: properties (hypothesis), stemming, reasons, and ranking on the sample
companies that ship in data/sample_companies.csv."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.matching import (
    GENERIC_WEIGHT,
    SIZES,
    Match,
    Matcher,
    MatchIndex,
    Profile,
    Rules,
    eligible,
    pair_key,
    stem,
    terms,
)
from bot.domain.matching import match as match_with
from bot.domain.matching import rank as rank_with
from bot.forum import load_forum, parse_forum

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample_companies.csv"
FORUM = load_forum(REPO / "data" / "forum.toml")
# The rules of the forum that ships: RO and PK companies, its intents' complements.
RULES = Rules.of(FORUM)
SECTORS = ["fintech", "cyber", "rpa", "health", "edtech"]
INTENTS = list(FORUM.complements())


def match(me: Profile, other: Profile) -> Match | None:
    return match_with(me, other, RULES)


def rank(me: Profile, others: list[Profile], **options: Any) -> list[Match]:
    return rank_with(me, others, RULES, **options)


PHRASES = [
    "RPA consulting",
    "process automation",
    "mobile app development",
    "penetration testing",
    "outsourcing of QA testing",
    "payment gateway integration",
    "telemedicine platform",
    "resellers in Asia",
    "machine learning models",
    "cloud migration",
]


IDS = st.integers(1, 10_000)


@st.composite
def profiles(draw: st.DrawFn, ids: st.SearchStrategy[int] = IDS) -> Profile:
    return Profile(
        id=draw(ids),
        name=draw(st.sampled_from(["Alpha", "Beta", "Gamma", "Delta", "Epsilon"])),
        country=draw(st.sampled_from(["RO", "PK"])),
        sectors=tuple(draw(st.lists(st.sampled_from(SECTORS), max_size=2, unique=True))),
        offers=", ".join(draw(st.lists(st.sampled_from(PHRASES), max_size=3))),
        seeks=", ".join(draw(st.lists(st.sampled_from(PHRASES), max_size=3))),
        partnerships=tuple(draw(st.lists(st.sampled_from(INTENTS), max_size=3, unique=True))),
        size=draw(st.one_of(st.none(), st.sampled_from(SIZES))),
        matchable=draw(st.sampled_from([True, True, True, False])),
    )


def unique_ids(items: list[Profile]) -> list[Profile]:
    seen: dict[int, Profile] = {}
    for p in items:
        seen.setdefault(p.id, p)
    return list(seen.values())


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles(), min_size=1, max_size=12))
def test_never_same_country_nor_self(items: list[Profile]) -> None:
    items = unique_ids(items)
    for me in items:
        for found in rank(me, items):
            assert found.other.country != me.country
            assert found.other.id != me.id
            assert found.reasons  # no reason, no match


@settings(max_examples=60, deadline=None)
@given(profiles(), profiles())
def test_pairs_score_symmetrically(a: Profile, b: Profile) -> None:
    # Symmetric intents (and everything else) work the same from both sides.
    matcher = Matcher(RULES)
    assert matcher.score(a, b) == matcher.score(b, a)
    ab, ba = match(a, b), match(b, a)
    assert (ab is None) == (ba is None)
    if ab and ba:
        assert len(ab.reasons) == len(ba.reasons)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["tech_partnership", "joint_venture", "rnd"]))
def test_symmetric_intents_match_themselves(intent: str) -> None:
    a = Profile(1, "A", "RO", partnerships=(intent,))
    b = Profile(2, "B", "PK", partnerships=(intent,))
    ab, ba = match(a, b), match(b, a)
    assert ab is not None and ba is not None
    assert ab.reasons == ba.reasons and ab.reasons[0].startswith("both want")


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles(), min_size=2, max_size=12), st.data())
def test_declined_pair_never_returns(items: list[Profile], data: st.DataObject) -> None:
    items = unique_ids(items)
    a = data.draw(st.sampled_from(items))
    b = data.draw(st.sampled_from(items))
    excluded = {pair_key(a.id, b.id)}
    assert b.id not in [m.other.id for m in rank(a, items, excluded=excluded)]
    assert a.id not in [m.other.id for m in rank(b, items, excluded=excluded)]
    index = MatchIndex(items, RULES, k=5, excluded=excluded)
    assert b.id not in index.top_ids(a.id) and a.id not in index.top_ids(b.id)


@settings(max_examples=60, deadline=None)
@given(st.lists(profiles(), min_size=1, max_size=10), profiles(st.integers(20_000, 30_000)))
def test_adding_a_company_never_reorders_the_others(items: list[Profile], new: Profile) -> None:
    items = unique_ids(items)
    for me in items:
        before = [m.other.id for m in rank(me, items)]
        after = [m.other.id for m in rank(me, [*items, new]) if m.other.id != new.id]
        assert before == after


@settings(max_examples=40, deadline=None)
@given(st.lists(profiles(), min_size=1, max_size=14), profiles(st.integers(20_000, 30_000)))
def test_index_agrees_with_rank_and_updates(items: list[Profile], new: Profile) -> None:
    items = unique_ids(items)
    index = MatchIndex(items, RULES, k=3)
    for me in items:
        assert index.top_ids(me.id) == [m.other.id for m in rank(me, items, limit=3)]
    added = index.add(new)
    everyone = [*items, new]
    assert [m.other.id for m in added.own] == [m.other.id for m in rank(new, everyone, limit=3)]
    for me in items:
        expected = [m.other.id for m in rank(me, everyone, limit=3)]
        assert index.top_ids(me.id) == expected
        if new.id in expected:
            assert added.entered[me.id] == expected.index(new.id) + 1


def test_deterministic() -> None:
    items = sample_profiles()
    first = {p.id: [(m.other.id, m.score, m.reasons) for m in rank(p, items)] for p in items}
    again = {p.id: [(m.other.id, m.score, m.reasons) for m in rank(p, items)] for p in items}
    assert first == again


def test_stemming_meets_real_words() -> None:
    assert stem("automation") == stem("automate") == stem("automated")
    assert stem("outsourcing") == stem("outsource") == stem("outsourced")
    a = Profile(1, "A", "RO", offers="We automate invoice processing", seeks="")
    b = Profile(2, "B", "PK", offers="", seeks="Automation of invoices")
    found = match(b, a)
    assert found is not None and found.reasons == (
        "they offer we automate invoice processing — you seek it",
    )
    rpa = Profile(3, "C", "RO", offers="RPA", seeks="")
    assert match(b, rpa) is not None  # RPA = robotic process automation


def test_reasons_read_from_the_viewer() -> None:
    a = Profile(
        1,
        "A",
        "RO",
        sectors=("fintech",),
        offers="Mobile app development",
        seeks="",
        partnerships=("find_resellers",),
    )
    b = Profile(
        2,
        "B",
        "PK",
        sectors=("fintech",),
        offers="",
        seeks="Mobile app development for banks",
        partnerships=("resell",),
    )
    found = match(b, a)
    assert found is not None
    assert found.reasons == (
        "they offer mobile app development — you seek it",
        "you resell — they want resellers",
        "both in Fintech",
    )
    nothing = Profile(3, "C", "RO", offers="Gardening", seeks="Tea")
    assert match(b, nothing) is None  # no reason, no match


def sample_profiles() -> list[Profile]:
    with SAMPLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Profile(
            id=i,
            name=r["name"],
            country=FORUM.find_country(r["country"]).code,  # type: ignore[union-attr]
            sectors=tuple(FORUM.find_sector(s).key for s in r["sectors"].split(";") if s),  # type: ignore[union-attr]
            offers=r["offers"],
            seeks=r["seeks"],
            partnerships=tuple(
                FORUM.find_intent(s).key  # type: ignore[union-attr]
                for s in r["partnerships"].split(";")
                if s
            ),
            size=r["size"] or None,
        )
        for i, r in enumerate(rows, start=1)
    ]


def test_complementary_sample_pairs_rank_above_unrelated() -> None:
    items = sample_profiles()
    by_name = {p.name: p for p in items}

    def position(me: str, other: str) -> int:
        ids = [m.other.id for m in rank(by_name[me], items)]
        return ids.index(by_name[other].id) if by_name[other].id in ids else len(items)

    # (company, its clearly complementary partner, an unrelated company)
    cases = [
        ("Roboflux Automation", "Ravi Automation Labs", "Quetta Smart Meters"),
        ("Dunărea Security Labs", "Margalla Cyber Defence", "Taleem Tutors Online"),
        ("Moldova FinSoft", "Karachi PayTech", "Lahore Pixel Studios"),
        ("Carpathian Code SRL", "Indus Code Works", "Shifa Digital Health"),
        ("Medivio Health Tech", "Shifa Digital Health", "Faisal ERP Technologies"),
        ("Olt ERP Consulting", "Faisal ERP Technologies", "Chenab Chain Labs"),
    ]
    for me, partner, unrelated in cases:
        assert position(me, partner) < 3, (me, partner, rank(by_name[me], items)[:3])
        assert position(me, partner) < position(me, unrelated)


def test_snowball_stems_meet_and_generic_words_weigh_little() -> None:
    # The hand-written stripper split these pairs and never produced the generic list's stems.
    assert stem("business") == stem("businesses")
    assert stem("process") == stem("processes")
    assert stem("management") == stem("manager") == stem("managed")
    generic = terms("Business solutions, digital services, software platforms, management")
    words = {t: w for t, w in generic.items() if " " not in t}
    assert words and set(words.values()) == {GENERIC_WEIGHT}, words
    # So a company that names the thing beats one that shares only generic words with the need.
    seeker = Profile(1, "S", "PK", seeks="Fleet management software for logistics businesses")
    generic_offer = Profile(2, "G", "RO", offers="Management consulting for businesses")
    specific_offer = Profile(3, "F", "RO", offers="Fleet tracking for logistics")
    matcher = Matcher(RULES)
    specific = matcher.score(seeker, specific_offer)
    generic = matcher.score(seeker, generic_offer)
    assert specific is not None and (generic is None or generic < specific)


def test_only_the_forums_two_countries_pair() -> None:
    """The rules' countries decide: a company of a third country is nobody's match, and
    another forum's rules pair its own two countries."""
    offer = "Penetration testing and SOC services"
    seek = "penetration testing"
    ro = Profile(1, "A", "RO", offers=offer)
    pk = Profile(2, "B", "PK", seeks=seek)
    de = Profile(3, "C", "DE", seeks=seek)
    assert [m.other.id for m in rank(ro, [pk, de])] == [2]
    assert not eligible(ro, de, RULES.countries)
    other_forum = Rules(countries=("DE", "VN"))
    vn = Profile(4, "D", "VN", offers=offer)
    assert [m.other.id for m in rank_with(de, [ro, pk, vn], other_forum)] == [4]
    index = MatchIndex([ro, pk, de, vn], other_forum, k=3)
    assert index.top_ids(3) == [4] and index.top_ids(1) == []


def test_complements_and_phrases_come_from_the_rules() -> None:
    """An intent may meet several others; reasons read the forum's phrases and labels."""
    forum = parse_forum(
        {
            "forum": {"name": "F", "timezone": "UTC"},
            "countries": [
                {"code": "DE", "name": "Germany", "timezone": "UTC"},
                {"code": "VN", "name": "Vietnam", "timezone": "UTC"},
            ],
            "sectors": [{"key": "iot", "label": "Industrial IoT"}],
            "intents": [
                {
                    "key": "buy",
                    "label": "Buy",
                    "phrase": "want to buy",
                    "complements": ["sell", "lend"],
                },
                {"key": "sell", "label": "Sell", "phrase": "sell", "complements": ["buy"]},
                {"key": "lend", "label": "Lend", "phrase": "lend", "complements": ["buy"]},
            ],
        }
    )
    rules = Rules.of(forum)
    buyer = Profile(1, "A", "DE", sectors=("iot",), partnerships=("buy",))
    seller = Profile(2, "B", "VN", sectors=("iot",), partnerships=("sell", "lend"))
    found = match_with(buyer, seller, rules)
    assert found is not None
    assert found.reasons == (
        "you want to buy — they sell",
        "you want to buy — they lend",
        "both in Industrial IoT",
    )
    index = MatchIndex([buyer, seller], rules, k=1)
    assert index.top_ids(1) == [2] and index.top_ids(2) == [1]
