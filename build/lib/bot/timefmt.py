"""Time formatting for people: both forum zones side by side, the user's own zone, dates and
"in 15 minutes". Times are stored in UTC; this is the only place they become local."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

BUCHAREST = "Europe/Bucharest"
KARACHI = "Asia/Karachi"
# The two sides of the forum, shown on every agenda line in this order.
FORUM_ZONES: tuple[str, ...] = (BUCHAREST, KARACHI)
# Default zone by country at registration (DESIGN.md); others get the event zone.
COUNTRY_ZONES = {"RO": BUCHAREST, "PK": KARACHI}


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def find_zone(text: str) -> str | None:
    """The canonical IANA name for what a user typed (case and spaces forgiven), or None."""
    cleaned = "_".join(text.strip().split()).strip("/")
    if not cleaned or len(cleaned) > 64:
        return None
    name = _zone_names().get(cleaned.casefold())
    if name is None:
        return None
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def user_zone(timezone: str | None, default: str) -> str:
    """The zone to show a user: theirs if set and valid, else the event's."""
    if timezone:
        try:
            zone(timezone)
            return timezone
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default


def city(name: str) -> str:
    """``Europe/Bucharest`` → ``Bucharest``; ``America/Port_of_Spain`` → ``Port of Spain``."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def hhmm(moment: datetime, zone_name: str) -> str:
    return moment.astimezone(zone(zone_name)).strftime("%H:%M")


def times(moment: datetime, user_zone_name: str | None = None) -> str:
    """``10:00 Bucharest · 13:00 Karachi``, plus the user's own zone when it is neither."""
    zones = list(FORUM_ZONES)
    if user_zone_name and user_zone_name not in zones:
        zones.append(user_zone_name)
    return " · ".join(f"{hhmm(moment, z)} {city(z)}" for z in zones)


def date(moment: datetime, zone_name: str) -> str:
    """``Thu 20 Nov 2025`` in the given zone."""
    local = moment.astimezone(zone(zone_name))
    return f"{local:%a} {local.day} {local:%b %Y}"


def local_time(moment: datetime, zone_name: str) -> str:
    """``Thu 20 Nov 2025, 10:00 (UTC+02:00)`` — one zone, with its offset spelled out."""
    local = moment.astimezone(zone(zone_name))
    offset = local.strftime("%z")
    sign, hours, minutes = offset[0], offset[1:3], offset[3:5]
    return f"{date(moment, zone_name)}, {local:%H:%M} (UTC{sign}{hours}:{minutes})"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def duration(delta: timedelta) -> str:
    """``2 days``, ``1 hour 5 minutes``, ``15 minutes``, ``less than a minute``."""
    minutes = int((delta.total_seconds() + 30) // 60)
    if minutes < 1:
        return "less than a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        # A day away, minutes are noise.
        return _plural(days, "day") + (f" {_plural(hours, 'hour')}" if hours else "")
    if hours:
        return _plural(hours, "hour") + (f" {_plural(mins, 'minute')}" if mins else "")
    return _plural(mins, "minute")


def until(start: datetime, now: datetime) -> str:
    """``in 15 minutes``, ``starting now`` or ``started 5 minutes ago``."""
    delta = start - now
    if abs(delta.total_seconds()) < 30:
        return "starting now"
    if delta.total_seconds() < 0:
        return f"started {duration(-delta)} ago"
    return f"in {duration(delta)}"


def lead_label(minutes: int) -> str:
    """How a reminder lead time reads on a button: ``1 day``, ``1 hour``, ``at start``."""
    if minutes == 0:
        return "at start"
    return duration(timedelta(minutes=minutes))
