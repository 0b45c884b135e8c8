"""/matches end to end: cards with reasons, paging, "Not interested", the note step, and
the reasons given when there is nothing to show."""

from __future__ import annotations

from handlers.callbacks import IntroRequest
from sandbox import Sandbox
from tests.support.flows import answer, ask_without_note, note_prompt, press, send_sticker
from tests.support.harness import BotHarness
from tests.support.matchkit import company, pair, rep


async def test_cards_paging_and_not_interested(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, _, _, _ = await pair(sandbox, fb)
    await company(
        fb,
        None,
        "Ravi <RPA> Labs",
        "Pakistan",
        offers="RPA developers certified on UiPath; bot maintenance as a subcontractor",
        seeks="Consulting partners in Europe who need RPA delivery capacity",
        sectors=("RPA & automation",),
    )
    await company(fb, None, "Other Romanian", "Romania")  # same country: never shown
    await ana.send("/matches")
    first = await ana.expect("Match 1 of 2")
    assert "Other Romanian" not in (first.text or "")
    assert first.buttons() == [["🤝 Request introduction"], ["🙅 Not interested"], ["Next ▶"]]
    assert "Why you match:" in (first.text or "")
    await ana.press("Next ▶")
    second = await ana.expect("Match 2 of 2")
    assert second.message_id == first.message_id  # edited in place
    assert second.buttons()[-1] == ["◀ Previous"]
    names = {"LahoreQA", "Ravi <RPA> Labs"}
    shown_second = next(n for n in names if n in (second.text or ""))
    after = await press(ana, "🙅 Not interested", "won't suggest")
    assert "Match 1 of 1" in after
    assert shown_second not in after.split("again.")[-1]
    again = await answer(ana, "/matches", "Match 1 of 1")
    assert shown_second not in again


async def test_note_step_checks_length_and_odd_input(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _ = await pair(sandbox, fb)
    await note_prompt(ana)
    await ana.send("x" * 501)
    await ana.expect("501 characters long")
    await send_sticker(ana, "type your note as text")
    await answer(ana, "/cancel", "Cancelled")
    assert await fb.services.introductions.for_company(ro) == []
    await note_prompt(ana)
    await ana.send("y" * 500)
    await ana.expect("request was sent")
    got = await imran.expect("Introduction request")
    assert "y" * 500 in (got.text or "")


async def test_says_why_there_are_no_matches(sandbox: Sandbox, fb: BotHarness) -> None:
    nobody = await rep(sandbox, 5701, "Nobody")
    await answer(nobody, "/matches", "don't have a company yet")

    ana = await rep(sandbox, 5702, "Ana")
    ro = await company(fb, ana.id, "SoftRo Automation", "Romania")
    await answer(ana, "/matches", "No company from Pakistan is ready to be matched yet")

    await fb.services.companies.update(ro, {"paused": 1}, now=fb.services.clock.now())
    await answer(ana, "/matches", "Your company is paused")

    await fb.services.companies.update(ro, {"paused": 0, "seeks": ""}, now=fb.services.clock.now())
    await answer(ana, "/matches", "profile is not complete")


async def test_forged_request_button_is_refused(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, _, _ = await pair(sandbox, fb)
    same_country = await company(fb, None, "Another Romanian", "Romania")
    await ana.send("/matches")
    card = await ana.expect("Match 1 of")
    await ana.press_data(card.message_id, IntroRequest(same_country).pack())
    # Refused with the reason (issue 13: same-country requests say why).
    await ana.expect("Another Romanian is from your own country: introductions are made across")
    await ana.press_data(card.message_id, IntroRequest(ro).pack())
    await ana.expect("not one of your matches")
    assert await fb.services.introductions.for_company(ro) == []


async def test_matches_understand_meaning_and_say_so(sandbox: Sandbox, fb: BotHarness) -> None:
    """A partner found by meaning comes first with a reason that says so; the reasons of
    the introduction request are stored as data and shown from the target's side."""
    shop_rep = await rep(sandbox, 5801, "Elena")
    payroll_rep = await rep(sandbox, 5802, "Bilal")
    shop = await company(
        fb,
        shop_rep.id,
        "Magazin Retail",
        "Romania",
        offers="Retail chain of 40 stores in Transylvania",
        seeks="Pay our 400 employees on time and file their taxes without spreadsheets",
        sectors=("E-commerce",),
        partnerships=("Outsource work to a partner",),
    )
    payroll = await company(
        fb,
        payroll_rep.id,
        "PayHub Lahore",
        "Pakistan",
        offers="Payroll software for SMEs, salary slips and tax filings",
        seeks="Resellers",
        sectors=("Fintech",),
        partnerships=("Find resellers / distributors",),
    )
    await company(
        fb,
        None,
        "Karachi Games",
        "Pakistan",
        offers="Mobile puzzle games",
        seeks="Publishers",
        sectors=("E-commerce",),
        partnerships=("Deliver services as a subcontractor",),
    )
    await shop_rep.send("/matches")
    first = await shop_rep.expect("Match 1 of 2")
    text = first.text or ""
    assert "PayHub Lahore" in text
    assert (
        "• they offer “payroll software for SMEs, salary slips and tax filings”, close in "
        "meaning to what you seek: “pay our 400 employees on time and file their taxes "
        "without…”" in text
    )
    stored = await fb.services.embeddings.all()
    assert {shop, payroll} <= set(stored)  # computed for the ranking, kept for the next

    await ask_without_note(shop_rep, "request was sent")
    got = await payroll_rep.expect("Introduction request")
    assert "• you offer “payroll software for SMEs, salary slips and tax filings”, close in " in (
        got.text or ""
    )
    intro = (await fb.services.introductions.for_company(shop))[0]
    assert intro.reasons[0] == {
        "kind": "they_offer",
        "offer": "payroll software for SMEs, salary slips and tax filings",
        "need": "pay our 400 employees on time and file their taxes without…",
        "by_meaning": True,
    }
