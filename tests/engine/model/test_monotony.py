"""The monotony penalty: each full week's variable is its shortfall max(0, mean/2 - MAD)
(in the module's integers), recomputed here from the plan's days alone; a week paying none
has Foster monotony <= 2; a weight of 0 leaves the model without it."""

from __future__ import annotations

import statistics
from collections import defaultdict

from shared.planning import PlanRules
from tests.engine.conftest import request_for
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import build_model
from worker.engine.solve import chosen_sessions, lay_out_days, search
from worker.engine.validation import schema_for


def test_each_weeks_penalty_is_its_monotony_shortfall() -> None:
    request = request_for("10k", 6, time_limit_s=5.0, seed=0)
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema))
    add_heuristic_hint(pm)
    outcome = search(pm)
    assert outcome.found
    days = lay_out_days(pm, chosen_sessions(pm, outcome.solver))
    by_date: dict[object, int] = defaultdict(int)
    for d in days:
        by_date[d.date] += d.load
    loads = [by_date[day.date] for day in pm.days]
    weeks = [w for w in pm.calendar.weeks if w.full and not w.has_goal_race]
    assert len(pm.monotony_terms) == len(weeks) > 0
    for week_days, _spreads, shortfall in pm.monotony_terms:
        week = [loads[d] for d in week_days]
        mean = statistics.fmean(week)
        mad = statistics.fmean(abs(x - mean) for x in week)
        expected = max(0.0, mean / 2 - mad) * 98  # the module's integers
        assert outcome.solver.value(shortfall) == round(expected)
        if expected == 0 and statistics.pstdev(week) > 0:
            assert mean / statistics.pstdev(week) <= 2.0


def shortfalls(weight: float) -> list[float]:
    """Each full non-race week's mean/2 - MAD (daily load points, 0 if none) of the plan
    solved with this weight, recomputed from its days."""
    request = request_for(
        "10k", 6, time_limit_s=5.0, seed=0, rules=PlanRules(monotony_weight=weight)
    )
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema))
    add_heuristic_hint(pm)
    outcome = search(pm)
    assert outcome.found
    by_date: dict[object, int] = defaultdict(int)
    for d in lay_out_days(pm, chosen_sessions(pm, outcome.solver)):
        by_date[d.date] += d.load
    out = []
    for w in pm.calendar.weeks:
        if w.full and not w.has_goal_race:
            week = [by_date[pm.days[d].date] for d in w.days]
            mean = statistics.fmean(week)
            out.append(max(0.0, mean / 2 - statistics.fmean(abs(x - mean) for x in week)))
    return out


def test_a_high_weight_makes_weeks_less_monotonous() -> None:
    free, penalised = shortfalls(0.0), shortfalls(1.0)
    assert sum(free) > 0, free  # without the penalty this plan has monotonous weeks
    # At a weight of 1 a point of shortfall costs as much as a point of race-day fitness:
    # the plan pays at most half of what it did (measured: 4.7 points without, 0 with).
    assert sum(penalised) <= 0.5 * sum(free), (free, penalised)


def test_weight_zero_builds_no_penalty() -> None:
    request = request_for("half", 12, rules=PlanRules(monotony_weight=0.0))
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema))
    assert pm.monotony_terms == []
