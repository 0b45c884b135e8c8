"""The meeting scheduler: which candidate pairs meet, and in which slot, so that the total match
score of the meetings placed is as high as possible (issue 12).

Pure code: plain dataclasses in, plain dataclasses out, no I/O. :func:`schedule` solves the
problem exactly as an integer program with HiGHS (the model, and why HiGHS rather than CP-SAT,
are in :mod:`bot.domain.scheduler_milp`); :func:`greedy` is the baseline (highest score first,
earliest common free slot). The solver's plan is topped up greedily (it matters only when the
time limit cut the search short) and greedy's plan is the fallback, so :func:`schedule` is
never worse than :func:`greedy`.

The rules, for every plan either function returns:
- a company is in at most one meeting per slot, and in at most ``max_meetings_per_company``
  meetings in all;
- a meeting goes only in a slot where both companies are available;
- a slot holds at most ``tables`` meetings (its block's tables);
- existing meetings stay where they are: they take their slot's table and their companies'
  time, and count towards the maximum;
- a pair meets at most once (a pair with an existing meeting gets no second one).

Priority: an accepted introduction is a meeting both sides asked for, a mutual top-3 opt-in is
the matcher's suggestion that the organisers book on the companies' behalf. So in the objective
an accepted introduction counts ``accepted_weight`` (default 2) times its match score, an opt-in
once: in a one-for-one trade an opt-in displaces an accepted introduction only when its score
is more than twice as high. A large weight (say 1,000) puts accepted introductions first in
practice. The greedy baseline orders by the same weighted score. ``total_score`` reports plain
match scores; the objective, its bound and the gap are of the weighted sum.

Every pair left out carries a reason computed from the final plan (see :class:`Reason`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from bot.domain import scheduler_milp

DEFAULT_MAX_MEETINGS = 8
ACCEPTED_WEIGHT = 2.0
# Plans are compared in integral units, so "never worse than greedy" is exact, not up to float
# noise; matching scores carry 6 decimals (bot.matching), so 10**6 keeps every score exact.
SCALE = 10**6


class Kind(StrEnum):
    ACCEPTED = "accepted introduction"
    OPT_IN = "mutual top-3 opt-in"


@dataclass(frozen=True)
class Slot:
    """One meeting slot of a meetings block; ``tables`` meetings can run in it at once."""

    id: int
    start: datetime
    end: datetime
    block_id: int
    tables: int


@dataclass(frozen=True)
class Candidate:
    """A pair of companies that should meet, with their match score."""

    a: int
    b: int
    score: float
    kind: Kind = Kind.ACCEPTED

    @property
    def pair(self) -> tuple[int, int]:
        return pair_key(self.a, self.b)


@dataclass(frozen=True)
class Meeting:
    """An existing meeting: fixed, it stays in its slot."""

    a: int
    b: int
    slot: int

    @property
    def pair(self) -> tuple[int, int]:
        return pair_key(self.a, self.b)


@dataclass(frozen=True)
class Problem:
    slots: Sequence[Slot]
    candidates: Sequence[Candidate]
    # company id -> the slot ids it cannot attend; a company not named is free in every slot
    unavailable: Mapping[int, Set[int]] = field(default_factory=dict)
    existing: Sequence[Meeting] = ()
    max_meetings_per_company: int = DEFAULT_MAX_MEETINGS


@dataclass(frozen=True)
class Placed:
    candidate: Candidate
    slot: int


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven: no plan scores higher
    FEASIBLE = "feasible"  # the time limit stopped the solver; ``gap`` bounds the loss
    GREEDY = "greedy"  # the greedy baseline's plan
    FALLBACK = "greedy fallback"  # the solver found nothing better in time: greedy's plan


class Reason(StrEnum):
    """Why a candidate was left out; the first that holds, in this order, is given.

    ALREADY_MEETING: the pair has an existing meeting. NO_COMMON_SLOT: no slot where both are
    available and neither has an existing meeting. COMPANY_FULL: in the final plan one of the
    two is at the maximum. SLOTS_FULL: in the final plan every common free slot has all its
    tables taken. NOT_SELECTED: in every common free slot the tables are taken or one of the
    two meets another company, so this meeting needs others moved or dropped; with a proven
    optimum, no plan with it scores higher.
    """

    ALREADY_MEETING = "already has a meeting"
    NO_COMMON_SLOT = "no common free slot"
    COMPANY_FULL = "company at its maximum"
    SLOTS_FULL = "all common free slots full"
    NOT_SELECTED = "not selected"


@dataclass(frozen=True)
class LeftOut:
    candidate: Candidate
    reason: Reason
    explanation: str  # plain English for the organiser's preview and the CLI
    company: int | None = None  # for COMPANY_FULL: the company at its maximum


@dataclass(frozen=True)
class Schedule:
    placed: tuple[Placed, ...]
    left_out: tuple[LeftOut, ...]
    status: Status
    total_score: float  # sum of the plain match scores of the meetings placed
    objective: float  # sum of the weighted scores: what is maximised
    bound: float | None  # proven upper bound on the objective (None: greedy alone, no proof)
    gap: float | None  # (bound - objective) / bound, the proven optimality gap
    solver_seconds: float | None  # the solver's own wall time (None for greedy alone)


def pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


@dataclass
class _Index:
    """The problem checked and flattened: what is left after the existing meetings."""

    problem: Problem
    units: list[int]  # per candidate: weighted score in 1/SCALE units
    common: list[list[int]]  # per candidate: slots (in time order) free for both companies
    room: dict[int, int]  # slot -> tables left
    quota: dict[int, int]  # company -> meetings left
    existing_pairs: set[tuple[int, int]]


def _index(problem: Problem, accepted_weight: float) -> _Index:
    if not math.isfinite(accepted_weight) or accepted_weight <= 0:
        raise ValueError(f"accepted_weight must be a positive number, not {accepted_weight}")
    if problem.max_meetings_per_company < 0:
        raise ValueError("max_meetings_per_company must be at least 0")
    tables: dict[int, int] = {}
    for slot in problem.slots:
        if slot.id in tables:
            raise ValueError(f"slot {slot.id} is given twice")
        if slot.tables < 0 or slot.end <= slot.start:
            raise ValueError(f"slot {slot.id} needs end after start and tables ≥ 0")
        tables[slot.id] = slot.tables
    for company, slots in problem.unavailable.items():
        if unknown := set(slots) - tables.keys():
            raise ValueError(f"company {company} is unavailable in unknown slots {unknown}")
    load: Counter[int] = Counter()
    count: Counter[int] = Counter()
    busy: dict[int, set[int]] = defaultdict(set)
    for meeting in problem.existing:
        if meeting.slot not in tables or meeting.a == meeting.b:
            raise ValueError(f"existing meeting {meeting} names an unknown slot or one company")
        load[meeting.slot] += 1
        for company in (meeting.a, meeting.b):
            count[company] += 1
            busy[company].add(meeting.slot)
    order = [s.id for s in sorted(problem.slots, key=lambda s: (s.start, s.id))]
    units: list[int] = []
    common: list[list[int]] = []
    seen: set[tuple[int, int]] = set()
    for cand in problem.candidates:
        if cand.a == cand.b:
            raise ValueError(f"candidate {cand} pairs a company with itself")
        if cand.pair in seen:
            raise ValueError(f"pair {cand.pair} is a candidate twice")
        if not math.isfinite(cand.score) or cand.score < 0:
            raise ValueError(f"candidate {cand} needs a finite score ≥ 0")
        seen.add(cand.pair)
        weight = accepted_weight if cand.kind is Kind.ACCEPTED else 1.0
        units.append(round(cand.score * weight * SCALE))
        blocked = set(problem.unavailable.get(cand.a, ())) | set(
            problem.unavailable.get(cand.b, ())
        )
        blocked |= busy.get(cand.a, set()) | busy.get(cand.b, set())
        common.append([s for s in order if s not in blocked])
    companies = {c for cand in problem.candidates for c in (cand.a, cand.b)}
    limit = problem.max_meetings_per_company
    return _Index(
        problem=problem,
        units=units,
        common=common,
        room={s: max(0, n - load[s]) for s, n in tables.items()},
        quota={c: max(0, limit - count[c]) for c in companies},
        existing_pairs={m.pair for m in problem.existing},
    )


class _Tally:
    """Tables, meetings and time left once the meetings of a plan are placed."""

    def __init__(self, ix: _Index, plan: list[tuple[int, int]]) -> None:
        self.ix = ix
        self.room = dict(ix.room)
        self.quota = dict(ix.quota)
        self.taken: set[tuple[int, int]] = set()  # (company, slot)
        self.placed: set[int] = set()
        for i, slot in plan:
            self.add(i, slot)

    def fits(self, i: int, slot: int) -> bool:
        """Whether candidate ``i`` can meet in ``slot`` without moving anything."""
        cand = self.ix.problem.candidates[i]
        return (
            i not in self.placed
            and cand.pair not in self.ix.existing_pairs
            and slot in self.ix.common[i]
            and self.room[slot] > 0
            and all(self.quota[c] > 0 and (c, slot) not in self.taken for c in (cand.a, cand.b))
        )

    def add(self, i: int, slot: int) -> None:
        cand = self.ix.problem.candidates[i]
        self.placed.add(i)
        self.room[slot] -= 1
        for c in (cand.a, cand.b):
            self.quota[c] -= 1
            self.taken.add((c, slot))


def _fill(ix: _Index, plan: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``plan`` plus, highest weighted score first, every candidate that still fits, each in
    its earliest common free slot. From an empty plan this is the greedy baseline."""
    tally = _Tally(ix, plan)
    result = list(plan)
    for i in sorted(range(len(ix.units)), key=lambda i: (-ix.units[i], i)):
        slot = next((s for s in ix.common[i] if tally.fits(i, s)), None)
        if slot is not None:
            tally.add(i, slot)
            result.append((i, slot))
    return result


