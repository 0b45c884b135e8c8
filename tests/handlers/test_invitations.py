"""Claim invitations by e-mail, end to end: the organiser's /invite_unclaimed against a real
local SMTP server (aiosmtpd), the e-mail and its QR code, the record of each attempt, no
second send, the reminder after three days on a controlled clock, a bounce, a claim from
the e-mail's link; the mail-merge file without SMTP settings; the "not yet claimed" line
in /stats and in the broadcast audience step; and the command line."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import segno

from bot.clock import FakeClock
from sandbox import Sandbox, SandboxUser
from sandbox.mailbox import Mailbox
from tests.support.flows import answer, compose, press
from tests.support.harness import (
    ADMIN_ID,
    BotHarness,
    bot_env,
    bot_running,
    run_cli,
    sandbox_settings,
)

HEADER = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
)
ROWS = (
    "Alpha Apps,RO,Iași,Fintech,Payments and cards for banks,Resellers in Pakistan please,"
    "Joint venture,11–50,,Ana Alpha,ana@alpha.example,\n"
    "Beta Bytes,PK,Lahore,Fintech,Card processing and fraud checks,A partner in Romania,"
    "Joint venture,11–50,,Bilal Beta,bilal@beta.example,\n"
    "Gamma Grid,PK,Karachi,Fintech,Grid software and billing,Partners in Europe for billing,"
    "Joint venture,11–50,,,nobody@gamma.example,\n"
)
LINK = re.compile(r"https://t\.me/forumbridge_test_bot\?start=(claim_[\w-]+)")


@pytest.fixture
async def mail() -> AsyncIterator[Mailbox]:
    async with Mailbox() as box:
        yield box


@pytest.fixture
async def mailbot(
    sandbox: Sandbox, db_path: Path, clock: FakeClock, mail: Mailbox
) -> AsyncIterator[BotHarness]:
    settings = sandbox_settings(sandbox, db_path, smtp=mail.settings())
    async with bot_running(sandbox, settings, clock=clock) as bot:
        yield bot


async def imported(sandbox: Sandbox) -> SandboxUser:
    org = sandbox.user(ADMIN_ID, "Org")
    await org.send_document("companies.csv", (HEADER + ROWS).encode(), caption="/import")
    await org.expect("Imported 3 companies (3 new, 0 updated)")
    return org


async def attempts(bot: BotHarness) -> list[tuple[str, str, str, str]]:
    rows = await bot.services.db.fetchall(
        "SELECT c.name, i.kind, i.state, i.answer FROM company_invitations i "
        "JOIN companies c ON c.id = i.company_id ORDER BY i.id"
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


async def test_invitations_sent_recorded_not_repeated_reminded_and_claimed(
    sandbox: Sandbox, mailbot: BotHarness, mail: Mailbox, clock: FakeClock
) -> None:
    org = await imported(sandbox)
    mail.refuse.add("nobody@gamma.example")
    preview = await answer(org, "/invite_unclaimed", "Claim invitations")
    assert "3 imported companies are not claimed yet" in preview
    assert "• 3 get an invitation" in preview
    await press(org, "✉️ Send 3 e-mails", "Sending 3 e-mails")
    done = await org.expect("Claim invitations sent")
    text = done.text or ""
    assert "Invitations: 2" in text and "Reminders: 0" in text
    assert "1 address was refused by the mail server" in text
    assert "Gamma Grid: 550 5.1.1 <<address>>: Recipient address rejected" in text

    # What arrived at the server: one e-mail per company, with its own link and QR code.
    messages = await mail.wait_for(2)
    assert len(messages) == 2
    to_ana = mail.to("ana@alpha.example")[0]
    assert str(to_ana["To"]) == "Ana Alpha <ana@alpha.example>"
    assert str(to_ana["From"]) == "Forum organisers <forum@example.org>"
    assert to_ana["Subject"] == (
        "Romania–Pakistan IT Forum 2025: take over Alpha Apps in our Telegram bot"
    )
    body = to_ana.get_body(("plain",))
    assert body is not None
    content = body.get_content()
    assert content.startswith("Dear Ana Alpha,")
    link = LINK.search(content)
    assert link is not None
    [qr] = list(to_ana.iter_attachments())
    assert qr.get_content_type() == "image/png"
    assert qr.get_filename() == "claim-link-qr.png"
    png = qr.get_content()
    expected = io.BytesIO()
    segno.make(link.group(0), error="m").save(expected, kind="png", scale=8, border=4)
    assert png.startswith(b"\x89PNG") and png == expected.getvalue()
    links = {LINK.search(m.get_body(("plain",)).get_content()).group(1) for m in messages}  # type: ignore[union-attr]
    assert len(links) == 2

    # Each attempt is recorded; the bounce keeps the server's answer, not the address.
    recorded = await attempts(mailbot)
    assert sorted(recorded) == [
        ("Alpha Apps", "invitation", "sent", "2.0.0 Ok: queued"),
        ("Beta Bytes", "invitation", "sent", "2.0.0 Ok: queued"),
        (
            "Gamma Grid",
            "invitation",
            "bounced",
            "550 5.1.1 <<address>>: Recipient address rejected: User unknown",
        ),
    ]

    # A second run the same day sends nothing.
    again = await answer(org, "/invite_unclaimed", "Claim invitations")
    assert "• 2 were invited less than 3 days ago" in again
    assert "Nothing to send now." in again
    assert "Gamma Grid" in again  # the bounce is listed

    # Ana claims her company with the link from the e-mail.
    ana = sandbox.user(7301, "Ana")
    await answer(ana, f"/start {link.group(1)}", "You now represent Alpha Apps")

    # Three days later, the one still unclaimed gets a reminder; Ana's company does not.
    clock.advance(days=3)
    third = await answer(org, "/invite_unclaimed", "Claim invitations")
    assert "2 imported companies are not claimed yet" in third
    assert "• 1 gets a reminder (invited 3 or more days ago)" in third
    await org.press("✉️ Send 1 e-mail")
    await org.expect(lambda m: "Reminders: 1" in (m.text or ""))
    messages = await mail.wait_for(3)
    reminder = messages[2]
    assert str(reminder["To"]) == "Bilal Beta <bilal@beta.example>"
    assert reminder["Subject"].startswith("Reminder: Beta Bytes")
    assert [m for m in messages if "ana@alpha" in str(m["To"])] == [to_ana]
    # And nothing more after that: invited and reminded.
    clock.advance(days=3)
    last = await answer(org, "/invite_unclaimed", "Claim invitations")
    assert "• 1 was invited and reminded already" in last and "Nothing to send now." in last


async def test_without_smtp_the_settings_are_named_and_a_mail_merge_file_comes(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = await imported(sandbox)
    told = await answer(org, "/invite_unclaimed", "E-mail is not set up")
    for setting in ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM"):
        assert setting in told
    doc = await org.expect(lambda m: m.kind == "document")
    assert doc.filename == "claim-invitations.csv"
    rows = list(csv.DictReader(io.StringIO((doc.content or b"").decode())))
    assert [r["company"] for r in rows] == ["Alpha Apps", "Beta Bytes", "Gamma Grid"]
    assert list(rows[0]) == ["company", "contact_name", "contact_email", "claim_link"]
    assert rows[0]["contact_email"] == "ana@alpha.example"
    assert LINK.fullmatch(rows[0]["claim_link"])
    assert await running.services.db.fetchall("SELECT * FROM company_invitations") == []


async def test_stats_and_broadcast_say_how_many_are_not_claimed(
    sandbox: Sandbox, running: BotHarness
) -> None:
    org = await imported(sandbox)
    await org.send("/stats")
    stats = await org.expect("Forum dashboard")
    assert "⚠️ 3 imported companies not yet claimed (not reachable in Telegram)." in (
        stats.text or ""
    )
    assert ["✉️ Invite them by e-mail"] in stats.buttons()
    await org.press("✉️ Invite them by e-mail", message_id=stats.message_id)
    await org.expect("3 imported companies are not claimed yet")

    await compose(org)
    step = org.messages[-1]
    assert "3 imported companies not yet claimed" in (step.text or "")
    assert ["✉️ Invite them by e-mail"] in step.buttons()
    await org.press("✉️ Invite them by e-mail", message_id=step.message_id)
    await org.expect("3 imported companies are not claimed yet")
    # The broadcast goes on where it was.
    await org.press("Everyone", message_id=step.message_id)
    await org.expect("That is the preview")

    # Not for participants, whatever they press.
    eve = sandbox.user(7302, "Eve")
    await answer(eve, "/invite_unclaimed", "for the forum organisers only")


async def test_the_command_line_lists_then_sends(
    sandbox: Sandbox, tmp_path: Path, mail: Mailbox
) -> None:
    db = tmp_path / "cli.db"
    env = bot_env(sandbox, db, **mail.env())
    source = tmp_path / "companies.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    code, out, _ = await run_cli("import-companies", str(source), env=env, cwd=tmp_path)
    assert code == 0
    mail.refuse.add("nobody@gamma.example")
    code, out, _ = await run_cli("send-invitations", "--dry-run", env=env, cwd=tmp_path)
    assert code == 0
    assert "3 imported companies not claimed yet: 3 to invite" in out
    assert "invitation Alpha Apps <ana@alpha.example>" in " ".join(out.split())
    assert mail.messages == []
    code, out, err = await run_cli("send-invitations", env=env, cwd=tmp_path)
    assert code == 0, err
    assert "Sent 2 invitations and 0 reminders; 1 bounced" in out
    assert "bounced: Gamma Grid: 550 5.1.1 <<address>>" in out
    assert len(mail.messages) == 2
    code, out, _ = await run_cli("send-invitations", env=env, cwd=tmp_path)
    assert code == 0 and "Sent 0 invitations and 0 reminders" in out
    assert len(mail.messages) == 2

    # Without SMTP settings: the settings are named and the mail-merge file is written.
    plain = bot_env(sandbox, tmp_path / "other.db")
    await run_cli("import-companies", str(source), env=plain, cwd=tmp_path)
    code, out, err = await run_cli("send-invitations", env=plain, cwd=tmp_path)
    assert code == 1
    assert "SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_FROM, SMTP_STARTTLS" in err
    merged = (tmp_path / "claim-invitations.csv").read_text(encoding="utf-8")
    assert merged.splitlines()[0] == "company,contact_name,contact_email,claim_link"
    assert len(merged.splitlines()) == 4
