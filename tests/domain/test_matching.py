"""The matcher alone: properties (hypothesis, with the real embeddings), stemming, reasons,
and ranking on the sample companies that ship in data/sample_companies.csv."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.matching import (
    GENERIC_WEIGHT,
    SIZES,
    Match,
    Matcher,
    MatchIndex,
    Profile,
    Reason,
    Rules,
    eligible,
    pair_key,
    stem,
    terms,
)
from bot.domain.matching import match as match_with
from bot.domain.matching import rank as rank_with
from bot.domain.matching import reasons as kinds
from bot.domain.matching.reasons import BOTH_WANT, THEY_OFFER, YOU_OFFER
from bot.domain.reason_texts import render_all
from bot.forum import load_forum, parse_forum
from tests.support import matching_eval
from tests.support.matching_eval import with_vectors

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample_companies.csv"
FORUM = load_forum(REPO / "data" / "forum.toml")
# The rules of the forum that ships: RO and PK companies, its intents' complements.
RULES = Rules.of(FORUM)
SECTORS = ["fintech", "cyber", "rpa", "health", "edtech"]
INTENTS = list(FORUM.complements())
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
    "people to check each release of our app for bugs",
    "investors for our drone platform",
    "back-office staff who re-type claims by hand",
]


IDS = st.integers(1, 10_000)


def match(me: Profile, other: Profile) -> Match | None:
    return match_with(me, other, RULES)


def rank(me: Profile, others: list[Profile], **options: Any) -> list[Match]:
    return rank_with(me, others, RULES, **options)


@st.composite
def profiles(draw: st.DrawFn, ids: st.SearchStrategy[int] = IDS) -> Profile:
    plain = draw(plain_profiles(ids))
    # Most with their embeddings (as the bot has them), some without (words alone).
    return with_vectors([plain])[0] if draw(st.booleans()) or draw(st.booleans()) else plain


@st.composite
def plain_profiles(draw: st.DrawFn, ids: st.SearchStrategy[int] = IDS) -> Profile:
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
def test_each_side_reads_the_pair_from_its_own_side(a: Profile, b: Profile) -> None:
    # A pair is a match for both sides or for neither; each side's score is the other's
    # reverse score (the tie-break), and each reason is the other side's, flipped.
    matcher = Matcher(RULES)
    ab, ba = matcher.scores(a, b), matcher.scores(b, a)
    assert (ab is None) == (ba is None)
    if ab is not None and ba is not None:
        assert ab == (ba[1], ba[0])
        found_ab, found_ba = match(a, b), match(b, a)
        assert found_ab is not None and found_ba is not None
        assert found_ab.reverse == found_ba.score
        assert _as_set(r.flipped() for r in found_ab.reasons) == _as_set(found_ba.reasons)


def _as_set(reasons: Iterable[Reason]) -> set[tuple[object, ...]]:
    # Each side lists shared sectors in its own order.
    return {
        (
            r.kind,
            r.offer,
            r.need,
            r.by_meaning,
            frozenset(r.terms) if r.kind == kinds.SECTORS else r.terms,
        )
        for r in reasons
    }


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["tech_partnership", "joint_venture", "rnd"]))
def test_symmetric_intents_match_themselves(intent: str) -> None:
    a = Profile(1, "A", "RO", partnerships=(intent,))
    b = Profile(2, "B", "PK", partnerships=(intent,))
    ab, ba = match(a, b), match(b, a)
    assert ab is not None and ba is not None
    assert ab.reasons == ba.reasons and ab.reasons[0].kind == BOTH_WANT


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


@settings(max_examples=30, deadline=None)
@given(st.lists(profiles(), min_size=10, max_size=40), st.data())
def test_index_agrees_with_rank_when_it_keeps_only_a_few(
    items: list[Profile], data: st.DataObject
) -> None:
    # k=1: the index keeps 4 float scores per Pakistani company across blocks, and must
    # screen a company in full when those 4 are not enough; exclusions included.
    items = unique_ids(items)
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(items), st.sampled_from(items))))
    excluded = {pair_key(a.id, b.id) for a, b in pairs}
    index = MatchIndex(items, RULES, k=1, excluded=excluded)
    for me in items:
        assert index.top_ids(me.id) == [
            m.other.id for m in rank(me, items, excluded=excluded, limit=1)
        ]


def test_index_screens_a_company_in_full_when_the_kept_few_are_all_excluded() -> None:
    # Five strong Romanian partners for one Pakistani company, all excluded, and a weak one:
    # the 4 kept float scores are all excluded pairs, so the company is screened in full.
    fintech = ("fintech",)
    items = [
        Profile(1, "PK", "PK", sectors=fintech, partnerships=DELIVER),
        *(
            Profile(i, f"RO {i}", "RO", sectors=fintech, partnerships=OUTSOURCE)
            for i in range(2, 7)
        ),
        Profile(7, "RO weak", "RO", partnerships=OUTSOURCE),
    ]
    excluded = {pair_key(1, i) for i in range(2, 7)}
    index = MatchIndex(items, RULES, k=1, excluded=excluded)
    assert index.top_ids(1) == [7] == [m.other.id for m in rank(items[0], items, excluded=excluded)]


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
    assert found is not None and render_all(found.reasons, FORUM) == [
        "they offer we automate invoice processing — you seek automation of invoices"
    ]
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
    assert render_all(found.reasons, FORUM) == [
        "they offer mobile app development — you seek mobile app development for banks",
        "you resell — they want resellers",
        "both in Fintech",
    ]
    assert [r.kind for r in found.reasons] == [THEY_OFFER, "intents", "sectors"]
    back = match(a, b)
    assert back is not None and back.reasons[0] == Reason(
        YOU_OFFER, offer="mobile app development", need="mobile app development for banks"
    )
    nothing = Profile(3, "C", "RO", offers="Gardening", seeks="Tea")
    assert match(b, nothing) is None  # no reason, no match


def sample_profiles() -> list[Profile]:
    return matching_eval.profiles(SAMPLE)


def test_complementary_sample_pairs_rank_above_unrelated() -> None:
    items = with_vectors(sample_profiles())
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


# -- meaning, competitors, sectors, intents, ties (issue 16) ------------------------------

DELIVER = ("subcontract",)
OUTSOURCE = ("outsource",)
# A retail chain whose need shares no word but "tax" with the payroll vendor's offer, and a
# games studio that meets nothing it seeks: two tests rank these (as they are, and changed).
SHOP = Profile(
    1,
    "Shop",
    "RO",
    offers="Retail chain of 40 stores",
    seeks="Pay our 400 employees on time and file their taxes without spreadsheets",
    partnerships=OUTSOURCE,
)
PAYROLL = Profile(
    2,
    "Pay",
    "PK",
    offers="Payroll software for SMEs, salary slips and tax filings",
    seeks="Clients",
    partnerships=DELIVER,
)
GAMES = Profile(
    3, "Fun", "PK", offers="Mobile puzzle games", seeks="Publishers", partnerships=DELIVER
)


def test_a_paraphrase_matches_by_meaning_and_the_reason_says_so() -> None:
    # No shared word but "tax": only the embeddings see that payroll software is the need.
    me, payroll, games = with_vectors([SHOP, PAYROLL, GAMES])
    found = rank(me, [me, payroll, games])
    assert [m.other.id for m in found] == [payroll.id, games.id]
    reason = found[0].reasons[0]
    assert reason.kind == THEY_OFFER and reason.by_meaning
    assert render_all([reason], FORUM) == [
        "they offer “payroll software for SMEs, salary slips and tax filings”, close in "
        "meaning to what you seek: “pay our 400 employees on time and file their taxes "
        "without…”"
    ]
    assert all(r.kind != THEY_OFFER for r in found[1].reasons)


def test_a_competitor_ranks_below_a_partner_and_is_never_called_one() -> None:
    # Both seek investors and distributors for their drone services: the domain words in
    # the seeks are not a need the other meets.
    drones = Profile(
        1,
        "Drone RO",
        "RO",
        sectors=("iot",),
        offers="Drone inspections of power lines and wind turbines",
        seeks="Investors for our drone inspection business and distributors for our "
        "drone services in Asia",
        partnerships=("seek_investment", "find_resellers"),
    )
    me, rival, fund = with_vectors(
        [
            drones,
            # The same sectors and intents, in its own words.
            replace(
                drones,
                id=2,
                name="Drone PK",
                country="PK",
                offers="Drone inspections of telecom towers and solar farms",
                seeks="Investors and distribution partners for our drone services",
            ),
            Profile(
                3,
                "Fund",
                "PK",
                sectors=("ai",),
                offers="Seed funding of $100k-$500k for robotics and hardware startups",
                seeks="Hardware startups with paying customers",
                partnerships=("invest",),
            ),
        ]
    )
    found = rank(me, [me, rival, fund])
    assert [m.other.id for m in found] == [fund.id, rival.id]
    for side in (match(me, rival), match(rival, me)):
        assert side is not None
        assert {r.kind for r in side.reasons} == {"sectors"}  # never "they offer ..."


def test_a_real_fit_outweighs_shared_sectors() -> None:
    # The back office is filed under BPO, the games studio under both of the robot
    # vendor's sectors; the back office is the one whose offer meets the need (the word
    # matcher put the games studio first: two shared sectors outweighed the fit).
    both = ("rpa", "software")
    tech = ("tech_partnership",)
    me, back_office, games = with_vectors(
        [
            Profile(
                1,
                "Robots",
                "RO",
                sectors=both,
                offers="Software robots that fill in web forms unattended",
                seeks="Outsourcing firms whose staff key invoices and claims into systems by hand",
                partnerships=tech,
            ),
            Profile(
                2,
                "Back office",
                "PK",
                sectors=("ites",),
                offers="BPO: invoice processing, claims keying and back-office work",
                seeks="Ways to cut manual work",
                partnerships=tech,
            ),
            Profile(
                3,
                "Games",
                "PK",
                sectors=both,
                offers="Mobile puzzle games",
                seeks="Publishers",
                partnerships=tech,
            ),
        ]
    )
    assert [m.other.id for m in rank(me, [me, back_office, games])] == [back_office.id, games.id]


def test_a_complementary_intent_does_not_outweigh_what_the_text_says() -> None:
    # The studio ticked the intent that meets the shop's and shares its sector, but makes
    # games; the payroll vendor ticked nothing that fits, but offers what the shop seeks.
    # (The word matcher did not even list the payroll vendor: "tax" alone was no reason.)
    retail = ("ecommerce",)
    me, payroll, games = with_vectors(
        [
            replace(SHOP, sectors=retail),
            replace(PAYROLL, seeks="Resellers", partnerships=("find_resellers",)),
            replace(GAMES, sectors=retail),
        ]
    )
    assert [m.other.id for m in rank(me, [me, payroll, games])] == [payroll.id, games.id]


def test_ties_go_to_the_side_that_wants_you_more_not_to_the_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me = Profile(1, "Me", "RO")
    others = [
        Profile(2, "Aardvark", "PK"),
        Profile(3, "Zebra", "PK"),
        Profile(4, "Aardvark", "PK"),
    ]
    # Equal scores for "me"; Zebra scores "me" higher; the two Aardvarks tie both ways.
    table = {2: (5.0, 1.0), 3: (5.0, 3.0), 4: (5.0, 1.0)}
    monkeypatch.setattr(Matcher, "scores", lambda self, a, b: table[b.id])
    monkeypatch.setattr(Matcher, "match", lambda self, a, b: b)
    assert [p.id for p in Matcher(RULES).rank(me, others)] == [3, 2, 4]  # type: ignore[attr-defined]


def test_reasons_are_data_until_they_are_rendered() -> None:
    reason = Reason(THEY_OFFER, offer="software testing", need="a QA crew", by_meaning=True)
    assert Reason.from_data(reason.to_data()) == reason
    assert reason.to_data() == {
        "kind": "they_offer",
        "offer": "software testing",
        "need": "a QA crew",
        "by_meaning": True,
    }
    # The other company reads the same reason from its side.
    assert render_all([reason.flipped()], FORUM) == [
        "you offer “software testing”, close in meaning to what they seek: “a QA crew”"
    ]
    intents = Reason("intents", terms=("seek_investment", "invest"))
    assert render_all([intents, intents.flipped()], FORUM) == [
        "you seek investment — they invest",
        "you invest — they seek investment",
    ]
    # Sentences stored before reasons were data still show, as they were.
    assert render_all([Reason.from_data("both in Fintech")], FORUM) == ["both in Fintech"]


# -- the forum's rules (issue 10) ---------------------------------------------------------


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
    assert render_all(found.reasons, forum) == [
        "you want to buy — they sell",
        "you want to buy — they lend",
        "both in Industrial IoT",
    ]
    index = MatchIndex([buyer, seller], rules, k=1)
    assert index.top_ids(1) == [2] and index.top_ids(2) == [1]


# One intent meeting two: a pair's intents need not read alike from both sides, so the bulk
# build cannot take the second side's scores from the first's (matching/mirror.py).
UNEVEN = Rules(
    countries=RULES.countries,
    complements={
        "outsource": ("subcontract", "hire"),
        "subcontract": ("outsource",),
        "hire": ("outsource",),
    },
    places=RULES.places,
)


@settings(max_examples=40, deadline=None)
@given(st.lists(profiles(), min_size=2, max_size=14), st.data())
def test_index_rows_are_ranks_scores_when_intents_meet_unevenly(
    items: list[Profile], data: st.DataObject
) -> None:
    intents = st.lists(st.sampled_from(list(UNEVEN.complements)), max_size=2, unique=True)
    items = [replace(p, partnerships=tuple(data.draw(intents))) for p in unique_ids(items)]
    index = MatchIndex(items, UNEVEN, k=3)
    for me in items:
        expected = rank_with(me, items, UNEVEN, limit=3)
        assert index.tops.get(me.id, []) == [(-m.score, -m.reverse, m.other.id) for m in expected]