def _feasible(ix: _Index, plan: list[tuple[int, int]]) -> bool:
    """Whether ``plan`` keeps every rule; the solver's answer is checked, not trusted."""
    tally = _Tally(ix, [])
    for i, slot in plan:
        if not tally.fits(i, slot):
            return False
        tally.add(i, slot)
    return True


def _explain(ix: _Index, plan: list[tuple[int, int]], status: Status) -> tuple[LeftOut, ...]:
    """Why each candidate not in ``plan`` was left out, checked against the plan itself."""
    limit = ix.problem.max_meetings_per_company
    tally = _Tally(ix, plan)
    out: list[LeftOut] = []
    for i, cand in enumerate(ix.problem.candidates):
        if i in tally.placed:
            continue
        full = next((c for c in (cand.a, cand.b) if tally.quota[c] <= 0), None)
        if cand.pair in ix.existing_pairs:
            out.append(LeftOut(cand, Reason.ALREADY_MEETING, "already has a meeting"))
        elif not ix.common[i]:
            out.append(LeftOut(cand, Reason.NO_COMMON_SLOT, "no common free slot"))
        elif full is not None:
            text = f"company {full} already at its maximum of {limit}"
            out.append(LeftOut(cand, Reason.COMPANY_FULL, text, full))
        elif all(tally.room[s] <= 0 for s in ix.common[i]):
            out.append(LeftOut(cand, Reason.SLOTS_FULL, "all common free slots full"))
        else:
            # _fill runs after every solve, so a candidate that still fits cannot be left out.
            assert not any(tally.fits(i, s) for s in ix.common[i]), f"{cand} fits"
            out.append(LeftOut(cand, Reason.NOT_SELECTED, _not_selected(status)))
    return tuple(out)


