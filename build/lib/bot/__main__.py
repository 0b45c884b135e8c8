"""The command line: ``python -m bot [run|demo|migrate]``.

Configuration problems end with exit code 2 and one line for the operator, no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, load_settings
from bot.logs import setup_logging

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
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "migrate":
            return asyncio.run(_migrate())
        if command == "import-companies":
            from bot.company_csv import import_companies_cli

            return asyncio.run(import_companies_cli(args.file))
        if command == "export":
            from bot.company_csv import export_companies_cli

            return asyncio.run(export_companies_cli(args.file))
        if command == "import-agenda":
            from bot.reminders import import_agenda_cli

            return asyncio.run(import_agenda_cli(args.file))
        if command == "export-matches":
            from bot.introductions import export_matches_cli

            return asyncio.run(export_matches_cli(args.top, args.file))
        if command == "demo":
            from bot.demo import run_demo

            return asyncio.run(run_demo(quiet=args.quiet))
        settings = load_settings()
        setup_logging(settings.log_level, settings.bot_token)
        from bot.runner import serve

        asyncio.run(serve(settings))
        return 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
