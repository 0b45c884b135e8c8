"""Companies in and out as CSV, the pure part: reading an import file (validated row by row,
with the line and the reason of each row refused) and writing the export (the import's
columns plus id, reps, claim link and creation time). Storing the rows and reading the
companies is the companies service's (``bot.services.company_files``), used by ``/import``
and ``/export`` in chat and by the CLI.

The import reads a country by its code or its name in any language the forum file gives,
sectors and partnerships by key or label (any case); the export writes names and labels.
Reasons are :class:`~bot.domain.problems.Problem` data, never HTML."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bot.domain.company_face import PublicCompany
from bot.domain.problems import N_, Invalid, Problem
from bot.domain.profiles import (
    MAX_SECTORS,
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
from bot.domain.spreadsheet import from_spreadsheet, safe_csv
from bot.forum import Forum

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


# The report's words (English message ids, translated where they are shown).
MANAGED = N_("{name} is managed by its rep; not changed")
EMPTY_COLUMN = N_("{field} is empty")
SECTOR_COUNT = N_("give 1 to {limit} sectors separated by ';'")
NO_PARTNERSHIP = N_("give at least one, separated by ';'")
BAD_CSV_ROW = N_("not valid CSV ({error})")
TOO_MANY_ROWS = N_("more than {limit:,} rows; the rest was not read")
TOO_BIG = N_("The file is {size:.1f} MB; the limit is {limit} MB.")
NOT_UTF8 = N_("The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again.")
NO_HEADER = N_("The file is empty; it needs a header row.")
BAD_HEADER = N_("The header row is not valid CSV ({error}).")
MISSING_COLUMNS = N_("The header row lacks the column(s) {missing}. Expected: {expected}")


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
    rejected: list[tuple[int, Problem]] = field(default_factory=list)
    # (line, company name): rows of companies a rep owns, which the import left as they were
    managed: list[tuple[int, str]] = field(default_factory=list)
    company_ids: list[int] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated

    def problems(self) -> list[tuple[int, Problem]]:
        """One problem per row that was not imported as it is, in file order."""
        found = [(line, Problem(MANAGED, {"name": name})) for line, name in self.managed]
        return sorted([*found, *self.rejected], key=lambda item: item[0])

    def summary(self) -> str:
        """The counts in English (the command line's; the chat words them itself)."""
        kept = len(self.managed)
        return (
            f"Imported {self.imported} compan{'y' if self.imported == 1 else 'ies'} "
            f"({self.created} new, {self.updated} updated); "
            + (f"{kept} not changed (managed by their reps); " if kept else "")
            + f"rejected {len(self.rejected)} row{'' if len(self.rejected) == 1 else 's'}."
        )

    def notes(self) -> list[str]:
        """One English line per row that was not imported as it is, in file order."""
        return [f"line {line}: {problem.english()}" for line, problem in self.problems()]

    def lines(self) -> list[str]:
        """The report as plain English text lines, as the CLI prints them."""
        return [self.summary(), *self.notes()]


def check_size(size: int) -> None:
    """Refuse a file over the limit; the chat calls it with Telegram's file_size, before
    downloading anything."""
    if size > MAX_FILE_BYTES:
        raise Invalid(TOO_BIG, size=size / (1024 * 1024), limit=MAX_FILE_BYTES // (1024 * 1024))


def decode(content: bytes) -> str:
    check_size(len(content))
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(NOT_UTF8) from None


def parse(text: str, forum: Forum) -> tuple[list[ImportRow], list[tuple[int, Problem]]]:
    """Validate every row; returns the good rows and (line number, reason) for the others.
    Line numbers are the file's, the header being line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid(NO_HEADER) from None
    except csv.Error as exc:
        raise Invalid(BAD_HEADER, error=str(exc)) from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise Invalid(MISSING_COLUMNS, missing=", ".join(missing), expected=",".join(COLUMNS))
    index = {name: names.index(name) for name in COLUMNS}
    good: list[ImportRow] = []
    bad: list[tuple[int, Problem]] = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append((line, Problem(BAD_CSV_ROW, {"error": str(exc)})))
            line = reader.line_num + 1
            continue
        this_line, line = line, reader.line_num + 1
        if not any(v.strip() for v in values):
            continue  # blank lines are not rows
        if len(good) + len(bad) >= MAX_ROWS:
            bad.append((this_line, Problem(TOO_MANY_ROWS, {"limit": MAX_ROWS})))
            break
        row = {
            name: from_spreadsheet(values[i]) if i < len(values) else ""
            for name, i in index.items()
        }
        try:
            good.append(_row(this_line, row, forum))
        except Invalid as exc:
            bad.append((this_line, exc.problem))
    return good, bad


def _row(line: int, row: dict[str, str], forum: Forum) -> ImportRow:
    for column in REQUIRED:
        if not row[column].strip():
            raise Invalid(EMPTY_COLUMN, field=column)
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
            raise exc.in_column(column) from None
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
            raise exc.in_column(column) from None
    if not cleaned["contact_email"]:
        # Introductions hand over contact details; an imported company without an email
        # could be matched but never introduced.
        raise Invalid(EMPTY_COLUMN, field="contact_email")
    chosen_sectors = parse_names(row["sectors"], forum.find_sector, "sector")
    chosen_intents = parse_names(row["partnerships"], forum.find_intent, "partnership")
    if not chosen_sectors or len(chosen_sectors) > MAX_SECTORS:
        raise Invalid(SECTOR_COUNT, column="sectors", limit=MAX_SECTORS)
    if not chosen_intents:
        raise Invalid(NO_PARTNERSHIP, column="partnerships")
    # Organisers collected consent in their own registration form. This holds only while no
    # rep has claimed the company: a claim takes it back until the rep gives it in the chat,
    # and the import leaves a claimed company alone.
    cleaned["consent"] = 1
    cleaned["paused"] = 0
    return ImportRow(line, cleaned, chosen_sectors, chosen_intents)


def deep_link(bot_username: str | None, payload: str) -> str:
    if bot_username:
        return f"https://t.me/{bot_username}?start={payload}"
    # Without the bot's name (an offline export) the payload is what the rep needs.
    return f"?start={payload}"


class ExportedCompany(PublicCompany, Protocol):
    """What the export reads of a company (``storage.companies.CompanyRecord`` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def partnerships(self) -> tuple[str, ...]: ...
    @property
    def website(self) -> str | None: ...
    @property
    def contact_name(self) -> str | None: ...
    @property
    def contact_email(self) -> str | None: ...
    @property
    def telegram_username(self) -> str | None: ...
    @property
    def created_at(self) -> str: ...


def format_companies(
    companies: Iterable[ExportedCompany],
    forum: Forum,
    *,
    reps: Mapping[int, int],
    claim_links: Mapping[int, str],
) -> str:
    """Every company as CSV, countries by name and sectors and intents by label, so that the
    file imports back unchanged; ``reps`` and ``claim_links`` by company id."""
    return safe_csv(
        EXPORT_COLUMNS,
        (
            [
                c.id,
                c.name,
                forum.country_name(c.country),
                c.city or "",
                ";".join(forum.sector_label(key) for key in c.sectors),
                c.offers or "",
                c.seeks or "",
                ";".join(forum.intent_label(key) for key in c.partnerships),
                c.size or "",
                c.website or "",
                c.contact_name or "",
                c.contact_email or "",
                c.telegram_username or "",
                reps.get(c.id, 0),
                claim_links.get(c.id, ""),
                c.created_at,
            ]
            for c in companies
        ),
    )