def _not_selected(status: Status) -> str:
    busy = (
        "in each common free slot all tables are taken or one of the two companies meets "
        "another company"
    )
    if status is Status.OPTIMAL:
        return (
            "not selected by the optimiser: lower total score, no plan that includes this "
            f"meeting scores higher ({busy})"
        )
    if status is Status.FEASIBLE:
        return (
            f"not selected before the solver's time limit ({busy}; a plan within the "
            "reported gap of this one may include it)"
        )
    return (
        f"not selected by the greedy pass ({busy}, taken first by meetings with an equal or "
        "higher score or by existing meetings)"
    )


def _result(
    ix: _Index,
    plan: list[tuple[int, int]],
    status: Status,
    bound_units: int | None,
    seconds: float | None,
) -> Schedule:
    cands = ix.problem.candidates
    plan = sorted(plan, key=lambda p: (p[1], p[0]))
    units = sum(ix.units[i] for i, _ in plan)
    gap = None
    if bound_units is not None:
        bound_units = max(bound_units, units)
        gap = (bound_units - units) / bound_units if bound_units > 0 else 0.0
    return Schedule(
        placed=tuple(Placed(cands[i], slot) for i, slot in plan),
        left_out=_explain(ix, plan, status),
        status=status,
        total_score=round(math.fsum(cands[i].score for i, _ in plan), 6),
        objective=units / SCALE,
        bound=None if bound_units is None else bound_units / SCALE,
        gap=gap,
        solver_seconds=seconds,
    )


