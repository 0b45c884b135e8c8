"""``purge``: erase the personal data of everyone not active since a date."""

from __future__ import annotations

import sys

from bot.cli.common import EXIT_CONFIG
from bot.config import load_settings


async def purge(raw: str, *, dry_run: bool) -> int:
    from datetime import date, datetime

    from bot.services import retention
    from bot.services.container import Services
    from storage.db import Database

    try:
        day = date.fromisoformat(raw)
    except ValueError:
        print(f"error: --before {raw!r} is not a date like 2026-01-31", file=sys.stderr)
        return EXIT_CONFIG
    settings = load_settings(require_token=False)
    before = datetime.combine(day, datetime.min.time(), tzinfo=settings.tz)
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        if dry_run:
            people = await retention.inactive(services, before)
            print(f"{len(people)} people have not been active since {day}; nothing erased.")
            return 0
        done = await retention.purge(services, before)
    finally:
        await db.close()
    print(
        f"Erased {done.people} people not active since {day} "
        f"({done.companies_deleted} companies went with their last rep) and the contact "
        f"details of {done.contacts_cleared} imported companies never claimed."
    )
    print(
        "Kept anonymised counts for the report: "
        + ", ".join(f"{k} {v}" for k, v in done.kept.items())
    )
    return 0
