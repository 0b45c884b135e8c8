"""The forum a bot serves, read from one TOML file: its name and zone, the two countries,
the sectors and the partnership intents, with their translations.

``FORUM_CONFIG`` names the file (default ``data/forum.toml``, the first forum the bot served).
Everything else in the code asks this module; nothing names a country, a flag, a zone or a
sector. Pure code: :func:`parse_forum` takes the parsed TOML, :func:`load_forum` reads a file.
Problems raise :class:`ForumError` with one line for the operator.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_FORUM_FILE = Path("data/forum.toml")
# The file that ships with the code: the default when ``data/forum.toml`` is not in the
# working directory (``python -m bot`` run from elsewhere in a checkout).
SHIPPED_FORUM_FILE = Path(__file__).resolve().parents[1] / DEFAULT_FORUM_FILE
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


def translated(text: str, translations: Mapping[str, str], language: str | None) -> str:
    """``text`` in ``language`` where the forum file translates it, otherwise as written."""
    return translations.get(language, text) if language else text


@dataclass(frozen=True)
class Labelled:
    """Something with an English label and optional translations per language code."""

    label: str
    translations: Mapping[str, str] = field(default_factory=dict, compare=False)

    def label_in(self, language: str | None) -> str:
        return translated(self.label, self.translations, language)


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
        return translated(self.zone_label, self.zone_translations, language)


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
        return translated(self.phrase or self.label.lower(), self.phrase_translations, language)


@dataclass(frozen=True)
class Forum:
    """The forum. ``sectors`` and ``intents`` are what the file offers; ``retired_sectors``
    and ``retired_intents`` are those it no longer lists but stored profiles still have
    (from the database's catalogue, :meth:`with_retired`): they stay readable by their key,
    and are never offered or accepted again."""

    name: str
    timezone: str
    countries: tuple[Country, Country]
    sectors: tuple[Sector, ...]
    intents: tuple[Intent, ...]
    name_translations: Mapping[str, str] = field(default_factory=dict, compare=False)
    retired_sectors: tuple[Sector, ...] = ()
    retired_intents: tuple[Intent, ...] = ()

    def name_in(self, language: str | None) -> str:
        return translated(self.name, self.name_translations, language)

    @property
    def codes(self) -> tuple[str, str]:
        return (self.countries[0].code, self.countries[1].code)

    @property
    def zones(self) -> tuple[str, str]:
        """The two forum zones, in the order agenda lines show them."""
        return (self.countries[0].timezone, self.countries[1].timezone)

    def country(self, code: str | None) -> Country | None:
        return next((c for c in self.countries if c.code == code), None)

    def country_name(self, code: str | None, language: str | None = None) -> str:
        """The country's name; a code this forum does not know is shown as it is."""
        country = self.country(code)
        return country.label_in(language) if country else (code or "")

    def flag_and_name(self, code: str | None, language: str | None = None) -> str:
        """The flag and the name (``🇩🇪 Germany``): how cards and buttons show a country."""
        country = self.country(code)
        if country is None:
            return code or ""
        return f"{country.flag} {country.label_in(language)}".strip()

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
        """A sector by its key, offered or retired."""
        return next((s for s in (*self.sectors, *self.retired_sectors) if s.key == key), None)

    def intent(self, key: str) -> Intent | None:
        """An intent by its key, offered or retired."""
        return next((i for i in (*self.intents, *self.retired_intents) if i.key == key), None)

    def sector_label(self, key: str, language: str | None = None) -> str:
        sector = self.sector(key)
        return sector.label_in(language) if sector else key

    def intent_label(self, key: str, language: str | None = None) -> str:
        intent = self.intent(key)
        return intent.label_in(language) if intent else key

    def phrases(self, language: str | None = None) -> dict[str, str]:
        """intent key → how a match reason reads it (``want resellers``)."""
        return {i.key: i.phrase_in(language) for i in (*self.intents, *self.retired_intents)}

    def sector_labels(self, language: str | None = None) -> dict[str, str]:
        """sector key → label, retired sectors included."""
        return {s.key: s.label_in(language) for s in (*self.sectors, *self.retired_sectors)}

    def with_retired(
        self, sectors: Iterable[tuple[str, str]], intents: Iterable[tuple[str, str]]
    ) -> Forum:
        """This forum plus the (key, label) pairs stored profiles still have and the file no
        longer lists, so that those profiles stay readable."""
        offered_sectors = {s.key for s in self.sectors}
        offered_intents = {i.key for i in self.intents}
        return replace(
            self,
            retired_sectors=tuple(
                Sector(label=label, key=key) for key, label in sectors if key not in offered_sectors
            ),
            retired_intents=tuple(
                Intent(label=label, key=key) for key, label in intents if key not in offered_intents
            ),
        )

    def find_sector(self, text: str) -> Sector | None:
        """An offered sector by its key or its label in any language, case-insensitive."""
        return _find(self.sectors, text)

    def find_intent(self, text: str) -> Intent | None:
        return _find(self.intents, text)

    def complements(self) -> dict[str, tuple[str, ...]]:
        """intent key → the intent keys that meet it."""
        return {i.key: i.complements for i in self.intents}

    def place_names(self) -> tuple[str, ...]:
        """The two countries' names in every language the file has (what a profile's text
        calls them; the matcher leaves them out, they say nothing about fit)."""
        names = {n for c in self.countries for n in (c.label, *c.translations.values())}
        return tuple(sorted(names))

    def zone_labels(self, language: str | None = None) -> dict[str, str]:
        """IANA zone → how agenda lines name it in ``language`` (``Asia/Ho_Chi_Minh`` →
        ``Hanoi``)."""
        return {c.timezone: c.zone_label_in(language) for c in self.countries}


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
            f"{where}: {name!r} is not an IANA time zone (e.g. Europe/Berlin)"
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
        raise ForumError(f"{where}: code {code!r} must be two letters (ISO 3166, e.g. DE)")
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


def forum_path(setting: str | None = None) -> Path:
    """The file ``FORUM_CONFIG`` names; unset, ``data/forum.toml`` of the working directory,
    or the one that ships with the code when the working directory has none."""
    if setting and setting.strip():
        return Path(setting.strip())
    if DEFAULT_FORUM_FILE.is_file():
        return DEFAULT_FORUM_FILE
    return SHIPPED_FORUM_FILE


def load_forum(path: Path | str = DEFAULT_FORUM_FILE) -> Forum:
    """Read and check a forum file."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ForumError(f"FORUM_CONFIG: {path} does not exist") from None
    except OSError as exc:
        raise ForumError(f"FORUM_CONFIG: {path} cannot be read ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ForumError(f"FORUM_CONFIG: {path} is not valid TOML ({exc})") from None
    try:
        return parse_forum(data)
    except ForumError as exc:
        raise ForumError(f"FORUM_CONFIG: {path}: {exc}") from None
