"""The heuristic hint is a plan the model accepts: CP-SAT starts from it at once.

For the runners of the plan-quality bench and the default marathon from 8 to 52 weeks the
hint, fixed as a full assignment, is feasible for the model (CP-SAT with every variable
fixed to its hinted value), and the plan it lays out holds every rule by the independent
checker (tests/engine/rules.py). One bench runner is left out because its hint still
breaks a row (bench/results/engine.md, "hint holds"): the 10-week CTL-15 beginner at 4 h,
whose race-morning form ends at +4.1 against a window from +5 (the taper's lightest
choices that keep its runs, its days off and its quality are not light enough).
"""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from bench.bench_engine import marathon
from bench.bench_quality import PROFILES
from shared.planning import PlanRequest
from tests.engine.rules import violations
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import build_model
from worker.engine.solve import lay_out_days
from worker.engine.validation import schema_for

HINT_BREAKS_ROWS = {"5k 10 w, beginner CTL 15, 4 h"}
REQUESTS: dict[str, PlanRequest] = {
    **{name: r for name, r in PROFILES.items() if name not in HINT_BREAKS_ROWS},
    **{f"marathon {w} w": marathon(w) for w in (8, 20, 36, 52)},
}


@pytest.mark.parametrize("name", sorted(REQUESTS))
def test_the_hint_is_a_plan_the_model_accepts(name: str) -> None:
    request = REQUESTS[name]
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema))
    hinted = add_heuristic_hint(pm)

    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)

    chosen = []
    for d in range(len(pm.days)):
        if d not in hinted:  # a race day: its constant
            chosen.append(list(pm.primary[d]))
            continue
        c = hinted[d]
        strength = [pm.catalogue.strength.code] if c.strength and pm.catalogue.strength else []
        chosen.append([c.primary, *c.doubles, *strength])
    assert violations(lay_out_days(pm, chosen), request, schema) == []
