"""Introductions end to end: request → accept (both get contacts), decline, mutual requests,
expiry with the halfway reminder, the daily limit, forged and double presses, /intros and the
organisers' /matchstats and /exportmatches."""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import replace
from typing import Any

from bot.clock import FakeClock
from bot.config import Settings
from handlers.callbacks import IntroAnswer, MeetingBook
from sandbox import Sandbox, SandboxUser
from storage.outbox import OutboxRow
from tests.support.flows import answer, ask_without_note, note_prompt, press, request_intro
from tests.support.harness import ADMIN_ID, BotHarness, bot_running
from tests.support.matchkit import MATCH_COLUMNS, company, pair, rep


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
    await press(imran, "✅ Accept", "You accepted")
    card_for_imran = await imran.expect("Introduction made: SoftRo Automation")
    assert "hello@softro.example" in (card_for_imran.text or "")
    assert "+40 700 000 000" in (card_for_imran.text or "")
    assert "@ana_softro" in (card_for_imran.text or "")  # a Telegram link to the rep
    card_for_ana = await ana.expect("Introduction made: LahoreQA")
    assert "hello@lahoreqa.example" in (card_for_ana.text or "")
    assert "@imran_lhr" in (card_for_ana.text or "")
    # Each card's "📅 Book a meeting" opens the meetings picker for the other company.
    assert card_for_ana.button_data() == {"📅 Book a meeting": MeetingBook(pk).pack()}
    assert card_for_imran.button_data() == {"📅 Book a meeting": MeetingBook(ro).pack()}
    intro = (await fb.services.introductions.for_company(ro))[0]
    assert intro.state == "accepted" and intro.target_company_id == pk
    assert intro.note == "Hello <b>from</b> Cluj & Bucharest"
    # Once introduced, the pair is no longer offered in /matches.
    await answer(ana, "/matches", "None of the companies from Pakistan matches you yet")


