"""/promote, /demote, /audit and /stats through the sandbox, with the role checks."""

from __future__ import annotations

import logging

import pytest

from sandbox import Sandbox
from tests.support.flows import answer, started
from tests.support.harness import ADMIN_ID, BotHarness


async def test_promote_by_username_then_demote_by_id(sandbox: Sandbox, running: BotHarness) -> None:
    admin = await started(sandbox, ADMIN_ID, "Org")
    maria = await started(sandbox, 6001, "Maria", username="maria_ro")
    await answer(maria, "/broadcast", "for the forum organisers only")

    await answer(admin, "/promote @Maria_RO", "is now an organiser")
    await maria.expect("You are now an organiser")
    await answer(maria, "/broadcast", "Send me the message")
    await answer(maria, "/cancel", "Cancelled")
    menu = sandbox.commands({"type": "chat", "chat_id": 6001})
    assert "broadcast" in [c["command"] for c in menu]

    await answer(admin, "/promote 6001", "already an organiser")
    await maria.send(f"/demote {ADMIN_ID}")  # organisers from ADMIN_IDS stay
    await maria.expect("ADMIN_IDS")
    await answer(admin, "/demote 6001", "no longer an organiser")
    await answer(admin, "/demote 6001", "Maria (@maria_ro, id 6001) is not an organiser.")
    await answer(maria, "/stats", "for the forum organisers only")

    await admin.send("/audit")
    log = await admin.expect("Audit log")
    text = log.text or ""
    assert "promote 6001 maria_ro" in text and "demote 6001" in text
    assert text.index("demote") < text.index("promote")  # newest first


async def test_promote_errors(sandbox: Sandbox, running: BotHarness) -> None:
    admin = await started(sandbox, ADMIN_ID, "Org")
    await answer(admin, "/promote", "Usage: /promote")
    await answer(admin, "/promote @nobody_here", "I don't know @nobody_here yet")
    await admin.send("/demote <b>")
    await admin.expect("I don't know <b> yet")  # shown escaped, read back as typed


async def test_non_organiser_cannot_promote_or_see_the_dashboard(
    sandbox: Sandbox, running: BotHarness
) -> None:
    eve = await started(sandbox, 6101, "Eve", username="eve")
    for command in ("/promote @eve", "/promote 6101", "/demote 900001", "/stats", "/audit"):
        await eve.send(command)
        await eve.expect("for the forum organisers only")
    user = await running.services.users.get(6101)
    assert user is not None and user.role == "participant"
    assert await running.services.audit.recent() == []
    assert not sandbox.calls_of("sendPhoto")


async def test_stats_text_and_chart(sandbox: Sandbox, running: BotHarness) -> None:
    admin = await started(sandbox, ADMIN_ID, "Org")
    ana = await started(sandbox, 6201, "Ana")
    imran = await started(sandbox, 6202, "Imran")
    db = running.services.db
    now = running.services.clock.now().isoformat()
    for cid, country, rep in (
        (1, "RO", ana.id),
        (2, "PK", imran.id),
        (3, "PK", None),
    ):
        await db.execute(
            "INSERT INTO companies (id, name, country, offers, seeks, contact_email, consent, "
            "created_at, updated_at) VALUES (?, ?, ?, 'RPA', 'AI', 'a@b.c', 1, ?, ?)",
            (cid, f"Co{cid}", country, now, now),
        )
        await db.execute(
            "INSERT INTO company_sectors (company_id, sector) VALUES (?, 'fintech')", (cid,)
        )
        await db.execute(
            "INSERT INTO company_partnerships (company_id, intent) VALUES (?, 'joint_venture')",
            (cid,),
        )
        if rep:
            await db.execute(
                "INSERT INTO company_reps (company_id, user_id, joined_at) VALUES (?, ?, ?)",
                (cid, rep, now),
            )
    await db.execute("UPDATE companies SET consent = 0 WHERE id = 3")  # not matchable
    await db.execute(
        "INSERT INTO introductions (requester_company_id, target_company_id, state, created_at,"
        " expires_at) VALUES (1, 2, 'accepted', ?, ?)",
        (now, now),
    )
    await admin.send("/stats")
    dashboard = await admin.expect("Forum dashboard")
    text = dashboard.text or ""
    assert "Users: 3" in text
    # Countries by flag and name, sectors by label: from the forum file.
    assert "Companies: 3 — 🇷🇴 Romania 1 · 🇵🇰 Pakistan 2" in text
    assert "Fintech: 3" in text
    # The one funnel (bot.services.funnel): companies with a rep in Telegram; the third
    # company has none, so it counts in no step.
    funnel = text[text.index("Funnel (companies)") : text.index("Agenda")]
    assert funnel.splitlines()[1:] == [
        "1. registered in Telegram: 2",
        "2. consented to be matched: 2 (100%)",
        "3. have a cross-border match: 2 (100%)",
        "4. requested or received an introduction: 2 (100%)",
        "5. introduction accepted: 2 (100%)",
        "6. meeting booked: 0 (0%)",
        "7. meeting held: 0 (0%)",
        "8. follow-up: talks ongoing (or agreement): 0 (0%)",
        "9. follow-up: agreement signed: 0 (0%)",
        "",
    ]
    chart = await admin.expect(lambda m: m.kind == "photo")
    assert chart.content is not None and chart.content.startswith(b"\x89PNG")


async def test_promote_and_demote_refuse_a_username_two_users_have(
    sandbox: Sandbox, running: BotHarness
) -> None:
    """A username given up by one account can be taken by another while the first is still
    on record with it; and usernames are stored as typed but compared without case."""
    admin = await started(sandbox, ADMIN_ID, "Org")
    await started(sandbox, 6301, "Old Owner", username="Twin_Name")
    await started(sandbox, 6302, "New Owner", username="twin_name")
    for command in ("/promote @twin_name", "/promote TWIN_NAME"):
        await admin.send(command)
        text = (await admin.expect("numeric id")).text or ""
        assert "2 users" in text and "changed nothing" in text
        assert "6301 — Old Owner" in text and "6302 — New Owner" in text
    users = running.services.users
    assert [(await users.get(i)).role for i in (6301, 6302)] == ["participant"] * 2  # type: ignore[union-attr]

    await answer(admin, "/promote 6302", "New Owner (@twin_name, id 6302) is now an organiser")
    await answer(admin, "/demote @Twin_Name", "numeric id")
    assert (await users.get(6302)).role == "organiser"  # type: ignore[union-attr]
    await answer(admin, "/demote 6302", "is no longer an organiser")
    assert [e.action for e in await running.services.audit.recent()] == ["demote", "promote"]


async def test_promote_and_demote_answer_odd_numbers_without_an_error(
    sandbox: Sandbox, running: BotHarness, caplog: pytest.LogCaptureFixture
) -> None:
    """A superscript digit (a digit to str.isdigit, not to int) and a number beyond SQLite's
    INTEGER name nobody: the organiser is told so, and no error is raised."""
    caplog.set_level(logging.WARNING)
    admin = await started(sandbox, ADMIN_ID, "Org")
    for command in ("/promote ²", "/demote 99999999999999999999999", "/promote -5"):
        await admin.send(command)
        await admin.expect(f"I don't know {command.split()[1]} yet")
    await sandbox.wait_idle()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert await running.services.audit.recent() == []