def greedy(problem: Problem, *, accepted_weight: float = ACCEPTED_WEIGHT) -> Schedule:
    """The baseline: highest weighted score first, each in its earliest common free slot."""
    ix = _index(problem, accepted_weight)
    return _result(ix, _fill(ix, []), Status.GREEDY, None, None)


def schedule(
    problem: Problem,
    *,
    time_limit: float = 10.0,
    accepted_weight: float = ACCEPTED_WEIGHT,
) -> Schedule:
    """The plan with the highest weighted score, proven optimal unless ``time_limit`` (seconds)
    stops the solver first; then the best plan found, topped up greedily, with its proven gap.
    Never worse than :func:`greedy`. Deterministic: the same problem gives the same plan when
    the solver finishes within the time limit."""
    ix = _index(problem, accepted_weight)
    start = _fill(ix, [])
    cands = problem.candidates
    options = {
        i: [s for s in ix.common[i] if ix.room[s] > 0]
        for i in range(len(cands))
        if cands[i].pair not in ix.existing_pairs
        and ix.quota[cands[i].a] > 0
        and ix.quota[cands[i].b] > 0
    }
    solved = scheduler_milp.solve(
        scheduler_milp.Model(
            options={i: slots for i, slots in options.items() if slots},
            companies={i: (cands[i].a, cands[i].b) for i in options},
            weights=[u / SCALE for u in ix.units],
            room=ix.room,
            quota=ix.quota,
        ),
        time_limit=time_limit,
    )
    # The bound is a float with the solver's tolerances; the objective is integral.
    bound = None if solved.bound is None else math.floor(solved.bound * SCALE + 0.5)
    if solved.plan is None or not _feasible(ix, solved.plan):
        return _result(ix, start, Status.FALLBACK, bound, solved.seconds)
    plan = _fill(ix, solved.plan)
    if _units(ix, plan) < _units(ix, start):
        return _result(ix, start, Status.FALLBACK, bound, solved.seconds)
    status = Status.OPTIMAL if solved.optimal else Status.FEASIBLE
    return _result(ix, plan, status, bound, solved.seconds)


def _units(ix: _Index, plan: list[tuple[int, int]]) -> int:
    return sum(ix.units[i] for i, _ in plan)
