"""Triathlon plans: an olympic and a 70.3 plan solve, and the multi-sport checker
(tests/engine/rules.py), recomputing from the plan's days alone, finds no broken rule."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

import pytest
from ortools.sat.python import cp_model

from shared.exports.table import render_table
from shared.planning import (
    TRI_DISTANCES,
    PlanDay,
    PlanRequest,
    PlanResult,
    SessionTemplate,
    TrainingSchema,
)
from tests.engine.coach_rules import lightest_week_load
from tests.engine.conftest import request_for
from tests.engine.rules import multisport_violations, violations
from worker.builtin_schemas import find_builtin
from worker.engine.calendar import build_calendar
from worker.engine.model import build_model
from worker.engine.model.warm_start import warm_start
from worker.engine.solve import solve
from worker.engine.templates import builtin_schema, race_session
from worker.engine.tri_hint import tri_plan
from worker.engine.validation import schema_for

CASES = {"olympic": 16, "70.3": 20}


def tri_request(distance: str, weeks: int) -> PlanRequest:
    return request_for(
        distance,  # type: ignore[arg-type]
        weeks,
        time_limit_s=10.0,
        athlete={"weekly_hours": 10.0},
    )


@cache
def plan(distance: str) -> tuple[PlanRequest, PlanResult]:
    request = tri_request(distance, CASES[distance])
    return request, solve(request)


def sessions_of(schema: TrainingSchema) -> list[SessionTemplate]:
    return [*schema.sessions, race_session(schema.distance)]


@pytest.mark.parametrize("distance", CASES)
def test_a_triathlon_plan_keeps_every_multisport_rule(distance: str) -> None:
    request, result = plan(distance)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    schema = builtin_schema(request.goal.distance)
    assert multisport_violations(result.days, request, sessions_of(schema)) == []


@pytest.mark.parametrize("distance", CASES)
def test_a_triathlon_plan_keeps_every_running_rule_read_by_sport(distance: str) -> None:
    """The general checker (load, form, ramp, recovery, taper, coach rules) on the plan, read
    as the engine reads a triathlon: a long session is the long run only in sport run (a
    long ride is one more training session), a second session of the day is allowed (of
    another sport: the multi-sport checker), and no goal-pace work is asked for (the
    catalogue has none: the engine's family then adds no row; bricks are checked instead)."""
    request, result = plan(distance)
    assert by_sport_violations(result.days, request) == []


def by_sport_violations(days: list[PlanDay], request: PlanRequest) -> list[str]:
    """The general checker on a triathlon plan, read by sport (see the test above); the
    recovery weeks' floor is the real catalogue's lightest week."""
    schema = builtin_schema(request.goal.distance)
    by_sport = schema.model_copy(
        update={
            "sessions": [
                s.model_copy(update={"kind": "run"}) if s.kind == "long" and s.sport != "run" else s
                for s in schema.sessions
            ]
        }
    )
    read = request.model_copy(
        update={
            "athlete": request.athlete.model_copy(update={"doubles": True}),
            "rules": request.rules.model_copy(update={"race_specific_per_week": 0}),
        }
    )
    floor = lightest_week_load(schema, request.rules)
    return violations(days, read, by_sport, lightest_week=floor)


@pytest.mark.parametrize("distance", CASES)
def test_every_sport_is_trained_and_the_race_is_one_session(distance: str) -> None:
    request, result = plan(distance)
    sports = Counter(d.sport for d in result.days if d.intensity not in ("rest", "strength"))
    assert {"swim", "bike", "run", "brick"} <= set(sports)
    race = [d for d in result.days if d.date == request.goal.date]
    assert [d.sport for d in race] == ["triathlon"]
    assert race[0].load == race_session(request.goal.distance).load
    legs = race_session(request.goal.distance).load_by_sport or {}
    assert set(legs) == {"swim", "bike", "run"} and sum(legs.values()) == race[0].load


def _with_day(days: list[PlanDay], index: int, **update: object) -> list[PlanDay]:
    out = list(days)
    out[index] = out[index].model_copy(update=update)
    return out


def test_the_checker_catches_broken_multisport_rules() -> None:
    """The checker is not blind: each rule broken by hand is reported."""
    request, result = plan("olympic")
    schema = builtin_schema("olympic")
    sessions = sessions_of(schema)
    days = result.days
    # A second swim on a day that already swims.
    i = next(k for k, d in enumerate(days) if d.sport == "swim")
    doubled = [*days[: i + 1], days[i].model_copy(update={"slot": 9}), *days[i + 1 :]]
    assert any("two swim" in v for v in multisport_violations(doubled, request, sessions))
    # Every swim of a base week made a rest day: the weekly minimum breaks.
    week = next(d.week_number for d in days if d.phase == "base" and d.week_number > 1)
    no_swims = [
        d.model_copy(update={"sport": "run", "session_code": "REC30"})
        if d.week_number == week and d.sport == "swim"
        else d
        for d in days
    ]
    found = multisport_violations(no_swims, request, sessions)
    assert any(f"week {week}:" in v and "swim sessions" in v for v in found)
    # No swim left in the race week: the taper drops a sport.
    last_week = days[-1].week_number
    dry = [d for d in days if not (d.week_number == last_week and d.sport == "swim")]
    found = multisport_violations(dry, request, sessions)
    assert f"week {last_week}: no swim session in the taper" in found
    # A base week's rides made four times as long: the bike's share of the week breaks.
    long_rides = [
        d.model_copy(update={"duration_min": 4 * d.duration_min})
        if d.week_number == week and d.sport == "bike"
        else d
        for d in days
    ]
    found = multisport_violations(long_rides, request, sessions)
    assert any(f"week {week}: bike" in v and "of the time" in v for v in found)
    # A hard day right after a hard day.
    hard = next(k for k, d in enumerate(days) if d.intensity == "hard")
    nxt = next(k for k, d in enumerate(days) if d.date > days[hard].date)
    broken = _with_day(days, nxt, intensity="hard")
    assert any("hard day followed" in v for v in multisport_violations(broken, request, sessions))
    # Per-sport fitness off by one point.
    last = len(days) - 1
    ctl = dict(days[last].ctl_by_sport or {})
    ctl["bike"] += 1
    off = _with_day(days, last, ctl_by_sport=ctl)
    assert any("bike CTL" in v for v in multisport_violations(off, request, sessions))


@pytest.mark.parametrize("distance", CASES)
def test_per_sport_fitness_adds_up_to_the_total(distance: str) -> None:
    _, result = plan(distance)
    for d in result.days:
        assert d.ctl_by_sport is not None and d.atl_by_sport is not None
        assert sum(d.ctl_by_sport.values()) == pytest.approx(d.ctl, abs=0.05)
        assert sum(d.atl_by_sport.values()) == pytest.approx(d.atl, abs=0.05)


def test_a_running_plan_has_no_per_sport_fitness() -> None:
    result = solve(request_for("10k", 8))
    assert result.days and all(d.ctl_by_sport is None for d in result.days)
    assert {d.sport for d in result.days} == {"run"}


def test_the_table_groups_a_days_sessions_by_sport() -> None:
    """Each date's sessions in race order (swim, bike, brick, run), each named by sport,
    and each week's hours split by sport adding up to the week's."""
    _, result = plan("olympic")
    order = {"Swim": 0, "Bike": 1, "Brick": 2, "Run": 3}
    shown: list[list[str]] = []
    for line in render_table(result).splitlines():
        if re.match(r"  (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{4}-", line):
            shown.append([])
        found = re.match(r"  .{14}  (Swim|Bike|Brick|Run): ", line)
        if found and shown:
            shown[-1].append(found.group(1))
    assert sum(len(day) for day in shown) == sum(
        1 for d in result.days if d.sport in ("swim", "bike", "brick", "run") and d.load > 0
    )
    assert any(len(day) == 2 for day in shown)
    for day in shown:
        assert [order[s] for s in day] == sorted(order[s] for s in day)
    for line in render_table(result).splitlines():
        if line.startswith("Week ") and "race" not in line:
            total = float(re.search(r" (\d+\.\d) h · load", line).group(1))  # type: ignore[union-attr]
            parts = [
                float(x) for x in re.findall(r"(?:swim|bike|brick|run|strength) (\d+\.\d) h", line)
            ]
            assert sum(parts) == pytest.approx(total, abs=0.1 * len(parts))


def test_the_builtin_schemas_offer_every_triathlon() -> None:
    """`builtin-<distance>` for the triathlons, each a catalogue of swims, rides, runs and
    bricks whose per-sport load splits add up to the session's load."""
    for distance in TRI_DISTANCES:
        stored = find_builtin(f"builtin-{distance}")
        assert stored is not None and stored.distance == distance
        sports = {s.sport for s in stored.sessions}
        assert {"swim", "bike", "run", "brick"} <= sports
        for s in stored.sessions:
            if s.load_by_sport is not None:
                assert sum(s.load_by_sport.values()) == s.load, s.code
        race = race_session(distance)
        assert (stored.race_duration_min, stored.race_load) == (race.duration_min, race.load)


@pytest.mark.parametrize("distance", CASES)
def test_the_triathlon_hint_is_a_plan(distance: str) -> None:
    """The hint's sessions, fixed in the full model, leave it feasible: every family holds
    (so the search starts from a plan, not a repair)."""
    request = tri_request(distance, CASES[distance])
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema))
    hinted = warm_start(pm, tri_plan(pm))
    for d, choice in hinted.items():
        for code, lit in pm.primary[d].items():
            pm.model.add(lit == int(code == choice.primary))
        for code, lit in pm.doubles[d].items():
            pm.model.add(lit == int(code in choice.doubles))
        if pm.strength[d] is not None:
            pm.model.add(pm.strength[d] == int(choice.strength))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30
    assert solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
