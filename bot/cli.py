"""The command line: ``python -m bot [run|demo|migrate|...]`` (every command is here).

Configuration problems end with exit code 2 and one line for the operator, no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings
from bot.runtime.logs import setup_logging

EXIT_CONFIG = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="ForumBridge: a Telegram bot for bilateral B2B IT forums.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", help="run the bot (the default): long polling against the Bot API")
    demo = sub.add_parser("demo", help="rehearse a forum against the local sandbox, no token")
    demo.add_argument("--quiet", action="store_true", help="print only the summary")
    sub.add_parser("migrate", help="apply database migrations and exit")
    companies_in = sub.add_parser(
        "import-companies", help="import companies from a CSV file (a re-import updates them)"
    )
    companies_in.add_argument("file", metavar="FILE.csv", help="companies CSV (UTF-8, header)")
    export_cmd = sub.add_parser("export", help="export data to a CSV file")
    export_cmd.add_argument("what", choices=["companies"], help="what to export")
    export_cmd.add_argument("file", metavar="FILE.csv", help="where to write the CSV")
    agenda = sub.add_parser(
        "import-agenda", help="import the agenda from a CSV or .ics file (re-import updates it)"
    )
    agenda.add_argument("file", metavar="FILE", help="agenda file (.csv or .ics)")
    export = sub.add_parser(
        "export-matches", help="write every company's top K matches to a CSV file"
    )
    export.add_argument("--top", type=int, default=10, metavar="K", help="matches per company")
    export.add_argument("file", metavar="FILE.csv", help="where to write the CSV")
    plan = sub.add_parser(
        "schedule-meetings",
        help="place 1:1 meetings for accepted introductions (and opted-in top-3 matches)",
    )
    plan.add_argument("--dry-run", action="store_true", help="print the plan and book nothing")
    return parser


async def _schedule_meetings(*, dry_run: bool) -> int:
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


async def _migrate() -> int:
    from storage.db import Database

    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path, migrate=False)
    try:
        applied = await db.migrate()
        version = await db.schema_version()
    finally:
        await db.close()
    if applied:
        print(f"Applied {len(applied)} migration(s): {', '.join(applied)}")
    print(f"Database {settings.database_path} is at schema version {version}.")
    return 0


def _demo(*, quiet: bool) -> int:
    """The rehearsal needs the sandbox, an optional part of the install."""
    try:
        from sandbox.demo import run_demo
    except ImportError as exc:
        print(
            f"error: the demo needs the sandbox ({exc.name} is missing): "
            "pip install 'forumbridge[sandbox]' (or make demo)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    return asyncio.run(run_demo(quiet=quiet))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "migrate":
            return asyncio.run(_migrate())
        if command == "import-companies":
            from bot.domain.company_files import import_companies_cli

            return asyncio.run(import_companies_cli(args.file))
        if command == "export":
            from bot.domain.company_files import export_companies_cli

            return asyncio.run(export_companies_cli(args.file))
        if command == "import-agenda":
            from bot.services.reminders import import_agenda_cli

            return asyncio.run(import_agenda_cli(args.file))
        if command == "export-matches":
            from bot.services.introductions import export_matches_cli

            return asyncio.run(export_matches_cli(args.top, args.file))
        if command == "schedule-meetings":
            return asyncio.run(_schedule_meetings(dry_run=args.dry_run))
        if command == "demo":
            return _demo(quiet=args.quiet)
        settings = load_settings()
        setup_logging(settings.log_level, settings.bot_token)
        from bot.runtime.runner import serve

        asyncio.run(serve(settings))
        return 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
