"""The organisers' report: one Excel workbook (xlsxwriter) of what the forum produced, for
``/report`` and ``python -m bot report FILE.xlsx``.

Sheets: Summary (the one funnel with a native Excel chart, and the counts kept by the last
purge if there was one; companies by country and by sector), Companies, Introductions,
Meetings (only when there are meetings), Follow-ups and Broadcasts (delivery counts). Data
sheets have a frozen header row, filters and column widths fitted to their content.

Everything is read from the database as it is now, so whatever an erasure or a purge took
is simply not there; no contact person, e-mail, phone or Telegram id is written. Every text
cell is written as a string (``write_string``, and the workbook converts nothing), so a
company called ``=HYPERLINK(...)`` stays text in Excel: formulas cannot be injected.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter

from bot.domain.matching import Reason
from bot.domain.reason_texts import render_all
from bot.services.container import Services
from bot.services.funnel import LABELS, Funnel, compute
from storage.followups import FollowupRepository
from storage.invitations import InvitationRepository
from storage.report import ReportQueries
from storage.retention import RetentionRepository
from storage.stats import StatsQueries

Cell = str | int | float | datetime | None
MAX_WIDTH = 60
FUNNEL_FIRST_ROW = 4  # 0-based: the header is row 4 in Excel (A4), the steps A5:A13
ANSWER_LABELS = {
    "none": "No contact since",
    "ongoing": "Talks ongoing",
    "signed": "Agreement signed",
    "private": "Prefer not to say",
}
DATE_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass
class Sheet:
    name: str
    headers: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class ReportData:
    forum: str
    generated: datetime
    funnel: Funnel
    by_country: dict[str, int]
    by_sector: dict[tuple[str, str], int]
    retained: tuple[str, str, dict[str, int]] | None
    sheets: list[Sheet]


def _local(stamp: str | None, zone: ZoneInfo) -> datetime | None:
    """An ISO time as a naive local time (Excel has no zones), or None."""
    if not stamp:
        return None
    return datetime.fromisoformat(stamp).astimezone(zone).replace(tzinfo=None)


async def collect(services: Services) -> ReportData:
    zone = services.settings.tz
    forum = services.forum
    snap = await StatsQueries(services.db).snapshot()
    records = await services.companies.all()
    reps = await services.companies.rep_counts()
    invited: dict[int, str] = {}
    for attempt in await InvitationRepository(services.db).all():
        invited[attempt.company_id] = f"{attempt.kind} {attempt.state}"
    companies = Sheet(
        "Companies",
        ["ID", "Company", "Country", "City", "Sectors", "Size", "Offers", "Seeks",
         "Partnerships", "Website", "Source", "Reps in Telegram", "Consent", "Paused",
         "Last invitation", "Created"],
    )  # fmt: skip
    for c in records:
        companies.rows.append(
            [c.id, c.name, forum.country_name(c.country), c.city,
             "; ".join(forum.sector_label(k) for k in c.sectors), c.size, c.offers, c.seeks,
             "; ".join(forum.intent_label(k) for k in c.partnerships), c.website, c.source,
             reps.get(c.id, 0),
             "yes" if c.consent else "no", "yes" if c.paused else "no", invited.get(c.id),
             _local(c.created_at, zone)]
        )  # fmt: skip
    queries = ReportQueries(services.db)
    introductions = Sheet(
        "Introductions",
        ["ID", "Requested by", "Country", "Requested of", "Country ", "State", "Requested",
         "Answered", "Expires", "Why they match"],
    )  # fmt: skip
    for i in await queries.introductions():
        introductions.rows.append(
            [i.id, i.requester, forum.country_name(i.requester_country), i.target,
             forum.country_name(i.target_country), i.state,
             _local(i.created_at, zone), _local(i.decided_at, zone), _local(i.expires_at, zone),
             "; ".join(render_all((Reason.from_data(r) for r in i.reasons), services.forum))]
        )  # fmt: skip
    sheets = [companies, introductions]
    meetings = await queries.meetings()
    if meetings is not None and meetings[1]:
        sheets.append(Sheet("Meetings", meetings[0], [list(r) for r in meetings[1]]))
    followups = Sheet(
        "Follow-ups",
        ["Introduction", "Company", "Partner", "Accepted", "Asked", "Answer", "Note",
         "Answered"],
    )  # fmt: skip
    for f in await FollowupRepository(services.db).all():
        r = f.record
        followups.rows.append(
            [r.introduction_id, f.company, f.partner, _local(f.accepted_at, zone),
             _local(r.asked_at, zone), ANSWER_LABELS.get(r.answer or "", "not answered"),
             r.note, _local(r.answered_at, zone)]
        )  # fmt: skip
    sheets.append(followups)
    broadcasts = Sheet(
        "Broadcasts",
        ["ID", "Message", "Audience", "State", "Created", "Finished", "Recipients", "Sent",
         "Failed", "Blocked", "Timed out", "Cancelled", "Pending"],
    )  # fmt: skip
    for b in reversed(await services.broadcasts.recent(1_000_000)):
        d = await services.broadcasts.delivery(b.id)
        broadcasts.rows.append(
            [b.id, b.summary, b.audience_label, b.state, _local(b.created_at, zone),
             _local(b.finished_at, zone), b.recipients, d.get("sent", 0), d.get("failed", 0),
             d.get("blocked", 0), d.get("unknown", 0), d.get("cancelled", 0),
             d.get("pending", 0)]
        )  # fmt: skip
    sheets.append(broadcasts)
    return ReportData(
        forum=forum.name,
        generated=services.clock.now().astimezone(zone).replace(tzinfo=None),
        funnel=await compute(services),
        by_country={forum.country_name(c): n for c, n in snap.companies_by_country.items()},
        by_sector={
            (forum.sector_label(key), forum.country_name(code)): n
            for (key, code), n in snap.companies_by_sector.items()
        },
        retained=await RetentionRepository(services.db).latest_counts(),
        sheets=sheets,
    )


class _Writer:
    """Cells by type: text always as a string, never as a formula or a number."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self.header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
        self.date = book.add_format({"num_format": DATE_FORMAT})
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.share = book.add_format({"num_format": "0%"})

    def cell(self, sheet: Any, row: int, col: int, value: Cell) -> None:
        if value is None or value == "":
            sheet.write_blank(row, col, None)
        elif isinstance(value, bool):
            sheet.write_string(row, col, "yes" if value else "no")
        elif isinstance(value, int | float):
            sheet.write_number(row, col, value)
        elif isinstance(value, datetime):
            sheet.write_datetime(row, col, value, self.date)
        else:
            sheet.write_string(row, col, str(value))

    def table(self, data: Sheet) -> None:
        sheet = self.book.add_worksheet(data.name)
        widths = [len(h) for h in data.headers]
        for col, title in enumerate(data.headers):
            sheet.write_string(0, col, title, self.header)
        for row, values in enumerate(data.rows, start=1):
            for col, value in enumerate(values):
                self.cell(sheet, row, col, value)
                shown = 16 if isinstance(value, datetime) else len(str(value or ""))
                widths[col] = max(widths[col], shown)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width, MAX_WIDTH) + 2)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(data.rows), 1), len(data.headers) - 1)


