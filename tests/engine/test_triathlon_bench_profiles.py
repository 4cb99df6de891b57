"""The triathlon benchmark's requests (bench/tri_profiles.py: four distances, 6 to 15 weekly
hours) each get a plan, or a proof of infeasibility with its explanation, and every plan
keeps every rule: the multi-sport checker and the general checker read by sport
(tests/engine/rules.py), both recomputing from the plan's days alone.

Each request is solved here with a short limit. With TRAINPLAN_TRI_BENCH_PLANS set
(`python -m bench.bench_triathlon`, which runs this test), the plans checked are the
benchmark's own, read from that file: the checker passes on every bench plan, not on a
plan like it."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from bench.tri_profiles import PLANS_ENV, PROFILES, Profile
from shared.planning import PlanDay, PlanRequest, TrainingSchema
from tests.engine.rules import multisport_violations, violations
from tests.engine.test_triathlon import sessions_of
from worker.engine.solve import solve
from worker.engine.templates import builtin_schema


def time_limit(profile: Profile) -> float:
    """5 s; 10 s for the 30-week ironman, whose first plan alone takes about 3 s on an idle
    machine (model, presolve): 5 s is too close when the 2 cores are shared."""
    return 10.0 if profile.weeks >= 30 else 5.0


class NoPlanWithinLimit(Exception):
    """The search ended without a plan and without a proof that none exists."""


# At 6 weekly hours the triathlon hint (worker/engine/tri_hint.py) breaks the weekly hours,
# load growth and recovery weeks families (and, by distance, the intensity mix, sport shares
# or taper time), and CP-SAT rarely repairs it within the limit (the sprint sometimes does). Only that outcome is expected to fail here:
# a plan found that breaks a rule still fails the test.
_NO_PLAN_AT_6_H = pytest.mark.xfail(
    raises=NoPlanWithinLimit,
    strict=False,
    reason="engine: no triathlon plan at 6 weekly hours within the limit (issue 16 bench)",
)


@dataclass(frozen=True)
class Outcome:
    status: str
    days: list[PlanDay]
    conflicts: list[str]


@cache
def outcome(profile: Profile) -> Outcome:
    path = os.environ.get(PLANS_ENV)
    if path:
        found = json.loads(Path(path).read_text())[profile.id]
        days = [PlanDay.model_validate(d) for d in found["days"]]
        return Outcome(found["status"], days, found["conflicts"])
    result = solve(profile.request(time_limit(profile)))
    return Outcome(result.status, result.days, result.conflicts)


def read_by_sport(
    request: PlanRequest, schema: TrainingSchema
) -> tuple[PlanRequest, TrainingSchema]:
    """The request and catalogue as the general checker reads a triathlon (as in
    tests/engine/test_triathlon.py): a long session is the long run only in sport run,
    a second session of the day is allowed (the multi-sport checker bounds them), and no
    goal-pace work is asked for (the catalogue has none)."""
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
    return read, by_sport


def _param(profile: Profile) -> object:
    marks = [_NO_PLAN_AT_6_H] if profile.weekly_hours <= 6 else []
    return pytest.param(profile, id=profile.id, marks=marks)


@pytest.mark.parametrize("profile", [_param(p) for p in PROFILES])
def test_a_bench_request_is_planned_by_every_rule(profile: Profile) -> None:
    found = outcome(profile)
    if found.status == "INFEASIBLE":  # a result, when the engine says why
        assert found.conflicts, "infeasible without an explanation"
        return
    if found.status not in ("OPTIMAL", "FEASIBLE"):
        raise NoPlanWithinLimit(f"{profile.name}: {found.status}")
    request = profile.request(time_limit(profile))
    schema = builtin_schema(request.goal.distance)
    read, by_sport = read_by_sport(request, schema)
    broken = {
        "multisport": multisport_violations(found.days, request, sessions_of(schema)),
        "general": violations(found.days, read, by_sport),
    }
    assert broken == {"multisport": [], "general": []}
