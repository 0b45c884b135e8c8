"""The command line: ``python -m bot [run|demo|migrate]``.

Configuration problems end with exit code 2 and one line for the operator, no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

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


async def _bot_username(token: str | None, base_url: str) -> str | None:
    """The bot's @name for claim links, asked from the Bot API; None when offline."""
    if not token:
        return None
    from telegram import Bot

    try:
        async with Bot(token, base_url=base_url) as bot:
            return bot.username
    except Exception:  # any failure only means the links are printed without the name
        return None


async def _import_companies(path: str) -> int:
    """``import-companies FILE.csv``: import, print the report."""
    from bot.domain.company_files import decode, import_companies, plain
    from bot.domain.profiles import Invalid
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
        report = await import_companies(
            decode(content),
            services.companies,
            services.links,
            services.forum,
            now=services.clock.now(),
        )
    except Invalid as exc:
        print(f"error: nothing was imported. {plain(str(exc))}")
        return 1
    finally:
        await db.close()
    for line in report.lines():
        print(line)
    return 0


async def _export_companies(path: str) -> int:
    """``export companies FILE.csv``: write every company to a CSV file."""
    from bot.domain.company_files import export_companies
    from bot.services.container import Services
    from storage.db import Database

    settings = load_settings(require_token=False)
    username = await _bot_username(settings.bot_token, settings.base_url)
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        content = await export_companies(
            services.companies,
            services.links,
            services.forum,
            now=services.clock.now(),
            bot_username=username,
        )
        count = len(await services.companies.all())
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


def _demo(*, quiet: bool) -> int:
    """The rehearsal needs the sandbox, an optional part of the install. It plays the forum
    of FORUM_CONFIG (a broken file is a configuration error, as for ``run``)."""
    forum = load_settings(require_token=False).forum
    try:
        from sandbox.demo import run_demo
    except ImportError as exc:
        print(
            f"error: the demo needs the sandbox ({exc.name} is missing): "
            "pip install 'forumbridge[sandbox]' (or make demo)",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    return asyncio.run(run_demo(quiet=quiet, forum=forum))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "migrate":
            return asyncio.run(_migrate())
        if command == "import-companies":
            return asyncio.run(_import_companies(args.file))
        if command == "export":
            return asyncio.run(_export_companies(args.file))
        if command == "import-agenda":
            from bot.services.reminders import import_agenda_cli

            return asyncio.run(import_agenda_cli(args.file))
        if command == "export-matches":
            from bot.services.introductions import export_matches_cli

            return asyncio.run(export_matches_cli(args.top, args.file))
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
