"""The matching evaluation set: 179 fictional companies written the way reps write, and the
partner an organiser would introduce first for 97 of them.

``tests/data/matching_eval_companies.csv`` holds the companies (the import columns the matcher
reads); ``tests/data/matching_eval_labels.csv`` the labels: company, expected first partner,
split and the difficulty classes the case exercises. The splits:

- ``train`` (38 cases): the weights are calibrated on it;
- ``held-out`` (26): written with ``train``, never used to fit a weight (but its misses were
  read while choosing what to improve, so it is no longer blind);
- ``held-out-2`` (33 cases, 59 more companies): written later, before the concept lexicon
  (:mod:`bot.domain.matching.concepts`) and the matcher changes that came with it, and not
  looked at while making them - the honest measure of generalisation. Its companies join the
  same pool, so they are distractors for the older cases too.

The classes:

- ``paraphrase``: the fit is in meaning, not in shared words;
- ``competitor``: a company across the border that offers (or seeks) the same thing uses the
  same words as the partner;
- ``sector``: the partner is filed under another sector than same-sector companies that do not
  fit;
- ``intent-trap``: a company ticked the complementary intent, but its text is about something
  else;
- ``acronym`` (VAPT, IDP, OCR...), ``specificity`` (one of many similar shops names the exact
  technology), ``lexical-trap`` (a shared word with another meaning: "Excel"), ``tie`` (the text
  must break what intents and sectors leave equal), ``plain``.

All three splits are reported by ``bench/matching.py``.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bot.domain.matching import Profile, Rules
from bot.domain.matching.vectors import from_rows, pack, unpack
from bot.forum import Intent, Sector, load_forum
from bot.services.embeddings import Embedder, default_embedder, embed_profiles

DATA = Path(__file__).resolve().parents[1] / "data"
# The set is written with the Romania–Pakistan forum's names; profiles carry its codes and keys.
FORUM = load_forum(Path(__file__).resolve().parents[2] / "data" / "forum.toml")
RULES = Rules.of(FORUM)
COMPANIES = DATA / "matching_eval_companies.csv"
LABELS = DATA / "matching_eval_labels.csv"
SPLITS = ("train", "held-out", "held-out-2")


@dataclass(frozen=True)
class Label:
    company: str
    expected: str
    split: str
    difficulty: tuple[str, ...]


@dataclass(frozen=True)
class Scores:
    cases: int
    hit1: float
    hit3: float
    hit10: float
    mrr3: float
    misses: tuple[tuple[str, str, int | None], ...]  # (company, expected, rank or None)

    def line(self) -> str:
        return (
            f"top-1 {self.hit1:5.1%}  top-3 {self.hit3:5.1%}  top-10 {self.hit10:5.1%}  "
            f"MRR@3 {self.mrr3:.3f}  ({self.cases} cases)"
        )


def _code(name: str) -> str:
    country = FORUM.find_country(name)
    assert country is not None, name
    return country.code


def _key(found: Sector | Intent | None) -> str:
    assert found is not None
    return found.key


def profiles(companies: Path = COMPANIES) -> list[Profile]:
    """The companies of a CSV file in the import's columns (by default the evaluation set's),
    as the matcher reads them."""
    with companies.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Profile(
            id=i,
            name=r["name"],
            country=_code(r["country"]),
            sectors=tuple(_key(FORUM.find_sector(s)) for s in r["sectors"].split(";") if s),
            offers=r["offers"],
            seeks=r["seeks"],
            partnerships=tuple(
                _key(FORUM.find_intent(s)) for s in r["partnerships"].split(";") if s
            ),
            size=r["size"] or None,
        )
        for i, r in enumerate(rows, start=1)
    ]


def with_vectors(items: Sequence[Profile], embedder: Embedder | None = None) -> list[Profile]:
    """``items`` with their embeddings, as the bot stores them (float16 round trip)."""
    model = embedder or default_embedder()
    out: list[Profile] = []
    for first in range(0, len(items), 512):
        chunk = items[first : first + 512]
        rows = embed_profiles(
            model, [(p.offers, p.seeks) for p in chunk], places=FORUM.place_names()
        )
        out.extend(
            replace(p, vectors=from_rows(unpack(pack(r), model.dims), p.offers, p.seeks))
            for p, r in zip(chunk, rows, strict=True)
        )
    return out


def labels(split: str | None = None) -> list[Label]:
    with LABELS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = [
        Label(r["company"], r["expected"], r["split"], tuple(r["difficulty"].split())) for r in rows
    ]
    return [x for x in found if split is None or x.split == split]


def evaluate(ranked: Callable[[Profile], Sequence[int]], cases: Sequence[Label]) -> Scores:
    """Scores of a ranking function (a profile → ids of its matches, best first)."""
    by_name = {p.name: p for p in profiles()}
    hit1 = hit3 = hit10 = 0
    mrr = 0.0
    misses: list[tuple[str, str, int | None]] = []
    for case in cases:
        ids = list(ranked(by_name[case.company]))
        expected = by_name[case.expected].id
        rank = ids.index(expected) + 1 if expected in ids else None
        hit1 += rank == 1
        hit3 += rank is not None and rank <= 3
        hit10 += rank is not None and rank <= 10
        mrr += 1 / rank if rank is not None and rank <= 3 else 0.0
        if rank != 1:
            misses.append((case.company, case.expected, rank))
    n = max(len(cases), 1)
    return Scores(len(cases), hit1 / n, hit3 / n, hit10 / n, mrr / n, tuple(misses))
