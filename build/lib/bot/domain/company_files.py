"""Companies in and out as CSV: the organisers' import (validated row by row, a re-import
updates instead of duplicating) and the export (the same columns plus id, reps, claim link
and creation time). Used by ``/import`` and ``/export`` in chat and by the CLI."""

from __future__ import annotations

import asyncio
import csv
import html
import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.domain.profiles import (
    MAX_SECTORS,
    Invalid,
    clean_city,
    clean_contact_name,
    clean_email,
    clean_name,
    clean_offers,
    clean_seeks,
    clean_username,
    clean_website,
    parse_country,
    parse_names,
    parse_size,
)
from bot.domain.texts import from_spreadsheet, spreadsheet_safe
from storage.companies import (
    IMPORT_CREATED,
    IMPORT_MANAGED,
    CompanyRepository,
    CompanyWrites,
)
from storage.links import CLAIM, LinkRepository

COLUMNS = (
    "name",
    "country",
    "city",
    "sectors",
    "offers",
    "seeks",
    "partnerships",
    "size",
    "website",
    "contact_name",
    "contact_email",
    "telegram_username",
)
EXPORT_COLUMNS = ("id", *COLUMNS, "reps", "claim_link", "created_at")
REQUIRED = ("name", "country", "sectors", "offers", "seeks", "partnerships", "size")
MAX_FILE_BYTES = 5 * 1024 * 1024
# Fictional Romanian and Pakistani companies, used by the demo, the tests and the benchmark.
SAMPLE_COMPANIES = Path(__file__).resolve().parents[2] / "data" / "sample_companies.csv"
MAX_ROWS = 10_000


@dataclass(frozen=True)
class ImportRow:
    line: int
    fields: dict[str, Any]
    sectors: list[str]
    partnerships: list[str]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    # (line, company name): rows of companies a rep owns, which the import left as they were
    managed: list[tuple[int, str]] = field(default_factory=list)
    company_ids: list[int] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def summary(self) -> str:
        kept = len(self.managed)
        return (
            f"Imported {self.imported} compan{'y' if self.imported == 1 else 'ies'} "
            f"({self.created} new, {self.updated} updated); "
            + (f"{kept} not changed (managed by their reps); " if kept else "")
            + f"rejected {len(self.rejected)} row{'' if len(self.rejected) == 1 else 's'}."
        )

    def notes(self) -> list[str]:
        """One line per row that was not imported as it is, in file order."""
        found = [
            (line, f"{name} is managed by its rep; not changed") for line, name in self.managed
        ]
        found += self.rejected
        return [f"line {line}: {reason}" for line, reason in sorted(found)]

    def lines(self) -> list[str]:
        """The report as plain text lines (the chat escapes them, the CLI prints them)."""
        return [self.summary(), *self.notes()]


def _plain(message: str) -> str:
    """Validation messages are HTML for the chat; a report line is plain text."""
    return html.unescape(re.sub(r"</?i>", "", message))


