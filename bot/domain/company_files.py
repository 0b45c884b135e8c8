"""Companies in and out as CSV: the organisers' import (validated row by row, a re-import
updates instead of duplicating) and the export (the same columns plus id, reps, claim link
and creation time). Used by ``/import`` and ``/export`` in chat and by the CLI.

The import reads a country by its code or its name in any language the forum file gives,
sectors and partnerships by key or label (any case); the export writes names and labels."""

from __future__ import annotations

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
from bot.domain.spreadsheet import from_spreadsheet, spreadsheet_safe
from bot.forum import Forum
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
# Fictional companies of the forum that ships (data/forum.toml), for the demo, the tests and
# the benchmark.
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


def plain(message: str) -> str:
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


def parse(text: str, forum: Forum) -> tuple[list[ImportRow], list[tuple[int, str]]]:
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
            good.append(_row(this_line, row, forum))
        except Invalid as exc:
            bad.append((this_line, plain(str(exc))))
    return good, bad


def _row(line: int, row: dict[str, str], forum: Forum) -> ImportRow:
    for column in REQUIRED:
        if not row[column].strip():
            raise Invalid(f"{column} is empty")

    def field_error(column: str, exc: Invalid) -> Invalid:
        return Invalid(f"{column}: {exc}")

    cleaned: dict[str, Any] = {}
    checks = {
        "name": clean_name,
        "country": lambda value: parse_country(value, forum),
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
        chosen_sectors = parse_names(row["sectors"], forum.find_sector, "sector")
        chosen_intents = parse_names(row["partnerships"], forum.find_intent, "partnership")
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
    forum: Forum,
    *,
    now: datetime,
) -> ImportReport:
    """Validate and store every good row; each company without a rep gets a claim link."""
    rows, rejected = parse(text, forum)
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
    forum: Forum,
    *,
    now: datetime,
    bot_username: str | None,
) -> str:
    """Every company as CSV, countries by name and sectors and intents by label, so that the
    file imports back unchanged."""
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
                forum.country_name(c.country),
                c.city or "",
                ";".join(forum.sector_label(key) for key in c.sectors),
                c.offers,
                c.seeks,
                ";".join(forum.intent_label(key) for key in c.partnerships),
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
