"""The organisers' dashboard (/stats): the forum's numbers as data, and the chart of
companies by sector and country (names, labels and colours from the forum file). The text
is the handlers' (handlers.dashboard), in the reader's language."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.forum import Forum
from bot.services.container import Services
from bot.services.funnel import Funnel, compute
from bot.services.meeting_schedule import MeetingCounts, MeetingScheduler
from bot.services.reminders import REMINDER_KIND
from storage.stats import Snapshot, StatsQueries

__all__ = ["Dashboard", "MeetingCounts", "Snapshot", "dashboard"]

TOP_SECTORS = 8


@dataclass(frozen=True)
class Dashboard:
    snapshot: Snapshot
    # (country code, companies): the forum's two countries first, in its order, then any
    # other code a database from another forum still has.
    countries: list[tuple[str, int]]
    # (sector key, companies), most first: a company with several sectors counts in each.
    top_sectors: list[tuple[str, int]]
    funnel: Funnel
    broadcast_copies: dict[str, int]  # outbox rows per state
    reminders: dict[str, int]
    meetings: MeetingCounts
    chart: bytes  # PNG

    @property
    def companies(self) -> int:
        return sum(n for _, n in self.countries)


def _countries(forum: Forum, by_country: dict[str, int]) -> list[tuple[str, int]]:
    codes = [c.code for c in forum.countries if by_country.get(c.code)]
    codes += sorted(code for code in by_country if code not in forum.codes)
    return [(code, by_country[code]) for code in codes]


def _top_sectors(forum: Forum, snap: Snapshot) -> list[tuple[str, int]]:
    sectors: dict[str, int] = {}
    for (key, _country), n in snap.companies_by_sector.items():
        sectors[key] = sectors.get(key, 0) + n
    ranked = sorted(sectors.items(), key=lambda kv: (-kv[1], forum.sector_label(kv[0])))
    return ranked[:TOP_SECTORS]


def chart_counts(snap: Snapshot, forum: Forum) -> dict[tuple[str, str], int]:
    """(sector label, country name) -> companies: the chart's bars, named by the forum.
    The chart keeps the forum file's own labels: matplotlib does not shape right-to-left
    scripts, so a chart in Urdu would be unreadable."""
    counts: dict[tuple[str, str], int] = {}
    for (key, code), n in snap.companies_by_sector.items():
        bar = (forum.sector_label(key), forum.country_name(code))
        counts[bar] = counts.get(bar, 0) + n
    return counts


async def dashboard(services: Services) -> Dashboard:
    """The dashboard's numbers and its PNG chart (rendered in a thread: it takes ~0.1 s)."""
    # matplotlib (~30 MB resident) is imported by the first chart, not at start-up.
    from bot.domain.charts import companies_by_sector_png

    forum = services.forum
    snap = await StatsQueries(services.db).snapshot()
    bars = [(c.name, c.colour) for c in forum.countries]
    png = await asyncio.to_thread(companies_by_sector_png, chart_counts(snap, forum), bars)
    return Dashboard(
        snapshot=snap,
        countries=_countries(forum, snap.companies_by_country),
        top_sectors=_top_sectors(forum, snap),
        funnel=await compute(services),
        broadcast_copies=await services.broadcasts.delivery_totals(),
        reminders=await services.outbox.counts(kind=REMINDER_KIND),
        meetings=await MeetingScheduler(services).counts(),
        chart=png,
    )
