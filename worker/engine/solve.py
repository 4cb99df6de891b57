"""Solve a plan request: calendar, model, CP-SAT search with progress, plan assembly."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from ortools.sat.python import cp_model

from shared.planning import (
    TRI_SPORTS,
    PlanDay,
    PlanRequest,
    PlanResult,
    SessionTemplate,
    SolveStatus,
)
from shared.response import Response, simulate
from shared.sport_loads import loads_by_sport
from worker.engine.calendar import Calendar, build_calendar
from worker.engine.day_steps import DaySteps
from worker.engine.errors import InvalidRequest
from worker.engine.explain import conflict_sentences, explain_infeasibility
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import OBJECTIVE_SCALE, PlanModel, build_model
from worker.engine.parameters import configure
from worker.engine.precheck import arithmetic_conflict
from worker.engine.progress import ProgressCallback, SolutionProgress, relative_gap
from worker.engine.repeatable import guard_hint
from worker.engine.validation import schema_for, validate


def _watch_cancel(
    solver: cp_model.CpSolver, cancel: threading.Event, done: threading.Event
) -> None:
    """Stop the search as soon as `cancel` is set, even between solutions; again every
    50 ms until it ends (a stop that comes before the search has started can be lost)."""
    while not done.is_set():
        if cancel.wait(0.05):
            solver.stop_search()
            done.wait(0.05)


@dataclass
class Search:
    """The outcome of one CP-SAT search over a built model."""

    code: cp_model.CpSolverStatus
    solver: cp_model.CpSolver
    seconds: float
    first_solution_s: float | None
    cancelled: bool
    # The objective of the returned solution, from its values: CP-SAT's `objective_value`
    # can differ from it on some runs (its postsolve picks other values for the monotony
    # penalty's auxiliaries than its objective counted), and the plan is these values.
    solution_objective: float | None = None

    @property
    def status(self) -> SolveStatus:
        return self.solver.status_name(self.code)  # type: ignore[return-value]

    @property
    def found(self) -> bool:
        return self.code in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    def fields(self, request: PlanRequest, calendar: Calendar) -> dict[str, Any]:
        """The PlanResult fields every outcome has, plus objective/bound/gap when found."""
        out: dict[str, Any] = {
            "status": self.status,
            "solve_seconds": round(self.seconds, 3),
            "first_solution_seconds": (
                round(self.first_solution_s, 3) if self.first_solution_s is not None else None
            ),
            "model": request.model,
            "start": calendar.start,
            "race_date": calendar.race_date,
            "cancelled": self.cancelled,
        }
        if self.found:
            objective = self.solution_objective
            obj = (objective if objective is not None else self.solver.objective_value) / (
                OBJECTIVE_SCALE
            )
            bound = max(obj, self.solver.best_objective_bound / OBJECTIVE_SCALE)
            out.update(
                objective=round(obj, 4),
                bound=round(bound, 4),
                gap=round(relative_gap(obj, bound), 6),
            )
        return out


def search(
    pm: PlanModel,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    throttle_s: float = 0.25,
    started: float | None = None,
) -> Search:
    """Run CP-SAT on a built (and hinted) model with progress and cancellation.

    `started` (a perf_counter value) is when the solve began, model building included."""
    t0 = time.perf_counter() if started is None else started
    if pm.request.seed is not None:
        proved = guard_hint(pm)
        if proved is not None:
            code, probe = proved
            return Search(code, probe, time.perf_counter() - t0, None, cancelled=False)
    solver = cp_model.CpSolver()
    configure(solver, pm.request)
    if pm.request.seed is None:
        # The time limit covers the whole solve: what building the model took is spent.
        # (A repeatable search stops on its deterministic budget instead.)
        spent = time.perf_counter() - t0
        solver.parameters.max_time_in_seconds = max(0.1, pm.request.time_limit_s - spent)
    # The interleaved search (a seed) aborts the process when stopped from inside the
    # callback of the hint's solution, found during presolve (CP-SAT 9.15: "solution->size()
    # == postsolve_mapping.size()"); the watcher thread stops it instead, within 50 ms.
    in_callback = cancel if pm.request.seed is None else None
    callback = SolutionProgress(on_progress, OBJECTIVE_SCALE, in_callback, throttle_s)
    done = threading.Event()
    watcher = None
    if cancel is not None:
        watcher = threading.Thread(target=_watch_cancel, args=(solver, cancel, done), daemon=True)
        watcher.start()
    try:
        code = solver.solve(pm.model, callback)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return Search(
        code=code,
        solver=solver,
        seconds=time.perf_counter() - t0,
        first_solution_s=callback.first_solution_s,
        cancelled=cancel is not None and cancel.is_set(),
        solution_objective=solution_objective(pm.model, solver) if found else None,
    )


def solution_objective(model: cp_model.CpModel, solver: cp_model.CpSolver) -> float:
    """The model's objective at the solver's returned values (scaled as `objective_value`)."""
    objective = model.proto.objective
    values = solver.response_proto.solution
    # A negative reference is a negated literal (-v - 1): its value is 1 - the literal's.
    linear = sum(
        c * (values[v] if v >= 0 else 1 - values[-v - 1])
        for v, c in zip(objective.vars, objective.coeffs, strict=True)
    )
    return (objective.scaling_factor or 1.0) * (linear + objective.offset)


def solve(
    request: PlanRequest,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    throttle_s: float = 0.25,
) -> PlanResult:
    problems = validate(request)
    if problems:
        raise InvalidRequest(" ".join(problems))
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    t0 = time.perf_counter()
    clash = arithmetic_conflict(request, schema, calendar)
    if clash is not None:  # proven by a sum: no model to build, nothing to search
        return PlanResult(
            status="INFEASIBLE",
            solve_seconds=round(time.perf_counter() - t0, 3),
            model=request.model,
            start=calendar.start,
            race_date=calendar.race_date,
            conflicts=conflict_sentences(clash, request, schema),
        )
    pm = build_model(request, schema, calendar)
    add_heuristic_hint(pm)
    outcome = search(pm, on_progress, cancel, throttle_s, started=t0)
    base = outcome.fields(request, calendar)
    if outcome.found:
        return PlanResult(**base, days=lay_out_days(pm, chosen_sessions(pm, outcome.solver)))
    if outcome.code == cp_model.INFEASIBLE:
        return PlanResult(**base, conflicts=explain_infeasibility(request, schema, calendar))
    return PlanResult(**base)


def chosen_sessions(pm: PlanModel, solver: cp_model.CpSolver) -> list[list[str]]:
    """The session codes of each day in the solver's best solution (primary first)."""
    chosen: list[list[str]] = []
    for d in range(len(pm.days)):
        codes = [c for c, lit in pm.primary[d].items() if solver.boolean_value(lit)]
        codes += [c for c, lit in pm.doubles[d].items() if solver.boolean_value(lit)]
        s = pm.strength[d]
        if s is not None and solver.boolean_value(s) and pm.catalogue.strength is not None:
            codes.append(pm.catalogue.strength.code)
        chosen.append(codes)
    return chosen


