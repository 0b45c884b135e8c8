"""The command line: ``python -m bot [run|demo|migrate|status|backup|restore|...]``.

This module parses the arguments and dispatches; each group of commands lives in its own
module of this package. Configuration problems end with exit code 2 and one line for the
operator, no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot.cli import agenda, companies, demo, invitations, operations, report, retention
from bot.cli.common import EXIT_CONFIG
from bot.config import ConfigError, load_settings
from bot.runtime.logs import setup_logging, setup_sentry

__all__ = ["EXIT_CONFIG", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="ForumBridge: a Telegram bot for bilateral B2B IT forums.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser(
        "run", help="run the bot (the default): long polling, or a webhook if WEBHOOK_URL is set"
    )
    demo = sub.add_parser("demo", help="rehearse a forum against the local sandbox, no token")
    demo.add_argument("--quiet", action="store_true", help="print only the summary")
    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.add_argument(
        "--check",
        action="store_true",
        help="only say whether the database needs migrating (exit 1 if it does)",
    )
    sub.add_parser(
        "status",
        help="how the bot on this database is doing (exit 0 healthy, 1 wedged, 3 not running)",
    )
    backup = sub.add_parser("backup", help="copy the database to FILE, safely while it runs")
    backup.add_argument("file", metavar="FILE", help="where to write the copy")
    restore = sub.add_parser(
        "restore", help="replace the database with the backup FILE (the bot must be stopped)"
    )
    restore.add_argument("file", metavar="FILE", help="a file made by `backup`")
    sub.add_parser(
        "delete-webhook", help="remove the bot's webhook at Telegram, to go back to long polling"
    )
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
    invite = sub.add_parser(
        "send-invitations",
        help="e-mail claim links to the imported companies nobody has claimed yet",
    )
    invite.add_argument("--dry-run", action="store_true", help="list what would be sent")
    invite.add_argument(
        "--csv",
        default="claim-invitations.csv",
        metavar="FILE.csv",
        help="the mail-merge file written when SMTP is not set up",
    )
    purge = sub.add_parser(
        "purge", help="erase the personal data of everyone not active since DATE"
    )
    purge.add_argument(
        "--before", required=True, metavar="DATE", help="YYYY-MM-DD, in the event's zone"
    )
    purge.add_argument("--dry-run", action="store_true", help="only say how many")
    report = sub.add_parser("report", help="write the organisers' report (Excel workbook)")
    report.add_argument("file", metavar="FILE.xlsx", help="where to write the workbook")
    plan = sub.add_parser(
        "schedule-meetings",
        help="place 1:1 meetings for accepted introductions (and opted-in top-3 matches)",
    )
    plan.add_argument("--dry-run", action="store_true", help="print the plan and book nothing")
    return parser


# The commands that run one coroutine for their exit code, by name.
COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "status": lambda args: operations.status(),
    "backup": lambda args: operations.backup(args.file),
    "restore": lambda args: operations.restore(args.file),
    "delete-webhook": lambda args: operations.delete_webhook(),
    "import-companies": lambda args: companies.import_companies(args.file),
    "export": lambda args: companies.export_companies(args.file),
    "import-agenda": lambda args: agenda.import_agenda(args.file),
    "export-matches": lambda args: companies.export_matches(args.top, args.file),
    "send-invitations": lambda args: invitations.send_invitations(
        dry_run=args.dry_run, csv_path=args.csv
    ),
    "purge": lambda args: retention.purge(args.before, dry_run=args.dry_run),
    "report": lambda args: report.report(args.file),
    "schedule-meetings": lambda args: agenda.schedule_meetings(dry_run=args.dry_run),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "migrate":
            return operations.migrate_check() if args.check else asyncio.run(operations.migrate())
        if command in COMMANDS:
            return asyncio.run(COMMANDS[command](args))
        if command == "demo":
            return demo.demo(quiet=args.quiet)
        settings = load_settings()
        setup_logging(settings.log_level, settings.bot_token, settings.log_format)
        setup_sentry(settings.sentry_dsn, settings.bot_token)
        from bot.runtime.runner import serve

        asyncio.run(serve(settings))
        return 0
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 0
