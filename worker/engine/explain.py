"""Explain an infeasible request in words: which of the runner's limits clash.

The model is rebuilt in diagnosis mode, where every user-facing constraint
family is guarded by an assumption literal. CP-SAT returns a set of assumptions
sufficient for infeasibility; a deletion pass then drops every group whose
removal keeps the rest infeasible, leaving a minimal set of clashing limits, each
named by its family's sentence in the registry (`model/registry.py`).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from shared.planning import PlanRequest, TrainingSchema
from worker.engine.calendar import Calendar
from worker.engine.model import build_model
from worker.engine.model.family import Limits
from worker.engine.model.registry import family
from worker.engine.past import FixedPast

_PROBE_SECONDS = 2.0


def describe(
    group: str, request: PlanRequest, schema: TrainingSchema, fixed: FixedPast | None = None
) -> str:
    """One family of constraints as the runner set it, in plain words (its registry
    sentence; a re-plan starts from the form the days already lived left)."""
    explain = family(group).explain
    assert explain is not None, f"{group} is structural: never guarded, never blamed"
    return explain(Limits.of(request, schema, fixed))


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
