"""The organisers' dashboard (/stats): the numbers of the forum as one HTML message, and the
chart of companies by sector and country."""

from __future__ import annotations

import asyncio

from bot.domain.charts import companies_by_sector_png
from bot.domain.texts import esc
from bot.services.broadcasts import delivery_line
from bot.services.container import Services
from bot.services.meeting_schedule import MeetingCounts, MeetingScheduler
from bot.services.reminders import REMINDER_KIND
from storage.stats import Snapshot, StatsQueries


def funnel_line(label: str, value: int, base: int) -> str:
    share = f" ({value / base:.0%})" if base else ""
    return f"{label}: <b>{value}</b>{share}"


def delivery_counts(counts: dict[str, int]) -> str:
    return f"{delivery_line(counts)} · pending {counts['pending']}"


def meetings_line(m: MeetingCounts) -> str:
    rating = f", mean rating {m.mean_rating:.1f}/5" if m.mean_rating is not None else ""
    return (
        f"<b>1:1 meetings</b>: {m.confirmed} confirmed · {m.proposed} proposed · "
        f"{m.declined} declined · {m.cancelled} cancelled · {m.expired} expired; "
        f"took place {m.held} · did not {m.not_held} · moved {m.moved}{rating}"
    )


def stats_text(
    snap: Snapshot,
    delivery: dict[str, int],
    reminders: dict[str, int] | None = None,
    meetings: MeetingCounts | None = None,
) -> str:
    countries = " · ".join(f"{esc(c)} {n}" for c, n in sorted(snap.companies_by_country.items()))
    total_companies = sum(snap.companies_by_country.values())
    sectors: dict[str, int] = {}
    for (sector, _country), n in snap.companies_by_sector.items():
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
        "<b>Funnel</b>",
        funnel_line("1. started the bot (users)", snap.users, snap.users),
        funnel_line("2. registered (company reps)", snap.reps, snap.users),
        f"3. companies with cross-border matches: <b>{snap.companies_with_matches}</b>"
        + (f" of {total_companies}" if total_companies else ""),
        f"4. introductions requested: <b>{snap.introductions_requested}</b>",
        funnel_line(
            "5. introductions accepted",
            snap.introductions_accepted,
            snap.introductions_requested,
        ),
        "",
        f"<b>Agenda</b>: {snap.subscriptions} subscriptions by {snap.subscribers} users",
        f"<b>Broadcast copies</b>: {delivery_counts(delivery)}",
    ]
    if reminders is not None:
        lines.append(f"<b>Session reminders</b>: {delivery_counts(reminders)}")
    if meetings is not None:
        lines.append(meetings_line(meetings))
    return "\n".join(lines)


async def dashboard(services: Services) -> tuple[str, bytes]:
    """The dashboard text and the PNG chart (rendered in a thread: it takes ~0.1 s)."""
    snap = await StatsQueries(services.db).snapshot()
    delivery = await services.broadcasts.delivery_totals()
    reminders = await services.outbox.counts(kind=REMINDER_KIND)
    meetings = await MeetingScheduler(services).counts()
    png = await asyncio.to_thread(companies_by_sector_png, snap.companies_by_sector)
    return stats_text(snap, delivery, reminders, meetings), png
