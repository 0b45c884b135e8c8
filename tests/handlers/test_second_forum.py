"""A second, different forum file drives the whole bot: Germany–Vietnam instead of the forum
that ships. Registration offers its two countries, matching pairs only across them, an
introduction goes through, the agenda and /timezone show its two zones, the CSV import reads
its names and codes, and nothing of the other forum shows up anywhere."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.forum import load_forum
from sandbox import Sandbox, SandboxUser
from tests.support.flows import answer, organiser, press, register, request_intro
from tests.support.harness import REPO_ROOT, BotHarness, sandbox_settings
from tests.support.storage import bare_company

SECOND = load_forum(REPO_ROOT / "tests" / "data" / "forum_de_vn.toml")
HANS_OFFERS = "Industrial IoT platforms for factories; we seek offshore developers"
HANS_SEEKS = "An offshore development team for embedded firmware and React dashboards"
LINH_OFFERS = "Offshore development teams: embedded firmware, React dashboards, QA"
LINH_SEEKS = "German industrial IoT clients who want an offshore development team"
# Words of the forum that ships: none of them may reach anyone of this forum.
OTHER_FORUM = ("Romania", "Pakistan", "Bucharest", "Karachi", "🇷🇴", "🇵🇰", "IT Forum 2025")


@pytest.fixture
def settings(sandbox: Sandbox, db_path: Path) -> Settings:
    return sandbox_settings(sandbox, db_path, forum=SECOND)


@pytest.fixture
def clock() -> FakeClock:
    # A week before this forum's sessions.
    return FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))


def never_the_other_forum(*users: SandboxUser) -> None:
    for user in users:
        for message in user.messages:
            shown = f"{message.text or ''} {message.buttons()}"
            assert not [w for w in OTHER_FORUM if w in shown], (user.id, shown)


async def test_registration_matching_and_an_introduction_in_another_forum(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    assert fb.services.forum.codes == ("DE", "VN")
    hans = sandbox.user(7101, "Hans", username="hans_berlin")
    welcome = await answer(hans, "/start", "Welcome")
    assert "Germany–Vietnam Digital Forum 2026" in welcome
    assert "Germany" in welcome and "Vietnam" in welcome

    # Registration offers the forum's two countries; buttons carry its codes and keys.
    await answer(hans, "/register", "Step 1 of 12")
    await answer(hans, "Spree Automation GmbH", "Step 2 of 12")
    step = hans.last
    assert step is not None and step.buttons() == [["🇩🇪 Germany", "🇻🇳 Vietnam"]]
    assert step.button_data() == {"🇩🇪 Germany": "gc:DE", "🇻🇳 Vietnam": "gc:VN"}
    await press(hans, "🇩🇪 Germany", "Step 3 of 12")
    await answer(hans, "Berlin", "Step 4 of 12")
    sectors = hans.last
    assert sectors is not None and sectors.button_data() == {
        "Software engineering": "gt:sectors:software_engineering",
        "Industrial IoT": "gt:sectors:industrial_iot",
        "Cybersecurity": "gt:sectors:cybersecurity",
        "Fintech": "gt:sectors:fintech",
        "✅ Done (0 chosen)": "gd:sectors",
    }
    await answer(hans, "/cancel", "Cancelled")
    await register(
        hans,
        "Spree Automation GmbH",
        country="🇩🇪 Germany",
        city="Berlin",
        sectors=("Industrial IoT", "Software engineering"),
        offers=HANS_OFFERS,
        seeks=HANS_SEEKS,
        intents=("Find a development partner",),
        website="spree.example",
        contact="Hans Weber",
        email="hans@spree.example",
        phone="030 901820",  # as dialled in Germany
    )
    linh = sandbox.user(7201, "Linh", username="linh_hanoi")
    await register(
        linh,
        "Hanoi Dev House",
        country="🇻🇳 Vietnam",
        city="Hanoi",
        sectors=("Industrial IoT",),
        offers=LINH_OFFERS,
        seeks=LINH_SEEKS,
        intents=("Deliver development services", "Research cooperation"),
        website="hanoidev.example",
        contact="Linh Nguyen",
        email="linh@hanoidev.example",
        phone=None,
    )
    companies = fb.services.companies
    spree, hanoi = await companies.by_rep(7101), await companies.by_rep(7201)
    assert spree is not None and hanoi is not None
    assert (spree.country, spree.sectors, spree.partnerships) == (
        "DE",
        ("software_engineering", "industrial_iot"),
        ("nearshore",),
    )
    assert spree.contact_phone == "+4930901820"
    # The phone question gave an example of the company's own country (libphonenumber's).
    assert any("E.g. +49 1512 3456789 or 01512 3456789" in (m.text or "") for m in hans.messages)
    assert (hanoi.country, hanoi.partnerships) == ("VN", ("deliver", "cooperate"))
    # Each rep got their own country's zone, as the forum file gives it.
    assert (await fb.services.users.get(7101)).timezone == "Europe/Berlin"  # type: ignore[union-attr]
    assert (await fb.services.users.get(7201)).timezone == "Asia/Ho_Chi_Minh"  # type: ignore[union-attr]

    # Companies that must not be proposed: one of Hans's own country, one of a country this
    # forum does not have (a database can hold one, e.g. after a change of forum file).
    for name, country in (("Isar Embedded AG", "DE"), ("Danube Offshore SRL", "RO")):
        await bare_company(
            fb.services.db,
            name,
            country,
            now=fb.services.clock.now(),
            offers=LINH_OFFERS,
            seeks=LINH_SEEKS,
            sectors=("industrial_iot",),
            partnerships=("deliver",),
            contact_email="x@example.org",
        )

    # Matching pairs only across the forum's two countries.
    card = await answer(hans, "/matches", "Match 1 of 1")
    assert "Hanoi Dev House" in card and "🇻🇳 Hanoi, Vietnam" in card
    assert "Sectors: Industrial IoT" in card
    assert "you want a development partner — they deliver development services" in card
    assert "both in Industrial IoT" in card
    assert "Isar" not in card and "Danube" not in card

    # The introduction: request, accept, both get the contacts.
    await request_intro(hans, "Guten Tag!")
    request = await linh.expect("Introduction request")
    assert "Spree Automation GmbH" in (request.text or "") and "🇩🇪 Berlin, Germany" in (
        request.text or ""
    )
    await press(linh, "✅ Accept", "You accepted")
    for_linh = await linh.expect("Introduction made: Spree Automation GmbH")
    assert "hans@spree.example" in (for_linh.text or "") and "+49 30 901820" in (
        for_linh.text or ""
    )
    for_hans = await hans.expect("Introduction made: Hanoi Dev House")
    assert "linh@hanoidev.example" in (for_hans.text or "")
    await answer(hans, "/matches", "None of the companies from Vietnam matches you yet")
    never_the_other_forum(hans, linh)


async def test_agenda_timezone_import_and_organisers_in_another_forum(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    org = await organiser(sandbox)
    # The event zone defaults to the forum file's.
    assert fb.services.settings.event_timezone == "Europe/Berlin"
    agenda = (
        "title,start,end,speakers,track,description,link\n"
        "Opening,2026-03-10T10:00 Europe/Berlin,2026-03-10T10:30 Europe/Berlin,,,,\n"
    )
    await org.send_document("agenda.csv", agenda.encode(), caption="/agenda_import")
    await org.expect("1 added")
    mai = sandbox.user(7301, "Mai")
    listing = await answer(mai, "/agenda", "Agenda")
    # Both of this forum's zones, named as its file names them (Asia/Ho_Chi_Minh is Hanoi).
    assert "10:00 Berlin · 16:00 Hanoi — Opening" in listing
    zones = await answer(mai, "/timezone", "Your time zone")
    assert "Europe/Berlin" in zones  # the event's, until she chooses
    assert mai.last is not None and mai.last.buttons() == [["Berlin", "Hanoi"]]
    done = await press(mai, "Hanoi", "Your time zone is now")
    assert "Asia/Ho_Chi_Minh" in done and "next to Berlin and Hanoi" in done

    # The CSV import reads this forum's names (any case) and codes, and refuses others.
    header = (
        "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
        "contact_email,telegram_username\n"
    )
    rows = [
        ("Saigon Soft", "vietnam", "fintech;Software Engineering", "Deliver development services"),
        ("Munich Data", "DE", "CYBERSECURITY", "nearshore"),
        ("Hue Labs", "VN", "Industrial IoT", "research cooperation"),
        ("Old Style SRL", "Romania", "Fintech", "deliver"),
        ("Wrong Sector", "DE", "Cloud & DevOps", "deliver"),
    ]
    body = "".join(
        f"{name},{country},,{sectors},Offers long enough,Seeks long enough,{intents},"
        f"11-50,,Contact,c{i}@import.example,\n"
        for i, (name, country, sectors, intents) in enumerate(rows)
    )
    await org.send_document("companies.csv", (header + body).encode(), caption="/import")
    report = (await org.expect("Imported")).text or ""
    assert "Imported 3 companies (3 new, 0 updated); rejected 2 rows." in report
    assert "line 5: country: The country must be Germany or Vietnam (or DE / VN)" in report
    assert "line 6: Unknown sector “Cloud & DevOps”" in report
    stored = {c.name: c for c in await fb.services.companies.all()}
    assert (stored["Saigon Soft"].country, stored["Saigon Soft"].sectors) == (
        "VN",
        ("software_engineering", "fintech"),
    )
    assert stored["Munich Data"].country == "DE" and stored["Hue Labs"].partnerships == (
        "cooperate",
    )

    # The organisers' screens name this forum's countries, and count matches across them
    # only: a company of another country (left from another forum file) has none.
    await bare_company(
        fb.services.db,
        "Danube Offshore SRL",
        "RO",
        now=fb.services.clock.now(),
        offers="Offers long enough",
        seeks="Seeks long enough",
        partnerships=("deliver",),
        contact_email="d@danube.example",
    )
    stats = await answer(org, "/stats", "Forum dashboard")
    assert "Companies: 4 — 🇩🇪 Germany 1 · 🇻🇳 Vietnam 2 · RO 1" in stats
    await org.expect(lambda m: m.kind == "photo")
    await answer(org, "/broadcast", "Send me the message")
    await answer(org, "See you in Hanoi", "Who should get it?")
    assert org.last is not None and ["🇩🇪 Germany", "🇻🇳 Vietnam"] in org.last.buttons()
    await press(org, "🇻🇳 Vietnam", "reps of Vietnam companies")
    await answer(org, "/cancel", "Cancelled")
    # (The import report quoted the "Romania" of the refused row: that is the file's text.)
    never_the_other_forum(mai)
