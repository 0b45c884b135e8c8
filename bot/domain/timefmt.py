"""Time zones for people: both forum zones side by side, the user's own zone, the clock time
in a zone and lengths of time cut as people say them. Times are stored in UTC;
this is where they become local. Also the zone a person means when they type a city, a
country or an IANA name.

No words here: dates, durations and "in 15 minutes" are written in the reader's language by
``handlers.dates`` (Babel) from what this module computes. The forum's two zones and how agenda
lines name them come from the forum file (``Forum.zone_labels()``), passed in: nothing here
names a zone of a forum."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def _key(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


# The continents and oceans that name today's zones (older aliases are "US/Eastern", "GB").
_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe"}
    | {"Indian", "Pacific"}
)


def _preference(name: str) -> tuple[bool, int, str]:
    # When two zones end in the same city, a zone under a continent or ocean wins over an
    # old alias ("US/Eastern"), and the shorter name over the longer.
    area = name.split("/", 1)[0]
    return area not in _AREAS, name.count("/"), name


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """``new york`` → ``America/New_York``: the city part of every IANA name."""
    by_city: dict[str, str] = {}
    for name in sorted(available_timezones(), key=_preference):
        if "/" in name and not name.startswith("Etc/"):
            by_city.setdefault(_key(city(name)), name)
    return by_city


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    """``japan`` → ``("Asia/Tokyo",)``: each country's zones, from tzdata's own tables
    (``iso3166.tab`` names the countries, ``zone.tab`` lists their zones)."""
    try:
        folder = resources.files("tzdata").joinpath("zoneinfo")
        names = folder.joinpath("iso3166.tab").read_text(encoding="utf-8")
        zones = folder.joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError):
        return {}
    by_code: dict[str, list[str]] = {}
    for line in zones.splitlines():
        if line and not line.startswith("#"):
            fields = line.split("\t")
            by_code.setdefault(fields[0], []).append(fields[2])
    by_name: dict[str, tuple[str, ...]] = {}
    for line in names.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            by_name[_key(name)] = tuple(by_code.get(code, ()))
    return by_name


def _valid(name: str) -> str | None:
    try:
        zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def find_zone(text: str) -> str | None:
    """The canonical IANA name for what a user typed — an IANA name (``europe/london``), a
    city (``Tokyo``, ``new york``) or a country with one zone (``Japan``); case and spaces
    forgiven; in ``Osaka, Japan`` the first part that is known counts — or None."""
    for part in (text, *text.split(",")):
        cleaned = "_".join(part.strip().split()).strip("/")
        if not cleaned or len(cleaned) > 64:
            continue
        name = _zone_names().get(cleaned.casefold()) or _cities().get(_key(cleaned))
        country = _countries().get(_key(cleaned), ())
        if name is None and len(country) == 1:
            name = country[0]
        if name is not None:
            return _valid(name)
    return None


def suggest_zones(text: str, limit: int = 3) -> list[str]:
    """The IANA names closest to what a user typed, best first: a country's zones, or the
    names whose city or full name is spelled most like it."""
    wanted = _key(text.strip().strip("/"))[:64]
    if not wanted:
        return []
    found = [name for name in _countries().get(wanted, ()) if _valid(name)]
    choices = {_key(name): name for name in _zone_names().values() if "/" in name}
    choices.update(_cities())
    for key in difflib.get_close_matches(wanted, list(choices), n=limit * 3, cutoff=0.75):
        name = choices[key]
        if name not in found and _valid(name):
            found.append(name)
    return found[:limit]


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
    """``Europe/London`` → ``London``; ``America/Port_of_Spain`` → ``Port of Spain``."""
    return name.rsplit("/", 1)[-1].replace("_", " ")


def hhmm(moment: datetime, zone_name: str) -> str:
    return moment.astimezone(zone(zone_name)).strftime("%H:%M")


def times(
    moment: datetime, forum_zones: Mapping[str, str], user_zone_name: str | None = None
) -> str:
    """The time in both forum zones, named as the forum file names them (``forum_zones``:
    IANA zone → label, e.g. ``10:00 Berlin · 16:00 Hanoi``), plus the user's own zone when it
    is neither."""
    labels = dict(forum_zones)
    if user_zone_name and user_zone_name not in labels:
        labels[user_zone_name] = city(user_zone_name)
    return " · ".join(f"{hhmm(moment, z)} {label}" for z, label in labels.items())


def local(moment: datetime, zone_name: str) -> datetime:
    """``moment`` on the clocks of ``zone_name``."""
    return moment.astimezone(zone(zone_name))


@dataclass(frozen=True)
class Span:
    """A length of time as people say it: whole days and hours, or hours and minutes (a day
    away, minutes are noise); rounded to the nearest minute. Words are the handlers'."""

    days: int = 0
    hours: int = 0
    minutes: int = 0

    @property
    def under_a_minute(self) -> bool:
        return not (self.days or self.hours or self.minutes)


def span(delta: timedelta) -> Span:
    """``timedelta(days=2, hours=3, minutes=4)`` → ``Span(2, 3, 0)``."""
    minutes = int((delta.total_seconds() + 30) // 60)
    if minutes < 1:
        return Span()
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return Span(days, hours, 0) if days else Span(0, hours, mins)


# Closer than this to the start, a session is "starting now".
NOW_WINDOW = timedelta(seconds=30)
