"""The triathlon seed's own method: the season solved one week at a time.

As the seed did it (pyomo + GLPK there, CP-SAT here): each week maximises its own summed
fitness increase (the seed's objective, Σ FitnessIncrease·SelectedWorkouts over the week)
under every constraint, with the fitness and the fatigue carried in from the weeks already
fixed; then the week is fixed and the next one solved. Same parameters, same rows
(`trischedule_model`) as the whole-season model, so its plan is feasible for that model.
Every week stays solvable: a week without workouts lets fatigue fall and shrinks every
fitness difference by the retention factor.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from shared.reproduce import SPORTS, SolveStatus
from worker.engine.parameters import LP_SUBSOLVERS, configure_base
from worker.reproduce.trischedule_data import TriData, fitness_after
from worker.reproduce.trischedule_model import (
    GAIN_SCALE,
    Span,
    build_model,
    chosen_classes,
    name_classes,
)


@dataclass(frozen=True)
class WeeklyPlan:
    """The week-by-week plan (catalogue indices per day), its final fitness per sport,
    the weeks' worst status and the time spent solving (all weeks, model building too)."""

    plan: dict[int, list[int]]
    final_fitness: dict[str, float]
    status: SolveStatus
    seconds: float


def solve_week(
    data: TriData, span: Span, time_limit_s: float, workers: int
) -> tuple[dict[int, list[int]], SolveStatus]:
    """One week of the seed's method: its best summed fitness increase given `span`."""
    m = build_model(data, span)
    gains = [
        round(GAIN_SCALE * data.catalogue[m.classes[c][0]].fitness_gain) * v
        for (_, c), v in m.y.items()
    ]
    m.model.maximize(sum(gains))
    # an empty week always fits: the first solution whatever the load; a limit spent
    # before the search even starts is doubled (at most 4 times)
    for v in m.y.values():
        m.model.add_hint(v, 0)
    code = cp_model.UNKNOWN
    for attempt in range(5):
        solver = cp_model.CpSolver()
        configure_base(solver, workers, time_limit_s * 2**attempt)
        if workers >= 2:
            solver.parameters.subsolvers.extend(LP_SUBSOLVERS)
        code = solver.solve(m.model)
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"week from day {span.first}: {solver.status_name(code)}")
    status: SolveStatus = "OPTIMAL" if code == cp_model.OPTIMAL else "FEASIBLE"
    return name_classes(m, data, chosen_classes(m, solver)), status


def seed_method(data: TriData, time_limit_per_week_s: float = 10.0, workers: int = 2) -> WeeklyPlan:
    """Every week in turn, each fixed before the next is solved."""
    started = time.perf_counter()
    plan: dict[int, list[int]] = {}
    fitness: dict[str, float] = dict.fromkeys(SPORTS, data.params.start_fitness)
    worst: SolveStatus = "OPTIMAL"
    for week in data.weeks:
        end = week.first_day + week.days
        span = Span(week.first_day, end, fixed=dict(plan))
        chosen, status = solve_week(data, span, time_limit_per_week_s, workers)
        plan.update(chosen)
        if status != "OPTIMAL":
            worst = status
        fitness = fitness_after(data, plan, week.first_day, end, fitness)
    return WeeklyPlan(plan, fitness, worst, time.perf_counter() - started)
