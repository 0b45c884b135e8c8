"""The matcher with its concept channel (issue 16): paraphrases the embeddings miss, a
customer in the competitor's field, a seek for resellers of one's own product, the
countries' names, and the concept reasons as data and as words. Real embeddings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.domain.matching import Profile, Reason, Rules, match, rank
from bot.domain.matching import reasons as kinds
from bot.domain.reason_texts import render_all
from bot.forum import load_forum
from tests.support.matching_eval import with_vectors

FORUM = load_forum(Path(__file__).resolve().parents[2] / "data" / "forum.toml")
RULES = Rules.of(FORUM)
TEXT_KINDS = {
    kinds.THEY_OFFER,
    kinds.YOU_OFFER,
    kinds.THEY_OFFER_CONCEPT,
    kinds.YOU_OFFER_CONCEPT,
}


def test_a_paraphrase_the_embeddings_miss_meets_through_a_concept() -> None:
    # The clinic app shares a sector and complementary intents with the hospital software
    # house; the testing shop shares neither, and no word, with the need.
    me, testers, hospital = with_vectors(
        [
            Profile(
                1,
                "Clinic app",
                "RO",
                sectors=("health",),
                offers="Patient booking app for dental clinics",
                seeks="Somebody to run regression and acceptance tests on every release",
                partnerships=("outsource",),
            ),
            Profile(
                2,
                "Testers",
                "PK",
                sectors=("software",),
                offers="Selenium, Cypress and Appium automation; 40 ISTQB engineers",
                seeks="Product companies in Europe",
                partnerships=("staff_augmentation",),
            ),
            Profile(
                3,
                "Hospital software",
                "PK",
                sectors=("health",),
                offers="Hospital information system for clinics and labs",
                seeks="Partners in Europe",
                partnerships=("subcontract",),
            ),
        ]
    )
    found = rank(me, [testers, hospital], RULES)
    assert [m.other.id for m in found] == [testers.id, hospital.id]
    reason = found[0].reasons[0]
    assert reason.kind == kinds.THEY_OFFER_CONCEPT and reason.terms == ("software_testing",)
    assert render_all([reason], FORUM) == [
        "they offer “selenium, Cypress and Appium automation” — you seek “somebody to run "
        "regression and acceptance tests on every…”: both about software testing (QA)"
    ]


def test_a_customer_in_the_vendors_field_is_no_competitor() -> None:
    # The city runs parking; the vendor sells parking sensors. Their offers read alike, but
    # what the city seeks is what the vendor offers.
    vendor, city, payroll = with_vectors(
        [
            Profile(
                1,
                "Sensors",
                "RO",
                sectors=("iot",),
                offers="Smart parking sensors, traffic monitoring and city dashboards",
                seeks="Municipalities for pilots",
                partnerships=("tech_partnership",),
            ),
            Profile(
                2,
                "City",
                "PK",
                sectors=("egov",),
                offers="Parking, roads and public transport for a city of two million",
                seeks="A pilot of parking sensors and traffic monitoring in the old town",
                partnerships=("tech_partnership",),
            ),
            Profile(
                3,
                "Payroll",
                "PK",
                sectors=("iot",),
                offers="Payroll software for factories",
                seeks="Partners in Europe",
                partnerships=("tech_partnership",),
            ),
        ]
    )
    found = match(vendor, city, RULES)
    assert found is not None and TEXT_KINDS & {r.kind for r in found.reasons}
    assert [m.other.id for m in rank(vendor, [city, payroll], RULES)] == [city.id, payroll.id]


def test_resellers_for_our_product_is_not_a_need() -> None:
    # Both backup vendors seek a channel for their own service: rivals. The distributor,
    # in another sector, is the partner.
    backups = Profile(
        1,
        "Backup RO",
        "RO",
        sectors=("cloud",),
        offers="Immutable backup and disaster recovery as a service",
        seeks="Resellers for our backup service to hospitals and banks",
        partnerships=("find_resellers",),
    )
    me, rival, distributor = with_vectors(
        [
            backups,
            # The same sector and intent, in its own words.
            replace(
                backups,
                id=2,
                name="Backup PK",
                country="PK",
                offers="Backup and disaster recovery from two data centres",
                seeks="Channel partners to sell our backup and DR service",
            ),
            Profile(
                3,
                "Distributor",
                "PK",
                sectors=("ites",),
                offers="IT distributor: servers, storage and licences through 150 reseller "
                "partners",
                seeks="Cloud services from abroad to add to what we sell",
                partnerships=("resell",),
            ),
        ]
    )
    assert rank(me, [rival, distributor], RULES)[0].other.id == distributor.id
    for side in (match(me, rival, RULES), match(rival, me, RULES)):
        assert side is None or not TEXT_KINDS & {r.kind for r in side.reasons}


def test_the_countries_names_are_not_shared_words() -> None:
    # Every pair joins the two countries: naming them is no fit (nor are "EU" or "local").
    ro = Profile(1, "RO", "RO", offers="Romanian accounting software", seeks="The Pakistani market")
    pk = Profile(
        2, "PK", "PK", offers="Pakistani cotton exports", seeks="Romanian buyers in the EU"
    )
    assert match(ro, pk, RULES) is None and match(pk, ro, RULES) is None


def test_concept_reasons_are_data_read_from_either_side() -> None:
    reason = Reason(
        kinds.THEY_OFFER_CONCEPT,
        offer="UiPath bots",
        need="our clerks re-key invoices by hand",
        terms=("rpa",),
    )
    assert Reason.from_data(reason.to_data()) == reason
    assert reason.to_data() == {
        "kind": "they_offer_concept",
        "offer": "UiPath bots",
        "need": "our clerks re-key invoices by hand",
        "terms": ["rpa"],
    }
    assert render_all([reason, reason.flipped()], FORUM) == [
        "they offer “UiPath bots” — you seek “our clerks re-key invoices by hand”: both about "
        "RPA (software robots)",
        "you offer “UiPath bots” — they seek “our clerks re-key invoices by hand”: both about "
        "RPA (software robots)",
    ]
    assert reason.flipped().flipped() == reason
