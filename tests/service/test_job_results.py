"""What a finished job says about its plan, recomputed from what was stored: the version
its days were stored under, the final figures of its progress, and a re-plan's changed
dates against the version it started from."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from typing import Any

import httpx

from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    long_plan,
    next_monday,
    short_plan,
)
from tests.service.stack import Stack


def succeeded(api: httpx.Client, job_id: str) -> tuple[dict[str, Any], list[Any]]:
    """The finished job and its events (the stream ends after the terminal one)."""
    events = events_until_terminal(api, job_id)
    assert events[-1].event == "succeeded", json.dumps(events[-1].data, default=str)
    return api.get(f"/jobs/{job_id}").json(), events


def replan(api: httpx.Client, plan_id: str, body: dict[str, Any]) -> dict[str, Any]:
    accepted = api.post(f"/training-plans/{plan_id}/replan", json=body)
    assert accepted.status_code == 202, accepted.text
    return succeeded(api, accepted.json()["job_id"])[0]


def sessions(days: list[dict[str, Any]]) -> dict[str, dict[int, str]]:
    """Date -> slot -> session code."""
    out: dict[str, dict[int, str]] = defaultdict(dict)
    for d in days:
        out[d["date"]][d["slot"]] = d["session_code"]
    return out


def test_job_result_version_is_the_version_its_days_are_stored_under(
    api: httpx.Client, stack: Stack
) -> None:
    job_id = generate(api, create_runner(api), short_plan())
    job, _ = succeeded(api, job_id)
    plan_id = job["plan_id"]
    first = api.get(f"/training-plans/{plan_id}").json()
    stored = list(stack.db["trainingplan"].find({"plan_id": plan_id}))
    # The generated plan's days carry no version: the API calls them version 1.
    assert stored and all("version" not in d and d["job_id"] == job_id for d in stored)
    assert job["result"]["version"] == first["version"] == 1

    for expected in (2, 3):
        done = replan(api, plan_id, {"effective": str(next_monday()), "use_activities": False})
        version = done["result"]["version"]
        days = list(stack.db["trainingplan"].find({"plan_id": plan_id, "version": version}))
        assert version == expected
        assert days and {d["job_id"] for d in days} == {done["id"]}
        shown = api.get(f"/training-plans/{plan_id}", params={"version": version}).json()
        assert shown["version"] == version and shown["job_id"] == done["id"]
        assert len(shown["days"]) == len(days) == done["result"]["days"]


def test_final_progress_and_terminal_event_carry_the_result_figures(api: httpx.Client) -> None:
    # A solve that keeps improving for its whole time limit: progress is throttled, so the
    # last improving solution is easily one that was never published.
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=3))
    job, events = succeeded(api, job_id)
    result = job["result"]
    figures = ("objective", "bound", "gap")
    assert all(result[k] is not None for k in figures), result
    expected = {k: result[k] for k in figures}
    assert {k: job["progress"][k] for k in figures} == expected
    assert job["progress"]["percent"] == 100.0
    terminal = events[-1].data["progress"]
    assert {k: terminal[k] for k in figures} == expected
    # The objective is maximised: no solution published beats the result's.
    published = [e.data["progress"]["objective"] for e in events if e.event == "progress"]
    assert published and max(published) <= result["objective"] + 1e-6


def test_replan_keeps_days_not_lived_and_reports_every_change(api: httpx.Client) -> None:
    start = next_monday()  # the whole plan is ahead: none of its days has been lived yet
    runner_id = create_runner(api)
    job_id = generate(api, runner_id, short_plan(4, schema_id="builtin-10k"))
    plan_id = succeeded(api, job_id)[0]["plan_id"]
    v1 = api.get(f"/training-plans/{plan_id}", params={"version": 1}).json()
    effective = start + timedelta(days=7)
    trained = sorted(
        {d["date"] for d in v1["days"] if d["intensity"] != "rest" and d["date"] < str(effective)}
    )
    assert len(trained) >= 2, trained  # a session after the logged one, before `effective`
    # The first training day logged, done otherwise than planned (shorter, no session code).
    body = {"activity_id": "first", "date": trained[0], "duration_min": 30, "load": 25}
    response = api.post(f"/runners/{runner_id}/activities", json=body)
    assert response.status_code == 201, response.text
    job = replan(api, plan_id, {"effective": str(effective), "weekly_hours": 5.0})
    result = job["result"]
    v2 = api.get(f"/training-plans/{plan_id}", params={"version": 2}).json()
    assert result["version"] == v2["version"] == 2

    old, new = sessions(v1["days"]), sessions(v2["days"])
    # The other days before the effective date have not happened: kept as planned, not
    # taken as missed.
    ahead = [w for w in old if trained[0] < w < str(effective)]
    assert ahead and all(new[w] == old[w] for w in ahead), {w: (old[w], new[w]) for w in ahead}
    changed = [w for w in sorted(old.keys() | new.keys()) if old.get(w) != new.get(w)]
    assert result["changed_dates"] == changed and result["changed_days"] == len(changed)
    assert trained[0] in changed  # the day done otherwise counts (before the effective date)
