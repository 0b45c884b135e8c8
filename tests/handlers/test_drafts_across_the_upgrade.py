"""Conversations in progress when the bot is upgraded to the forum file: a registration
draft and a broadcast draft saved by the previous version name countries, sectors and
intents by name. They finish as if they had been started today (codes and keys)."""

from __future__ import annotations

from dataclasses import asdict

from sandbox import Sandbox
from tests.support.flows import compose, is_report, press, register
from tests.support.harness import ADMIN_ID, BotHarness
from tests.support.matchkit import company, rep


async def test_a_registration_draft_with_names_is_stored_by_code_and_keys(
    sandbox: Sandbox, running: BotHarness
) -> None:
    ana = await rep(sandbox, 8301, "Ana")
    await register(ana, "Old Draft SRL", confirm=False)
    assert running.app is not None
    draft = running.app.user_data[8301]["draft"]
    # What the previous version kept (and its persistence stored): a dict with the
    # conversation's place under "_" keys, and names where codes and keys are now.
    running.app.user_data[8301]["draft"] = {
        **asdict(draft.profile),
        "_mode": "new",
        "_step": draft.step,
        "_menu": draft.menu,
        "_after": draft.after,
        "country": "Romania",
        "sectors": ["Cybersecurity", "RPA & automation"],
        "partnerships": ["Find resellers / distributors"],
    }
    await press(ana, "✅ Confirm", "is registered")
    stored = await running.services.companies.by_rep(8301)
    assert stored is not None
    assert (stored.country, stored.sectors, stored.partnerships) == (
        "RO",
        ("cyber", "rpa"),
        ("find_resellers",),
    )


async def test_a_broadcast_draft_with_a_country_name_reaches_that_country(
    sandbox: Sandbox, running: BotHarness
) -> None:
    organiser = await rep(sandbox, ADMIN_ID, "Org")
    ana, imran = await rep(sandbox, 8401, "Ana"), await rep(sandbox, 8402, "Imran")
    await company(running, ana.id, "SoftRo", "Romania")
    await company(running, imran.id, "LahoreQA", "Pakistan")
    await compose(organiser, "Only for <b>Romania</b>")
    await press(organiser, "🇷🇴 Romania", "That is the preview")
    assert running.app is not None
    draft = running.app.user_data[ADMIN_ID]["broadcast_draft"]
    assert draft["audience"] == {"kind": "country", "value": "RO"}
    draft["audience"] = {"kind": "country", "value": "Romania"}  # as saved before
    await organiser.press("✅ Send now")
    await organiser.expect(is_report, timeout=10)
    await ana.expect("Only for Romania")
    record = (await running.services.broadcasts.recent())[0]
    assert record.recipients == 1 and record.audience.value == "RO"
    assert not [m for m in imran.messages if "Only for" in (m.text or "")]
