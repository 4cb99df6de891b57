"""A solved plan's days as steps in the runner's numbers: a runner with "10k in 45:00" (VDOT
about 45) gets Daniels' T pace (about 4:3x per km, recomputed here by bisection) on every
threshold step, pace targets on every run, and the steps add up to the day's minutes."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from shared.markers import Markers
from shared.planning import PlanResult
from shared.steps import PaceTarget, RpeTarget, Step, flatten
from shared.zones import format_duration
from tests.engine.conftest import request_for
from worker.engine import solve
from worker.engine.validation import schema_for

TEN_K_45 = Markers.model_validate({"race_result": {"distance_m": 10000.0, "time_s": 2700.0}})


def vo2(v: float) -> float:
    return -4.6 + 0.182258 * v + 0.000104 * v * v


def pace_at(vo2_target: float) -> float:
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if vo2(mid) < vo2_target else (lo, mid)
    return 60_000 / lo


def vdot_of(metres: float, seconds: float) -> float:
    t = seconds / 60
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)
    return vo2(metres / t) / pct


@pytest.fixture(scope="module")
def plan() -> PlanResult:
    result = solve(request_for("10k", 8, markers=TEN_K_45))
    assert result.status in ("OPTIMAL", "FEASIBLE")
    return result


def threshold_codes() -> set[str]:
    schema = schema_for(request_for("10k", 8))
    return {
        s.code
        for s in schema.sessions
        if any("threshold" in str(step.model_dump()) for step in s.steps or [])
    }


def test_every_threshold_session_at_daniels_t_pace(plan: PlanResult) -> None:
    vdot = vdot_of(10000, 2700)
    assert 44.5 < vdot < 46
    fast, slow = pace_at(0.89 * vdot), pace_at(0.87 * vdot)
    codes = threshold_codes()
    days = [d for d in plan.days if d.session_code in codes]
    assert days, "an 8-week 10k plan holds threshold sessions"
    band = f"threshold {format_duration(fast)}-{format_duration(slow)}/km"
    for day in days:
        work = [s for s in flatten(day.steps) if s.type == "active"]
        assert work
        for step in work:
            assert isinstance(step.target, PaceTarget)
            assert step.target.low_s_per_km == pytest.approx(fast, abs=0.1)
            assert step.target.high_s_per_km == pytest.approx(slow, abs=0.1)
            assert 270 <= step.target.low_s_per_km < step.target.high_s_per_km < 280
        assert band in day.session_definition


def seconds(step: Step) -> float:
    if step.duration_s is not None:
        return step.duration_s
    assert step.distance_m is not None and isinstance(step.target, PaceTarget)
    return step.distance_m / 1000 * (step.target.low_s_per_km + step.target.high_s_per_km) / 2


def test_every_run_in_paces_adding_up_to_its_minutes(plan: PlanResult) -> None:
    schema = {s.code: s for s in schema_for(request_for("10k", 8)).sessions}
    runs = [d for d in plan.days if d.session_code in schema and schema[d.session_code].steps]
    assert len(runs) > 20
    for day in runs:
        steps = flatten(day.steps)
        uphill = "hills" in str(schema[day.session_code].model_dump()["steps"])
        for step in steps:
            if step.type == "recovery" and step.target is None:
                continue  # a walk
            if uphill and step.type == "active":
                assert isinstance(step.target, RpeTarget)
            else:
                assert isinstance(step.target, PaceTarget), (day.session_code, step)
        total_min = sum(seconds(s) for s in steps) / 60
        # Distance steps take this runner's own time, close to the template's reference runner.
        assert total_min == pytest.approx(day.duration_min, abs=1.5), day.session_code
        assert "/km" in day.session_definition and "Add a race result" not in day.session_definition


def test_without_markers_effort_words_and_how_to_get_paces() -> None:
    result = solve(request_for("10k", 4))
    assert result.status in ("OPTIMAL", "FEASIBLE")
    runs = [d for d in result.days if d.steps]
    assert runs
    for day in runs:
        assert all(isinstance(s.target, RpeTarget) or s.target is None for s in flatten(day.steps))
        assert day.session_definition.endswith(
            "Add a race result or threshold pace for your paces."
        )


def test_a_replan_keeps_done_steps_and_drops_missed_ones(plan: PlanResult) -> None:
    """Done as planned: the planned steps stay; missed (nothing logged): a rest day without
    steps; the days solved again: steps in the same paces."""
    from shared.replanning import DoneActivity, ReplanRequest
    from worker.engine.replan import replan

    request = request_for("10k", 8, markers=TEN_K_45)
    effective = plan.start + timedelta(days=24)
    lived = [d for d in plan.days if d.date < effective and d.steps and d.slot == 0]
    missed = lived[-1].date
    done = [
        DoneActivity(
            date=d.date,
            duration_min=d.duration_min,
            load=d.load,
            session_code=d.session_code,
        )
        for d in plan.days
        if d.date < effective and d.load > 0 and d.date != missed and d.intensity != "strength"
    ]
    result = replan(
        ReplanRequest(request=request, previous=plan.days, effective=effective, done=done)
    )
    assert result.status in ("OPTIMAL", "FEASIBLE")
    before = {(d.date, d.slot): d for d in plan.days}
    for day in result.days:
        if day.date == missed:
            assert day.load == 0 and day.steps == []
        elif day.date < effective and day.slot == 0 and day.load > 0:
            assert day.steps == before[(day.date, 0)].steps
    threshold = {
        s.target.model_dump_json()
        for d in result.days
        if d.date >= effective and d.session_code in threshold_codes()
        for s in flatten(d.steps)
        if s.type == "active"
    }
    assert len(threshold) <= 1  # one threshold band, the runner's
