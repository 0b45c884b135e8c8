"""Profiles end to end: /profile, editing one field, pause/resume, invitations and joining,
forged buttons, leaving and deleting, /mydata and /deleteme."""

from __future__ import annotations

import asyncio
import json
import re

from handlers.callbacks import DeleteMe, ProfileAct, ProfileEdit
from sandbox import Sandbox, SandboxUser
from tests.support.flows import (
    answer,
    document,
    edit_field,
    last_button,
    press,
    register,
    registered_company,
    request_intro,
    tick,
)
from tests.support.harness import BotHarness
from tests.support.matchkit import pair


async def test_profile_card_escapes_and_offers_actions(
    sandbox: Sandbox, running: BotHarness
) -> None:
    u = sandbox.user(4001, "Ana")
    await answer(u, "/profile", "not registered a company")
    await register(u, "A&B <i>Soft</i> ș")
    text = await answer(u, "/profile", "A&B <i>Soft</i> ș")
    assert "Cluj-Napoca" in text and "Reps in Telegram: 1" in text
    assert u.last.buttons() == [
        ["✏️ Edit", "⏸ Pause matching"],
        ["👥 Invite a colleague"],
        ["🗑 Delete company"],
    ]


async def test_edit_one_field_only_that_step(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(4002, "Edit")
    await register(u, "Editable SRL")
    await answer(u, "/profile", "Editable SRL")
    await edit_field(u, "City", "Edit · City")
    await answer(u, "1", "at least 2 characters")
    await answer(u, "Timișoara", "Saved: City")
    company = await running.services.companies.by_rep(4002)
    assert company is not None and company.city == "Timișoara"
    assert company.name == "Editable SRL"
    await press(u, "Sectors", "Edit · Sectors")
    await tick(u, "Fintech")
    await press(u, "✅ Done (3 chosen)", "Saved: Sectors")
    await press(u, "✅ Done", "up to date")
    company = await running.services.companies.by_rep(4002)
    assert company is not None
    assert company.sectors == ("cyber", "fintech", "rpa")


async def test_pause_resume_and_double_press(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(4003, "Pause")
    await register(u, "Pausable SRL")
    await answer(u, "/profile", "Pausable SRL")
    card_id, pause = last_button(u, "⏸ Pause matching")
    await u.press_data(card_id, pause)
    await u.expect("Matching is paused")
    await u.press_data(card_id, pause)  # a second press changes nothing
    await sandbox.wait_idle()
    company = await running.services.companies.by_rep(4003)
    assert company is not None and company.paused and not company.matchable
    answers = [c.params.get("text", "") for c in sandbox.calls_of("answerCallbackQuery")]
    assert answers[-2:] == ["Matching paused.", "Already paused."]
    await u.press("▶️ Resume matching")
    await u.expect(lambda m: "▶️ Resume matching" not in str(m.buttons()) and "Pausable" in m.text)
    company = await running.services.companies.by_rep(4003)
    assert company is not None and not company.paused


async def test_forged_callback_for_another_company_is_refused(
    sandbox: Sandbox, running: BotHarness
) -> None:
    victim = sandbox.user(4004, "Victim")
    await register(victim, "Victim SRL")
    attacker = sandbox.user(4005, "Attacker")
    await register(attacker, "Attacker SRL", country="🇵🇰 Pakistan")
    target = await running.services.companies.by_rep(4004)
    assert target is not None
    await answer(attacker, "/profile", "Attacker SRL")
    mid = attacker.last.message_id  # type: ignore[union-attr]
    for data in (
        ProfileAct(target.id, "pause").pack(),
        ProfileAct(target.id, "delete_yes").pack(),
        ProfileEdit(target.id).pack(),
        DeleteMe(4004, True).pack(),
    ):
        await attacker.press_data(mid, data)
    await sandbox.wait_idle()
    answers = [c.params.get("text", "") for c in sandbox.calls_of("answerCallbackQuery")]
    assert answers[-4:] == [
        "You can't change that company.",
        "You can't change that company.",
        "You can't edit that company.",
        "You can't change that company.",
    ]
    fresh = await running.services.companies.get(target.id)
    assert fresh is not None and not fresh.paused
    assert await running.services.users.get(4004) is not None


def _link(text: str) -> str:
    found = re.search(r"https://t\.me/\w+\?start=(join_[\w-]+)", text)
    assert found, text
    return found.group(1)


async def invite(u: SandboxUser) -> str:
    await answer(u, "/profile", "Reps in Telegram")
    return _link(await press(u, "👥 Invite a colleague", "Send this link"))


async def test_invite_and_join_then_colleague_edits_and_last_leaves(
    sandbox: Sandbox, running: BotHarness, clock: object
) -> None:
    ana = sandbox.user(4006, "Ana")
    await register(ana, "Team SRL")
    payload = await invite(ana)
    dan = sandbox.user(4007, "Dan")
    await answer(dan, f"/start {payload}", "You now represent")
    company = await running.services.companies.by_rep(4007)
    assert company is not None and company.name == "Team SRL"
    assert await running.services.companies.reps(company.id) == [4006, 4007]
    await ana.expect("Dan joined")  # through the outbox
    # One-time: a third person cannot use the same link.
    eve = sandbox.user(4008, "Eve")
    await answer(eve, f"/start {payload}", "not valid")
    await eve.expect("Welcome")
    assert await running.services.companies.by_rep(4008) is None
    # The colleague can edit.
    await answer(dan, "/profile", "Reps in Telegram: 2")
    await edit_field(dan, "Website", "Edit · Website")
    await answer(dan, "https://team.example", "Saved: Website")
    await answer(dan, "/cancel", "Cancelled")
    fresh = await running.services.companies.get(company.id)
    assert fresh is not None and fresh.website == "https://team.example"
    # Leaving: colleagues keep the company; the last rep leaving deletes it.
    await answer(dan, "/profile", "Reps in Telegram: 2")
    await press(dan, "🚪 Leave company", "Leave")
    await press(dan, "Yes, leave", "You left")
    assert await running.services.companies.get(company.id) is not None
    await answer(ana, "/deleteme", "only rep")
    await press(ana, "🗑 Yes, delete everything", "Deleted")
    assert await running.services.companies.get(company.id) is None


async def test_expired_invitation(sandbox: Sandbox, running: BotHarness) -> None:
    ana = sandbox.user(4009, "Ana")
    await register(ana, "Expiry SRL")
    payload = await invite(ana)
    token = payload.removeprefix("join_")
    await running.services.db.execute(
        "UPDATE company_links SET expires_at = '2000-01-01T00:00:00+00:00' WHERE token = ?",
        (token,),
    )
    bob = sandbox.user(4010, "Bob")
    await answer(bob, f"/start {payload}", "expired")
    assert await running.services.companies.by_rep(4010) is None
    # A rep of another company cannot join a second one.
    payload = await invite(ana)
    await register(bob, "Bob Ltd", country="🇵🇰 Pakistan")
    await answer(bob, f"/start {payload}", "already represent")


async def test_delete_company_for_all_reps(sandbox: Sandbox, running: BotHarness) -> None:
    ana = sandbox.user(4011, "Ana")
    await register(ana, "Doomed SRL")
    payload = await invite(ana)
    dan = sandbox.user(4012, "Dan")
    await answer(dan, f"/start {payload}", "You now represent")
    await answer(ana, "/profile", "Doomed SRL")
    await press(ana, "🗑 Delete company", "cannot be undone")
    confirm_id, data = last_button(ana, "Yes, delete it")
    await ana.press_data(confirm_id, data)
    await ana.expect("was deleted")
    await ana.press_data(confirm_id, data)  # again: nothing left to act on
    await dan.expect("was deleted by your colleague")
    assert await running.services.companies.all() == []
    await answer(dan, "/profile", "not registered")


async def test_mydata_contains_everything(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(4013, "Data", username="data_ro")
    await register(u, "Data <b>SRL</b>")
    await u.send("/mydata")
    doc = await u.expect(lambda m: m.kind == "document")
    assert doc.filename == "forumbridge-mydata-4013.json" and doc.content
    data = json.loads(doc.content)
    tables = data["tables"]
    assert tables["users"][0]["username"] == "data_ro"
    assert tables["users"][0]["timezone"] == "Europe/Bucharest"
    company = tables["companies"][0]
    assert company["name"] == "Data <b>SRL</b>" and company["contact_email"]
    # As stored: the forum file's keys.
    assert {r["sector"] for r in tables["company_sectors"]} == {"cyber", "rpa"}
    assert tables["company_reps"][0]["user_id"] == 4013
    assert tables["company_partnerships"]


def mentions(data: object, *values: str) -> list[str]:
    """Which of the values occur in the export, numbers only as whole numbers."""
    text = json.dumps(data, ensure_ascii=False)
    return [v for v in values if re.search(rf"(?<!\w){re.escape(v)}(?!\w)", text)]


async def test_mydata_shows_the_other_side_as_public_card_until_accepted(
    sandbox: Sandbox, fb: BotHarness
) -> None:
    ana, _ro, imran, _pk = await pair(sandbox, fb)
    ana_contacts = ("5101", "ana_softro", "hello@softro.example", "Contact of SoftRo Automation")
    imran_contacts = ("5201", "imran_lhr", "hello@lahoreqa.example", "Contact of LahoreQA")
    await request_intro(ana, "Hello from Cluj")
    await imran.expect("Introduction request")
    asked = json.loads(await document(imran, "/mydata"))
    assert mentions(asked, *ana_contacts) == []
    [intro] = asked["tables"]["introductions"]
    assert intro["other_company"]["name"] == "SoftRo Automation"
    assert intro["note"] == "Hello from Cluj" and "contact_card" not in intro
    assert mentions(json.loads(await document(ana, "/mydata")), *imran_contacts) == []

    await press(imran, "✅ Accept", "You accepted")
    await ana.expect("Introduction made")
    # Both said yes: now each side's export has the other's contact card.
    [intro] = json.loads(await document(imran, "/mydata"))["tables"]["introductions"]
    assert intro["contact_card"]["contact_email"] == "hello@softro.example"
    assert intro["contact_card"]["telegram"] == "@ana_softro"
    [intro] = json.loads(await document(ana, "/mydata"))["tables"]["introductions"]
    assert intro["contact_card"]["contact_email"] == "hello@lahoreqa.example"


async def test_deleteme_erases_user_and_company(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(4014, "Gone")
    company = await registered_company(running, u, "Gone SRL")
    await answer(u, "/deleteme", "Are you sure")
    await press(u, "No, keep my data", "Nothing was deleted")
    assert await running.services.users.get(4014) is not None
    await answer(u, "/deleteme", "Are you sure")
    text = await press(u, "🗑 Yes, delete everything", "Deleted")
    assert "Gone SRL" in text and "last rep" in text
    assert await running.services.companies.get(company.id) is None
    assert await running.services.users.get(4014) is None
    await asyncio.sleep(1.2)  # one persistence flush
    rows = await running.services.db.fetchall(
        "SELECT * FROM ptb_user_data WHERE user_id = ?", (4014,)
    )
    assert rows == []
    # They can start again from scratch.
    await answer(u, "/register", "Step 1 of 12")
    assert await running.services.users.get(4014) is not None


async def test_deleteme_mid_registration_ends_it(sandbox: Sandbox, running: BotHarness) -> None:
    u = sandbox.user(4015, "Mid")
    await answer(u, "/register", "Step 1 of 12")
    await answer(u, "Half Done", "Step 2 of 12")
    await answer(u, "/deleteme", "Are you sure")
    await press(u, "🗑 Yes, delete everything", "Deleted")
    await answer(u, "/register", "Step 1 of 12")
    await answer(u, "New Start", "Step 2 of 12")
