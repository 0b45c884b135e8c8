"""The meeting scheduler's integer program, solved by HiGHS through ``scipy.optimize.milp``.

One 0/1 variable per (candidate, slot) the candidate may use; maximise the weighted score
subject to: a pair at most once, a company at most once per slot, at most the tables left per
slot, at most the meetings left per company. A constraint that cannot bind (no more variables
than its limit) is left out. Only what remains after the existing meetings comes in here; the
caller drops candidates with no slot or whose companies have no meeting left.

Why HiGHS rather than CP-SAT: on the issue-12 benchmark (bench/scheduler.py, 1,500 pairs,
27 slots × 12 tables, about 33,000 variables) the LP relaxation is tight and HiGHS proves the
optimum in 3-7 s on the shared 2-core machine; CP-SAT with 2 workers and the greedy plan as a
hint had not improved on that hint after 10 s (gap 0.8 %; 3 % in its deterministic interleaved
mode) nor after 40 s. HiGHS's branch and bound is deterministic (scipy documents it) and
serial: its thread pool, half the cores by default, serves only side tasks such as symmetry
detection. So the same problem gives the same plan, and tests are reproducible.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Model:
    options: Mapping[int, Sequence[int]]  # candidate -> slots it may use
    companies: Mapping[int, tuple[int, int]]  # candidate -> its two companies
    weights: Sequence[float]  # candidate -> its weight in the objective
    room: Mapping[int, int]  # slot -> tables left
    quota: Mapping[int, int]  # company -> meetings left


@dataclass(frozen=True)
class Solved:
    plan: list[tuple[int, int]] | None  # (candidate, slot); None when no plan was found in time
    bound: float | None  # proven upper bound on the objective
    optimal: bool
    seconds: float


def _rows(model: Model, keys: list[tuple[int, int]]) -> tuple[list[list[int]], list[int]]:
    """Each constraint as (the columns it sums, its limit); all coefficients are 1."""
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for col, (i, s) in enumerate(keys):
        a, b = model.companies[i]
        groups["pair", i, 0].append(col)
        groups["slot", s, 0].append(col)
        groups["company", a, 0].append(col)
        groups["company", b, 0].append(col)
        groups["company-slot", a, s].append(col)
        groups["company-slot", b, s].append(col)
    columns: list[list[int]] = []
    limits: list[int] = []
    for (kind, key, _), cols in groups.items():
        if kind == "slot":
            limit = model.room[key]
        elif kind == "company":
            limit = model.quota[key]
        else:
            limit = 1
        if len(cols) > limit:
            columns.append(cols)
            limits.append(limit)
    return columns, limits


def solve(model: Model, *, time_limit: float) -> Solved:
    # scipy (~40 MB resident) is imported by the first schedule, not at the bot's start-up.
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    keys = [(i, s) for i, slots in model.options.items() for s in slots]
    if not keys:
        return Solved([], 0.0, True, 0.0)
    columns, limits = _rows(model, keys)
    cost = -np.array([model.weights[i] for i, _ in keys])  # milp minimises
    constraints = []
    if columns:
        indptr = np.cumsum([0] + [len(cols) for cols in columns])
        indices = np.fromiter((c for cols in columns for c in cols), dtype=np.int64)
        matrix = csr_array(
            (np.ones(len(indices)), indices, indptr), shape=(len(columns), len(keys))
        )
        constraints.append(LinearConstraint(matrix, -np.inf, np.array(limits, dtype=float)))
    start = time.perf_counter()
    result = milp(
        cost,
        integrality=np.ones(len(keys), dtype=np.int64),
        bounds=Bounds(0, 1),
        constraints=constraints,
        # mip_rel_gap 0: "optimal" means proven optimal, not HiGHS's default 0.01 % close.
        options={"time_limit": time_limit, "mip_rel_gap": 0.0, "disp": False},
    )
    seconds = time.perf_counter() - start
    bound = getattr(result, "mip_dual_bound", None)
    upper = None if bound is None or not math.isfinite(bound) else -float(bound)
    if result.x is None:
        return Solved(None, upper, False, seconds)
    plan = [key for key, value in zip(keys, result.x, strict=True) if value > 0.5]
    return Solved(plan, upper, result.status == 0, seconds)
