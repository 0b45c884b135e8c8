"""The meeting scheduler alone: hand-checked instances where greedy is provably worse, each rule,
the reasons for pairs left out, the priority of accepted introductions, and what happens to an
interrupted or wrong solver answer. The hypothesis properties are in
test_scheduler_properties.py."""

from __future__ import annotations

import pytest

from bot.domain import scheduler_milp
from bot.domain.scheduler import (
    Candidate,
    Kind,
    LeftOut,
    Meeting,
    Problem,
    Reason,
    Schedule,
    Status,
    greedy,
    schedule,
)
from tests.support.scheduling import slots

A, B, C, D, E = 1, 2, 3, 4, 5


def placed(result: Schedule) -> dict[tuple[int, int], int]:
    return {p.candidate.pair: p.slot for p in result.placed}


def reasons(result: Schedule) -> dict[tuple[int, int], LeftOut]:
    return {left.candidate.pair: left for left in result.left_out}


# -- hand-checked instances where greedy is worse ---------------------------------------


def test_max_per_company_optimal_beats_greedy() -> None:
    # Each company meets at most once. Greedy takes A-B (10) and so blocks A-C and D-B;
    # the plans are {A-B} = 10, {A-C, D-B} = 16, so 16 is optimal.
    problem = Problem(
        slots(2),
        [Candidate(A, B, 10), Candidate(A, C, 8), Candidate(D, B, 8)],
        max_meetings_per_company=1,
    )
    base, best = greedy(problem), schedule(problem)
    assert placed(base) == {(A, B): 1}
    assert base.total_score == 10
    assert set(placed(best)) == {(A, C), (B, D)}
    assert best.total_score == 16
    assert best.status is Status.OPTIMAL and best.gap == 0
    left = reasons(best)[A, B]
    assert left.reason is Reason.COMPANY_FULL and left.company == A
    assert left.explanation == f"company {A} already at its maximum of 1"


def test_slot_choice_optimal_beats_greedy() -> None:
    # One table per slot; C cannot come to slot 2. Greedy puts A-B (10) in the earliest slot,
    # 1, which is C-D's only slot: 10. Optimal: A-B in 2, C-D in 1: 15.
    problem = Problem(slots(1, 1), [Candidate(A, B, 10), Candidate(C, D, 5)], unavailable={C: {2}})
    base, best = greedy(problem), schedule(problem)
    assert placed(base) == {(A, B): 1}
    assert reasons(base)[C, D].reason is Reason.SLOTS_FULL
    assert placed(best) == {(A, B): 2, (C, D): 1}
    assert (best.total_score, base.total_score) == (15, 10)


def test_company_time_optimal_beats_greedy() -> None:
    # Two tables per slot, so only A's own time conflicts; C comes to slot 1 only. Greedy puts
    # A-B in slot 1 and leaves A-C out: 10. Optimal: A-C in 1, A-B in 2: 19.
    problem = Problem(slots(2, 2), [Candidate(A, B, 10), Candidate(A, C, 9)], unavailable={C: {2}})
    base, best = greedy(problem), schedule(problem)
    assert placed(base) == {(A, B): 1}
    left = reasons(base)[A, C]
    assert left.reason is Reason.NOT_SELECTED
    assert left.explanation.startswith("not selected by the greedy pass")
    assert placed(best) == {(A, C): 1, (A, B): 2}
    assert best.total_score == 19 and best.objective == 38  # accepted: weight 2


# -- each rule ----------------------------------------------------------------------------


def test_one_meeting_per_company_per_slot() -> None:
    problem = Problem(slots(5), [Candidate(A, B, 3), Candidate(A, C, 2)])
    best = schedule(problem)
    assert placed(best) == {(A, B): 1}
    left = reasons(best)[A, C]
    assert left.reason is Reason.NOT_SELECTED
    assert left.explanation.startswith("not selected by the optimiser: lower total score")


def test_tables_per_slot() -> None:
    problem = Problem(slots(2), [Candidate(A, B, 3), Candidate(C, D, 2), Candidate(E, 6, 1)])
    best = schedule(problem)
    assert placed(best) == {(A, B): 1, (C, D): 1}
    assert reasons(best)[E, 6].reason is Reason.SLOTS_FULL
    assert reasons(best)[E, 6].explanation == "all common free slots full"


def test_slot_without_tables_holds_nothing() -> None:
    best = schedule(Problem(slots(0, 1), [Candidate(A, B, 1)]))
    assert placed(best) == {(A, B): 2}


def test_max_meetings_per_company_default_is_eight() -> None:
    problem = Problem(slots(*[1] * 10), [Candidate(A, 100 + k, 1 + k) for k in range(10)])
    best = schedule(problem)
    assert len(best.placed) == 8
    # The two lowest scores are the ones left out, for A's maximum.
    assert {left.candidate.b for left in best.left_out} == {100, 101}
    assert {left.reason for left in best.left_out} == {Reason.COMPANY_FULL}


def test_only_slots_where_both_are_available() -> None:
    problem = Problem(
        slots(1, 1, 1),
        [Candidate(A, B, 2), Candidate(C, D, 1)],
        unavailable={A: {1}, B: {2}, C: {1, 2}, D: {3}},
    )
    best = schedule(problem)
    assert placed(best) == {(A, B): 3}
    assert reasons(best)[C, D].reason is Reason.NO_COMMON_SLOT
    assert reasons(best)[C, D].explanation == "no common free slot"


