"""Introductions end to end: request → accept (both get contacts), decline, mutual requests,
expiry with the halfway reminder, the daily limit, forged and double presses, /intros and the
organisers' /matchstats and /exportmatches."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from bot.clock import FakeClock
from bot.config import Settings
from bot.context import ForumContext
from bot.introductions import IntroductionService
from bot.sandbox import Sandbox, SandboxUser
from handlers.intros import due_tick
from tests.handlers.matchkit import company, pair, rep
from tests.harness import ADMIN_ID, BotHarness


async def request_intro(user: SandboxUser, note: str | None = None) -> None:
    await user.send("/matches")
    await user.expect("Match 1 of")
    await user.press("🤝 Request introduction")
    await user.expect("Add a short note")
    if note is None:
        await user.press("📨 Send without a note")
    else:
        await user.send(note)
    await user.expect(lambda m: "request was sent" in (m.text or "") or "already" in (m.text or ""))


async def test_request_then_accept_both_get_contacts(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, pk = await pair(sandbox, fb)
    await request_intro(ana, "Hello <b>from</b> Cluj & Bucharest")
    got = await imran.expect("Introduction request")
    text = got.text or ""
    # The requester's public card, the note (escaped, shown as typed), the reasons; no contacts.
    assert "SoftRo Automation" in text and "Hello <b>from</b> Cluj & Bucharest" in text
    # The reasons, from the target's side, name what meets what.
    assert "• they offer RPA consulting — you seek automate back-office processes with RPA" in text
    assert (
        "• you offer software testing and QA outsourced to us — they seek outsourcing partners "
        "for QA testing" in text
    )
    assert "hello@softro.example" not in text and "+40" not in text
    assert got.buttons() == [["✅ Accept", "✖️ Decline"]]
    await imran.press("✅ Accept")
    await imran.expect("You accepted")
    card_for_imran = await imran.expect("Introduction made: SoftRo Automation")
    assert "hello@softro.example" in (card_for_imran.text or "")
    assert "+40 700 000 000" in (card_for_imran.text or "")
    assert "@ana_softro" in (card_for_imran.text or "")  # a Telegram link to the rep
    card_for_ana = await ana.expect("Introduction made: LahoreQA")
    assert "hello@lahoreqa.example" in (card_for_ana.text or "")
    assert "@imran_lhr" in (card_for_ana.text or "")
    intro = (await fb.services.introductions.for_company(ro))[0]
    assert intro.state == "accepted" and intro.target_company_id == pk
    assert intro.note == "Hello <b>from</b> Cluj & Bucharest"
    # Once introduced, the pair is no longer offered in /matches.
    await ana.send("/matches")
    await ana.expect("None of the companies from Pakistan matches you yet")


async def test_decline_tells_requester_only_that(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, _ro, imran, _ = await pair(sandbox, fb)
    await request_intro(ana)
    await imran.expect("Introduction request")
    await imran.press("✖️ Decline")
    await imran.expect("You declined")
    told = await ana.expect("cannot take your introduction request further now")
    assert "declin" not in (told.text or "").lower()
    # Never proposed again, to either side.
    await ana.send("/matches")
    await ana.expect("None of the companies")
    await imran.send("/matches")
    await imran.expect("None of the companies")
    assert not [m for m in ana.messages if "Introduction made" in (m.text or "")]


async def test_mutual_requests_become_accepted(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _pk = await pair(sandbox, fb)
    await ana.send("/matches")
    await ana.expect("Match 1 of")
    await imran.send("/matches")
    await imran.expect("Match 1 of")
    await ana.press("🤝 Request introduction")
    await ana.expect("Add a short note")
    await ana.press("📨 Send without a note")
    await ana.expect("request was sent")
    # Imran asks too, from the card he is still looking at.
    await imran.press("🤝 Request introduction")
    await imran.expect("Add a short note")
    await imran.press("📨 Send without a note")
    await imran.expect("already asked to meet you")
    await ana.expect("Introduction made: LahoreQA")
    await imran.expect("Introduction made: SoftRo Automation")
    intros = await fb.services.introductions.for_company(ro)
    assert [(i.state, i.requester_company_id) for i in intros] == [("accepted", ro)]


async def test_expiry_with_one_halfway_reminder(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ana, ro, imran, _ = await pair(sandbox, fb)
    await request_intro(ana)
    await imran.expect("Introduction request")
    service = IntroductionService(fb.services)
    clock.advance(days=3)
    assert await service.run_due() == {"expired": 0, "reminded": 0, "recovered": 0}
    clock.advance(days=0, hours=13)  # 3.5 days: half of 7
    assert await service.run_due() == {"expired": 0, "reminded": 1, "recovered": 0}
    reminder = await imran.expect("Reminder: an introduction request")
    assert reminder.buttons() == [["✅ Accept", "✖️ Decline"]]
    assert await service.run_due() == {
        "expired": 0,
        "reminded": 0,
        "recovered": 0,
    }  # only one reminder
    clock.advance(days=4)
    assert fb.app is not None
    await due_tick(ForumContext(fb.app))  # type: ignore[arg-type]  # the job's own callback
    await ana.expect("expired without an answer")
    intro = (await fb.services.introductions.for_company(ro))[0]
    assert intro.state == "expired"
    # A late Accept changes nothing.
    await imran.press("✅ Accept", message_id=reminder.message_id)
    await sandbox.wait_idle()
    assert (await fb.services.introductions.get(intro.id)).state == "expired"  # type: ignore[union-attr]
    assert not [m for m in imran.messages if "Introduction made" in (m.text or "")]


async def test_daily_limit_is_said(sandbox: Sandbox, settings: Settings, clock: FakeClock) -> None:
    harness = BotHarness(sandbox, replace(settings, intro_daily_limit=2), clock=clock)
    await harness.start()
    try:
        ana = await rep(sandbox, 5301, "Ana")
        await company(harness, ana.id, "SoftRo Automation", "Romania")
        ids = [await company(harness, None, f"Lahore{n} QA", "Pakistan") for n in range(3)]
        service = IntroductionService(harness.services)
        assert (await service.request(ana.id, ids[0])).kind == "sent"
        assert (await service.request(ana.id, ids[1])).kind == "sent"
        await ana.send("/matches")
        await ana.expect("Match 1 of 1")
        await ana.press("🤝 Request introduction")
        await ana.expect("Add a short note")
        await ana.press("📨 Send without a note")
        refused = await ana.expect("daily limit is 2")
        assert "sent 2 introduction requests in the last 24 hours" in (refused.text or "")
        assert len(await harness.services.introductions.for_company(ids[2])) == 0
        clock.advance(hours=24, minutes=1)
        assert (await service.request(ana.id, ids[2])).kind == "sent"
    finally:
        await harness.stop()


async def test_forged_and_double_presses(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _pk = await pair(sandbox, fb)
    eve = await rep(sandbox, 5999, "Eve")
    await company(fb, eve.id, "Eve Cluj Soft", "Romania")
    await request_intro(ana)
    request = await imran.expect("Introduction request")
    intro = (await fb.services.introductions.for_company(ro))[0]
    # Eve's company is not part of this introduction: refused, nothing changes.
    await eve.press_data(request.message_id, f"intro:acc:{intro.id}")
    # The requester cannot accept their own request either.
    await ana.press_data(request.message_id, f"intro:acc:{intro.id}")
    await sandbox.wait_idle()
    assert (await fb.services.introductions.get(intro.id)).state == "pending"  # type: ignore[union-attr]
    answers = [c.params for c in sandbox.calls_of("answerCallbackQuery")]
    assert sum("not addressed to your company" in str(a.get("text")) for a in answers) == 2
    # A double press of Accept acts once.
    await imran.press_data(request.message_id, f"intro:acc:{intro.id}")
    await imran.press_data(request.message_id, f"intro:acc:{intro.id}")
    await ana.expect("Introduction made")
    await sandbox.wait_idle()
    made = [m for m in ana.messages if "Introduction made" in (m.text or "")]
    assert len(made) == 1
    assert len([m for m in imran.messages if "You accepted" in (m.text or "")]) == 1


async def test_double_send_press_sends_one_request(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _pk = await pair(sandbox, fb)
    await ana.send("/matches")
    await ana.expect("Match 1 of")
    await ana.press("🤝 Request introduction")
    prompt = await ana.expect("Add a short note")
    data = prompt.button_data()["📨 Send without a note"]
    await ana.press_data(prompt.message_id, data)
    await ana.press_data(prompt.message_id, data)
    await imran.expect("Introduction request")
    await sandbox.wait_idle()
    assert len(await fb.services.introductions.for_company(ro)) == 1
    assert len([m for m in imran.messages if "Introduction request" in (m.text or "")]) == 1
    answers = [str(c.params.get("text")) for c in sandbox.calls_of("answerCallbackQuery")]
    assert any("expired" in a for a in answers)


async def test_intros_and_organiser_commands(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    await request_intro(ana)
    await ana.send("/intros")
    listing = await ana.expect("Introductions of SoftRo Automation")
    assert "LahoreQA — ⏳ waiting" in (listing.text or "")
    await imran.send("/intros")
    assert "SoftRo Automation — ⏳ waiting" in ((await imran.expect("Requests to you")).text or "")

    await ana.send("/matchstats")
    await ana.expect("for the forum organisers only")
    admin = await rep(sandbox, ADMIN_ID, "Org")
    await admin.send("/matchstats")
    stats = (await admin.expect("Matching and introductions")).text or ""
    assert "Romania: 1 companies" in stats and "Requests sent: 1" in stats
    assert "Companies with at least one match: 0" in stats  # the pair is taken by the request

    await imran.press("✖️ Decline")
    await admin.send("/exportmatches 3")
    await admin.expect("no matches to export")
    await company(fb, None, "Ravi RPA Labs", "Pakistan")
    await admin.send("/exportmatches 3")
    doc = await admin.expect(lambda m: m.kind == "document")
    rows = list(csv.DictReader(io.StringIO((doc.content or b"").decode())))
    assert rows[0].keys() == {
        "company",
        "country",
        "match",
        "match_country",
        "rank",
        "score",
        "reasons",
    }
    assert {(r["company"], r["match"], r["rank"]) for r in rows} == {
        ("SoftRo Automation", "Ravi RPA Labs", "1"),
        ("Ravi RPA Labs", "SoftRo Automation", "1"),
    }
