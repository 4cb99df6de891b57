"""Requests that cannot be planned at all are rejected in words before solving."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.planning import Athlete, PlanRequest, Race
from worker.engine import InvalidRequest, solve, validate

RACE = date(2027, 4, 18)


def _req(**kw: object) -> PlanRequest:
    return PlanRequest.model_validate({"races": [{"date": RACE, "distance": "10k"}], **kw})


def test_race_in_the_past() -> None:
    problems = validate(_req(), today=RACE + timedelta(days=1))
    assert any("in the past" in p for p in problems)


def test_plan_shorter_than_a_week() -> None:
    problems = validate(_req(start=RACE - timedelta(days=3)))
    assert any("at least a week" in p for p in problems)
    with pytest.raises(InvalidRequest):
        solve(_req(start=RACE - timedelta(days=3)))


def test_start_after_race() -> None:
    assert any("after the race" in p for p in validate(_req(start=RACE + timedelta(days=2))))


def test_b_race_outside_the_plan() -> None:
    req = PlanRequest(
        races=[
            Race(date=RACE, distance="10k"),
            Race(date=RACE + timedelta(days=3), distance="5k", priority="B"),
        ]
    )
    assert any("outside the plan" in p for p in validate(req))


def test_no_available_day() -> None:
    assert validate(_req(athlete=Athlete(availability_min=[0] * 7)))


def test_exactly_one_goal_race() -> None:
    with pytest.raises(ValueError):
        PlanRequest(races=[Race(date=RACE, distance="10k", priority="B")])


def test_a_sound_request_has_no_problems() -> None:
    assert validate(_req(), today=RACE - timedelta(days=100)) == []
