"""The LP-tightening rows (worker/engine/model/cuts.py) exclude no plan.

- The chord under `cap = max(pct * x, floor)` admits the exact cap for every `x` in its
  range (checked value by value with CP-SAT, not by the formula it implements).
- A week's load upper bound holds on solved plans of varied runners: their days' loads,
  summed per week from the plan alone, never exceed it.
- The rows are left out of re-plans and diagnoses, whose lived days or switched-off
  families the bounds do not cover.
"""

from __future__ import annotations

from functools import cache

import pytest
from ortools.sat.python import cp_model

from bench.bench_quality import PROFILES
from shared.planning import PlanRequest, PlanResult
from worker.engine.calendar import build_calendar
from worker.engine.model import build_model
from worker.engine.model.container import PlanModel, Rows
from worker.engine.model.cuts import cap_under_chord, week_load_upper
from worker.engine.solve import solve
from worker.engine.validation import schema_for


@pytest.mark.parametrize(("pct", "upper", "floor"), [(70, 40, 1500), (60, 25, 2000), (70, 10, 900)])
def test_the_chord_admits_the_exact_cap_for_every_x(pct: int, upper: int, floor: int) -> None:
    for x_value in range(upper + 1):
        m = cp_model.CpModel()
        x = m.new_int_var(0, upper, "x")
        cap = m.new_int_var(0, 100 * upper, "cap")
        m.add_max_equality(cap, [pct * x, floor])
        pm = PlanModel.__new__(PlanModel)  # a bare container: Rows needs only its model
        pm.model = m
        cap_under_chord(Rows(pm, None), cap, pct, x, upper, floor)
        m.add(x == x_value)
        solver = cp_model.CpSolver()
        assert solver.solve(m) == cp_model.OPTIMAL, (x_value, pct, upper, floor)
        assert solver.value(cap) == max(pct * x_value, floor)


def test_the_chord_cuts_the_cap_below_the_lp_top() -> None:
    """At mid-range the chord forbids the cap the max's LP relaxation would allow."""
    m = cp_model.CpModel()
    x = m.new_int_var(0, 40, "x")
    cap = m.new_int_var(0, 4000, "cap")
    pm = PlanModel.__new__(PlanModel)
    pm.model = m
    cap_under_chord(Rows(pm, None), cap, 70, x, 40, 1500)
    m.add(x == 20)
    m.maximize(cap)
    solver = cp_model.CpSolver()
    assert solver.solve(m) == cp_model.OPTIMAL
    # chord at x = 20: 1500 + (2800 - 1500) * 20 / 40 = 2150; exact max(1400, 1500) = 1500
    assert 1500 <= solver.value(cap) <= 2150


# Doubles, weekday limits and dates off, a B race, high hours: each bound's terms in play.
CASES = [
    "half 12 w, CTL 55, 9 h, doubles, 2 rest",
    "10k 10 w, weekdays 45-60 min, dates off",
    "marathon 18 w, B half 6 w out, weekdays",
    "marathon 20 w, CTL 70, 12 h",
]


@cache
def solved(name: str) -> tuple[PlanRequest, PlanResult]:
    request = PROFILES[name].model_copy(update={"time_limit_s": 3.0})
    return request, solve(request)


@pytest.mark.parametrize("name", CASES)
def test_a_weeks_load_stays_within_its_upper_bound(name: str) -> None:
    request, result = solved(name)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    pm = build_model(request, schema, calendar)
    by_date = {}
    for day in result.days:
        by_date[day.date] = by_date.get(day.date, 0) + day.load
    for week in calendar.weeks:
        load = sum(by_date.get(pm.days[d].date, 0) for d in week.days)
        assert load <= week_load_upper(pm, week), (week.number, load)


def rows_of(pm: PlanModel, family: str) -> int:
    return sum(1 for f in pm.constraint_groups.values() if f == family)


def test_cuts_only_in_a_fresh_plan_not_in_a_diagnosis() -> None:
    """A fresh plan's recovery family holds one chord more per recovery week, its taper
    families two rows more each (the peak's upper bound, the chord); a diagnosis none."""
    request = PROFILES["marathon 18 w, default"]
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    fresh = build_model(request, schema, calendar)
    diagnosed = build_model(request, schema, calendar, diagnose=True)
    recovery_weeks = sum(1 for w in calendar.weeks if w.is_recovery and w.number > 1)
    assert recovery_weeks > 0
    assert rows_of(fresh, "recovery_weeks") - rows_of(diagnosed, "recovery_weeks") == (
        recovery_weeks
    )
    assert rows_of(fresh, "taper") - rows_of(diagnosed, "taper") == 2
    assert rows_of(fresh, "taper_time") - rows_of(diagnosed, "taper_time") == 2
