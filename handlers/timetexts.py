"""Dates, lengths of time and reminder lead times in the reader's words: every helper that
produces words takes the reader's :class:`Texts`, so the one place to localise them (issue
11: Babel's ``format_date`` / ``format_timedelta``) is here. The zone logic stays in
``bot.domain.timefmt``; this module only says what it computed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.domain.timefmt import NOW_WINDOW, Span, local, span, utc_offset
from handlers.i18n import N_, Texts

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def day(tx: Texts, moment: datetime, zone_name: str) -> str:
    """``Thu 20 Nov``: the day in the reader's zone."""
    at = local(moment, zone_name)
    return tx._("{weekday} {day} {month}").format(
        weekday=tx._(WEEKDAYS[at.weekday()]), day=at.day, month=tx._(MONTHS[at.month - 1])
    )


def date(tx: Texts, moment: datetime, zone_name: str) -> str:
    """``Thu 20 Nov 2025`` in the given zone."""
    at = local(moment, zone_name)
    return tx._("{weekday} {day} {month} {year}").format(
        weekday=tx._(WEEKDAYS[at.weekday()]),
        day=at.day,
        month=tx._(MONTHS[at.month - 1]),
        year=at.year,
    )


def local_time(tx: Texts, moment: datetime, zone_name: str) -> str:
    """``Thu 20 Nov 2025, 10:00 (UTC+02:00)``: one zone, with its offset spelled out."""
    return tx._("{date}, {time} (UTC{offset})").format(
        date=date(tx, moment, zone_name),
        time=f"{local(moment, zone_name):%H:%M}",
        offset=utc_offset(moment, zone_name),
    )


def _span(tx: Texts, parts: Span) -> str:
    if parts.under_a_minute:
        return tx._("less than a minute")
    days = tx.n_("{n} day", "{n} days", parts.days)
    hours = tx.n_("{n} hour", "{n} hours", parts.hours)
    minutes = tx.n_("{n} minute", "{n} minutes", parts.minutes)
    if parts.days:
        return tx._("{days} {hours}").format(days=days, hours=hours) if parts.hours else days
    if parts.hours:
        return (
            tx._("{hours} {minutes}").format(hours=hours, minutes=minutes)
            if parts.minutes
            else hours
        )
    return minutes


def duration(tx: Texts, delta: timedelta) -> str:
    """``2 days``, ``1 hour 5 minutes``, ``15 minutes``, ``less than a minute``."""
    return _span(tx, span(delta))


def until(tx: Texts, start: datetime, now: datetime) -> str:
    """``in 15 minutes``, ``starting now`` or ``started 5 minutes ago``."""
    delta = start - now
    if abs(delta) < NOW_WINDOW:
        return tx._("starting now")
    if delta < timedelta(0):
        return tx._("started {duration} ago").format(duration=duration(tx, -delta))
    return tx._("in {duration}").format(duration=duration(tx, delta))


def countdown(
    tx: Texts, start: datetime, now: datetime, *, at_start: str, ahead: str, past: str
) -> tuple[str, str]:
    """Which of three whole sentences (already translated) fits where ``now`` is, and the
    ``{duration}`` to fill in: ``at_start`` ("… is starting now"), ``ahead`` ("… starts in
    {duration}") or ``past`` ("… started {duration} ago")."""
    if abs(start - now) < NOW_WINDOW:
        return at_start, ""
    if start > now:
        return ahead, duration(tx, start - now)
    return past, duration(tx, now - start)


def lead_label(tx: Texts, minutes: int) -> str:
    """How a reminder lead time reads: ``1 day before``, ``15 minutes before``, ``at start``."""
    if minutes == 0:
        return tx._("at start")
    return tx._("{duration} before").format(duration=duration(tx, timedelta(minutes=minutes)))


def leads_text(tx: Texts, leads: Iterable[int]) -> str:
    """``1 hour before and at start``: the lead times, largest first."""
    labels = [lead_label(tx, m) for m in sorted(set(leads), reverse=True)]
    if len(labels) == 1:
        return labels[0]
    return tx._("{items} and {last}").format(items=", ".join(labels[:-1]), last=labels[-1])
