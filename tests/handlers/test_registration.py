"""The registration conversation end to end through the sandbox: the whole flow, every
validation error, /back, /cancel, /skip, odd input, stale and double presses, a restart in
the middle, editing one field from the summary, and 50 users registering at once."""

from __future__ import annotations

import asyncio

from bot.config import Settings
from sandbox import Sandbox, SandboxUser
from tests.support.flows import (
    OFFERS,
    SEEKS,
    answer,
    begin_registration,
    choose,
    finish_registration,
    last_button,
    press,
    refused,
    register,
    registered_company,
    send_sticker,
    started,
    tick,
)
from tests.support.harness import BotHarness, bot_running


async def test_full_registration(sandbox: Sandbox, running: BotHarness) -> None:
    ana = await started(sandbox, 3001, "Ana")
    await press(ana, "📝 Register my company", "Step 1 of 12")
    company = await registered_company(running, ana, "Ștefan & Țară <b>Soft</b> ăâî 🚀")
    assert company.name == "Ștefan & Țară <b>Soft</b> ăâî 🚀"
    # Stored by the forum file's code and keys.
    assert company.country == "RO" and company.city == "Cluj-Napoca"
    assert company.sectors == ("cyber", "rpa")
    assert company.offers == OFFERS and company.seeks == SEEKS
    assert company.partnerships == ("find_resellers",)
    assert company.size == "11–50"
    assert company.website == "https://carpathian.example"
    assert company.contact_phone == "+40721234567"
    assert company.consent and company.matchable
    user = await running.services.users.get(3001)
    assert user is not None and user.timezone == "Europe/Bucharest"
    # The summary card showed everything exactly as typed.
    card = next(m for m in ana.messages if "Registered." in (m.text or ""))
    assert "Ștefan & Țară <b>Soft</b> ăâî 🚀" in card.text
    assert OFFERS in card.text and SEEKS in card.text
    assert card.buttons() == []


async def test_pakistani_urdu_name_and_optional_skips(
    sandbox: Sandbox, running: BotHarness
) -> None:
    imran = sandbox.user(3002, "Imran")
    await register(
        imran,
        "سندھ ڈیٹا ورکس",
        country="🇵🇰 Pakistan",
        city=None,
        website=None,
        phone=None,
        sectors=("Artificial intelligence & data",),
        intents=("Deliver services as a subcontractor", "R&D collaboration"),
    )
    company = await running.services.companies.by_rep(3002)
    assert company is not None and company.name == "سندھ ڈیٹا ورکس"
    assert company.city is None and company.website is None and company.contact_phone is None
    assert company.partnerships == ("subcontract", "rnd")
    user = await running.services.users.get(3002)
    assert user is not None and user.timezone == "Asia/Karachi"


