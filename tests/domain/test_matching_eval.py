"""The matcher on its evaluation set (tests/data, see tests/matching_eval.py): the partner an
organiser would introduce first must stay in the top 3 as often as the calibrated matcher
put it there, with a margin of about two cases per split; and meaning must keep beating
words alone. ``bench/matching.py`` prints the full figures."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from bot.domain.matching import CALIBRATED, LEXICAL, Matcher, MatchIndex, pair_key, rank
from bot.domain.matching import index as index_module
from bot.domain.matching.blocks import BLOCK_ROWS
from bot.domain.matching.screen import Features
from tests.support.matching_eval import RULES, Scores, evaluate, labels, profiles, with_vectors

# What the matcher reached (bench/match_quality.py, bench/matching.py): train 100% / 0.982,
# held-out 100% / 1.000, held-out-2 97.0% / 0.838 (main's matcher before the concept
# lexicon: 97.4% / 0.943, 84.6% / 0.788, 84.8% / 0.768). held-out-2 holds issue 16's goal
# (top-3 >= 90 %, MRR@3 >= 0.80); the others keep a margin of about two cases.
FLOORS = {"train": (0.94, 0.93), "held-out": (0.92, 0.92), "held-out-2": (0.90, 0.80)}


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, str], Scores]:
    plain = profiles()
    embedded = with_vectors(plain)
    found: dict[tuple[str, str], Scores] = {}
    for name, items, weights in (("new", embedded, CALIBRATED), ("lexical", plain, LEXICAL)):
        index = MatchIndex(items, RULES, k=10, weights=weights)
        for split in FLOORS:
            found[name, split] = evaluate(lambda p, i=index: i.top_ids(p.id), labels(split))
    return found


@pytest.mark.parametrize("split", list(FLOORS))
def test_the_first_partner_stays_in_the_top_three(
    scores: dict[tuple[str, str], Scores], split: str
) -> None:
    hit3, mrr3 = FLOORS[split]
    found = scores["new", split]
    assert found.hit3 >= hit3 and found.mrr3 >= mrr3, (found.line(), found.misses)


@pytest.mark.parametrize("split", list(FLOORS))
def test_meaning_beats_words_alone(scores: dict[tuple[str, str], Scores], split: str) -> None:
    new, lexical = scores["new", split], scores["lexical", split]
    assert new.hit3 > lexical.hit3 and new.mrr3 > lexical.mrr3, (new.line(), lexical.line())


def test_the_set_is_what_it_says() -> None:
    # 179 companies, 97 labelled cases of every difficulty class, three splits, all
    # cross-border, every name once.
    items = {p.name: p for p in profiles()}
    cases = labels()
    assert len(items) == len(profiles()) == 179 and len(cases) == 97
    assert {c.split for c in cases} == {"train", "held-out", "held-out-2"}
    assert len(labels("held-out-2")) == 33
    assert {d for c in cases for d in c.difficulty} >= {
        "paraphrase",
        "competitor",
        "sector",
        "intent-trap",
        "acronym",
        "tie",
    }
    for case in cases:
        assert items[case.company].country != items[case.expected].country


def test_the_bulk_build_agrees_with_rank_across_blocks() -> None:
    # More companies a side than one block of the bulk build (its block-wide candidate
    # picks, the second side's kept scores and the pairs it reads back from the first side),
    # with embeddings and some pairs excluded.
    items = with_vectors(profiles())
    assert min(sum(p.country == c for p in items) for c in RULES.countries) > BLOCK_ROWS
    excluded = {pair_key(a.id, b.id) for a, b in zip(items[::7], items[3::11], strict=False)}
    index = MatchIndex(items, RULES, k=10, excluded=excluded)
    for p in items:
        expected = rank(p, items, RULES, excluded=excluded, limit=10)
        assert index.top_ids(p.id) == [m.other.id for m in expected], p.name


def test_the_next_block_is_screened_while_this_one_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The float screen of the bulk build runs a block ahead on a thread of its own (numpy
    # lets go of the GIL), so the exact pass's Python and the screen's products share the
    # two cores. The first row read waits for the second block's screen: it must come.
    screening = threading.Event()
    screened_on: set[int] = set()
    waited: list[bool] = []
    block, pick = Features.block, index_module.best

    def screen(self: Features, other: Features, start: int, *args: Any) -> Any:
        screened_on.add(threading.get_ident())
        if start == BLOCK_ROWS:
            screening.set()
        return block(self, other, start, *args)

    def read(*args: Any, **kwargs: Any) -> Any:
        if not waited:
            waited.append(screening.wait(timeout=5))
        return pick(*args, **kwargs)

    monkeypatch.setattr(Features, "block", screen)
    monkeypatch.setattr(index_module, "best", read)
    items = with_vectors(profiles())
    index = MatchIndex(items, RULES, k=10)
    assert waited == [True]
    assert threading.get_ident() not in screened_on
    for p in items[:: len(items) // 20]:
        assert index.top_ids(p.id) == [m.other.id for m in rank(p, items, RULES, limit=10)]


def test_the_screen_holds_only_the_terms_each_profile_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A forum's companies use thousands of distinct terms, each profile a few dozen: the
    # screen's word and concept rows are sparse, so neither memory nor the products grow
    # with the width of the vocabulary.
    built: list[Features] = []
    of = Features.of.__func__  # type: ignore[attr-defined]

    def keep(cls: type[Features], *args: Any) -> Features:
        built.append(of(cls, *args))
        return built[-1]

    monkeypatch.setattr(Features, "of", classmethod(keep))
    MatchIndex(profiles(), RULES, k=10)
    assert len(built) == 2
    for f in built:
        rows, width = f.seeks.shape
        assert width > 400
        for m, by_term in ((f.seeks, f.seeks_by_term), (f.offers, f.offers_by_term)):
            assert m.data.nbytes + m.indices.nbytes + m.indptr.nbytes < rows * width * 4 / 10
            assert np.array_equal(by_term.toarray(), m.toarray().T)


def test_a_pair_reads_the_same_from_both_sides() -> None:
    # What the bulk build's Mirror (bot/domain/matching/mirror.py) relies on: from the second
    # country's side a pair's measurements are the first's turned round, to the last bit, and
    # when the intents read alike from both sides, so are its scores and whether it matches.
    items = with_vectors(profiles())
    matcher = Matcher(RULES)
    first, second = RULES.countries
    alike = 0
    for a in (matcher.prepare(p) for p in items if p.country == first):
        for b in (matcher.prepare(p) for p in items if p.country == second):
            mine, theirs = matcher.parts(a, b), matcher.parts(b, a)
            assert theirs._replace(intents=0, opposite=0) == mine.flipped()._replace(
                intents=0, opposite=0
            )
            if mine.intents == theirs.intents and bool(mine.opposite) == bool(theirs.opposite):
                alike += 1
                assert theirs.has_reason() == mine.has_reason()
                assert matcher.totals(theirs) == matcher.totals(mine)[::-1]
    assert alike > 5000
