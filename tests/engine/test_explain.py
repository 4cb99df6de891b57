"""Infeasible requests answer with the runner's clashing limits, in words."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from bench.bench_quality import PROFILES
from shared.planning import Athlete, Distance, PlanRequest
from tests.engine.conftest import request_for
from worker.engine import solve
from worker.engine.calendar import build_calendar
from worker.engine.explain import _Checks
from worker.engine.model import build_model
from worker.engine.precheck import arithmetic_conflict
from worker.engine.validation import schema_for


def test_too_few_hours_for_a_marathon_names_hours_and_long_run() -> None:
    result = solve(request_for("marathon", 16, athlete=Athlete(weekly_hours=2)))
    assert result.status == "INFEASIBLE"
    assert result.days == []
    text = " ".join(result.conflicts)
    assert "2 training hours per week" in text
    assert "long run" in text or "runs per week" in text


def test_starting_fatigue_too_high_names_the_form_floor() -> None:
    result = solve(request_for("10k", 10, athlete=Athlete(ctl=40, atl=110)))
    assert result.status == "INFEASIBLE"
    assert len(result.conflicts) == 1
    assert "form (TSB) never below -30" in result.conflicts[0]
    assert "-70" in result.conflicts[0]


def test_rest_days_against_minimum_runs() -> None:
    result = solve(request_for("half", 10, athlete=Athlete(rest_days=5)))
    assert result.status == "INFEASIBLE"
    text = " ".join(result.conflicts)
    # Five rest days leave two run days: too few for the runs a week asks for, or for
    # the race week's short runs (either names the clash).
    assert "5 full rest day(s)" in text
    assert "3 runs per week" in text or "3 short runs" in text
    assert "weekly hours" not in text  # hours are not to blame


def test_a_long_plan_names_the_hours_as_a_short_one_does() -> None:
    """36 weeks: the heaviest family (the form floor) is left out first; the hours are
    named, with weekly limits they clash with (which ones may differ: several minimal sets
    exist once the coach-grade weekly families are in)."""
    short = solve(request_for("marathon", 16, athlete=Athlete(weekly_hours=2)))
    long = solve(request_for("marathon", 36, athlete=Athlete(weekly_hours=2)))
    assert short.status == long.status == "INFEASIBLE"
    for result in (short, long):
        text = " ".join(result.conflicts)
        assert "2 training hours per week" in text and "form (TSB)" not in text
        assert len(result.conflicts) >= 3  # the hours and at least two limits they clash with


def test_blocked_weekdays_name_the_availability() -> None:
    """Two open days a week cannot hold three runs: the availability is named, not only
    the runs (a check that bakes availability into the days would leave it out)."""
    result = solve(request_for("half", 12, athlete=Athlete(availability_min=[0] * 5 + [None] * 2)))
    assert result.status == "INFEASIBLE"
    text = " ".join(result.conflicts)
    assert "no training on Monday, Tuesday, Wednesday, Thursday, Friday" in text
    assert "3 runs per week" in text


def fitness_on_race_day(distance: Distance, weeks: int, ctl: float) -> PlanRequest:
    request = request_for(distance, weeks)
    race = request.races[0].model_copy(update={"fitness_floor": ctl})
    return request.model_copy(update={"races": [race]})


ARITHMETIC = {
    "2 h a week, marathon": request_for("marathon", 16, athlete=Athlete(weekly_hours=2)),
    "ATL 110": request_for("10k", 10, athlete=Athlete(ctl=40, atl=110)),
    "5 rest days": request_for("half", 10, athlete=Athlete(rest_days=5)),
    "45 min a day": request_for("marathon", 20, athlete=Athlete(availability_min=[45] * 7)),
    "2 days open": request_for("half", 12, athlete=Athlete(availability_min=[0] * 5 + [None] * 2)),
    "CTL 90 in 10 weeks": fitness_on_race_day("10k", 10, 90),
    "CTL 120 at 8 h": fitness_on_race_day("marathon", 36, 120),
    "4 rest days": request_for("half", 16, athlete=Athlete(rest_days=4)),
    "1 pool day": request_for("olympic", 16, athlete=Athlete(swim_days=[2])),
}


@pytest.mark.parametrize("name", sorted(ARITHMETIC))
def test_a_conflict_found_by_arithmetic_is_one_the_model_cannot_hold(name: str) -> None:
    """The families the request's sums name are infeasible together by CP-SAT too (the
    model with those families alone), and so is the whole model: the precheck never
    blames a request the model could plan."""
    request = ARITHMETIC[name]
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    groups = arithmetic_conflict(request, schema, calendar)
    assert groups
    alone = _Checks(request, schema, calendar, None).build(groups, diagnose=True)
    for guard in alone.guards.values():  # the named families on, nothing else
        domain = alone.model.proto.variables[guard.index].domain
        domain[0] = domain[1] = 1
    assert set(alone.guards) == set(groups)
    for model in (alone.model, build_model(request, schema, calendar).model):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 60
        solver.parameters.num_workers = 2
        assert solver.solve(model) == cp_model.INFEASIBLE


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_no_arithmetic_conflict_for_a_plannable_request(name: str) -> None:
    """The runners of the plan-quality bench all get plans: no sum may say otherwise."""
    request = PROFILES[name]
    schema = schema_for(request)
    assert arithmetic_conflict(request, schema, build_calendar(request, schema)) is None
