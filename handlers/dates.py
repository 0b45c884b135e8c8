"""Dates, times and durations in the reader's language, with Babel (CLDR): ``joi, 20 nov.
2025``, ``peste 15 minute``, ``جمعرات، 20 نومبر``.

Which zones a time is shown in stays the business of ``bot.domain.timefmt`` and the forum
file (both forum zones side by side, the reader's own zone added when it is neither); this
module only says each piece the way the reader's locale writes it: the date, the clock time
(12- or 24-hour as the locale prefers), a zone's city, weekday and month names, a duration
and "in 15 minutes". Each function takes the reader's :class:`~handlers.i18n.Texts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Literal

from babel.dates import (
    format_skeleton,
    format_time,
    format_timedelta,
    get_day_names,
    get_month_names,
    get_timezone_gmt,
    get_timezone_location,
)
from babel.lists import format_list
from babel.units import format_unit

from bot.domain.timefmt import NOW_WINDOW, span, zone
from handlers.i18n import Texts

# Babel says "in 2 weeks" for 14 days; a single part under a week is said exactly.
_RELATIVE_DAYS = 7

Unit = Literal["day", "hour", "minute"]
DayWidth = Literal["abbreviated", "narrow", "short", "wide"]
MonthWidth = Literal["abbreviated", "narrow", "wide"]


def _local(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(zone(zone_name))


def date(tx: Texts, moment: datetime, zone_name: str) -> str:
    """The weekday and date in ``zone_name``: ``Thu, 20 Nov 2025``, ``joi, 20 nov. 2025``."""
    return format_skeleton("yMMMEd", _local(moment, zone_name), locale=tx.locale)


def day(tx: Texts, moment: datetime, zone_name: str) -> str:
    """The weekday and date without the year: ``Thu 20 Nov``, ``joi, 20 nov.``."""
    return format_skeleton("MMMEd", _local(moment, zone_name), locale=tx.locale)


def time(tx: Texts, moment: datetime, zone_name: str) -> str:
    """The clock time in ``zone_name`` as the locale writes it: ``10:00``, ``10:00 AM``."""
    return format_time(_local(moment, zone_name), "short", locale=tx.locale)


def zone_city(tx: Texts, zone_name: str) -> str:
    """The city that names an IANA zone, in the reader's language (``Europe/London`` →
    ``Londra`` in ``ro``, ``لندن`` in ``ur``)."""
    try:
        return get_timezone_location(zone(zone_name), locale=tx.locale, return_city=True)
    except (LookupError, ValueError):
        return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def times(
    tx: Texts,
    moment: datetime,
    forum_zones: Mapping[str, str],
    user_zone_name: str | None = None,
) -> str:
    """The time in each forum zone, named as given (``forum_zones``: IANA zone → the forum
    file's label in the reader's language, in the order to show), plus the reader's own zone
    named by its city when it is none of them: ``10:00 Berlin · 16:00 Hanoi``."""
    labels = dict(forum_zones)
    if user_zone_name and user_zone_name not in labels:
        labels[user_zone_name] = zone_city(tx, user_zone_name)
    return " · ".join(f"{time(tx, moment, z)} {label}" for z, label in labels.items())


def local_time(tx: Texts, moment: datetime, zone_name: str) -> str:
    """The date, the time and the zone's offset from UTC, for one zone:
    ``Thu, 20 Nov 2025, 10:00 (GMT+02:00)``."""
    local = _local(moment, zone_name)
    offset = get_timezone_gmt(local, width="long", locale=tx.locale)
    return tx._("{date}, {time} ({offset})").format(
        date=date(tx, moment, zone_name), time=time(tx, moment, zone_name), offset=offset
    )


def weekday_name(tx: Texts, moment: datetime, zone_name: str, width: DayWidth = "wide") -> str:
    """``Thursday``, ``joi``, ``جمعرات`` (``width``: wide, abbreviated, short, narrow)."""
    names = get_day_names(width, context="stand-alone", locale=tx.locale)
    return str(names[_local(moment, zone_name).weekday()])


def month_name(tx: Texts, moment: datetime, zone_name: str, width: MonthWidth = "wide") -> str:
    """``November``, ``noiembrie``, ``نومبر`` (``width``: wide, abbreviated, narrow)."""
    names = get_month_names(width, context="stand-alone", locale=tx.locale)
    return str(names[_local(moment, zone_name).month])


def _parts(delta: timedelta) -> list[tuple[int, Unit]]:
    """The non-zero parts of ``bot.domain.timefmt.span``, largest first."""
    cut = span(delta)
    found: list[tuple[int, Unit]] = [
        (cut.days, "day"),
        (cut.hours, "hour"),
        (cut.minutes, "minute"),
    ]
    return [(n, unit) for n, unit in found if n]


def duration(tx: Texts, delta: timedelta) -> str:
    """``2 days``, ``1 oră și 5 minute``, ``15 منٹ``; under half a minute, "less than a
    minute"."""
    parts = _parts(delta)
    if not parts:
        return tx._("less than a minute")
    words = [
        format_unit(n, f"duration-{unit}", length="long", locale=tx.locale) for n, unit in parts
    ]
    return format_list(words, style="unit", locale=tx.locale)


def until(tx: Texts, start: datetime, now: datetime) -> str:
    """How far ``start`` is from ``now``: ``in 15 minutes`` / ``peste 15 minute``, "starting
    now", or "started 5 minutes ago"."""
    delta = start - now
    if abs(delta) < NOW_WINDOW:
        return tx._("starting now")
    if delta < timedelta(0):
        return tx._("started {duration} ago").format(duration=duration(tx, -delta))
    parts = _parts(delta)
    if len(parts) == 1 and not (parts[0][1] == "day" and parts[0][0] >= _RELATIVE_DAYS):
        # One whole unit: CLDR's own relative phrase, exact at this size.
        n, unit = parts[0]
        return format_timedelta(
            timedelta(**{f"{unit}s": n}),
            granularity=unit,
            threshold=1,
            add_direction=True,
            locale=tx.locale,
        )
    return tx._("in {duration}").format(duration=duration(tx, delta))


def countdown(
    tx: Texts,
    start: datetime,
    now: datetime,
    *,
    at_start: str,
    ahead: str,
    past: str,
    **values: str,
) -> str:
    """Which of three whole sentences (already translated) fits where ``now`` is, with its
    ``{duration}`` and ``values`` filled in: ``at_start`` ("… is starting now"), ``ahead``
    ("… starts in {duration}") or ``past`` ("… started {duration} ago")."""
    if abs(start - now) < NOW_WINDOW:
        template, left = at_start, ""
    elif start > now:
        template, left = ahead, duration(tx, start - now)
    else:
        template, left = past, duration(tx, now - start)
    return template.format(duration=left, **values)


def lead_label(tx: Texts, minutes: int) -> str:
    """How a reminder's lead time reads: ``1 day before``, ``1 oră înainte``, "at start"."""
    if minutes == 0:
        return tx._("at start")
    return tx._("{duration} before").format(duration=duration(tx, timedelta(minutes=minutes)))


def leads_text(tx: Texts, leads: Iterable[int]) -> str:
    """``1 hour before and at start``: the lead times, largest first, listed as the
    reader's locale lists."""
    labels = [lead_label(tx, m) for m in sorted(set(leads), reverse=True)]
    return format_list(labels, locale=tx.locale)
