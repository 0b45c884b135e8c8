"""The live index (bot.domain.matching.live) after any sequence of changes gives every
company exactly the list Matcher.rank gives it from scratch."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from bot.domain.matching import Matcher, Profile, pair_key
from bot.domain.matching.live import LiveIndex
from tests.support.matching_eval import RULES, profiles, with_vectors

K = 6


@pytest.fixture(scope="module")
def pool() -> list[Profile]:
    return with_vectors(profiles())


def _expected(
    everyone: dict[int, Profile], excluded: set[tuple[int, int]], company: int, n: int
) -> list[int]:
    me = everyone[company]
    found = Matcher(RULES).rank(me, everyone.values(), excluded=excluded, limit=n)
    return [m.other.id for m in found]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_changes_match_a_fresh_ranking(pool: list[Profile], seed: int) -> None:
    rnd = random.Random(seed)
    start = rnd.sample(pool, 120)
    later = [p for p in pool if p not in start]
    everyone = {p.id: p for p in start}
    excluded: set[tuple[int, int]] = set()
    index = LiveIndex(start, RULES, k=K)
    for _ in range(40):
        op = rnd.choice(["add", "edit", "pause", "delete", "exclude"])
        ids = sorted(everyone)
        if op == "add" and later:
            p = later.pop()
            everyone[p.id] = p
            index.put(p)
        elif op == "edit":
            # Another company's texts and sectors under this one's id and country.
            p, donor = everyone[rnd.choice(ids)], rnd.choice(pool)
            p = replace(p, offers=donor.offers, seeks=donor.seeks, vectors=donor.vectors)
            everyone[p.id] = p
            index.put(p)
        elif op == "pause":
            p = replace(everyone[rnd.choice(ids)], matchable=False)
            everyone[p.id] = p
            index.put(p)
        elif op == "delete":
            gone = rnd.choice(ids)
            del everyone[gone]
            index.remove(gone)
        else:
            company = rnd.choice(ids)
            listed = index.top_ids(company, K)
            if listed:
                pair = pair_key(company, rnd.choice(listed))
                excluded.add(pair)
                index.exclude(pair)
    for company, p in everyone.items():
        for n in (1, 3, K):
            if not index.ready(company, n):
                index.refresh(company)
            got = index.top_ids(company, n) if p.matchable else []
            assert got == _expected(everyone, excluded, company, n), (company, n)
            assert [m.other.id for m in index.top(company, n)] == got


def test_a_reopened_pair_comes_back(pool: list[Profile]) -> None:
    start = pool[:100]
    index = LiveIndex(start, RULES, k=K)
    company = next(p.id for p in start if index.top_ids(p.id, 1))
    first = index.top_ids(company, 1)[0]
    index.exclude((company, first))
    assert first not in index.top_ids(company, K)
    index.reopen(set(), [company])
    assert index.top_ids(company, 1) == [first]