async def test_validation_errors_reask(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(3003, "Val")
    await answer(u, "/register", "Step 1 of 12")
    text = await answer(u, "X", "at least 2 characters")
    assert "Step 1 of 12" in text and "Example" in text
    text = await answer(u, "x" * 10_000, "10,000 characters")
    assert "limit" in text and "100" in text
    await answer(u, "Valid Name", "Step 2 of 12")
    # Text where a button is expected.
    await answer(u, "Romania", "choose with the buttons")
    await press(u, "🇷🇴 Romania", "Step 3 of 12")
    await answer(u, "12345", "no digits")
    await answer(u, "Iași", "Step 4 of 12")
    await u.press("✅ Done (0 chosen)")
    await asyncio.sleep(0.1)
    assert "Step 5" not in (u.last.text or "")
    for sector in ("Telecom", "Fintech", "Edtech", "Blockchain", "Healthtech"):
        await tick(u, sector)
    await u.press("Cybersecurity")  # a sixth: refused with an alert, nothing changes
    await asyncio.sleep(0.1)
    answers = [c for c in sandbox.calls_of("answerCallbackQuery") if c.params.get("text")]
    assert "up to 5" in answers[-1].params["text"]
    await press(u, "✅ Done (5 chosen)", "Step 5 of 12")
    await answer(u, "short", "at least 10 characters")
    await answer(u, "y" * 10_000, "10,000 characters; the limit for what you offer is 1,000")
    await answer(u, "We build fintech apps", "Step 6 of 12")
    await answer(u, "We seek resellers abroad", "Step 7 of 12")
    await choose(u, ("Joint venture",), "Step 8 of 12")
    await press(u, "1000+", "Step 9 of 12")
    await answer(u, "ftp://files.example", "http:// or https://")
    await refused(u, ("https://", "not a url at all"), "host name")
    await answer(u, "http://valid.example/path", "Contact person")
    await answer(u, "Ioana", "Contact email")
    await refused(u, ("not-an-email", "a@b"), "not an email")
    await answer(u, "ioana@valid.example", "Phone")
    await refused(u, ("+1 000 000 0000", "0721 234"), "not a valid phone number")
    # A Romanian company's number as dialled in Romania.
    await answer(u, "0721 234 567", "Step 11 of 12")
    await press(u, "✅ I agree", "Step 12 of 12")
    await press(u, "✅ Confirm", "is registered")
    company = await running.services.companies.by_rep(3003)
    assert company is not None and len(company.sectors) == 5
    assert company.contact_phone == "+40721234567"


async def test_back_keeps_answers_and_skip_only_where_optional(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(3004, "Back")
    await answer(u, "/register", "Step 1 of 12")
    await answer(u, "/back", "first step")
    await answer(u, "/skip", "can't be skipped")
    await answer(u, "Back Office SRL", "Step 2 of 12")
    text = await answer(u, "/back", "Step 1 of 12")
    assert "Back Office SRL" in text  # the earlier answer is shown, kept
    await answer(u, "Back Office Two", "Step 2 of 12")
    await press(u, "🇷🇴 Romania", "Step 3 of 12")
    await answer(u, "/back", "Step 2 of 12")
    await press(u, "🇵🇰 Pakistan", "Step 3 of 12")
    await answer(u, "/skip", "Step 4 of 12")
    await tick(u, "Telecom")
    await answer(u, "/back", "Step 3 of 12")
    await answer(u, "Karachi", "Step 4 of 12")
    # The sectors chosen before going back are still ticked.
    assert "✓ Telecom" in str(u.last.buttons())


async def test_cancel_at_several_steps_saves_nothing(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(3005, "Cancel")
    await answer(u, "/register", "Step 1 of 12")
    await answer(u, "/cancel", "Nothing was saved")
    await begin_registration(u, "Cancel Co", "🇷🇴 Romania", "Bucharest")
    await answer(u, "/cancel", "Nothing was saved")
    # The country menu of the cancelled registration is dead.
    await u.press("Telecom")
    await asyncio.sleep(0.1)
    last = sandbox.calls_of("answerCallbackQuery")[-1]
    assert "expired" in last.params.get("text", "")
    await register(u, "Cancel Co", confirm=False)
    await press(u, "✖️ Cancel", "Nothing was saved")
    assert await running.services.companies.by_rep(3005) is None
    assert await running.services.companies.all() == []


async def test_odd_input_gets_polite_reask(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(3006, "Odd")
    await answer(u, "/register", "Step 1 of 12")
    await u.send_message(photo=[{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])
    text = (await u.expect("text message")).text
    assert "Step 1 of 12" in text
    await u.send_message(voice={"file_id": "v", "file_unique_id": "v", "duration": 1})
    await u.expect("text message")
    await u.send_document("x.csv", b"a,b", caption=None)
    await u.expect("text message")
    await answer(u, "Odd Input Ltd", "Step 2 of 12")
    await send_sticker(u, "choose with the buttons")


async def test_double_confirm_registers_once_and_old_menu_expires(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(3007, "Twice")
    await register(u, "Twice Ltd", confirm=False)
    summary_id, data = last_button(u, "✅ Confirm")
    await u.press_data(summary_id, data)
    await u.press_data(summary_id, data)
    await u.expect("is registered")
    await sandbox.wait_idle()
    assert len(await running.services.companies.all()) == 1
    registered = [m for m in u.messages if "is registered" in (m.text or "")]
    assert len(registered) == 1
    answers = [c.params.get("text", "") for c in sandbox.calls_of("answerCallbackQuery")]
    assert any("expired" in a for a in answers)
    # A second registration is turned into an offer to edit.
    await answer(u, "/register", "already represent")
    assert ["✏️ Edit my company"] in u.last.buttons()


async def test_restart_resumes_same_step_with_answers(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(3008, "Restart")
    await begin_registration(u, "Restart Tech", "🇵🇰 Pakistan", "Lahore")
    await tick(u, "Fintech")
    await running.restart()
    # The live menu still works after the restart.
    await press(u, "✅ Done (1 chosen)", "Step 5 of 12")
    await answer(u, "/back", "Step 4 of 12")
    assert "✓ Fintech" in str(u.last.buttons())
    await press(u, "✅ Done (1 chosen)", "Step 5 of 12")
    await answer(u, "Payments integration services", "Step 6 of 12")
    await running.restart()
    await answer(u, "Partners for lending software", "Step 7 of 12")
    await choose(u, ("Joint venture",), "Step 8 of 12")
    await press(u, "51–200", "Step 9 of 12")
    await finish_registration(
        u, website=None, contact="Bilal", email="bilal@restart.example", phone=None
    )
    company = await running.services.companies.by_rep(3008)
    assert company is not None
    assert (company.name, company.country, company.city) == ("Restart Tech", "PK", "Lahore")
    assert company.sectors == ("fintech",) and company.offers == "Payments integration services"


async def test_edit_one_field_from_summary(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(3009, "Edit")
    await register(u, "Edit Me SRL", confirm=False)
    await press(u, "✏️ Edit a field", "Which field")
    await press(u, "Seeks", "What you seek")
    text = await answer(u, "A brand new request for partners", "Step 12 of 12")
    assert "A brand new request for partners" in text
    await press(u, "✏️ Edit a field", "Which field")
    await press(u, "Size", "How many people")
    await press(u, "1000+", "Step 12 of 12")
    await press(u, "✅ Confirm", "is registered")
    company = await running.services.companies.by_rep(3009)
    assert company is not None
    assert company.seeks == "A brand new request for partners" and company.size == "1000+"
    assert company.offers == OFFERS


async def test_not_agreeing_registers_but_not_matchable(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(3010, "NoConsent")
    await register(u, "Private Ltd", agree=False)
    company = await running.services.companies.by_rep(3010)
    assert company is not None and not company.consent and not company.matchable


async def test_same_name_and_country_is_refused(sandbox: Sandbox, running: BotHarness) -> None:
    await register(sandbox.user(3011, "First"), "Twin Soft")
    u = sandbox.user(3012, "Second")
    await answer(u, "/register", "Step 1 of 12")
    await answer(u, "twin soft", "Step 2 of 12")
    text = await press(u, "🇷🇴 Romania", "already registered")
    assert "Step 1 of 12" in text
    # Same name in the other country is a different company.
    await answer(u, "Twin Soft", "Step 2 of 12")
    await press(u, "🇵🇰 Pakistan", "Step 3 of 12")


async def test_fifty_users_at_once_keep_their_own_answers(
    sandbox: Sandbox, settings: Settings
) -> None:
    # Without the rate limiter: its 30 messages/s would make this test about waiting.
    async with bot_running(sandbox, settings, rate_limiter=False) as running:
        await _fifty(sandbox, running)


async def _fifty(sandbox: Sandbox, running: BotHarness) -> None:
    users = [sandbox.user(5000 + i, f"Rep{i}") for i in range(50)]

    async def one(i: int, u: SandboxUser) -> None:
        await register(
            u,
            f"Parallel {i} SRL",
            country="🇷🇴 Romania" if i % 2 else "🇵🇰 Pakistan",
            city=f"City{'ab'[i % 2]}",
            sectors=("Telecom",),
            offers=f"Offer text of company {i}",
            seeks=f"Seek text of company {i}",
            website=None,
            contact=f"Contact {i}",
            email=f"rep{i}@parallel.example",
            phone=None,
            timeout=30,  # fifty at once on a loaded machine: order matters here, not speed
        )

    await asyncio.gather(*(one(i, u) for i, u in enumerate(users)))
    for i in range(50):
        company = await running.services.companies.by_rep(5000 + i)
        assert company is not None
        assert company.name == f"Parallel {i} SRL"
        assert company.offers == f"Offer text of company {i}"
        assert company.contact_email == f"rep{i}@parallel.example"
        assert company.country == ("RO" if i % 2 else "PK")
