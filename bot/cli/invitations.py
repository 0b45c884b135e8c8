"""``send-invitations``: e-mail claim links to the imported companies nobody has claimed."""

from __future__ import annotations

import asyncio
import sys

from bot.cli.common import bot_username
from bot.config import load_settings


async def send_invitations(*, dry_run: bool, csv_path: str) -> int:
    from pathlib import Path

    from bot.config import SMTP_SETTINGS
    from bot.services.container import Services
    from bot.services.invitations import InvitationService
    from storage.db import Database

    settings = load_settings(require_token=False)
    username = await bot_username(settings.bot_token, settings.base_url)
    db = await Database.open(settings.database_path)
    try:
        service = InvitationService(await Services.open(settings, db))
        plan = await service.plan()
        print(
            f"{plan.unclaimed} imported companies not claimed yet: "
            f"{len(plan.invitations)} to invite, {len(plan.reminders)} to remind, "
            f"{plan.waiting} invited less than 3 days ago, {plan.finished} invited and "
            f"reminded, {len(plan.bounced)} bounced, {plan.no_email} without an e-mail."
        )
        if dry_run:
            for candidate in plan.to_send:
                print(f"  {candidate.kind:<10} {candidate.name} <{candidate.email}>")
            print("Dry run: nothing was sent.")
            return 0
        if settings.smtp is None:
            content = await service.mail_merge(username)
            await asyncio.to_thread(Path(csv_path).write_text, content, encoding="utf-8")
            print(
                f"error: e-mail is not set up ({', '.join(SMTP_SETTINGS)}); nothing was sent. "
                f"The claim links are in {csv_path} for a mail merge.",
                file=sys.stderr,
            )
            return 1
        if username is None:
            print(
                "error: the Bot API did not tell the bot's @name (check BOT_TOKEN and "
                "BOT_API_BASE_URL); the claim links need it. Nothing was sent.",
                file=sys.stderr,
            )
            return 1
        report = await service.send(username)
    finally:
        await db.close()
    print(
        f"Sent {report.invitations} invitations and {report.reminders} reminders; "
        f"{len(report.bounced)} bounced, {len(report.failed)} not accepted for now, "
        f"{report.skipped} skipped (sent by another run)."
    )
    for name, answer in report.bounced:
        print(f"  bounced: {name}: {answer}")
    for name, answer in report.failed:
        print(f"  not accepted for now: {name}: {answer}")
    if report.error:
        print(f"error: the mail server: {report.error}", file=sys.stderr)
        return 1
    return 0
