"""The triathlon seed, solved for the whole season in one CP-SAT model, beside its own method.

The seed (pyomo + GLPK) chose workouts week by week, carrying fitness and fatigue forward
greedily; `trischedule_weekly.seed_method` does exactly that on the same parameters and
rows. Here every day from the start to the race is also decided at once
(`trischedule_model`, the tightened formulation), so early weeks are planned knowing what
the later ones need (divergence bounds, the taper). The week-by-week plan is feasible for
the whole-season model and is its hint, so ours is never worse.

Layout: data (`trischedule_data`), model (`trischedule_model`, one function per constraint
family), the seed's method (`trischedule_weekly`), result here (`solve_trischedule`, whose
fitness and fatigue figures are recomputed in floating point from the chosen workouts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ortools.sat.python import cp_model

from shared.reproduce import SPORTS, SolveStatus, TriDay, TriRequest, TriResult, TriSession, TriWeek
from worker.engine.parameters import LP_SUBSOLVERS, configure_base
from worker.reproduce.outcome import solve_model
from worker.reproduce.trischedule_data import (
    FAT_SCALE,
    TriData,
    load_catalogue,
    season_calendar,
)
from worker.reproduce.trischedule_model import (
    OBJ_SCALE,
    Span,
    build_model,
    chosen_classes,
    complete_hint,
    name_classes,
)
from worker.reproduce.trischedule_weekly import WeeklyPlan, seed_method

__all__ = ["compare_trischedule", "load_catalogue", "season_calendar", "solve_trischedule"]

# ----------------------------------------------------------------------------- params


def solver_parameters(time_limit_s: float, workers: int) -> cp_model.CpSolver:
    """The LP-heavy pair (as for plans): the default 2-worker portfolio left the bound at
    2.5 times the objective; with them it comes down to the LP relaxation (503 on the
    22-week 5-h season, about 6% above the plans found; bench/results/trischedule.md)."""
    solver = cp_model.CpSolver()
    configure_base(solver, workers, time_limit_s)
    solver.parameters.relative_gap_limit = 1e-4
    if workers >= 2:
        solver.parameters.subsolvers.extend(LP_SUBSOLVERS)
    return solver


# ----------------------------------------------------------------------------- result


def replay(data: TriData, chosen: dict[int, list[int]]) -> list[TriDay]:
    """Fitness and fatigue per day in floating point, from the chosen workouts only."""
    rho = data.daily_retention
    weights = [w / FAT_SCALE for w in data.fatigue_weights()]
    fit = {s: data.params.start_fitness for s in SPORTS}
    out = []
    for d in range(data.days):
        sessions = [data.catalogue[j] for j in chosen.get(d, [])]
        for s in SPORTS:
            fit[s] = fit[s] * rho + sum(w.fitness_gain for w in sessions if w.sport == s)
        fatigue: dict[str, float] = {}
        for s in SPORTS:
            fatigue[s] = sum(
                weights[k] * data.catalogue[j].fatigue
                for k in range(len(weights))
                if d - k >= 0
                for j in chosen.get(d - k, [])
                if data.catalogue[j].sport == s
            )
        fatigue["total"] = sum(fatigue[s] for s in SPORTS)
        week = data.week_of(d)
        out.append(
            TriDay(
                date=data.start + timedelta(days=d),
                week_number=week.number,
                phase=week.phase,
                sessions=[
                    TriSession(
                        sport=w.sport,
                        name=w.name,
                        intensity=w.intensity,
                        duration_min=w.duration_min,
                        fatigue=w.fatigue,
                        fitness_gain=w.fitness_gain,
                    )
                    for w in sessions
                ],
                fatigue={k: round(v, 3) for k, v in fatigue.items()},
                fitness={s: round(v, 3) for s, v in fit.items()},
            )
        )
    return out


@dataclass(frozen=True)
class TriComparison:
    """The whole-season solve (`ours`) and the seed's week-by-week method on the same
    instance (`seed_method`; its plan was `ours`'s hint)."""

    ours: TriResult
    seed_method: WeeklyPlan
    seed_plan: TriResult  # the seed method's season, day by day (status: its weeks' worst)

    @property
    def status(self) -> SolveStatus:
        return self.ours.status


def _weekly_budget(req: TriRequest, data: TriData) -> float:
    """The seed's method gets the same time as ours, shared by its weeks (at least 1 s)."""
    return max(1.0, req.time_limit_s / len(data.weeks))


def _result(req: TriRequest, data: TriData, chosen: dict[int, list[int]]) -> TriResult:
    days = replay(data, chosen)
    weeks = []
    for week in data.weeks:
        span = days[week.first_day : week.first_day + week.days]
        minutes = sum(s.duration_min for day in span for s in day.sessions)
        weeks.append(
            TriWeek(
                week_number=week.number,
                start=data.start + timedelta(days=week.first_day),
                phase=week.phase,
                is_recovery_week=week.is_recovery,
                hours_cap=round(week.minutes_cap / 60, 3),
                hours=round(minutes / 60, 3),
                fitness=dict(span[-1].fitness),
            )
        )
    return TriResult(
        status="UNKNOWN",
        solve_seconds=0.0,
        final_fitness=dict(days[-1].fitness),
        params=req.params,
        weeks=weeks,
        days=days,
    )


def compare_trischedule(req: TriRequest) -> TriComparison:
    """The seed's method first (its plan is the hint), then the whole season at once."""
    data = TriData.from_request(req)
    weekly = seed_method(data, _weekly_budget(req, data), req.workers)
    seed_plan = _result(req, data, weekly.plan).model_copy(
        update={"status": weekly.status, "solve_seconds": weekly.seconds}
    )
    m = build_model(data, Span(0, data.days))
    m.model.maximize(sum(m.fitness_end[s] for s in SPORTS))
    if not complete_hint(m, weekly.plan):
        raise AssertionError("the week-by-week plan breaks the whole-season model")
    solver = solver_parameters(req.time_limit_s, req.workers)
    outcome = solve_model(m.model, solver, OBJ_SCALE)
    found = outcome.objective
    if found is None:
        # a limit spent before the search starts (a loaded machine, a short limit): the
        # hint, checked feasible for this model above, is the plan; no bound was proven
        ours = seed_plan.model_copy(
            update={
                "status": "FEASIBLE",
                "objective": round(sum(seed_plan.final_fitness.values()), 3),
                "solve_seconds": outcome.seconds,
            }
        )
        return TriComparison(ours, weekly, seed_plan)
    chosen = name_classes(m, data, chosen_classes(m, solver))
    season = _result(req, data, chosen)
    if sum(season.final_fitness.values()) < sum(seed_plan.final_fitness.values()):
        # the model's retention coefficients are rounded to 1e-3: when the solver stops
        # on a plan that exact arithmetic puts a hair below its hint, the hint it is
        season = seed_plan
    ours = season.model_copy(
        update={
            "status": outcome.status,
            "objective": round(found.value, 3),
            "bound": round(found.bound, 3),
            "gap": round(found.gap, 6),
            "solve_seconds": outcome.seconds,
        }
    )
    return TriComparison(ours, weekly, seed_plan)


def solve_trischedule(req: TriRequest) -> TriResult:
    return compare_trischedule(req).ours
