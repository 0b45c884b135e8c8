"""/companies end to end: the other country's companies page by page, a sector filter, the
keyword search (prefixes, then close spellings), paused and non-consenting companies never
shown, your own country marked and never introduced, and an introduction requested from a
card with the same double opt-in and daily limit as /matches."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Settings
from sandbox import Sandbox, SandboxUser
from tests.support.flows import alerted, answer, ask_without_note, press
from tests.support.harness import BotHarness, sandbox_settings
from tests.support.matchkit import company, rep

CYBER_OFFERS = "Penetration testing and security audits for telecom operators"
CYBER_SEEKS = "A distributor of our firewall appliances in Eastern Europe"


@pytest.fixture
def settings(sandbox: Sandbox, db_path: Path) -> Settings:
    # One request a day, so the directory's requests meet the limit in the test.
    return sandbox_settings(sandbox, db_path, intro_daily_limit=1)


async def forum(sandbox: Sandbox, fb: BotHarness) -> dict[str, int]:
    ana = await rep(sandbox, 5101, "Ana")
    ids = {"softro": await company(fb, ana.id, "SoftRo Automation", "Romania")}
    ids["lahore"] = await company(fb, None, "LahoreQA", "Pakistan")
    ids["cyber"] = await company(
        fb,
        None,
        "Karachi CyberShield",
        "Pakistan",
        offers=CYBER_OFFERS,
        seeks=CYBER_SEEKS,
        sectors=("Cybersecurity",),
        partnerships=("Technology partnership & integration",),
    )
    ids["paused"] = await company(fb, None, "Peshawar Paused Labs", "Pakistan", paused=1)
    ids["silent"] = await company(fb, None, "Quetta Quiet Soft", "Pakistan", consent=0)
    for n in range(1, 6):
        ids[f"filler{n}"] = await company(
            fb, None, f"Zed Filler {n}", "Pakistan", sectors=("Edtech",)
        )
    ids["cluj"] = await company(fb, None, "Cluj Fintech", "Romania")
    return ids


async def test_browse_filter_and_search(sandbox: Sandbox, fb: BotHarness) -> None:
    await forum(sandbox, fb)
    ana = sandbox.user(5101, "Ana")
    await ana.send("/companies")
    first = await ana.expect("Companies from")
    text = first.text or ""
    assert text.startswith("🏢 Companies from 🇵🇰 Pakistan")
    assert "7 companies · page 1 of 2" in text
    assert "1. Karachi CyberShield" in text and "2. LahoreQA" in text
    assert "Paused" not in text and "Quiet" not in text
    assert first.buttons()[0] == ["🔎 Karachi CyberShield"]
    await press(ana, "Next ▶", "page 2 of 2")
    second = (ana.messages[-1].text or "") if ana.messages else ""
    assert "6. Zed Filler 4" in second and "7. Zed Filler 5" in second

    await press(ana, "🏷 Sector", "Which sector?")
    await press(ana, "Cybersecurity", "Sector: Cybersecurity")
    filtered = ana.messages[-1].text or ""
    assert "1 company · page 1 of 1" in filtered and "Karachi CyberShield" in filtered

    for words, found in (
        ("/companies penetr", "Karachi CyberShield"),  # a prefix
        ("/companies LAHOREqa", "LahoreQA"),
        ("/companies penetraton firewal", "Karachi CyberShield"),  # typos: close spellings
    ):
        await ana.send(words)
        result = (await ana.expect("Companies from")).text or ""
        assert "1 company · page 1 of 1" in result and found in result, result
    assert "closest spellings" in result
    for hidden in ("Peshawar", "Quetta", "Cluj"):
        await ana.send(f"/companies {hidden}")
        assert "No company found" in ((await ana.expect("Companies from")).text or "")

    # The search button asks for the words.
    await press(ana, "🔍 Search", "Send the words")
    await ana.send("filler")
    assert "5 companies" in ((await ana.expect("Companies from")).text or "")


async def test_introduction_from_a_card_and_the_same_country(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    ids = await forum(sandbox, fb)
    ana = sandbox.user(5101, "Ana")
    cyber = await rep(sandbox, 5201, "Cyrus")
    await fb.services.companies.add_rep(ids["cyber"], cyber.id, now=fb.services.clock.now())
    # Not one of Ana's matches: /matches would not offer it.
    service = fb.services.intros
    assert not (await service.check_target(ana.id, ids["cyber"])).ok

    await answer(ana, "/companies", "Companies from")
    await press(ana, "🔎 Karachi CyberShield", "Penetration testing")
    card = ana.messages[-1]
    assert card.buttons() == [["🤝 Request introduction"], ["◀ Back to the list"]]
    await press(ana, "🤝 Request introduction", "Add a short note")
    await answer(
        ana, "We heard your talk at the plenary", "Your request was sent to Karachi CyberShield"
    )
    request = await cyber.expect("Introduction request")
    assert "We heard your talk at the plenary" in (request.text or "")
    assert "SoftRo Automation" in (request.text or "")

    # The daily limit is the one of /matches (1 in this test).
    await press(ana, "◀ Back to the list", "Companies from")
    await press(ana, "🔎 LahoreQA", "Offers")
    await ask_without_note(ana, "the daily limit is 1")

    # Her own country: marked, and no introduction, even from a forged button.
    await answer(ana, "/companies", "Companies from")
    await press(ana, "My own country", "Your own country: same country — not matched")
    await press(ana, "🔎 Cluj Fintech", "Same country — not matched")
    own = ana.messages[-1]
    assert own.buttons() == [["◀ Back to the list"]]
    await ana.press_data(own.message_id, f"dr:{ids['cluj']}")
    await ana.expect("Cluj Fintech is from your own country")
    assert len(await fb.services.introductions.for_company(ids["softro"])) == 1

    # A paused company's card is not shown, whatever the button says.
    await ana.press_data(own.message_id, f"dc:{ids['paused']}:o::0:0")
    await alerted(sandbox, "not in the directory any more")


async def test_no_company_no_directory_and_the_index_stays_off_disk(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    await forum(sandbox, fb)
    visitor: SandboxUser = await rep(sandbox, 5301, "Visitor")
    await answer(visitor, "/companies", "Register your company first")
    ana = sandbox.user(5101, "Ana")
    await answer(ana, "/companies lahore", "LahoreQA")
    # The FTS index is in the connection's memory, never in the database file.
    tables = await fb.services.db.fetchall(
        "SELECT name FROM sqlite_master WHERE name LIKE 'company_%'"
    )
    assert not [r[0] for r in tables if "search" in r[0] or "terms" in r[0]]
    # A change made meanwhile (here: LahoreQA goes) is searched at once.
    lahore = await fb.services.companies.by_name("LahoreQA", "PK")
    assert lahore is not None
    await fb.services.companies.delete(lahore.id)
    await ana.send("/companies lahore")
    assert "No company found" in ((await ana.expect("Companies from")).text or "")