def _summary(w: _Writer, data: ReportData) -> None:
    sheet = w.book.add_worksheet("Summary")
    sheet.write_string(0, 0, f"{data.forum}: what the forum produced", w.title)
    sheet.write_string(1, 0, "Generated")
    sheet.write_datetime(1, 1, data.generated, w.date)
    top = FUNNEL_FIRST_ROW - 1
    headers = ["Step (companies)", "Companies", "Share of registered"]
    if data.retained:
        headers.append(f"Before the purge of {data.retained[1]}")
    for col, title in enumerate(headers):
        sheet.write_string(top, col, title, w.header)
    steps = data.funnel.steps()
    for offset, (key, value) in enumerate(steps):
        row = FUNNEL_FIRST_ROW + offset
        sheet.write_string(row, 0, LABELS[key])
        sheet.write_number(row, 1, value)
        if data.funnel.registered:
            sheet.write_number(row, 2, value / data.funnel.registered, w.share)
        if data.retained:
            sheet.write_number(row, 3, data.retained[2].get(key, 0))
    last = FUNNEL_FIRST_ROW + len(steps) - 1
    chart = w.book.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Companies",
            "categories": ["Summary", FUNNEL_FIRST_ROW, 0, last, 0],
            "values": ["Summary", FUNNEL_FIRST_ROW, 1, last, 1],
            "data_labels": {"value": True},
        }
    )
    chart.set_title({"name": "The forum's funnel"})
    chart.set_y_axis({"reverse": True})  # the first step on top
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 360})
    sheet.insert_chart(top, 5, chart)
    row = last + 3
    sheet.write_string(row, 0, "Country", w.header)
    sheet.write_string(row, 1, "Companies", w.header)
    for country, count in sorted(data.by_country.items()):
        row += 1
        sheet.write_string(row, 0, country)
        sheet.write_number(row, 1, count)
    row += 2
    countries = sorted(data.by_country)
    sheet.write_string(row, 0, "Sector", w.header)
    for col, country in enumerate(countries, start=1):
        sheet.write_string(row, col, country, w.header)
    for sector in sorted({s for s, _ in data.by_sector}):
        row += 1
        sheet.write_string(row, 0, sector)
        for col, country in enumerate(countries, start=1):
            sheet.write_number(row, col, data.by_sector.get((sector, country), 0))
    sheet.set_column(0, 0, max(len(v) for v in LABELS.values()) + 2)
    sheet.set_column(1, 3, 18)


def workbook(data: ReportData) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "in_memory": True,
            # Belt and braces with write_string: no text ever becomes a formula, number or link.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    writer = _Writer(book)
    _summary(writer, data)
    for sheet in data.sheets:
        writer.table(sheet)
    book.close()
    return out.getvalue()


async def build(services: Services) -> bytes:
    """The workbook's bytes (written in a thread: a large forum takes a moment)."""
    data = await collect(services)
    return await asyncio.to_thread(workbook, data)