def check_size(size: int) -> None:
    """Refuse a file over the limit; the chat calls it with Telegram's file_size, before
    downloading anything."""
    if size > MAX_FILE_BYTES:
        raise Invalid(
            f"The file is {size / (1024 * 1024):.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        )


def decode(content: bytes) -> str:
    check_size(len(content))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(
            "The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again."
        ) from None


def parse(
    text: str, sectors: list[str], intents: list[str]
) -> tuple[list[ImportRow], list[tuple[int, str]]]:
    """Validate every row; returns the good rows and (line number, reason) for the others.
    Line numbers are the file's, the header being line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid("The file is empty; it needs a header row.") from None
    except csv.Error as exc:
        raise Invalid(f"The header row is not valid CSV ({exc}).") from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise Invalid(
            f"The header row lacks the column(s) {', '.join(missing)}. Expected: "
            + ",".join(COLUMNS)
        )
    index = {name: names.index(name) for name in COLUMNS}
    good: list[ImportRow] = []
    bad: list[tuple[int, str]] = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append((line, f"not valid CSV ({exc})"))
            line = reader.line_num + 1
            continue
        this_line, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # blank lines are not rows
        if len(good) + len(bad) >= MAX_ROWS:
            bad.append((this_line, f"more than {MAX_ROWS:,} rows; the rest was not read"))
            break
        row = {
            name: from_spreadsheet(values[i]) if i < len(values) else ""
            for name, i in index.items()
        }
        try:
            good.append(_row(this_line, row, sectors, intents))
        except Invalid as exc:
            bad.append((this_line, _plain(str(exc))))
    return good, bad


def _row(line: int, row: dict[str, str], sectors: list[str], intents: list[str]) -> ImportRow:
    for column in REQUIRED:
        if not row[column].strip():
            raise Invalid(f"{column} is empty")

    def field_error(column: str, exc: Invalid) -> Invalid:
        return Invalid(f"{column}: {exc}")

    cleaned: dict[str, Any] = {}
    checks = {
        "name": clean_name,
        "country": parse_country,
        "offers": clean_offers,
        "seeks": clean_seeks,
        "size": parse_size,
    }
    for column, check in checks.items():
        try:
            cleaned[column] = check(row[column])
        except Invalid as exc:
            raise field_error(column, exc) from None
    optional = {
        "city": clean_city,
        "website": clean_website,
        "contact_name": clean_contact_name,
        "contact_email": clean_email,
        "telegram_username": clean_username,
    }
    for column, check in optional.items():
        value = row[column].strip()
        try:
            cleaned[column] = check(value) if value else None
        except Invalid as exc:
            raise field_error(column, exc) from None
    if not cleaned["contact_email"]:
        # Introductions hand over contact details; an imported company without an email
        # could be matched but never introduced.
        raise Invalid("contact_email is empty")
    try:
        chosen_sectors = parse_names(row["sectors"], sectors, "sector")
        chosen_intents = parse_names(row["partnerships"], intents, "partnership")
    except Invalid as exc:
        raise Invalid(str(exc).rstrip(".")) from None
    if not chosen_sectors or len(chosen_sectors) > MAX_SECTORS:
        raise Invalid(f"sectors: give 1 to {MAX_SECTORS} sectors separated by ';'")
    if not chosen_intents:
        raise Invalid("partnerships: give at least one, separated by ';'")
    # Organisers collected consent in their own registration form. This holds only while no
    # rep has claimed the company: from then on consent and pause are the rep's, and
    # upsert_import leaves a claimed company alone.
    cleaned["consent"] = 1
    cleaned["paused"] = 0
    return ImportRow(line, cleaned, chosen_sectors, chosen_intents)


async def import_companies(
    text: str,
    companies: CompanyRepository,
    links: LinkRepository,
    *,
    now: datetime,
) -> ImportReport:
    """Validate and store every good row; each company without a rep gets a claim link."""
    sectors = await companies.sectors()
    intents = [i.name for i in await companies.intents()]
    rows, rejected = parse(text, sectors, intents)
    report = ImportReport(rejected=rejected)
    writes = CompanyWrites(companies.db)
    for row in rows:
        # The rule that a rep's company is theirs lives in upsert_import, not here, so the
        # chat and the command line cannot differ on it.
        company_id, outcome = await writes.upsert_import(
            row.fields, sectors=row.sectors, partnerships=row.partnerships, now=now
        )
        if outcome == IMPORT_MANAGED:
            stored = await companies.get(company_id)
            report.managed.append((row.line, stored.name if stored else str(row.fields["name"])))
            continue
        if outcome == IMPORT_CREATED:
            report.created += 1
        else:
            report.updated += 1
        report.company_ids.append(company_id)
        if not await companies.reps(company_id) and not await links.open_claim(company_id, now=now):
            await links.create(company_id, CLAIM, now=now)
    return report


def deep_link(bot_username: str | None, payload: str) -> str:
    if bot_username:
        return f"https://t.me/{bot_username}?start={payload}"
    # Without the bot's name (an offline export) the payload is what the rep needs.
    return f"?start={payload}"


async def export_companies(
    companies: CompanyRepository,
    links: LinkRepository,
    *,
    now: datetime,
    bot_username: str | None,
) -> str:
    claims = await links.open_claims(now=now)
    rep_counts = await companies.rep_counts()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for c in await companies.all():
        claim = claims.get(c.id)
        writer.writerow(
            spreadsheet_safe(cell)
            for cell in [
                c.id,
                c.name,
                c.country,
                c.city or "",
                ";".join(c.sectors),
                c.offers,
                c.seeks,
                ";".join(c.partnerships),
                c.size or "",
                c.website or "",
                c.contact_name or "",
                c.contact_email or "",
                c.telegram_username or "",
                rep_counts.get(c.id, 0),
                deep_link(bot_username, claim.payload) if claim else "",
                c.created_at,
            ]
        )
    return out.getvalue()


# -- the command line -------------------------------------------------------------------------


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


async def import_companies_cli(path: str) -> int:
    """``python -m bot import-companies FILE.csv``: import, print the report."""
    from bot.clock import Clock
    from bot.config import load_settings
    from storage.db import Database

    settings = load_settings(require_token=False)
    try:
        content = await asyncio.to_thread(Path(path).read_bytes)
    except OSError as exc:
        print(f"error: cannot read {path}: {exc.strerror}")
        return 1
    db = await Database.open(settings.database_path)
    try:
        report = await import_companies(
            decode(content), CompanyRepository(db), LinkRepository(db), now=Clock().now()
        )
    except Invalid as exc:
        print(f"error: nothing was imported. {_plain(str(exc))}")
        return 1
    finally:
        await db.close()
    for line in report.lines():
        print(line)
    return 0


async def export_companies_cli(path: str) -> int:
    """``python -m bot export companies FILE.csv``: write every company to a CSV file."""
    from bot.clock import Clock
    from bot.config import load_settings
    from storage.db import Database

    settings = load_settings(require_token=False)
    username = await _bot_username(settings.bot_token, settings.base_url)
    db = await Database.open(settings.database_path)
    try:
        repo = CompanyRepository(db)
        content = await export_companies(
            repo, LinkRepository(db), now=Clock().now(), bot_username=username
        )
        count = len(await repo.all())
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