def test_existing_meetings_stay_and_use_tables_time_and_quota() -> None:
    existing = [Meeting(A, B, 1), Meeting(C, 9, 2)]
    problem = Problem(
        slots(1, 2, 1),
        [
            Candidate(A, C, 5),  # A busy in 1, C busy in 2: only slot 3
            Candidate(D, E, 4),  # slot 1 is full with A-B; 2 has a table left
            Candidate(A, B, 9),  # already meeting
            Candidate(C, 6, 3),  # C has used its quota of 2 (C-9 and A-C)
        ],
        existing=existing,
        max_meetings_per_company=2,
    )
    best = schedule(problem)
    assert placed(best) == {(A, C): 3, (D, E): 2}
    assert reasons(best)[A, B].reason is Reason.ALREADY_MEETING
    assert reasons(best)[C, 6].reason is Reason.COMPANY_FULL
    assert reasons(best)[C, 6].company == C
    assert not any(p.candidate.pair == (A, B) for p in best.placed)


def test_existing_meetings_alone_can_fill_a_company() -> None:
    problem = Problem(slots(3, 3), [Candidate(A, C, 5)], existing=[Meeting(A, B, 1)])
    best = schedule(problem, time_limit=5)
    assert placed(best) == {(A, C): 2}
    full = Problem(
        slots(3, 3), [Candidate(A, C, 5)], existing=[Meeting(A, B, 1)], max_meetings_per_company=1
    )
    assert reasons(schedule(full))[A, C].reason is Reason.COMPANY_FULL


def test_a_pair_meets_at_most_once() -> None:
    best = schedule(Problem(slots(3, 3, 3), [Candidate(A, B, 7)]))
    assert len(best.placed) == 1


def test_duplicate_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="candidate twice"):
        schedule(Problem(slots(1), [Candidate(A, B, 1), Candidate(B, A, 2, Kind.OPT_IN)]))


@pytest.mark.parametrize(
    "problem",
    [
        Problem(slots(1), [Candidate(A, A, 1)]),
        Problem(slots(1), [Candidate(A, B, -1)]),
        Problem(slots(1), [Candidate(A, B, float("nan"))]),
        Problem(slots(1), [Candidate(A, B, 1)], unavailable={A: {7}}),
        Problem(slots(1), [], existing=[Meeting(A, B, 7)]),
        Problem([*slots(1), *slots(1)], []),
        Problem(slots(1), [], max_meetings_per_company=-1),
    ],
)
def test_malformed_input_is_refused(problem: Problem) -> None:
    with pytest.raises(ValueError):
        schedule(problem)
    with pytest.raises(ValueError):
        greedy(problem)


# -- priority of accepted introductions --------------------------------------------------


@pytest.mark.parametrize(
    ("opt_in_score", "weight", "winner"),
    [(7, 2.0, (A, B)), (9, 2.0, (A, C)), (9, 1000.0, (A, B)), (5, 1.0, (A, C))],
)
def test_accepted_introductions_weigh_more(
    opt_in_score: float, weight: float, winner: tuple[int, int]
) -> None:
    # A meets once: an accepted introduction scored 4 (weighted 4 × weight) against an opt-in.
    problem = Problem(
        slots(2),
        [Candidate(A, B, 4), Candidate(A, C, opt_in_score, Kind.OPT_IN)],
        max_meetings_per_company=1,
    )
    best = schedule(problem, accepted_weight=weight)
    assert set(placed(best)) == {winner}
    assert set(placed(greedy(problem, accepted_weight=weight))) == {winner}


# -- the solver's answer is checked and topped up -----------------------------------------


def test_an_interrupted_solve_is_topped_up_greedily(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = Problem(slots(1, 1), [Candidate(A, B, 10), Candidate(C, D, 5)], unavailable={C: {2}})

    def partial(model: scheduler_milp.Model, *, time_limit: float) -> scheduler_milp.Solved:
        return scheduler_milp.Solved([(1, 1)], bound=31.0, optimal=False, seconds=1.0)

    monkeypatch.setattr(scheduler_milp, "solve", partial)
    best = schedule(problem)
    assert best.status is Status.FEASIBLE
    assert placed(best) == {(C, D): 1, (A, B): 2}
    assert best.gap == pytest.approx((31 - 30) / 31)


def test_an_infeasible_answer_falls_back_to_greedy(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = Problem(slots(1), [Candidate(A, B, 10), Candidate(C, D, 5)])

    def wrong(model: scheduler_milp.Model, *, time_limit: float) -> scheduler_milp.Solved:
        return scheduler_milp.Solved([(0, 1), (1, 1)], bound=30.0, optimal=True, seconds=1.0)

    monkeypatch.setattr(scheduler_milp, "solve", wrong)
    best = schedule(problem)
    assert best.status is Status.FALLBACK
    assert placed(best) == placed(greedy(problem))


def test_no_candidates() -> None:
    best = schedule(Problem(slots(1), []))
    assert (best.placed, best.left_out, best.status, best.gap) == ((), (), Status.OPTIMAL, 0)


def test_same_problem_same_plan() -> None:
    problem = _medium(seed=3)
    first, second = schedule(problem), schedule(problem)
    assert first.status is Status.OPTIMAL
    assert first.placed == second.placed and first.left_out == second.left_out
    assert first.total_score >= greedy(problem).total_score


def _medium(seed: int) -> Problem:
    import random

    rng = random.Random(seed)
    pairs = {(rng.randint(1, 20), rng.randint(21, 40)) for _ in range(120)}
    return Problem(
        slots(*[3] * 9),
        [Candidate(a, b, round(rng.uniform(0.5, 12), 6)) for a, b in sorted(pairs)],
        unavailable={c: {s for s in range(1, 10) if rng.random() < 0.1} for c in range(1, 41)},
        max_meetings_per_company=4,
    )