async def test_decline_tells_requester_only_that(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, _ro, imran, _ = await pair(sandbox, fb)
    await request_intro(ana)
    await imran.expect("Introduction request")
    await press(imran, "✖️ Decline", "You declined")
    told = await ana.expect("cannot take your introduction request further now")
    assert "declin" not in (told.text or "").lower()
    # Never proposed again, to either side.
    await answer(ana, "/matches", "None of the companies")
    await answer(imran, "/matches", "None of the companies")
    assert not [m for m in ana.messages if "Introduction made" in (m.text or "")]


async def assert_undelivered_counted(sandbox: Sandbox, *, given_up: int, timed_out: int) -> None:
    """The organiser's /matchstats page counts the notices given up and timed out."""
    admin = await rep(sandbox, ADMIN_ID, "Org")
    stats = await answer(admin, "/matchstats", "Matching and introductions")
    assert f"Given up (after retries, or the chat is gone): {given_up}" in stats
    assert f"Timed out, maybe delivered (not sent again): {timed_out}" in stats


async def test_mutual_requests_become_accepted(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _pk = await pair(sandbox, fb)
    await answer(ana, "/matches", "Match 1 of")
    await answer(imran, "/matches", "Match 1 of")
    await ask_without_note(ana, "request was sent")
    # Imran asks too, from the card he is still looking at.
    await ask_without_note(imran, "already asked to meet you")
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
    service = fb.services.intros
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
    assert fb.app is not None and fb.app.job_queue is not None
    (due,) = fb.app.job_queue.get_jobs_by_name("introductions:due")
    await due.run(fb.app)  # the background job itself, now
    await ana.expect("expired without an answer")
    intro = (await fb.services.introductions.for_company(ro))[0]
    assert intro.state == "expired"
    # A late Accept changes nothing.
    await imran.press("✅ Accept", message_id=reminder.message_id)
    await sandbox.wait_idle()
    assert (await fb.services.introductions.get(intro.id)).state == "expired"  # type: ignore[union-attr]
    assert not [m for m in imran.messages if "Introduction made" in (m.text or "")]


async def test_daily_limit_is_said(sandbox: Sandbox, settings: Settings, clock: FakeClock) -> None:
    async with bot_running(sandbox, replace(settings, intro_daily_limit=2), clock=clock) as harness:
        ana = await rep(sandbox, 5301, "Ana")
        await company(harness, ana.id, "SoftRo Automation", "Romania")
        ids = [await company(harness, None, f"Lahore{n} QA", "Pakistan") for n in range(3)]
        service = harness.services.intros
        assert (await service.request(ana.id, ids[0])).kind == "sent"
        assert (await service.request(ana.id, ids[1])).kind == "sent"
        await note_prompt(ana, "Match 1 of 1")
        refused = await press(ana, "📨 Send without a note", "daily limit is 2")
        assert "sent 2 introduction requests in the last 24 hours" in refused
        assert len(await harness.services.introductions.for_company(ids[2])) == 0
        clock.advance(hours=24, minutes=1)
        assert (await service.request(ana.id, ids[2])).kind == "sent"


async def test_forged_and_double_presses(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _pk = await pair(sandbox, fb)
    eve = await rep(sandbox, 5999, "Eve")
    await company(fb, eve.id, "Eve Cluj Soft", "Romania")
    await request_intro(ana)
    request = await imran.expect("Introduction request")
    intro = (await fb.services.introductions.for_company(ro))[0]
    # Eve's company is not part of this introduction: refused, nothing changes.
    accept = IntroAnswer(intro.id, True).pack()
    await eve.press_data(request.message_id, accept)
    # The requester cannot accept their own request either.
    await ana.press_data(request.message_id, accept)
    await sandbox.wait_idle()
    assert (await fb.services.introductions.get(intro.id)).state == "pending"  # type: ignore[union-attr]
    answers = [c.params for c in sandbox.calls_of("answerCallbackQuery")]
    assert sum("not addressed to your company" in str(a.get("text")) for a in answers) == 2
    # A double press of Accept acts once.
    await imran.press_data(request.message_id, accept)
    await imran.press_data(request.message_id, accept)
    await ana.expect("Introduction made")
    await sandbox.wait_idle()
    made = [m for m in ana.messages if "Introduction made" in (m.text or "")]
    assert len(made) == 1
    assert len([m for m in imran.messages if "You accepted" in (m.text or "")]) == 1


async def test_double_send_press_sends_one_request(sandbox: Sandbox, fb: BotHarness) -> None:
    ana, ro, imran, _pk = await pair(sandbox, fb)
    prompt = await note_prompt(ana)
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
    listing = await answer(ana, "/intros", "Introductions of SoftRo Automation")
    assert "LahoreQA — ⏳ waiting" in listing
    await imran.send("/intros")
    assert "SoftRo Automation — ⏳ waiting" in ((await imran.expect("Requests to you")).text or "")

    await answer(ana, "/matchstats", "for the forum organisers only")
    admin = await rep(sandbox, ADMIN_ID, "Org")
    stats = await answer(admin, "/matchstats", "Matching and introductions")
    assert "Romania: 1 company" in stats and "Requests sent: 1" in stats
    # The one funnel: the pair was a match, and still counts as one once introduced.
    assert "3. have a cross-border match: 2 (100%)" in stats
    assert "4. requested or received an introduction: 2 (100%)" in stats
    assert "5. introduction accepted: 0 (0%)" in stats

    await imran.press("✖️ Decline")
    await answer(admin, "/exportmatches 3", "no matches to export")
    await company(fb, None, "Ravi RPA Labs", "Pakistan")
    await admin.send("/exportmatches 3")
    doc = await admin.expect(lambda m: m.kind == "document")
    rows = list(csv.DictReader(io.StringIO((doc.content or b"").decode())))
    assert rows[0].keys() == set(MATCH_COLUMNS)
    assert {(r["company"], r["match"], r["rank"]) for r in rows} == {
        ("SoftRo Automation", "Ravi RPA Labs", "1"),
        ("Ravi RPA Labs", "SoftRo Automation", "1"),
    }


async def accepted_with_fault(
    sandbox: Sandbox, fb: BotHarness, fault: str, **params: Any
) -> tuple[SandboxUser, SandboxUser]:
    """Ana asks, Imran accepts; a ``fault`` (``sandbox.inject``'s kind and ``params``) is
    armed for Ana's contact card first."""
    fb.sender.per_chat_interval = 0.05  # retries to one chat: keep it short
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    await request_intro(ana)
    await imran.expect("Introduction request")
    await sandbox.wait_idle()
    # Ana's next message is her contact card: nothing else is sent to her.
    sandbox.inject(fault, chat_id=ana.id, methods=("sendMessage",), **params)
    await imran.press("✅ Accept")
    # One message at a time: Imran's card may wait until Ana's send ends (its timeout).
    await imran.expect("Introduction made: SoftRo Automation", timeout=15)
    await sandbox.wait_idle(timeout=15)
    return ana, imran


async def let_retries_run(sandbox: Sandbox, fb: BotHarness, clock: FakeClock) -> None:
    """Move the clock past each back-off until no introduction notice is left pending."""
    outbox, sender = fb.services.outbox, fb.sender
    async with asyncio.timeout(20):
        while (await outbox.counts(kind_prefix="intro_"))["pending"]:
            clock.advance(minutes=1)
            sender.wake()
            while True:  # until the sender has taken what fell due
                if not await outbox.due(clock.now()):
                    break
                await asyncio.sleep(0.02)
    await sandbox.wait_idle()


async def final_row(fb: BotHarness, kind: str, chat: int) -> OutboxRow:
    """The outbox row of ``kind`` to ``chat`` once it is no longer pending."""
    async with asyncio.timeout(10):
        while True:
            row = (await fb.services.outbox.rows(kind=kind, chat_id=chat))[0]
            if row.state != "pending":
                return row
            await asyncio.sleep(0.05)


def cards_in(text: str) -> tuple[bool, bool]:
    return "hello@softro.example" in text, "hello@lahoreqa.example" in text


async def test_a_bad_request_on_the_contact_card_is_retried(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    """One 400 on Ana's contact card: it is tried again after a back-off and arrives; both
    sides' /intros hold both contact cards; another company's rep sees none of them."""
    parse_error = "Bad Request: can't parse entities: can't find end tag"
    ana, imran = await accepted_with_fault(sandbox, fb, "bad_request", description=parse_error)
    refused = [c for c in sandbox.calls_of("sendMessage") if c.params["chat_id"] == ana.id]
    assert refused[-1].error is not None and refused[-1].error[0] == 400
    await let_retries_run(sandbox, fb, clock)
    card = await ana.expect("Introduction made: LahoreQA")
    assert "hello@lahoreqa.example" in (card.text or "")
    row = await final_row(fb, "intro_accepted", ana.id)
    assert (row.state, row.attempts) == ("sent", 2)

    for user, own in ((ana, "SoftRo Automation"), (imran, "LahoreQA")):
        listing = await answer(user, "/intros", f"Introductions of {own}")
        assert "Contact details of your introductions" in listing
        assert cards_in(listing) == (True, True)
        assert "@ana_softro" in listing and "@imran_lhr" in listing
    eve = await rep(sandbox, 5999, "Eve")
    await company(fb, eve.id, "Eve Cluj Soft", "Romania")
    assert cards_in(await answer(eve, "/intros", "No introductions yet")) == (False, False)


async def test_a_contact_card_given_up_stays_in_intros_and_is_counted(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    """A 400 on every try: the card is given up after the first try and three retries; the
    contacts are still in /intros and /matchstats counts the given-up notice."""
    ana, _imran = await accepted_with_fault(
        sandbox, fb, "bad_request", count=4, description="Bad Request: message is too long"
    )
    await let_retries_run(sandbox, fb, clock)
    row = await final_row(fb, "intro_accepted", ana.id)
    assert (row.state, row.attempts) == ("failed", 4)
    assert not [m for m in ana.messages if "Introduction made" in (m.text or "")]
    assert cards_in(await answer(ana, "/intros", "Introductions of SoftRo")) == (True, True)
    await assert_undelivered_counted(sandbox, given_up=1, timed_out=0)


async def test_a_timed_out_contact_card_is_not_sent_twice(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    """Ana's card reaches her but Telegram's answer is lost: it is not sent again (it is in
    /intros anyway), and /matchstats counts it as timed out."""
    fb.sender.send_timeout = 0.3
    ana, _imran = await accepted_with_fault(sandbox, fb, "timeout", delay=60)
    await let_retries_run(sandbox, fb, clock)
    cards = [m for m in ana.messages if "Introduction made: LahoreQA" in (m.text or "")]
    assert len(cards) == 1  # it did arrive, once
    row = await final_row(fb, "intro_accepted", ana.id)
    assert row.state == "unknown"
    await assert_undelivered_counted(sandbox, given_up=0, timed_out=1)


async def test_a_request_can_be_answered_from_intros(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    """A request notice that timed out is not sent again; /intros offers Accept / Decline
    for every request waiting, and answering there removes only that request's row."""
    fb.sender.send_timeout = 0.3
    fb.sender.per_chat_interval = 0.05
    ana, _ro, imran, pk = await pair(sandbox, fb)
    ravi = await rep(sandbox, 5102, "Ravi")
    await company(fb, ravi.id, "Ravi Iasi Apps", "Romania")
    await sandbox.wait_idle()
    sandbox.inject("timeout", chat_id=imran.id, delay=60, methods=("sendMessage",))
    await request_intro(ana)
    await request_intro(ravi)
    await sandbox.wait_idle(timeout=15)
    await let_retries_run(sandbox, fb, clock)
    requests = [m for m in imran.messages if "Introduction request" in (m.text or "")]
    assert len(requests) == 2  # the timed-out one arrived once, and was not repeated
    rows = await fb.services.outbox.rows(kind="intro_request", chat_id=imran.id)
    assert sorted(r.state for r in rows) == ["sent", "unknown"]

    await imran.send("/intros")
    listing = await imran.expect("Answer the requests waiting for you")
    assert listing.buttons() == [
        ["✅ Accept Ravi Iasi Apps", "✖️ Decline Ravi Iasi Apps"],
        ["✅ Accept SoftRo Automation", "✖️ Decline SoftRo Automation"],
    ]
    assert cards_in(listing.text or "") == (False, False)  # nothing accepted yet
    await imran.press("✅ Accept SoftRo Automation", message_id=listing.message_id)
    await imran.expect("You accepted the introduction with SoftRo Automation")
    await ana.expect("Introduction made: LahoreQA")
    edited = await sandbox.wait_for(
        imran.id, lambda m: m.message_id == listing.message_id and len(m.buttons()) == 1
    )
    assert edited.buttons() == [["✅ Accept Ravi Iasi Apps", "✖️ Decline Ravi Iasi Apps"]]
    intros = await fb.services.introductions.for_company(pk)
    assert sorted(i.state for i in intros) == ["accepted", "pending"]
