"""The organisers' company files, the use cases: import a companies CSV (validated by
``bot.domain.company_files``; a re-import updates instead of duplicating, and never changes
a company a rep owns) and export every company with its reps and claim link. Used by
``/import`` and ``/export`` in the chat and by the CLI; returns data, no sentences.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.company_files import (
    ImportReport,
    check_size,
    decode,
    deep_link,
    format_companies,
    parse,
)
from bot.services.companies import CompanyStore
from storage.company_writes import IMPORT_CREATED, IMPORT_MANAGED
from storage.links import CLAIM

__all__ = ["CompanyFiles", "Export", "ImportReport", "check_size"]


@dataclass(frozen=True)
class Export:
    content: str  # the CSV
    count: int  # companies in it


class CompanyFiles(CompanyStore):
    """The organisers' companies CSV import and export (``services.company_files``)."""

    async def import_file(self, content: bytes) -> ImportReport:
        """Import a CSV file's bytes (raises :class:`~bot.domain.problems.Invalid` for a file
        that cannot be read at all)."""
        return await self.import_text(decode(content))

    async def import_text(self, text: str) -> ImportReport:
        """Validate and store every good row; each company without a rep gets a claim link."""
        now = self.clock.now()
        rows, rejected = parse(text, self.forum)
        report = ImportReport(rejected=rejected)
        for row in rows:
            # The rule that a rep's company is theirs lives in upsert_import, not here, so
            # the chat and the command line cannot differ on it.
            company_id, outcome = await self.writes.upsert_import(
                row.fields, sectors=row.sectors, partnerships=row.partnerships, now=now
            )
            if outcome == IMPORT_MANAGED:
                stored = await self.companies.get(company_id)
                name = stored.name if stored else str(row.fields["name"])
                report.managed.append((row.line, name))
                continue
            if outcome == IMPORT_CREATED:
                report.created += 1
            else:
                report.updated += 1
            report.company_ids.append(company_id)
            unclaimed = not await self.companies.reps(company_id)
            if unclaimed and not await self.links.open_claim(company_id, now=now):
                await self.links.create(company_id, CLAIM, now=now)
        return report

    async def export(self, bot_username: str | None) -> Export:
        """Every company as CSV, with its reps and its open claim link (``?start=claim_...``
        when the bot's name is not known, offline)."""
        claims = await self.links.open_claims(now=self.clock.now())
        companies = await self.companies.all()
        content = format_companies(
            companies,
            self.forum,
            reps=await self.companies.rep_counts(),
            claim_links={
                company_id: deep_link(bot_username, link.payload)
                for company_id, link in claims.items()
            },
        )
        return Export(content, len(companies))
