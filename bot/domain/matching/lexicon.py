"""The concept lexicon: how IT companies and their clients name the same thing in different
words. The data is ``concepts.toml`` next to this module (shipped as package data); this
module reads it once, at import, and checks its shape; :mod:`bot.domain.matching.concepts`
compiles it.

Each ``[concept.KEY]`` table has

- ``label``: how a reason names it to a rep ("they offer software testing - ..."), and
  ``label_ro``, ``label_ur`` (optional): the same in each language the bot speaks;
- ``kind``: ``service`` (something a company does or sells: testing, RPA, payroll software,
  reselling) or ``segment`` (a kind of company a seek may ask for: banks, hospitals). A
  service a company offers and also names in its seeks describes the company ("resellers for
  OUR backup service"), not its need; a segment does not, so only services are discounted
  that way and only services make two companies competitors;
- ``phrases``: a list of words that name it wherever they appear, in offers or seeks;
- ``needs`` (optional list): how a client describes the problem the service solves ("we
  re-type the same data by hand"); these count only in seeks.

A phrase is a few words matched on Snowball stems, in order, case and plural blind; ``...``
stands for up to three words in between ("move ... to the cloud"). Where phrases overlap the
longest wins ("power distribution" is a utility, "distribution" alone a channel). Short,
unambiguous phrases only: a word with another common meaning goes in a longer phrase
("regression test", not "regression", which is also a kind of model).

``channels`` (:data:`CHANNELS`) are the concepts of a seek that sells, funds or launches the
seeker's own product ("investors and distributors for our VR courses"): in a seek clause that
names one, a concept after "our" is that product, not a need.

The entries were written from general knowledge of how IT services are sold and bought, not
from the evaluation set; a test checks that each concept joins its phrasings and that an
unrelated text gets none.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, NamedTuple

SERVICE = "service"
SEGMENT = "segment"
DATA = "concepts.toml"


class Entry(NamedTuple):
    """One concept."""

    label: str
    kind: str
    phrases: tuple[str, ...]
    needs: tuple[str, ...] = ()
    # The label in other languages (language code → label).
    translations: Mapping[str, str] = MappingProxyType({})

    def label_in(self, language: str | None) -> str:
        return self.translations.get(language or "", self.label)


def _strings(key: str, field: str, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) and x.strip() for x in raw):
        raise ValueError(f"{DATA}: concept {key}: {field} must be a list of phrases")
    return tuple(" ".join(x.split()) for x in raw)


def parse(raw: Mapping[str, Any]) -> tuple[tuple[str, ...], Mapping[str, Entry]]:
    """The channels and the concepts of a parsed lexicon file, checked."""
    lexicon: dict[str, Entry] = {}
    for key, table in raw.get("concept", {}).items():
        label, kind = table.get("label"), table.get("kind")
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"{DATA}: concept {key}: no label")
        if kind not in (SERVICE, SEGMENT):
            raise ValueError(f"{DATA}: concept {key}: unknown kind {kind!r}")
        translations = {
            field.removeprefix("label_"): value
            for field, value in table.items()
            if field.startswith("label_")
        }
        if not all(isinstance(v, str) and v.strip() for v in translations.values()):
            raise ValueError(f"{DATA}: concept {key}: a translated label is empty")
        unknown = (
            set(table)
            - {"label", "kind", "phrases", "needs"}
            - {f"label_{lang}" for lang in translations}
        )
        if unknown:
            raise ValueError(f"{DATA}: concept {key}: unknown fields {sorted(unknown)}")
        lexicon[key] = Entry(
            label,
            kind,
            _strings(key, "phrases", table.get("phrases")),
            _strings(key, "needs", table.get("needs", [])) if "needs" in table else (),
            MappingProxyType(translations),
        )
    channels = tuple(raw.get("channels", ()))
    missing = [c for c in channels if c not in lexicon]
    if missing:
        raise ValueError(f"{DATA}: channels not in the lexicon: {missing}")
    return channels, MappingProxyType(lexicon)


def _load() -> tuple[tuple[str, ...], Mapping[str, Entry]]:
    text = resources.files(__package__).joinpath(DATA).read_text(encoding="utf-8")
    return parse(tomllib.loads(text))


CHANNELS, LEXICON = _load()