def lay_out_days(pm: PlanModel, chosen: list[list[str]]) -> list[PlanDay]:
    """Simulate CTL/ATL/TSB over the chosen sessions and lay out one entry per slot, each
    session as steps in the athlete's numbers."""
    rest = pm.catalogue.rest.code
    resolved = DaySteps(pm.request)
    # Strength alone on a day: the day is not a rest day, so only the strength entry shows.
    chosen = [[c for c in codes if c != rest] or [rest] for codes in chosen]
    loads = [sum(pm.sessions[c].load for c in codes) for codes in chosen]
    states = simulate(loads, pm.response)
    by_sport = (
        per_sport_states(pm, [[pm.sessions[c] for c in codes] for codes in chosen])
        if pm.multisport
        else None
    )
    out: list[PlanDay] = []
    for day, codes, state in zip(pm.days, chosen, states, strict=True):
        training = any(pm.sessions[c].kind != "rest" for c in codes)
        for slot, code in enumerate(codes):
            s = pm.sessions[code]
            session = resolved.of(s)
            out.append(
                PlanDay(
                    date=day.date,
                    slot=slot,
                    week_number=day.week_number,
                    day_of_week=day.day_of_week,
                    phase=day.phase,
                    is_recovery_week=day.is_recovery_week,
                    is_training_day=training,
                    session_code=s.code,
                    session_type=s.session_type,
                    session_definition=session.definition,
                    intensity=s.intensity,
                    sport=s.sport,
                    duration_min=s.duration_min,
                    load=s.load,
                    ctl=round(state.ctl, 2),
                    atl=round(state.atl, 2),
                    tsb=round(state.tsb, 2),
                    steps=session.steps,
                    ctl_by_sport=by_sport[day.index][0] if by_sport else None,
                    atl_by_sport=by_sport[day.index][1] if by_sport else None,
                )
            )
    return out


def per_sport_states(
    pm: PlanModel, chosen: list[list[SessionTemplate]]
) -> list[tuple[dict[str, float], dict[str, float]]]:
    """Each day's (CTL, ATL) per sport: every sport's loads simulated on their own, the
    athlete's starting fitness and fatigue split evenly over the plan's sports (the model is
    linear, so the sports sum to the total)."""
    daily = [loads_by_sport(sessions) for sessions in chosen]
    sports = sorted({sport for day in daily for sport in day} | set(TRI_SPORTS))
    shared = [sp for sp in sports if sp in TRI_SPORTS]
    r = pm.response
    out: list[tuple[dict[str, float], dict[str, float]]] = [({}, {}) for _ in chosen]
    for sport in sports:
        share = 1 / len(shared) if sport in shared else 0.0
        start = Response(
            ctl0=r.ctl0 * share, atl0=r.atl0 * share, ctl_tau=r.ctl_tau, atl_tau=r.atl_tau
        )
        for d, state in enumerate(simulate([day.get(sport, 0) for day in daily], start)):
            out[d][0][sport] = round(state.ctl, 2)
            out[d][1][sport] = round(state.atl, 2)
    return out
