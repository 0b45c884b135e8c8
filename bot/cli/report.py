"""``report``: write the organisers' Excel workbook."""

from __future__ import annotations

import asyncio
import sys

from bot.config import load_settings


async def report(path: str) -> int:
    from pathlib import Path

    from bot.services.container import Services
    from bot.services.report import build
    from storage.db import Database

    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path)
    try:
        content = await build(await Services.open(settings, db))
    finally:
        await db.close()
    try:
        await asyncio.to_thread(Path(path).write_bytes, content)
    except OSError as exc:
        print(f"error: cannot write {path}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"Wrote the report to {path} ({len(content):,} bytes).")
    return 0
