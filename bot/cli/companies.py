"""The commands on the company catalogue: ``import-companies``, ``export companies`` and
``export-matches``."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

from bot.cli.common import bot_username
from bot.config import load_settings


async def import_companies(path: str) -> int:
    """``import-companies FILE.csv``: import, print the report."""
    from bot.domain.problems import Invalid
    from bot.services.container import Services
    from storage.db import Database

    settings = load_settings(require_token=False)
    try:
        content = await asyncio.to_thread(Path(path).read_bytes)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}")
        return 1
    db = await Database.open(settings.database_path)
    try:
        # The catalogue is synced from the forum file first, as the bot does at start-up.
        services = await Services.open(settings, db)
        report = await services.company_files.import_file(content)
    except Invalid as exc:
        print(f"error: nothing was imported. {exc.problem.english()}")
        return 1
    finally:
        await db.close()
    for line in report.lines():
        print(line)
    return 0


async def export_companies(path: str) -> int:
    """``export companies FILE.csv``: write every company to a CSV file."""
    from bot.services.container import Services
    from storage.db import Database

    settings = load_settings(require_token=False)
    username = await bot_username(settings.bot_token, settings.base_url)
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        exported = await services.company_files.export(username)
        content, count = exported.content, exported.count
    finally:
        await db.close()
    try:
        await asyncio.to_thread(Path(path).write_text, content, encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror}")
        return 1
    print(f"Exported {count} companies to {path}.")
    if username is None:
        print("Claim links are shown as ?start=claim_... (the bot's name was not reachable).")
    return 0


async def export_matches(top: int, path: str) -> int:
    """``export-matches --top K FILE.csv``: every company's top K matches, reasons in
    English; no bot, just the database."""
    from bot.services.container import Services
    from storage.db import Database

    if top < 1:
        print("error: --top must be at least 1", file=sys.stderr)
        return 2
    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        async with services.matching.export(top) as found:
            await asyncio.to_thread(shutil.copyfile, found.path, path)
    finally:
        await db.close()
    print(f"Wrote {found.rows} rows ({found.companies} companies, top {top}) to {path}")
    return 0
