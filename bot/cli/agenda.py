"""The commands on the programme: ``import-agenda`` and ``schedule-meetings`` (1:1 meetings)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.config import load_settings


async def import_agenda(path: str) -> int:
    """``import-agenda FILE``: 0 imported, 1 refused (problems on stderr).

    A running bot notices the change within half a minute and re-plans its reminders; the
    change notices queued here are sent by its outbox sender.
    """
    from bot.services.agenda import AgendaFileError, AgendaService
    from bot.services.container import Services
    from storage.db import Database

    settings = load_settings(require_token=False)
    file = Path(path)
    try:
        data = await asyncio.to_thread(file.read_bytes)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    db = await Database.open(settings.database_path)
    try:
        try:
            update = await AgendaService(await Services.open(settings, db)).import_file(
                data, file.name
            )
        except AgendaFileError as exc:
            print(f"error: {path} was not imported; nothing changed:", file=sys.stderr)
            for problem in exc.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
    finally:
        await db.close()
    result = update.result
    print(
        f"Imported {path}: {len(result.added)} added, {len(result.changed)} changed, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged; "
        f"{update.notices} change notice(s) queued."
    )
    return 0


async def schedule_meetings(*, dry_run: bool) -> int:
    """Solve as /schedule does and book the plan (unless ``dry_run``); a running bot sends
    the notices and plans the reminders within half a minute."""
    from bot.services.container import Services
    from bot.services.meeting_schedule import MeetingScheduler
    from storage.db import Database

    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path)
    try:
        scheduler = MeetingScheduler(Services.create(settings, db))
        preview = await scheduler.preview(None, store=False)
        gap = "n/a" if preview.gap is None else f"{preview.gap:.3%}"
        print(
            f"Candidates: {preview.accepted} accepted introductions, {preview.opt_in} mutual "
            f"top-3 opt-ins; {preview.existing} existing meetings kept."
        )
        print(
            f"Placed {len(preview.placed)} meetings, total score {preview.total_score:.3f}, "
            f"status {preview.status}, optimality gap {gap}."
        )
        for p in preview.placed:
            print(
                f"  {p.slot.starts_at:%Y-%m-%d %H:%M} UTC  {p.a_name} <-> {p.b_name}  "
                f"({p.kind}, {p.score:.3f})"
            )
        for left in preview.left_out:
            print(f"  left out: {left.a_name} <-> {left.b_name} ({left.kind}): {left.explanation}")
        if dry_run:
            print("Dry run: nothing was booked.")
            return 0
        entries = [
            {
                "a": p.a,
                "b": p.b,
                "block": p.slot.block_id,
                "start": p.slot.starts_at.isoformat(),
                "end": p.slot.ends_at.isoformat(),
            }
            for p in preview.placed
        ]
        placed, skipped = await scheduler.book(entries)
    finally:
        await db.close()
    print(f"Booked {placed} meetings; both companies of each will be told.")
    for a, b, why in skipped:
        print(f"  skipped: {a} <-> {b} ({why})")
    return 0
