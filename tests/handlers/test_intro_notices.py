"""The introduction notices go through the one notification path: the outbox keeps what
happened (ids), never the text; each recipient's message is rendered when it is sent, in
that recipient's language, from the data as it is then — so a request answered meanwhile is
not delivered late, and the forum's sector labels and intent phrases follow the reader."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from bot.clock import FakeClock
from bot.config import Settings
from bot.forum import Forum
from sandbox import Sandbox
from tests.support.flows import accepted_in_chat, answer, ask_without_note, press, request_intro
from tests.support.harness import BotHarness, sandbox_settings
from tests.support.languages import FSI, PDI, RO, UR, said
from tests.support.matchkit import pair


async def test_the_outbox_keeps_ids_not_texts(sandbox: Sandbox, fb: BotHarness) -> None:
    """Neither the note nor the contact details are copied into the outbox."""
    ana, ro, imran, pk = await pair(sandbox, fb)
    await accepted_in_chat(ana, imran, "A note only Imran reads")
    await ana.expect("Introduction made: LahoreQA")
    await imran.expect("Introduction made: SoftRo Automation")
    (request,) = await fb.services.outbox.rows(kind="intro_request")
    intro = request.payload["data"]["intro"]
    assert (request.method, request.payload) == ("notice", {"data": {"intro": intro}})
    made = await fb.services.outbox.rows(kind="intro_accepted")
    assert sorted((r.chat_id, r.method, r.payload["data"]["company"]) for r in made) == [
        (ana.id, "notice", ro),
        (imran.id, "notice", pk),
    ]
    stored = str([r.payload for r in await fb.services.outbox.rows()])
    for private in ("A note only Imran reads", "hello@", "+40", "+92", "Contact of"):
        assert private not in stored


async def test_a_request_answered_before_its_notice_arrived_is_not_delivered(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    """The request notice to Imran is refused once; before its retry Imran accepts in
    /intros. The retry has nothing to say any more: no stale Accept / Decline arrives."""
    fb.sender.per_chat_interval = 0.05
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    await sandbox.wait_idle()
    sandbox.inject(
        "bad_request", chat_id=imran.id, methods=("sendMessage",), description="Bad Request"
    )
    await request_intro(ana, "Hello from Cluj")
    await sandbox.wait_idle()
    (row,) = await fb.services.outbox.rows(kind="intro_request")
    assert (row.state, row.attempts) == ("pending", 1)  # refused once, waiting to retry
    await answer(imran, "/intros", "Answer the requests waiting for you")
    await press(
        imran, "✅ Accept SoftRo Automation", "You accepted the introduction with SoftRo Automation"
    )
    async with asyncio.timeout(10):
        while (await fb.services.outbox.rows(kind="intro_request"))[0].state == "pending":
            clock.advance(minutes=1)
            fb.sender.wake()
            await asyncio.sleep(0.05)
    await ana.expect("Introduction made: LahoreQA")
    await sandbox.wait_idle()
    (row,) = await fb.services.outbox.rows(kind="intro_request")
    assert row.state == "cancelled"
    assert not [m for m in imran.messages if "Introduction request" in (m.text or "")]


async def test_user_text_is_isolated_for_an_urdu_reader(sandbox: Sandbox, fb: BotHarness) -> None:
    """Imran reads Urdu (right to left): names and notes others typed arrive isolated, so
    Latin text keeps its order; Ana, in English, gets her notices unchanged."""
    sandbox.user(5201, "Imran", username="imran_lhr", language_code="ur")
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    await request_intro(ana, "Hello from Cluj")
    got = (await imran.expect(said(UR, "🤝 <b>Introduction request</b>"))).text or ""
    assert f"{FSI}SoftRo Automation{PDI}" in got
    assert f"{FSI}Hello from Cluj{PDI}" in got
    await imran.press(said(UR, "✅ Accept"))
    card = (await ana.expect("Introduction made: LahoreQA")).text or ""
    assert FSI not in card and PDI not in card


ROMANIAN = {"fintech": "Tehnologie financiară"}
ROMANIAN_PHRASES = {
    "outsource": "doriți să externalizați lucrări",
    "subcontract": "livrați ca subcontractant",
}


@pytest.fixture
def settings(sandbox: Sandbox, db_path: Path) -> Settings:
    """The shipped forum with Romanian labels for one sector and two intents."""
    forum: Forum = sandbox_settings(sandbox, db_path).forum
    forum = replace(
        forum,
        sectors=tuple(
            replace(s, translations={"ro": ROMANIAN[s.key]}) if s.key in ROMANIAN else s
            for s in forum.sectors
        ),
        intents=tuple(
            replace(i, phrase_translations={"ro": ROMANIAN_PHRASES[i.key]})
            if i.key in ROMANIAN_PHRASES
            else i
            for i in forum.intents
        ),
    )
    return sandbox_settings(sandbox, db_path, forum=forum)


async def test_sectors_and_intents_in_the_readers_language(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    """Ana reads Romanian: her match card, the reasons and the directory's sector filter name
    the sector and the intents as the forum file translates them; Imran, in English, reads
    the English labels."""
    sandbox.user(5101, "Ana", username="ana_softro", language_code="ro")
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    card = await answer(ana, "/matches", "LahoreQA")
    assert "Sectoare: Tehnologie financiară" in card
    assert (
        "• dumneavoastră: doriți să externalizați lucrări — ei: livrați ca subcontractant" in card
    )
    # The directory's sector filter, too.
    await ana.send("/companies")
    await ana.expect(said(RO, "🏢 <b>Companies from {country}</b>", country="🇵🇰 Pakistan"))
    await ana.press(said(RO, "🏷 Sector"))
    choices = await ana.expect(said(RO, "Which sector?"))
    assert ["Tehnologie financiară"] in choices.buttons()
    await ana.press("Tehnologie financiară")
    listing = await ana.expect(said(RO, "Sector: {sector}", sector="Tehnologie financiară"))
    assert "LahoreQA" in (listing.text or "")

    await answer(ana, "/matches", "LahoreQA")
    await ask_without_note(ana, None, RO)
    got = (await imran.expect("Introduction request")).text or ""
    assert "Sectors: Fintech" in got
    assert "• you deliver as a subcontractor — they want to outsource work" in got


async def test_accept_from_a_request_sent_before_the_codec_still_answers(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    """A request message sent by the previous version carries ``intro:acc:<id>``: pressed
    now, it accepts once, like today's button, and the request's buttons go."""
    ana, ro, imran, _pk = await pair(sandbox, fb)
    await request_intro(ana)
    request = await imran.expect("Introduction request")
    (intro,) = await fb.services.introductions.for_company(ro)
    await imran.press_data(request.message_id, f"intro:acc:{intro.id}")
    await imran.expect("You accepted the introduction with SoftRo Automation")
    await ana.expect("Introduction made: LahoreQA")
    await sandbox.wait_for(
        imran.id, lambda m: m.message_id == request.message_id and not m.buttons()
    )
    await imran.press_data(request.message_id, f"intro:dec:{intro.id}")
    await sandbox.wait_idle()
    answers = [str(c.params.get("text")) for c in sandbox.calls_of("answerCallbackQuery")]
    assert answers[-1] == "This request was already answered: ✅ accepted."
