"""Consent comes from the rep, in the chat: a rep who claims an imported company is asked
for it at the claim, and the company is out of matching until they answer "I agree"."""

from __future__ import annotations

import csv
import io

from handlers.callbacks import ClaimConsent
from sandbox import Sandbox, SandboxUser
from tests.support.flows import alerted, answer, document, edit_field, press
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import company, rep

HEADER = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
)
LAHORE = (
    '"Lahore QA Works",PK,Lahore,Fintech,'
    '"Software testing and QA outsourced to us; automated test suites",'
    '"Automate back-office processes with RPA; a fraud detection product to resell",'
    "Deliver services as a subcontractor,11-50,,Imran Khan,imran@lahoreqa.example,\n"
)
NO_MATCH = "No company from Pakistan is ready to be matched yet"


async def imported_with_claim_link(sandbox: Sandbox) -> str:
    """The organisers import Lahore QA Works; its claim link's /start payload."""
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("c.csv", (HEADER + LAHORE).encode(), caption="/import")
    await org.expect("Imported 1 company")
    rows = csv.DictReader(io.StringIO((await document(org, "/export")).decode()))
    [row] = [r for r in rows if r["name"] == "Lahore QA Works"]
    return row["claim_link"].split("?start=")[1]


async def claimed(sandbox: Sandbox, fb: BotHarness) -> tuple[SandboxUser, SandboxUser, int]:
    """Ana (a Romanian company, matchable) sees the imported company; Imran claims it."""
    ana = await rep(sandbox, 5101, "Ana")
    await company(fb, ana.id, "SoftRo Automation", "Romania")
    payload = await imported_with_claim_link(sandbox)
    # Nobody has claimed it: matchable on the organisers' word.
    await answer(ana, "/matches", "Lahore QA Works")
    imran = sandbox.user(5201, "Imran")
    await answer(imran, f"/start {payload}", "You now represent")
    question = await imran.expect("until you, its rep, agree")
    assert "Press “I agree” to be matchable." in (question.text or "")
    assert question.buttons() == [["✅ I agree"], ["Not now (don't match me)"]]
    found = await fb.services.companies.by_name("Lahore QA Works", "PK")
    assert found is not None
    return ana, imran, found.id


async def test_a_claimed_company_is_not_matched_until_its_rep_agrees(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    ana, imran, lahore = await claimed(sandbox, fb)
    stored = await fb.services.companies.get(lahore)
    assert stored is not None and not stored.consent and not stored.matchable
    await answer(ana, "/matches", NO_MATCH)

    # Another company's rep cannot answer for it.
    mid = ana.last.message_id  # type: ignore[union-attr]
    await ana.press_data(mid, ClaimConsent(lahore, True).pack())
    await alerted(sandbox, "You can't change that company.")
    stored = await fb.services.companies.get(lahore)
    assert stored is not None and not stored.consent

    await press(imran, "Not now (don't match me)", "is not shown to other companies")
    stored = await fb.services.companies.get(lahore)
    assert stored is not None and not stored.consent and not stored.matchable
    await answer(ana, "/matches", NO_MATCH)

    # Later, the rep gives it where any rep does: /profile → Edit → Consent.
    await answer(imran, "/profile", "Consent: not given")
    await edit_field(imran, "Consent", "Edit · Consent")
    await press(imran, "✅ I agree", "Saved: Consent")
    stored = await fb.services.companies.get(lahore)
    assert stored is not None and stored.consent and stored.matchable
    await answer(ana, "/matches", "Lahore QA Works")


async def test_agreeing_at_the_claim_makes_it_matchable(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, imran, lahore = await claimed(sandbox, fb)
    await press(imran, "✅ I agree", "is now matchable")
    stored = await fb.services.companies.get(lahore)
    assert stored is not None and stored.consent and stored.matchable
    await answer(ana, "/matches", "Lahore QA Works")
    # The answered question has no buttons left to press again.
    assert imran.last is not None and imran.last.buttons() == []
