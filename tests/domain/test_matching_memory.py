"""What keeps the matching index within its memory at 10,000 companies (issue 15: peak RSS
of the bot ≤ 300 MB): each per-company object is slotted, what profiles share is held once,
and the bulk build's buffers and pair cache are no bigger than they must be."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from bot.domain.matching import Matcher, MatchIndex, Profile, rank
from bot.domain.matching.mirror import MISSING, Mirror
from bot.domain.matching.screen import Workspace
from tests.support.matching_eval import RULES, profiles, with_vectors


def test_profiles_naming_the_same_sectors_and_intents_share_their_sets() -> None:
    items = profiles()
    matcher = Matcher(RULES)
    prepared = [matcher.prepare(p) for p in items]
    for name in ("sectors", "intents", "wanted", "wanted_other_side"):
        values = [getattr(p, name) for p in prepared]
        distinct = {id(v) for v in values}
        assert len(distinct) == len(set(values)) < len(values), name


def test_a_prepared_profile_holds_its_embeddings_once_in_a_slotted_object() -> None:
    items = with_vectors(profiles())
    index = MatchIndex(items, RULES, k=10)
    p = index.matcher.prepare(items[0])
    assert p.rows is not None and p.seek_vec is not None and p.offer_vec is not None
    assert p.cols is not None
    for view, same in ((p.seek_vec, p.rows[0]), (p.offer_vec, p.rows[1])):
        assert np.shares_memory(view, p.rows) and np.array_equal(view, same)
    assert np.array_equal(p.cols, np.stack([p.rows[1], p.rows[0]]).T)
    for held in (p, items[0], items[0].vectors, index.matcher.prepare(items[1])):
        assert not hasattr(held, "__dict__"), type(held).__name__


def test_the_mirror_lets_a_pair_go_once_it_is_read_back() -> None:
    matcher = Matcher(RULES)
    first, second = RULES.countries
    a = matcher.prepare(next(p for p in profiles() if p.country == first))
    b = matcher.prepare(next(p for p in profiles() if p.country == second))
    mirror = Mirror(second=3)
    mirror.put(0, 2, (-0.5, -0.25, 7))
    read = mirror.get(0, 2, b, a, a.profile.id)
    assert read == (-0.25, -0.5, a.profile.id)  # these two read alike from both sides
    assert mirror.get(0, 2, b, a, a.profile.id) is MISSING


def test_a_block_is_screened_in_thirteen_score_buffers_and_four_masks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Buffers whose values are spent take the later steps' results (5 MB less per block
    # at 5,000 companies a side); the scores stay those of rank() (test_matching_eval).
    named: dict[int, dict[str, np.dtype[Any]]] = {}
    get = Workspace.get

    def record(self: Workspace, name: str, shape: tuple[int, int], dtype: Any = np.float32) -> Any:
        named.setdefault(id(self), {})[name] = np.dtype(dtype)
        return get(self, name, shape, dtype)

    monkeypatch.setattr(Workspace, "get", record)
    items: list[Profile] = with_vectors(profiles())
    index = MatchIndex(items, RULES, k=10)
    # The screen's own workspace; the others hold the two results handed to the caller.
    screen = max(named.values(), key=len)
    kinds = list(screen.values())
    assert (kinds.count(np.dtype(np.float32)), kinds.count(np.dtype(bool))) == (13, 4)
    assert sorted(len(w) for w in named.values() if w is not screen) == [2, 2]
    for p in items[:: len(items) // 10]:
        assert index.top_ids(p.id) == [m.other.id for m in rank(p, items, RULES, limit=10)]
