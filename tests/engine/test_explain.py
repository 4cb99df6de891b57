"""Infeasible requests answer with the runner's clashing limits, in words."""

from __future__ import annotations

from shared.planning import Athlete
from tests.engine.conftest import request_for
from worker.engine import solve


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
