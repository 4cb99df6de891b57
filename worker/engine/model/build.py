"""Build the plan model: variables, every registered family, the objective, the past settled."""

from __future__ import annotations

from collections.abc import Callable, Collection

from shared.planning import PlanRequest, TrainingSchema
from worker.engine.calendar import Calendar
from worker.engine.model.container import PlanModel
from worker.engine.model.monotony import monotony_penalty
from worker.engine.model.objective import race_performance_objective
from worker.engine.model.registry import FAMILIES
from worker.engine.model.settle import settle_constraints
from worker.engine.model.variables import create_variables
from worker.engine.past import FixedPast


def build_model(
    request: PlanRequest,
    schema: TrainingSchema,
    calendar: Calendar,
    diagnose: bool = False,
    fixed: FixedPast | None = None,
    extend: Callable[[PlanModel], None] | None = None,
    families: Collection[str] | None = None,
    lp_cuts: bool = True,
) -> PlanModel:
    """`diagnose`: every user-facing family guarded by a literal (see explain.py); `fixed`:
    days already lived (a re-plan); `extend` adds to the model (e.g. penalties) before the
    objective is set; `families`: only these user-facing families (an explanation's
    checks; the structural ones are always there); `lp_cuts`: the LP-tightening rows
    (model/cuts.py), off only to measure them."""
    pm = PlanModel(
        request=request,
        schema=schema,
        calendar=calendar,
        diagnose=diagnose,
        fixed=fixed,
        lp_cuts=lp_cuts,
    )
    create_variables(pm)
    for family in FAMILIES:
        if families is None or not family.user_facing or family.name in families:
            family.build(pm)
    monotony_penalty(pm)
    if extend is not None:
        extend(pm)
    race_performance_objective(pm)
    if fixed is not None:
        settle_constraints(pm)
    return pm
