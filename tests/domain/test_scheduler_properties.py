"""The meeting scheduler's properties (hypothesis): on random small problems every plan keeps
every rule (checked from scratch here), every pair left out has a true reason, the solver is
never worse than greedy and its optimum is the brute-force optimum."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.scheduler import (
    Candidate,
    Kind,
    LeftOut,
    Meeting,
    Placed,
    Problem,
    Reason,
    Schedule,
    Status,
    greedy,
    schedule,
)
from tests.support.scheduling import slots


def check_plan(problem: Problem, result: Schedule) -> None:
    """Every rule of issue 12, checked from scratch on the problem and the plan."""
    tables = {s.id: s.tables for s in problem.slots}
    meetings = [(m.a, m.b, m.slot) for m in problem.existing]
    meetings += [(p.candidate.a, p.candidate.b, p.slot) for p in result.placed]
    load = Counter(slot for _, _, slot in meetings)
    assert all(load[s] <= n for s, n in tables.items())
    per_company = Counter(c for a, b, _ in meetings for c in (a, b))
    for p in result.placed:
        for c in (p.candidate.a, p.candidate.b):
            assert per_company[c] <= problem.max_meetings_per_company, c
    company_slots = Counter((c, slot) for a, b, slot in meetings for c in (a, b))
    for p in result.placed:
        for c in (p.candidate.a, p.candidate.b):
            assert company_slots[c, p.slot] == 1
            assert p.slot not in problem.unavailable.get(c, set())
    pairs = Counter(tuple(sorted((a, b))) for a, b, _ in meetings)
    assert all(n == 1 for n in pairs.values())
    # Every candidate comes back exactly once: placed or left out.
    everyone = [p.candidate for p in result.placed] + [left.candidate for left in result.left_out]
    assert sorted(map(id, everyone)) == sorted(map(id, problem.candidates))
    assert result.total_score == pytest.approx(sum(p.candidate.score for p in result.placed))
    for left in result.left_out:
        check_reason(problem, meetings, left)


def check_reason(problem: Problem, meetings: list[tuple[int, int, int]], left: LeftOut) -> None:
    """The reason given is a fact about the problem and the final plan."""
    a, b = left.candidate.a, left.candidate.b
    fixed_busy = {(c, m.slot) for m in problem.existing for c in (m.a, m.b)}
    common = [
        s.id
        for s in problem.slots
        if all(
            s.id not in problem.unavailable.get(c, set()) and (c, s.id) not in fixed_busy
            for c in (a, b)
        )
    ]
    load = Counter(slot for _, _, slot in meetings)
    tables = {s.id: s.tables for s in problem.slots}
    busy = {(c, slot) for x, y, slot in meetings for c in (x, y)}
    count = Counter(c for x, y, _ in meetings for c in (x, y))
    if left.reason is Reason.ALREADY_MEETING:
        assert left.candidate.pair in {m.pair for m in problem.existing}
    elif left.reason is Reason.NO_COMMON_SLOT:
        assert not common
    elif left.reason is Reason.COMPANY_FULL:
        assert left.company in (a, b)
        assert count[left.company] >= problem.max_meetings_per_company
    elif left.reason is Reason.SLOTS_FULL:
        assert common and all(load[s] >= tables[s] for s in common)
    else:
        assert left.reason is Reason.NOT_SELECTED
        assert all(load[s] >= tables[s] or (a, s) in busy or (b, s) in busy for s in common)


def brute_force(problem: Problem, weight: float) -> float:
    """The best weighted score over every assignment (each candidate: no slot, or one)."""
    choices = [None, *(s.id for s in problem.slots)]
    best = 0.0
    for assignment in itertools.product(choices, repeat=len(problem.candidates)):
        plan = [
            Placed(c, s)
            for c, s in zip(problem.candidates, assignment, strict=True)
            if s is not None
        ]
        if _valid(problem, plan):
            best = max(best, sum(_weighted(p.candidate, weight) for p in plan))
    return best


def _weighted(c: Candidate, weight: float) -> float:
    return c.score * (weight if c.kind is Kind.ACCEPTED else 1)


def _valid(problem: Problem, plan: Iterable[Placed]) -> bool:
    meetings = [(m.a, m.b, m.slot) for m in problem.existing]
    new = [(p.candidate.a, p.candidate.b, p.slot) for p in plan]
    load = Counter(slot for _, _, slot in meetings + new)
    count = Counter(c for a, b, _ in meetings + new for c in (a, b))
    used = Counter((c, slot) for a, b, slot in meetings + new for c in (a, b))
    existing_pairs = {m.pair for m in problem.existing}
    tables = {s.id: s.tables for s in problem.slots}
    for a, b, slot in new:
        if tables[slot] < load[slot] or tuple(sorted((a, b))) in existing_pairs:
            return False
        for c in (a, b):
            if count[c] > problem.max_meetings_per_company or used[c, slot] > 1:
                return False
            if slot in problem.unavailable.get(c, set()):
                return False
    return True


@st.composite
def problems(draw: st.DrawFn, max_candidates: int = 12) -> Problem:
    n_slots = draw(st.integers(1, 4))
    the_slots = slots(*draw(st.lists(st.integers(0, 3), min_size=n_slots, max_size=n_slots)))
    companies = list(range(1, draw(st.integers(2, 7)) + 1))
    all_pairs = list(itertools.combinations(companies, 2))
    pairs = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=max_candidates))
    scores = st.one_of(st.integers(0, 12), st.floats(0, 12).map(lambda x: round(x, 6)))
    candidates = []
    for a, b in pairs:
        if draw(st.booleans()):  # either order: the scheduler must not care
            a, b = b, a
        candidates.append(Candidate(a, b, draw(scores), draw(st.sampled_from(Kind))))
    slot_ids = [s.id for s in the_slots]
    unavailable = {
        c: set(draw(st.lists(st.sampled_from(slot_ids), max_size=n_slots))) for c in companies
    }
    limit = draw(st.integers(0, 3))
    existing: list[Meeting] = []
    for pair in draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=3)):
        slot = draw(st.sampled_from(slot_ids))
        so_far = Problem(the_slots, [], unavailable, existing, limit)
        if _valid(so_far, [Placed(Candidate(*pair, 0), slot)]):
            existing.append(Meeting(*pair, slot))
    return Problem(the_slots, candidates, unavailable, existing, limit)


@settings(max_examples=150, deadline=None)
@given(problems(), st.sampled_from([1.0, 2.0, 1000.0]))
def test_plans_are_feasible_and_never_worse_than_greedy(problem: Problem, weight: float) -> None:
    base = greedy(problem, accepted_weight=weight)
    best = schedule(problem, accepted_weight=weight)
    check_plan(problem, base)
    check_plan(problem, best)
    assert best.objective >= base.objective
    assert best.status is Status.OPTIMAL
    if all(c.kind is Kind.ACCEPTED for c in problem.candidates):
        assert best.total_score >= base.total_score - 1e-9


@settings(max_examples=80, deadline=None)
@given(problems(max_candidates=5), st.sampled_from([1.0, 2.0]))
def test_the_optimum_is_the_brute_force_optimum(problem: Problem, weight: float) -> None:
    best = schedule(problem, accepted_weight=weight)
    assert best.objective == pytest.approx(brute_force(problem, weight), abs=1e-6)
    assert best.gap == 0
