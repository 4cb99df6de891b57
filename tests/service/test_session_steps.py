"""Sessions as steps over HTTP: a runner with markers gets plan days (and day documents)
whose steps carry pace targets at their Daniels paces (recomputed here), a re-plan follows
the runner's markers as they are now, and custom schemas with steps are derived or refused
with the session named."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import httpx
import pytest

from shared import names
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    next_monday,
    short_plan,
)
from tests.service.stack import Stack


def vo2(v: float) -> float:
    return -4.6 + 0.182258 * v + 0.000104 * v * v


def vdot(metres: float, seconds: float) -> float:
    t = seconds / 60
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)
    return vo2(metres / t) / pct


def pace_at(target: float) -> float:
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if vo2(mid) < target else (lo, mid)
    return 60_000 / lo


def flat(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in steps:
        out += s["steps"] * s["count"] if s["type"] == "repeat" else [s]
    return out


def plan_of(api: httpx.Client, job_id: str, version: int | None = None) -> dict[str, Any]:
    events = events_until_terminal(api, job_id)
    assert events[-1].event == "succeeded", events[-1].data
    params = {"version": version} if version else {}
    plan: dict[str, Any] = api.get(
        f"/training-plans/{events[-1].data['plan_id']}", params=params
    ).json()
    return plan


def easy_band(minutes: float) -> tuple[float, float]:
    v = vdot(10000, minutes * 60)
    return pace_at(0.70 * v), pace_at(0.62 * v)


def test_plan_days_carry_pace_targets(api: httpx.Client, stack: Stack) -> None:
    race = {"race_result": {"distance_m": 10000, "time_s": 45 * 60}}
    runner_id = create_runner(api, markers=race)
    plan = plan_of(api, generate(api, runner_id, short_plan(4, schema_id="builtin-10k")))
    runs = [d for d in plan["days"] if d["steps"]]
    assert len(runs) >= 10
    fast, slow = easy_band(45)
    for day in runs:
        for step in flat(day["steps"]):
            target = step["target"]
            assert set(step) == {"type", "duration_s", "distance_m", "target"}
            if target is None or target["kind"] == "rpe":  # walks; uphill repeats
                continue
            assert target["kind"] == "pace"
            if step["type"] in ("warmup", "cooldown"):
                assert target["low_s_per_km"] == pytest.approx(fast, abs=0.1)
                assert target["high_s_per_km"] == pytest.approx(slow, abs=0.1)
        assert "/km" in day["session_definition"]
    # The day documents hold the same steps.
    stored = {
        (d["date"].date().isoformat(), d["slot"]): d["steps"]
        for d in stack.db[names.PLAN_DAYS].find({"plan_id": plan["plan_id"]})
    }
    for day in runs:
        assert stored[(day["date"], day["slot"])] == day["steps"]


def test_a_replan_follows_the_runners_markers_now(api: httpx.Client) -> None:
    runner_id = create_runner(api, markers={"race_result": {"distance_m": 10000, "time_s": 2700}})
    first = plan_of(api, generate(api, runner_id, short_plan(4, schema_id="builtin-10k")))
    faster = {"markers": {"race_result": {"distance_m": 10000, "time_s": 40 * 60}}}
    assert api.patch(f"/runners/{runner_id}", json=faster).status_code == 200
    effective = next_monday() + timedelta(days=9)
    accepted = api.post(
        f"/training-plans/{first['plan_id']}/replan", json={"effective": str(effective)}
    )
    assert accepted.status_code == 202, accepted.text
    events = events_until_terminal(api, accepted.json()["job_id"])
    assert events[-1].event == "succeeded", events[-1].data
    latest = api.get(f"/training-plans/{first['plan_id']}").json()
    assert latest["version"] == 2
    fast, slow = easy_band(40)
    future = [d for d in latest["days"] if d["date"] >= str(effective) and d["steps"]]
    assert future
    for day in future:
        warm = flat(day["steps"])[0]
        if warm["type"] == "warmup":
            assert warm["target"]["low_s_per_km"] == pytest.approx(fast, abs=0.1)
            assert warm["target"]["high_s_per_km"] == pytest.approx(slow, abs=0.1)


SESSION: dict[str, Any] = {
    "code": "T20",
    "session_type": "Tempo",
    "kind": "run",
    "intensity": "hard",
    "steps": [
        {"type": "warmup", "zone": "easy", "duration_s": 900},
        {"type": "active", "zone": "threshold", "duration_s": 1200},
        {"type": "cooldown", "zone": "easy", "duration_s": 900},
    ],
}


def schema_body(*sessions: dict[str, Any]) -> dict[str, Any]:
    rest = {
        "code": "REST",
        "session_type": "Rest",
        "kind": "rest",
        "intensity": "rest",
        "duration_min": 0,
        "load": 0,
    }
    return {"name": "custom steps", "distance": "10k", "sessions": [rest, *sessions]}


def test_custom_schema_steps_are_derived_or_refused(api: httpx.Client) -> None:
    created = api.post("/training-plan-schemas", json=schema_body(SESSION))
    assert created.status_code == 201, created.text
    session = created.json()["sessions"][1]
    load = round(30 / 60 * 100 * 0.72**2 + 20 / 60 * 100)
    assert (session["duration_min"], session["load"]) == (50, load)
    assert session["definition"] == "15 min easy · 20 min threshold (RPE 7) · 15 min easy."
    wrong = api.post("/training-plan-schemas", json=schema_body({**SESSION, "duration_min": 60}))
    assert wrong.status_code == 422, wrong.text
    assert "session 'T20'" in wrong.json()["detail"] and "duration_min 60" in wrong.json()["detail"]
    bad_zone = {**SESSION, "steps": [{"type": "active", "zone": "warp", "duration_s": 60}]}
    refused = api.post("/training-plan-schemas", json=schema_body(bad_zone))
    assert refused.status_code == 422 and "zone" in refused.json()["detail"]


def test_logged_activities_are_classed_by_the_runners_zones(api: httpx.Client) -> None:
    runner_id = create_runner(api, markers={"race_result": {"distance_m": 10000, "time_s": 2700}})
    v = vdot(10000, 2700)
    threshold_slow, steady_slow = pace_at(0.87 * v), pace_at(0.72 * v)
    for n, (pace, expected) in enumerate(
        [(threshold_slow - 2, "hard"), (threshold_slow + 10, "moderate"), (steady_slow + 5, "easy")]
    ):
        response = api.post(
            f"/runners/{runner_id}/activities",
            json={
                "activity_id": f"run-{n}",
                "date": str(next_monday() - timedelta(days=3 + n)),
                "duration_min": 50,
                "avg_pace_s_per_km": pace,
            },
        )
        assert response.status_code == 201, response.text
        assert response.json()["intensity"] == expected, pace
    # The moderate one at IF = T pace / pace above 0.87: its load alone would say hard.
    assert pace_at(0.88 * v) / (threshold_slow + 10) > 0.87
