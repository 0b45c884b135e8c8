"""The command line: ``python -m bot [run|demo|migrate|status|backup|restore|...]``.

Configuration problems end with exit code 2 and one line for the operator, no traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.config import ConfigError, load_settings
from bot.runtime.logs import setup_logging, setup_sentry

EXIT_CONFIG = 2


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


def _migrate_check() -> int:
    from storage.backup import schema_version
    from storage.db import migration_files

    path = load_settings(require_token=False).database_path
    latest = len(migration_files())
    if not path.is_file():
        print(f"No database at {path} yet: the first start creates it at schema version {latest}.")
        return 1
    current = schema_version(path)
    pending = [name for number, name, _ in migration_files() if number > current]
    if current > latest:
        print(f"{path} is at schema version {current}, newer than this version knows ({latest}).")
        return 1
    if not pending:
        print(f"{path} is at schema version {current}: up to date.")
        return 0
    print(
        f"{path} is at schema version {current} and needs {len(pending)} migration(s) to reach "
        f"{latest}: {', '.join(pending)}. The next start (or `migrate`) applies them, after a "
        "backup."
    )
    return 1


async def _status() -> int:
    from bot.runtime.status import read_status, render

    path = load_settings(require_token=False).database_path
    status = await read_status(path, datetime.now(UTC))
    print(render(status))
    return status.exit_code


async def _backup(file: str) -> int:
    from storage.backup import BackupError, backup_database

    source = load_settings(require_token=False).database_path
    try:
        result = await asyncio.to_thread(backup_database, source, Path(file))
    except BackupError as exc:
        raise ConfigError(str(exc)) from None
    print(
        f"Backed up {source} to {result.path} ({result.size / 1024:.0f} KiB, schema version "
        f"{result.schema_version}, integrity ok)."
    )
    return 0


async def _restore(file: str) -> int:
    from bot.runtime.runlock import LockHeld, RunLock
    from storage.backup import BackupError, restore_database, schema_version
    from storage.db import migration_files

    target = load_settings(require_token=False).database_path
    lock = RunLock(target)
    try:
        lock.acquire(wait=0)
    except LockHeld as held:
        raise ConfigError(f"{held}: stop the bot first, then restore") from None
    try:
        latest = len(migration_files())
        kept = await asyncio.to_thread(restore_database, Path(file), target, latest)
        version = schema_version(target)
    except BackupError as exc:
        raise ConfigError(str(exc)) from None
    finally:
        lock.release()
    print(f"Restored {file} into {target} (schema version {version}).")
    if kept is not None:
        print(f"The database it replaced is kept as {kept}.")
    if version < latest:
        print("The next start migrates it to this version (after a backup).")
    return 0


async def _delete_webhook() -> int:
    from telegram import Bot
    from telegram.error import InvalidToken

    settings = load_settings()
    try:
        async with Bot(settings.bot_token, base_url=settings.base_url) as bot:
            info = await bot.get_webhook_info()
            await bot.delete_webhook(drop_pending_updates=False)
    except InvalidToken:
        raise ConfigError("BOT_TOKEN was rejected by the Bot API (401 Unauthorized)") from None
    if info.url:
        print(f"Deleted the webhook ({info.url}); the bot can use long polling again.")
    else:
        print("No webhook was set.")
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


async def _export_companies(path: str) -> int:
    """``export companies FILE.csv``: write every company to a CSV file."""
    from bot.services.container import Services
    from storage.db import Database

    settings = load_settings(require_token=False)
    username = await _bot_username(settings.bot_token, settings.base_url)
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


async def _export_matches(top: int, path: str) -> int:
    """``export-matches --top K FILE.csv``: every company's top K matches, reasons in
    English; no bot, just the database."""
    from bot.services.container import Services
    from bot.services.matching import rows_to_csv
    from storage.db import Database

    if top < 1:
        print("error: --top must be at least 1", file=sys.stderr)
        return 2
    settings = load_settings(require_token=False)
    db = await Database.open(settings.database_path)
    try:
        services = await Services.open(settings, db)
        rows = await services.matching.export_rows(top)
    finally:
        await db.close()
    await asyncio.to_thread(Path(path).write_text, rows_to_csv(rows), encoding="utf-8")
    companies = len({r["company"] for r in rows})
    print(f"Wrote {len(rows)} rows ({companies} companies, top {top}) to {path}")
    return 0


async def _import_agenda(path: str) -> int:
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


async def _send_invitations(*, dry_run: bool, csv_path: str) -> int:
    from pathlib import Path

    from bot.config import SMTP_SETTINGS
    from bot.services.container import Services
    from bot.services.invitations import InvitationService
    from storage.db import Database

    settings = load_settings(require_token=False)
    username = await _bot_username(settings.bot_token, settings.base_url)
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


async def _purge(raw: str, *, dry_run: bool) -> int:
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


async def _report(path: str) -> int:
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


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    try:
        if command == "migrate":
            return _migrate_check() if args.check else asyncio.run(_migrate())
        if command == "status":
            return asyncio.run(_status())
        if command == "backup":
            return asyncio.run(_backup(args.file))
        if command == "restore":
            return asyncio.run(_restore(args.file))
        if command == "delete-webhook":
            return asyncio.run(_delete_webhook())
        if command == "import-companies":
            return asyncio.run(_import_companies(args.file))
        if command == "export":
            return asyncio.run(_export_companies(args.file))
        if command == "import-agenda":
            return asyncio.run(_import_agenda(args.file))
        if command == "export-matches":
            return asyncio.run(_export_matches(args.top, args.file))
        if command == "send-invitations":
            return asyncio.run(_send_invitations(dry_run=args.dry_run, csv_path=args.csv))
        if command == "purge":
            return asyncio.run(_purge(args.before, dry_run=args.dry_run))
        if command == "report":
            return asyncio.run(_report(args.file))
        if command == "schedule-meetings":
            return asyncio.run(_schedule_meetings(dry_run=args.dry_run))
        if command == "demo":
            return _demo(quiet=args.quiet)
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


if __name__ == "__main__":
    sys.exit(main())
