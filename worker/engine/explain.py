"""Explain an infeasible request in words: which of the runner's limits clash.

Each user-facing constraint family is a group; an explanation is a minimal set of groups
that cannot all hold, each named by its family's sentence in the registry
(`model/registry.py`). The request's arithmetic comes first (precheck.py: hours against
the minimum week, rest days against runs, the form floor of the first morning...): a
conflict a sum proves needs no search. Otherwise a few small feasibility checks, each on
a model built with only the groups in question (so presolve has nothing to strip), with
neither presolve nor LP (`configure_explain`) and each on a deterministic budget (the
same request is explained the same way every time):

1. The heaviest group (the daily form floor's dense fitness rows, over a quarter of the
   model at 36 weeks) is left out first: when the rest is still infeasible, the conflict
   does not need it and every later check is light; when the rest is feasible, every
   conflict needs it.
2. A core: the model in diagnosis mode (every group guarded by a literal) solved under
   those literals as assumptions; CP-SAT returns a set sufficient for infeasibility.
3. A deletion pass over the core, in registry order, drops every group whose removal
   keeps the rest infeasible.

A check that runs out of budget counts as feasible (the group stays: an explanation may
then name one limit too many, never one too few).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from ortools.sat.python import cp_model

from shared.planning import PlanRequest, TrainingSchema
from worker.engine.calendar import Calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import PlanModel, build_model
from worker.engine.model.family import Limits
from worker.engine.model.registry import FAMILIES, family
from worker.engine.parameters import configure_explain
from worker.engine.past import FixedPast
from worker.engine.precheck import arithmetic_conflict
from worker.engine.repeatable import _holds as holds

# Deterministic-time budgets (about seconds of one worker's work) of the core and of one
# deletion check; the heaviest group is left out first when it holds this share of the
# guarded rows' nonzeros.
_CORE_BUDGET = 2.0
_LP_CORE_BUDGET = 1.0  # the same core with the LP, when propagation alone runs out
_CHECK_BUDGET = 0.5
# (The form floor holds 28% at 36 weeks: at a third it stayed in, 2-3x slower.)
_HEAVY_SHARE = 1 / 4


def describe(
    group: str, request: PlanRequest, schema: TrainingSchema, fixed: FixedPast | None = None
) -> str:
    """One family of constraints as the runner set it, in plain words (its registry
    sentence; a re-plan starts from the form the days already lived left)."""
    explain = family(group).explain
    assert explain is not None, f"{group} is structural: never guarded, never blamed"
    return explain(Limits.of(request, schema, fixed))


class _Checks:
    """Feasibility checks of one request with some of its groups."""

    def __init__(
        self,
        request: PlanRequest,
        schema: TrainingSchema,
        calendar: Calendar,
        fixed: FixedPast | None,
    ) -> None:
        self.request, self.schema, self.calendar, self.fixed = request, schema, calendar, fixed
        # The groups the heuristic plan breaks: any set of groups clear of them holds (the
        # plan is the proof). None: unknown (the plan breaks a structural row).
        self.broken: set[str] | None = None

    def holds_by_plan(self, groups: Collection[str]) -> bool:
        return self.broken is not None and not self.broken.intersection(groups)

    def build(self, groups: Collection[str] | None, diagnose: bool) -> PlanModel:
        pm = build_model(
            self.request, self.schema, self.calendar, diagnose, self.fixed, families=groups
        )
        pm.model.clear_objective()  # feasibility is all that matters here
        return pm

    def infeasible(self, groups: Collection[str]) -> bool:
        """True if these groups (and the structural rows) cannot all hold. Built in
        diagnosis mode with every guard on: a plain build leaves out the options a day
        cannot hold, so availability would hold in every check, named or not."""
        if self.holds_by_plan(groups):
            return False
        pm = self.build(groups, diagnose=True)
        variables = pm.model.proto.variables
        for guard in pm.guards.values():
            domain = variables[guard.index].domain
            domain[0] = domain[1] = 1
        solver = cp_model.CpSolver()
        configure_explain(solver, _CHECK_BUDGET)
        return solver.solve(pm.model) == cp_model.INFEASIBLE

    def core(
        self, pm: PlanModel, fixed_on: Collection[str] = ()
    ) -> tuple[cp_model.CpSolverStatus, list[str]]:
        """Solve `pm` in diagnosis mode under its guards as assumptions (those in `fixed_on`
        enforced outright); when infeasible, a set of groups sufficient for it."""
        variables = pm.model.proto.variables
        for group in fixed_on:
            domain = variables[pm.guards[group].index].domain
            domain[0] = domain[1] = 1
        assumed = {lit.index: g for g, lit in pm.guards.items() if g not in fixed_on}
        pm.model.clear_assumptions()
        pm.model.add_assumptions([pm.guards[g] for g in assumed.values()])
        solver = cp_model.CpSolver()
        configure_explain(solver, _CORE_BUDGET)
        status = solver.solve(pm.model)
        if status == cp_model.UNKNOWN:
            # Propagation found nothing in its budget: a conflict of sums over many days
            # (a race-day fitness against the load rules) is the LP's to prove.
            solver = cp_model.CpSolver()
            configure_explain(solver, _LP_CORE_BUDGET)
            solver.parameters.linearization_level = 2
            status = solver.solve(pm.model)
        if status != cp_model.INFEASIBLE:
            return status, []
        return status, [assumed[i] for i in solver.sufficient_assumptions_for_infeasibility()]


def _broken_by_plan(pm: PlanModel) -> set[str] | None:
    """The groups the heuristic plan breaks, on a diagnosis build (every guard on); None
    when it breaks a structural row or leaves a variable without a value, and for a re-plan
    (the heuristic writes fresh plans: a lived day's sessions are not its own)."""
    if pm.fixed is not None:
        return None
    add_heuristic_hint(pm)
    return broken_by_hint(pm)


def broken_by_hint(pm: PlanModel) -> set[str] | None:
    """The groups the model's solution hint breaks, on a diagnosis build (every guard on);
    None when it breaks a structural row or leaves a variable without a value."""
    proto = pm.model.proto
    hint = proto.solution_hint
    value = dict(zip(hint.vars, hint.values, strict=True))
    value.update((guard.index, 1) for guard in pm.guards.values())
    for index, var in enumerate(proto.variables):
        domain = list(var.domain)
        if index not in value:
            if domain[0] != domain[-1]:
                return None
            value[index] = domain[0]
    broken: set[str] = set()
    for index, ct in enumerate(proto.constraints):
        if holds(ct, value) is not True:
            group = pm.constraint_groups.get(index)
            if group is None:
                return None
            broken.add(group)
    return broken


def _heaviest(pm: PlanModel) -> str | None:
    """The group with the most nonzeros, if it holds `_HEAVY_SHARE` of the guarded ones."""
    constraints = pm.model.proto.constraints
    weight: Counter[str] = Counter()
    for index, group in pm.constraint_groups.items():
        ct = constraints[index]
        weight[group] += len(ct.linear.vars) if ct.has_linear() else 1
    if not weight:
        return None
    group, heaviest = weight.most_common(1)[0]
    return group if heaviest >= _HEAVY_SHARE * sum(weight.values()) else None


def conflicting_groups(
    request: PlanRequest, schema: TrainingSchema, calendar: Calendar, fixed: FixedPast | None = None
) -> list[str] | None:
    """A minimal set of clashing groups; [] when no user limit is to blame; None if unknown."""
    checks = _Checks(request, schema, calendar, fixed)
    full = checks.build(None, diagnose=True)
    checks.broken = _broken_by_plan(full)
    full.model.clear_hints()  # a hint breaking the rows misleads the core's search
    heavy = _heaviest(full)
    necessary: list[str] = []
    core: list[str] | None = None
    if heavy is not None:
        rest = [g for g in full.guards if g != heavy]
        found: list[str] = []
        status: cp_model.CpSolverStatus
        if checks.holds_by_plan(rest):
            status = cp_model.FEASIBLE
        else:
            status, found = checks.core(checks.build(rest, True))
        if status == cp_model.INFEASIBLE:
            core = found
        elif status in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            necessary = [heavy]  # the rest holds together: every conflict needs it
    if core is None:
        if necessary and checks.infeasible(necessary):
            core = necessary  # it clashes on its own
        else:
            status, found = checks.core(full, fixed_on=necessary)
            if status != cp_model.INFEASIBLE:
                return None
            core = [*necessary, *found]
    # Deletion filter, in registry order: drop each group whose removal leaves the rest
    # still infeasible.
    order = [f.name for f in FAMILIES if f.name in core]
    for group in order:
        if group in necessary:
            continue
        rest = [g for g in core if g != group]
        if checks.infeasible(rest):
            core = rest
    return [g for g in order if g in core]


def explain_infeasibility(
    request: PlanRequest, schema: TrainingSchema, calendar: Calendar, fixed: FixedPast | None = None
) -> list[str]:
    groups = arithmetic_conflict(request, schema, calendar) if fixed is None else None
    if groups is None:
        groups = conflicting_groups(request, schema, calendar, fixed)
    return conflict_sentences(groups, request, schema, fixed)


def conflict_sentences(
    groups: list[str] | None,
    request: PlanRequest,
    schema: TrainingSchema,
    fixed: FixedPast | None = None,
) -> list[str]:
    """The conflict in words: a head sentence naming every limit, then one per limit."""
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
        return [f"This limit cannot be met on its own: {limits[0]}."]
    head = "These limits cannot all hold together: " + "; ".join(limits) + "."
    return [head, *(limit[0].upper() + limit[1:] + "." for limit in limits)]
