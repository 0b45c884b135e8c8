"""A Romanian-speaking rep and an Urdu-speaking rep, end to end through the running bot:
registration, matches, an introduction between them (each reading their own language),
/agenda with a reminder, and an organiser's broadcast. What people typed is never
translated; in Urdu it sits inside bidi isolates.

Expected texts come from the catalogues (``texts(language)``), so the test follows the
translators' wording; a few are spelled out to prove the catalogue is really Romanian and
Urdu."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.clock import FakeClock
from bot.domain.agenda import SessionInput, keys_in
from handlers.i18n import Texts
from sandbox import Sandbox, SandboxUser, SentMessage
from tests.support.flows import answer, ask_without_note, press, tick
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.languages import FSI, PDI, RO, UR, said

SESSION = "Opening remarks & welcome"
BROADCAST = "The B2B room opens at 12:00."


def step(tx: Texts, n: int) -> str:
    """``Pasul 3 din 12``: the head of a registration step, without its title."""
    return said(tx, "<b>Step {n} of {total} · {title}</b>", n=n, total=12, title="").rstrip(" ·")


def has(part: str) -> object:
    return lambda message: part in (message.text or "")


async def register(
    harness: BotHarness,
    user: SandboxUser,
    tx: Texts,
    *,
    name: str,
    country: str,
    city: str,
    sectors: tuple[str, ...],
    offers: str,
    seeks: str,
    intent: str,
    email: str,
    contact: str,
) -> None:
    """The whole registration in the reader's language: each step's head, each button's
    label and the forum's country, sector and intent names are the reader's."""
    forum = harness.services.forum
    await press(user, said(tx, "📝 Register my company"), has(step(tx, 1)))
    await answer(user, name, has(step(tx, 2)))
    await press(user, forum.flag_and_name(country, tx.language), has(step(tx, 3)))
    await answer(user, city, has(step(tx, 4)))
    for key in sectors:
        await tick(user, forum.sector_label(key, tx.language))
    await press(
        user, tx.n_("✅ Done ({n} chosen)", "✅ Done ({n} chosen)", len(sectors)), has(step(tx, 5))
    )
    await answer(user, offers, has(step(tx, 6)))
    await answer(user, seeks, has(step(tx, 7)))
    await tick(user, forum.intent_label(intent, tx.language))
    await press(user, tx.n_("✅ Done ({n} chosen)", "✅ Done ({n} chosen)", 1), has(step(tx, 8)))
    await press(user, "51–200", has(step(tx, 9)))
    await answer(user, "/skip", has(said(tx, "Contact person")))
    await answer(user, contact, has(said(tx, "Contact email")))
    await answer(user, email, has(said(tx, "Phone")))
    await answer(user, "/skip", has(step(tx, 11)))
    await press(user, said(tx, "✅ I agree"), has(step(tx, 12)))
    assert name in await press(user, said(tx, "✅ Confirm"), has("🎉"))


def isolated(text: str, typed: str) -> bool:
    return f"{FSI}{typed}{PDI}" in text


async def test_a_romanian_and_an_urdu_rep_each_read_their_language(
    sandbox: Sandbox, fb: BotHarness, clock: FakeClock
) -> None:
    ioana = sandbox.user(7101, "Ioana", language_code="ro-RO")
    bilal = sandbox.user(7201, "Bilal", language_code="ur")
    await ioana.send("/start")
    welcome_ro = await ioana.expect(has("ForumBridge"))
    await bilal.send("/start")
    welcome_ur = await bilal.expect(has("ForumBridge"))
    assert ["📝 Înregistrați compania"] in welcome_ro.buttons()
    assert ["📝 اپنی کمپنی رجسٹر کریں"] in welcome_ur.buttons()

    # -- registration, each in their own language --------------------------------------
    await register(
        fb,
        ioana,
        RO,
        name="Carpați Automation SRL",
        country="RO",
        city="Cluj-Napoca",
        sectors=("rpa",),
        offers="RPA consulting and UiPath bots for bank back offices",
        seeks="A partner for outsourced QA testing of our automation projects",
        intent="outsource",
        email="ioana@carpati.example",
        contact="Ioana Popescu",
    )
    await register(
        fb,
        bilal,
        UR,
        name="Indus QA Labs",
        country="PK",
        city="Lahore",
        sectors=("rpa",),
        offers="Outsourced QA testing and test automation teams for banks",
        seeks="RPA consulting know-how for our banking clients",
        intent="subcontract",
        email="bilal@indusqa.example",
        contact="Bilal Ahmed",
    )
    assert "Pasul 1 din 12" in step(RO, 1)  # the catalogue really is Romanian

    # -- matches: each sees the other, in their own words -------------------------------
    await ioana.send("/matches")
    card_ro = await ioana.expect(has("Indus QA Labs"))
    assert said(RO, "🤝 Request introduction") in str(card_ro.buttons())
    # The reasons are the forum's phrases in Romanian, not stored English sentences.
    subcontract = fb.services.forum.intent("subcontract")
    assert subcontract is not None
    assert subcontract.phrase_in("ro") in (card_ro.text or "")
    assert (card_ro.text or "").startswith("Potrivirea 1 din 1")
    await bilal.send("/matches")
    card_ur = await bilal.expect(has("Carpați Automation SRL"))
    # A Latin company name inside Urdu text is isolated, so it reads in the right order.
    assert isolated(card_ur.text or "", "Carpați Automation SRL")

    # -- the introduction: Ioana asks in Romanian, Bilal is asked in Urdu ----------------
    await ask_without_note(ioana, has("Indus QA Labs"), RO)
    request = await bilal.expect(has(said(UR, "🤝 <b>Introduction request</b>")))
    assert isolated(request.text or "", "Carpați Automation SRL")
    assert "ioana@carpati.example" not in (request.text or "")  # no contacts before a yes
    await bilal.press(said(UR, "✅ Accept"))
    card_for_bilal = await bilal.expect(
        has(said(UR, "🎉 <b>Introduction made: {name}</b>", name=UR.user("Carpați Automation SRL")))
    )
    assert "ioana@carpati.example" in (card_for_bilal.text or "")
    card_for_ioana = await ioana.expect(
        has(said(RO, "🎉 <b>Introduction made: {name}</b>", name="Indus QA Labs"))
    )
    assert "bilal@indusqa.example" in (card_for_ioana.text or "")

    # -- the agenda and a reminder, each in their own language --------------------------
    services = fb.services
    start = clock.now() + timedelta(minutes=15, seconds=2)
    await services.agenda.apply_import(
        [
            SessionInput(
                title=SESSION, starts_at=start, ends_at=start + timedelta(minutes=30), link=None
            )
        ],
        now=clock.now(),
        key=keys_in(services.settings.tz),
    )
    await services.reminders.rebuild(late=False)
    for user, tx, zone in ((ioana, RO, "București"), (bilal, UR, "کراچی")):
        await user.send("/agenda")
        listing = await user.expect(has(SESSION))
        assert zone in (listing.text or "")
        await user.press(said(tx, "🔔 Subscribe to all"))
        await user.expect(has("1"))
    reminder_ro = await sandbox.wait_for(ioana.id, "⏰", timeout=6)
    reminder_ur = await sandbox.wait_for(bilal.id, "⏰", timeout=6)
    assert "15 minute" in (reminder_ro.text or "") and SESSION in (reminder_ro.text or "")
    assert "15 منٹ" in (reminder_ur.text or "") and isolated(reminder_ur.text or "", SESSION)

    # -- a broadcast: the organiser's words as written, the framing in each language ----
    org = sandbox.user(ADMIN_ID, "Org")
    await answer(org, "/broadcast", "Send me the message")
    await org.send(BROADCAST)
    await org.expect("Who should get it?")
    await org.press("Everyone")
    await org.expect(lambda m: "Send now" in str(m.buttons()))
    await org.press("✅ Send now")
    for user in (ioana, bilal):
        got: SentMessage = await user.expect(has(BROADCAST), timeout=10)
        assert got.text is not None
    # An organiser's command refused, and /cancel in a conversation: in their language too.
    await ioana.send("/stats")
    await ioana.expect(said(RO, "Sorry, this is for the forum organisers only."))
    await bilal.send("/timezone")
    await bilal.expect(lambda m: bool(m.buttons()))
    await bilal.send("/cancel")
    await bilal.expect(said(UR, "Cancelled. Nothing was saved. Send /help to see what you can do."))
    assert_every_message_in_its_language(sandbox, ioana.id, bilal.id, BROADCAST)


def assert_every_message_in_its_language(
    sandbox: Sandbox, romanian: int, urdu: int, broadcast: str
) -> None:
    """No English sentence of the bot reached either of them: every message Bilal got has
    Urdu letters (but the organiser's broadcast, sent as written); none Ioana got carries an
    English phrase of the bot."""
    for message in sandbox.messages(urdu):
        text = message.text or ""
        if text == broadcast:
            continue
        assert re.search(r"[\u0600-\u06ff]", text) or not re.search(r"[A-Za-z]{4}", text), text
    english = ("Step 1 of", "Why you match", "Introduction made", "starts in", "Subscribed")
    for message in sandbox.messages(romanian):
        assert not any(phrase in (message.text or "") for phrase in english), message.text
