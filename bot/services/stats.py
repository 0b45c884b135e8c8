"""The organisers' dashboard (/stats): the numbers of the forum as one HTML message, and the
chart of companies by sector and country (names, labels and colours from the forum file)."""

from __future__ import annotations

import asyncio

from bot.domain.charts import companies_by_sector_png
from bot.forum import Forum
from bot.services.broadcasts import delivery_line
from bot.services.container import Services
from bot.services.meeting_schedule import MeetingCounts, MeetingScheduler
from bot.services.reminders import REMINDER_KIND
from handlers.html import esc
from storage.stats import Snapshot, StatsQueries


def delivery_counts(counts: dict[str, int]) -> str:
    return f"{delivery_line(counts)} · pending {counts['pending']}"


def _countries_line(forum: Forum, by_country: dict[str, int]) -> str:
    """``🇩🇪 Germany 3 · 🇻🇳 Vietnam 2``: the forum's two countries first, in its order."""
    codes = [c.code for c in forum.countries if by_country.get(c.code)]
    codes += sorted(code for code in by_country if code not in forum.codes)
    return " · ".join(f"{esc(forum.flag_and_name(code))} {by_country[code]}" for code in codes)


def meetings_line(m: MeetingCounts) -> str:
    rating = f", mean rating {m.mean_rating:.1f}/5" if m.mean_rating is not None else ""
    return (
        f"<b>1:1 meetings</b>: {m.confirmed} confirmed · {m.proposed} proposed · "
        f"{m.declined} declined · {m.cancelled} cancelled · {m.expired} expired; "
        f"took place {m.held} · did not {m.not_held} · moved {m.moved}{rating}"
    )


def stats_text(
    snap: Snapshot,
    forum: Forum,
    delivery: dict[str, int],
    reminders: dict[str, int] | None = None,
    funnel: str = "",
    meetings: MeetingCounts | None = None,
) -> str:
    """The dashboard; ``funnel`` is the one funnel (bot.services.funnel) as the reader's
    handler rendered it."""
    countries = _countries_line(forum, snap.companies_by_country)
    total_companies = sum(snap.companies_by_country.values())
    sectors: dict[str, int] = {}
    for (key, _country), n in snap.companies_by_sector.items():
        sector = forum.sector_label(key)
        sectors[sector] = sectors.get(sector, 0) + n
    top = sorted(sectors.items(), key=lambda kv: (-kv[1], kv[0]))[:8]
    sector_lines = [f"  {esc(s)}: {n}" for s, n in top] or ["  none yet"]
    lines = [
        "📊 <b>Forum dashboard</b>",
        "",
        f"<b>Users</b>: {snap.users} ({snap.active_users} reachable, {snap.blocked_users} "
        f"blocked the bot, {snap.organisers} promoted organisers)",
        f"<b>Companies</b>: {total_companies}" + (f" — {countries}" if countries else ""),
        "<b>Top sectors</b>:",
        *sector_lines,
        "",
        funnel,
        "",
        f"<b>Agenda</b>: {snap.subscriptions} subscriptions by {snap.subscribers} users",
        f"<b>Broadcast copies</b>: {delivery_counts(delivery)}",
    ]
    if reminders is not None:
        lines.append(f"<b>Session reminders</b>: {delivery_counts(reminders)}")
    if meetings is not None:
        lines.append(meetings_line(meetings))
    return "\n".join(lines)


def chart_counts(snap: Snapshot, forum: Forum) -> dict[tuple[str, str], int]:
    """(sector label, country name) -> companies: the chart's bars, named by the forum."""
    counts: dict[tuple[str, str], int] = {}
    for (key, code), n in snap.companies_by_sector.items():
        bar = (forum.sector_label(key), forum.country_name(code))
        counts[bar] = counts.get(bar, 0) + n
    return counts


async def dashboard(services: Services, funnel: str = "") -> tuple[str, bytes]:
    """The dashboard text and the PNG chart (rendered in a thread: it takes ~0.1 s)."""
    forum = services.forum
    snap = await StatsQueries(services.db).snapshot()
    delivery = await services.broadcasts.delivery_totals()
    reminders = await services.outbox.counts(kind=REMINDER_KIND)
    meetings = await MeetingScheduler(services).counts()
    bars = [(c.name, c.colour) for c in forum.countries]
    png = await asyncio.to_thread(companies_by_sector_png, chart_counts(snap, forum), bars)
    return stats_text(snap, forum, delivery, reminders, funnel, meetings), png
