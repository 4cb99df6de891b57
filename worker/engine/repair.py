"""When the warm start breaks a rule: an elastic copy of the model repairs it.

The LP-heavy workers that prove plans optimal need a feasible start; the heuristic plan
(hint.py) is one for most requests, but not for every combination of rules. Then the same
model is built again with a slack on every row of a user-facing family and asked for the
least slack, starting from the warm start (which the slacks make feasible): CP-SAT's
local search is good at that. A plan with no slack left holds every rule and becomes the
real model's warm start.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from shared.planning import WALL_BACKSTOP
from worker.engine.model import PlanModel, build_model
from worker.engine.model.container import total
from worker.engine.model.warm_start import DayChoice, warm_start
from worker.engine.parameters import DTIME_PER_SECOND

INFINITE = 2**50  # a row bound beyond this is CP-SAT's unbounded
CHECK_SECONDS = 1.0
REPAIR_SHARE = 0.5  # of the time limit, at most, for repairing a start that breaks a rule  # enough to propagate a complete hint on a 52-week plan


def hint_holds(pm: PlanModel) -> bool:
    """Whether the model's (complete) hint is a solution: every variable fixed to it."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = CHECK_SECONDS
    solver.parameters.catch_sigint_signal = False
    return solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _hinted(model: cp_model.CpModel) -> dict[int, int]:
    hint = model.proto.solution_hint
    return dict(zip(hint.vars, hint.values, strict=True))


def _add_slacks(em: PlanModel) -> list[cp_model.IntVar]:
    """A slack pair on every linear row of a user-facing family, hinted at the hint's
    violation of the row."""
    proto, m = em.model.proto, em.model
    values = _hinted(m)
    slacks: list[cp_model.IntVar] = []
    for index in sorted(em.constraint_groups):
        ct = proto.constraints[index]
        if not ct.has_linear() or ct.enforcement_literal:
            continue
        linear = ct.linear
        coeffs = [abs(c) for c in linear.coeffs]
        if not coeffs:
            continue
        scale = max(coeffs)
        span = sum(
            abs(c) * max(abs(proto.variables[v].domain[0]), abs(proto.variables[v].domain[-1]))
            for v, c in zip(linear.vars, linear.coeffs, strict=True)
        )
        lo, hi = linear.domain[0], linear.domain[-1]
        bounds = [abs(b) for b in (lo, hi) if abs(b) < INFINITE]
        big = min(math.ceil((span + max(bounds, default=0)) / scale) + 1, INFINITE)
        activity = sum(
            c * values.get(v, proto.variables[v].domain[0])
            for v, c in zip(linear.vars, linear.coeffs, strict=True)
        )
        if lo > -INFINITE:
            under = m.new_int_var(0, big, f"slack_lo_{index}")
            linear.vars.append(under.index)
            linear.coeffs.append(scale)
            m.add_hint(under, max(0, math.ceil((lo - activity) / scale)))
            slacks.append(under)
        if hi < INFINITE:
            over = m.new_int_var(0, big, f"slack_hi_{index}")
            linear.vars.append(over.index)
            linear.coeffs.append(-scale)
            m.add_hint(over, max(0, math.ceil((activity - hi) / scale)))
            slacks.append(over)
    return slacks


def _choices(em: PlanModel, solver: cp_model.CpSolver) -> dict[int, DayChoice]:
    out: dict[int, DayChoice] = {}
    for day in em.days:
        d = day.index
        if em.past(d) or day.race is not None:
            continue
        primary = next(c for c, lit in em.primary[d].items() if solver.boolean_value(lit))
        doubles = tuple(c for c, lit in em.doubles[d].items() if solver.boolean_value(lit))
        s = em.strength[d]
        out[d] = DayChoice(primary, doubles, s is not None and solver.boolean_value(s))
    return out


def repaired_start(
    pm: PlanModel, start: dict[int, DayChoice], seconds: float
) -> dict[int, DayChoice] | None:
    """A plan holding every rule, found from `start` within `seconds`; None if none was."""
    em = build_model(pm.request, pm.schema, pm.calendar, fixed=pm.fixed)
    warm_start(em, start)
    slacks = _add_slacks(em)
    em.model.minimize(total(slacks))
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = max(2, pm.request.workers)
    p.max_time_in_seconds = seconds
    p.catch_sigint_signal = False
    p.absolute_gap_limit = 0.5  # slack is integral: 0 found is 0 proven
    if pm.request.seed is not None:  # a repeatable request repairs repeatably too
        p.random_seed = pm.request.seed
        p.interleave_search = True
        p.max_deterministic_time = seconds * DTIME_PER_SECOND
        p.max_time_in_seconds = seconds * WALL_BACKSTOP
    code = solver.solve(em.model)
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value > 0:
        return None
    return _choices(em, solver)


def ensure_feasible_start(pm: PlanModel, start: dict[int, DayChoice], seconds: float) -> float:
    """Keep the hint when it holds; else replace it by a repaired plan when one is found in
    `seconds`. Returns the seconds spent."""
    t0 = time.perf_counter()
    if hint_holds(pm):
        return time.perf_counter() - t0
    repaired = repaired_start(pm, start, seconds)
    if repaired is not None:
        pm.model.clear_hints()
        warm_start(pm, repaired)
    return time.perf_counter() - t0
