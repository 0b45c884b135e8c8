"""The forum a bot serves, read from one TOML file: its name and zone, the two countries,
the sectors and the partnership intents, with their translations.

``FORUM_CONFIG`` names the file (default ``data/forum.toml``, the Romania–Pakistan IT Forum).
Everything else in the code asks this module; nothing names a country, a flag, a zone or a
sector. Pure code: :func:`parse_forum` takes the parsed TOML, :func:`load_forum` reads a file.
Problems raise :class:`ForumError` with one line for the operator.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_FORUM_FILE = Path("data/forum.toml")
# Keys are stored in the database and carried in callback data (64 bytes in all).
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{0,23}$")
CODE_PATTERN = re.compile(r"^[A-Z]{2}$")


class ForumError(ValueError):
    """The forum file is missing or malformed; the message names the place to fix."""


def _translations(table: Mapping[str, Any], field_name: str) -> dict[str, str]:
    """``label_ro = "..."`` → ``{"ro": "..."}`` for the given field."""
    prefix = f"{field_name}_"
    return {
        key[len(prefix) :]: str(value)
        for key, value in table.items()
        if key.startswith(prefix) and isinstance(value, str) and value.strip()
    }


@dataclass(frozen=True)
class Labelled:
    """Something with an English label and optional translations per language code."""

    label: str
    translations: Mapping[str, str] = field(default_factory=dict, compare=False)

    def label_in(self, language: str | None) -> str:
        if language and language in self.translations:
            return self.translations[language]
        return self.label


@dataclass(frozen=True)
class Country(Labelled):
    code: str = ""
    flag: str = ""
    timezone: str = ""
    zone_label: str = ""
    colour: str = "#555555"
    zone_translations: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return self.label

    def zone_label_in(self, language: str | None) -> str:
        if language and language in self.zone_translations:
            return self.zone_translations[language]
        return self.zone_label


@dataclass(frozen=True)
class Sector(Labelled):
    key: str = ""


@dataclass(frozen=True)
class Intent(Labelled):
    key: str = ""
    complements: tuple[str, ...] = ()
    phrase: str = ""
    phrase_translations: Mapping[str, str] = field(default_factory=dict, compare=False)

    def phrase_in(self, language: str | None) -> str:
        if language and language in self.phrase_translations:
            return self.phrase_translations[language]
        return self.phrase or self.label.lower()


@dataclass(frozen=True)
class Forum:
    name: str
    timezone: str
    countries: tuple[Country, Country]
    sectors: tuple[Sector, ...]
    intents: tuple[Intent, ...]
    name_translations: Mapping[str, str] = field(default_factory=dict, compare=False)

    def name_in(self, language: str | None) -> str:
        if language and language in self.name_translations:
            return self.name_translations[language]
        return self.name

    @property
    def codes(self) -> tuple[str, str]:
        return (self.countries[0].code, self.countries[1].code)

    @property
    def zones(self) -> tuple[str, str]:
        """The two forum zones, in the order agenda lines show them."""
        return (self.countries[0].timezone, self.countries[1].timezone)

    def country(self, code: str | None) -> Country | None:
        return next((c for c in self.countries if c.code == code), None)

    def other(self, code: str) -> Country:
        """The other side of the forum."""
        first, second = self.countries
        if code == first.code:
            return second
        if code == second.code:
            return first
        raise KeyError(code)

    def find_country(self, text: str) -> Country | None:
        """A country from what a person or a file wrote: its code or its name in any
        language, case-insensitive."""
        wanted = text.strip().casefold()
        for country in self.countries:
            names = {country.code, country.label, *country.translations.values()}
            if wanted in {n.casefold() for n in names}:
                return country
        return None

    def sector(self, key: str) -> Sector | None:
        return next((s for s in self.sectors if s.key == key), None)

    def intent(self, key: str) -> Intent | None:
        return next((i for i in self.intents if i.key == key), None)

    def find_sector(self, text: str) -> Sector | None:
        """A sector by its key or its label in any language, case-insensitive."""
        return _find(self.sectors, text)

    def find_intent(self, text: str) -> Intent | None:
        return _find(self.intents, text)

    def complements(self) -> dict[str, tuple[str, ...]]:
        """intent key → the intent keys that meet it."""
        return {i.key: i.complements for i in self.intents}

    def zone_labels(self) -> dict[str, str]:
        """IANA zone → how agenda lines name it (``Europe/Bucharest`` → ``Bucharest``)."""
        return {c.timezone: c.zone_label for c in self.countries}


def _find(items: Iterable[Sector | Intent], text: str) -> Any:
    wanted = text.strip().casefold()
    for item in items:
        names = {item.key, item.label, *item.translations.values()}
        if wanted in {n.casefold() for n in names}:
            return item
    return None


def _text(table: Mapping[str, Any], name: str, where: str) -> str:
    value = table.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ForumError(f"{where}: `{name}` must be a non-empty text")
    return value.strip()


def _zone(name: str, where: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ForumError(
            f"{where}: {name!r} is not an IANA time zone (e.g. Asia/Karachi)"
        ) from None
    return name


def _key(table: Mapping[str, Any], where: str) -> str:
    key = _text(table, "key", where)
    if not KEY_PATTERN.match(key):
        raise ForumError(
            f"{where}: key {key!r} must be 1-24 lowercase letters, digits or _ (it is stored)"
        )
    return key


def _slug(label: str) -> str:
    words = re.findall(r"[a-z0-9]+", label.casefold())
    return "_".join(words)[:24].strip("_") or "item"


def _unique(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ForumError(f"{what}: the key {key!r} is used twice")
        seen.add(key)


def _country(table: Any, index: int) -> Country:
    where = f"countries[{index}]"
    if not isinstance(table, Mapping):
        raise ForumError(f"{where} must be a table with code, name, flag, timezone, zone_label")
    code = _text(table, "code", where).upper()
    if not CODE_PATTERN.match(code):
        raise ForumError(f"{where}: code {code!r} must be two letters (ISO 3166, e.g. RO)")
    timezone = _zone(_text(table, "timezone", where), where)
    return Country(
        label=_text(table, "name", where),
        translations=_translations(table, "name"),
        code=code,
        flag=str(table.get("flag", "")).strip(),
        timezone=timezone,
        zone_label=str(table.get("zone_label") or timezone.rsplit("/", 1)[-1].replace("_", " ")),
        colour=str(table.get("colour") or Country.colour),
        zone_translations=_translations(table, "zone_label"),
    )


def _sector(entry: Any, index: int) -> Sector:
    where = f"sectors[{index}]"
    if isinstance(entry, str) and entry.strip():
        # The short form `sectors = ["Cybersecurity", ...]`: the key is the label's slug.
        return Sector(label=entry.strip(), key=_slug(entry))
    if not isinstance(entry, Mapping):
        raise ForumError(f"{where} must be a text or a table with key and label")
    return Sector(
        label=_text(entry, "label", where),
        translations=_translations(entry, "label"),
        key=_key(entry, where),
    )


def _intent(entry: Any, index: int) -> Intent:
    where = f"intents[{index}]"
    if not isinstance(entry, Mapping):
        raise ForumError(f"{where} must be a table with key, label and complements")
    complements = entry.get("complements", [])
    if not isinstance(complements, list) or not all(isinstance(c, str) for c in complements):
        raise ForumError(f"{where}: complements must be a list of intent keys")
    return Intent(
        label=_text(entry, "label", where),
        translations=_translations(entry, "label"),
        key=_key(entry, where),
        complements=tuple(complements),
        phrase=str(entry.get("phrase", "")).strip(),
        phrase_translations=_translations(entry, "phrase"),
    )


def parse_forum(data: Mapping[str, Any]) -> Forum:
    """Check and build the forum from the parsed TOML document."""
    head = data.get("forum")
    if not isinstance(head, Mapping):
        raise ForumError("[forum]: the table with the forum's name and timezone is missing")
    raw_countries = data.get("countries")
    if not isinstance(raw_countries, list) or len(raw_countries) != 2:
        raise ForumError("[[countries]]: a bilateral forum has exactly two countries")
    first, second = (_country(c, i) for i, c in enumerate(raw_countries))
    if first.code == second.code:
        raise ForumError(f"[[countries]]: both countries have the code {first.code}")
    raw_sectors = data.get("sectors", [])
    if not isinstance(raw_sectors, list) or not raw_sectors:
        raise ForumError("sectors: list at least one sector")
    sectors = tuple(_sector(s, i) for i, s in enumerate(raw_sectors))
    _unique([s.key for s in sectors], "sectors")
    raw_intents = data.get("intents", [])
    if not isinstance(raw_intents, list) or not raw_intents:
        raise ForumError("[[intents]]: list at least one partnership intent")
    intents = tuple(_intent(x, i) for i, x in enumerate(raw_intents))
    _unique([x.key for x in intents], "intents")
    known = {x.key for x in intents}
    for intent in intents:
        for other in intent.complements:
            if other not in known:
                raise ForumError(f"intents: {intent.key!r} complements unknown intent {other!r}")
    return Forum(
        name=_text(head, "name", "[forum]"),
        timezone=_zone(_text(head, "timezone", "[forum]"), "[forum]"),
        countries=(first, second),
        sectors=sectors,
        intents=intents,
        name_translations=_translations(head, "name"),
    )


def load_forum(path: Path | str = DEFAULT_FORUM_FILE) -> Forum:
    """Read and check a forum file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ForumError(f"FORUM_CONFIG: {path} does not exist") from None
    except tomllib.TOMLDecodeError as exc:
        raise ForumError(f"FORUM_CONFIG: {path} is not valid TOML ({exc})") from None
    try:
        return parse_forum(data)
    except ForumError as exc:
        raise ForumError(f"FORUM_CONFIG: {path}: {exc}") from None
