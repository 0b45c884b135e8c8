"""The invitation service on its own, against a real local SMTP server: sends are paced to
SMTP_RATE (the pauses asked for are recorded, nothing sleeps), and a server that cannot be
reached leaves no attempt behind."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

from bot.clock import FakeClock
from bot.config import Settings
from bot.services.container import Services
from bot.services.invitations import InvitationService
from sandbox.mailbox import Mailbox
from storage.db import Database

CSV = (
    "name,country,city,sectors,offers,seeks,partnerships,size,website,contact_name,"
    "contact_email,telegram_username\n"
    + "".join(
        f"Firm {n},RO,Iași,Fintech,Payments and cards for banks,Resellers in Pakistan please,"
        f"Joint venture,11–50,,,firm{n}@example.org,\n"
        for n in range(1, 4)
    )
)


async def _services(tmp_path: Path, smtp: object) -> Services:
    db = await Database.open(tmp_path / "inv.db")
    settings = Settings(bot_token="1:x", database_path=tmp_path / "inv.db", smtp=smtp)  # type: ignore[arg-type]
    services = await Services.open(settings, db, FakeClock())
    await services.company_files.import_text(CSV)
    return services


async def test_sends_are_paced_to_the_rate(tmp_path: Path) -> None:
    async with Mailbox() as mail:
        services = await _services(tmp_path, replace(mail.settings(), rate_per_minute=120))
        pauses: list[float] = []

        async def sleep(seconds: float) -> None:
            pauses.append(seconds)

        try:
            report = await InvitationService(services, sleep=sleep).send("forum_bot")
        finally:
            await services.db.close()
    assert report.invitations == 3
    assert len(mail.messages) == 3
    # 120 a minute: half a second between two e-mails, none before the first.
    assert pauses == [0.5, 0.5]


async def test_an_unreachable_server_sends_nothing_and_records_nothing(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    async with Mailbox() as mail:
        smtp = replace(mail.settings(), port=closed_port)
    services = await _services(tmp_path, smtp)
    try:
        report = await InvitationService(services).send("forum_bot")
        rows = await services.db.fetchall("SELECT * FROM company_invitations")
        plan = await InvitationService(services).plan()
    finally:
        await services.db.close()
    assert report.kind == "unreachable"
    assert f"127.0.0.1:{closed_port}" in report.error
    assert rows == []
    assert len(plan.invitations) == 3  # the next run tries them all
