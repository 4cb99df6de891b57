"""Explain an infeasible request in words: which of the runner's limits clash.

The model is rebuilt in diagnosis mode, where every user-facing constraint
family is guarded by an assumption literal. CP-SAT returns a set of assumptions
sufficient for infeasibility; a deletion pass then drops every group whose
removal keeps the rest infeasible, leaving a minimal set of clashing limits.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from shared.planning import PlanRequest, TrainingSchema
from worker.engine.calendar import Calendar
from worker.engine.fixed import FixedPast
from worker.engine.model import build_model

_PROBE_SECONDS = 2.0


def _weekday_names(days: list[int]) -> str:
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    return ", ".join(names[d] for d in days)


def describe(
    group: str, request: PlanRequest, schema: TrainingSchema, fixed: FixedPast | None = None
) -> str:
    """One group of constraints as the runner set it, in plain words."""
    a, r = request.athlete, request.rules
    # A re-plan starts from the form the days already lived left (fixed.py).
    ctl, atl = (round(fixed.ctl, 1), round(fixed.atl, 1)) if fixed else (a.ctl, a.atl)
    longs = [s.duration_min for s in schema.sessions if s.kind == "long"]
    shortest_run = min((s.duration_min for s in schema.sessions if s.kind == "run"), default=0)
    if group == "availability":
        blocked = [i for i, m in enumerate(a.availability_min) if m == 0]
        limited = [f"{m} min" for m in a.availability_min if m]
        parts = []
        if blocked:
            parts.append(f"no training on {_weekday_names(blocked)}")
        if limited:
            parts.append(f"daily limits of {', '.join(sorted(set(limited)))}")
        if a.unavailable_dates:
            parts.append(f"{len(a.unavailable_dates)} unavailable date(s)")
        return "your availability (" + ("; ".join(parts) or "as given") + ")"
    texts = {
        "weekly_hours": f"at most {a.weekly_hours:g} training hours per week",
        "rest_days": f"at least {a.rest_days} full rest day(s) every week",
        "min_runs": f"at least {r.min_runs_per_week} runs per week (the shortest is {shortest_run} min)",
        "long_run": (
            f"a long run every week before the taper (the shortest is {min(longs)} min)"
            if longs
            else "a long run every week before the taper"
        ),
        "intensity_mix": f"at least {r.min_easy_share:.0%} of running time at easy intensity",
        "no_back_to_back": "no hard sessions on consecutive days",
        "strength_spacing": f"at most one strength session in any {r.strength_window_days} days",
        "variety": f"the same hard session not repeated within {r.variety_window_days} days",
        "ctl_ramp": f"fitness (CTL) rising by at most {r.max_ctl_ramp:g} per week",
        "tsb_floor": (
            f"form (TSB) never below {r.min_tsb:g}; "
            f"you start at {ctl - atl:+.0f} (CTL {ctl:g}, ATL {atl:g})"
        ),
        "recovery_weeks": (
            f"a recovery week every {r.recovery_every} weeks at no more than "
            f"{r.recovery_load_ratio:.0%} of the week before"
        ),
        "taper": (
            f"a taper: the last 7 days at no more than {r.taper_load_ratio:.0%} of the peak "
            "week's load, with some intensity kept"
        ),
        "race_form": (
            f"race-day form (TSB) between {r.race_tsb_min:+g} and {r.race_tsb_max:+g} "
            f"(you start at {ctl - atl:+.0f})"
        ),
        "race_fitness": "the fitness (CTL) you asked for on race day",
        "b_race_taper": "easy days before each B race",
    }
    return texts[group]


def _infeasible(model: cp_model.CpModel, assumptions: list[cp_model.IntVar]) -> bool | None:
    """True if infeasible under `assumptions`, False if feasible, None if unknown in time."""
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = _PROBE_SECONDS
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return True
    if status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
        return False
    return None


def conflicting_groups(
    request: PlanRequest, schema: TrainingSchema, calendar: Calendar, fixed: FixedPast | None = None
) -> list[str] | None:
    """A minimal set of clashing groups; [] when no user limit is to blame; None if unknown."""
    pm = build_model(request, schema, calendar, diagnose=True, fixed=fixed)
    model = pm.model
    model.clear_objective()  # feasibility is all that matters here
    by_index = {lit.index: g for g, lit in pm.guards.items()}
    model.add_assumptions(list(pm.guards.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 3 * _PROBE_SECONDS
    solver.parameters.num_workers = 1
    if solver.solve(model) != cp_model.INFEASIBLE:
        return None
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility()]
    # Deletion filter: drop each group whose removal leaves the rest still infeasible.
    for group in list(core):
        rest = [g for g in core if g != group]
        if _infeasible(model, [pm.guards[g] for g in rest]):
            core = rest
    return core


def explain_infeasibility(
    request: PlanRequest, schema: TrainingSchema, calendar: Calendar, fixed: FixedPast | None = None
) -> list[str]:
    groups = conflicting_groups(request, schema, calendar, fixed)
    if groups is None:
        return [
            "No plan satisfies all of your limits together, and the conflict could not be "
            "narrowed down in time; try relaxing weekly hours, rest days or availability."
        ]
    if not groups:
        return [
            "The training schema itself cannot fill this calendar (check its sessions and "
            "phases); none of your personal limits is the cause."
        ]
    limits = [describe(g, request, schema, fixed) for g in groups]
    if len(limits) == 1:
        head = f"This limit cannot be met on its own: {limits[0]}."
    else:
        head = "These limits cannot all hold together: " + "; ".join(limits) + "."
    if len(limits) == 1:
        return [head]
    return [head, *(limit[0].upper() + limit[1:] + "." for limit in limits)]
