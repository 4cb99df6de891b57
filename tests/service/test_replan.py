"""Activities and re-plans through the real stack (uvicorn, Celery workers, Redis, MongoDB).

Checked independently: loads from the documented formula, fitness from the textbook
recursion (`tests/engine/rules.recompute`), the new version's days against the rule
checker with the request its job stored, changed days recounted from the two versions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from shared.planning import PlanDay, PlanRequest
from tests.engine.rules import planned_loads, recompute, violations
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    next_monday,
    short_plan,
)
from tests.service.stack import Stack
from worker.engine.validation import schema_for

THRESHOLDS = {"threshold_pace_s_per_km": 270.0, "threshold_hr": 170.0}


def other_tenant(stack: Stack, name: str) -> httpx.Client:
    return httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.new_api_key(name)}
    )


def test_activities_crud_idempotency_fitness_and_isolation(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api, thresholds=THRESHOLDS, ctl=45, atl=40)
    base = f"/runners/{runner_id}/activities"
    day0 = date(2026, 9, 7)
    given = {"activity_id": "garmin-1", "date": str(day0), "duration_min": 45, "load": 40}

    created = api.post(base, json=given)
    assert created.status_code == 201, created.text
    assert created.json()["load"] == 40 and created.json()["load_source"] == "given"
    assert created.json()["intensity"] == "easy"  # IF sqrt(40/75) = 0.73
    replay = api.post(base, json=given)
    assert replay.status_code == 200 and replay.json() == created.json()
    assert replay.headers["Idempotent-Replayed"] == "true"
    clash = api.post(base, json=given | {"load": 55})
    assert clash.status_code == 409 and "already recorded" in clash.json()["detail"]

    # Loads derived from pace and heart rate: hours x IF^2 x 100.
    pace = api.post(
        base,
        json={
            "activity_id": "garmin-2",
            "date": str(day0 + timedelta(days=2)),
            "duration_min": 50,
            "avg_pace_s_per_km": 300,
        },
    )
    assert pace.status_code == 201, pace.text
    assert pace.json()["load"] == pytest.approx(50 / 60 * (270 / 300) ** 2 * 100, abs=0.05)
    assert pace.json()["load_source"] == "pace" and pace.json()["intensity"] == "hard"
    hr = api.post(
        base,
        json={
            "activity_id": "strava:3",
            "date": str(day0 + timedelta(days=3)),
            "duration_min": 90,
            "avg_hr": 130,
        },
    )
    assert hr.status_code == 201, hr.text
    assert hr.json()["load"] == pytest.approx(1.5 * (130 / 170) ** 2 * 100, abs=0.05)
    for bad, needle in (
        ({"activity_id": "x1", "date": str(day0), "duration_min": 30}, "give `load`"),
        ({"activity_id": "x2", "date": str(day0), "duration_min": 30, "load": -1}, "load"),
        (
            {"activity_id": "bad id", "date": str(day0), "duration_min": 30, "load": 5},
            "activity_id",
        ),
    ):
        response = api.post(base, json=bad)
        assert response.status_code == 422 and needle in response.text, response.text
    no_thresholds = create_runner(api)
    response = api.post(
        f"/runners/{no_thresholds}/activities",
        json={"activity_id": "a", "date": str(day0), "duration_min": 30, "avg_hr": 150},
    )
    assert response.status_code == 422 and "threshold_hr" in response.json()["detail"]

    listed = api.get(base).json()
    assert [a["activity_id"] for a in listed] == ["garmin-1", "garmin-2", "strava:3"]
    window = api.get(
        base, params={"from": str(day0 + timedelta(days=1)), "to": str(day0 + timedelta(days=2))}
    )
    assert [a["activity_id"] for a in window.json()] == ["garmin-2"]

    # Fitness: the profile's CTL/ATL on the first activity's morning, then every day counts.
    on = day0 + timedelta(days=10)
    fitness = api.get(f"/runners/{runner_id}/fitness", params={"on": str(on)}).json()
    loads = [0.0] * 10
    for a in listed:
        loads[(date.fromisoformat(a["date"]) - day0).days] += a["load"]
    ctl, atl, _ = recompute(loads, 45, 40, 42, 7)[-1]
    assert fitness["source"] == "activities" and fitness["activities"] == 3
    assert (fitness["ctl"], fitness["atl"]) == pytest.approx((ctl, atl), abs=0.01)
    before = api.get(f"/runners/{runner_id}/fitness", params={"on": str(day0)}).json()
    assert (before["ctl"], before["atl"], before["source"]) == (45, 40, "profile")

    # Another tenant sees none of it; stored documents carry the tenant.
    with other_tenant(stack, "tenant-activities") as other:
        assert other.get(base).status_code == 404
        assert other.post(base, json=given).status_code == 404
        assert other.delete(f"{base}/garmin-1").status_code == 404
        assert other.get(f"/runners/{runner_id}/fitness").status_code == 404
    docs = list(stack.db["activity"].find({"runner_id": runner_id}))
    assert len(docs) == 3 and {d["tenant_id"] for d in docs} == {"tenant-main"}

    assert api.delete(f"{base}/garmin-1").status_code == 204
    assert api.delete(f"{base}/garmin-1").status_code == 404
    assert [a["activity_id"] for a in api.get(base).json()] == ["garmin-2", "strava:3"]
    assert api.post(base, json=given | {"load": 55}).status_code == 201  # replaced


def wait(api: httpx.Client, job_id: str) -> list[Any]:
    events = events_until_terminal(api, job_id)
    assert events[-1].event == "succeeded", json.dumps(events[-1].data, default=str)
    return events


def by_date(days: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in days:
        out[d["date"]].append(d)
    return out


def codes(entries: list[dict[str, Any]]) -> list[str]:
    return sorted(d["session_code"] for d in entries)


def slots(entries: list[dict[str, Any]]) -> dict[int, str]:
    return {d["slot"]: d["session_code"] for d in entries}


@pytest.fixture(scope="module")
def planned(stack: Stack) -> tuple[str, str, dict[str, Any]]:
    """A 6-week 10k plan from next Monday: (runner id, plan id, its version 1)."""
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as api:
        runner_id = create_runner(api, thresholds=THRESHOLDS)
        job_id = generate(api, runner_id, short_plan(6, schema_id="builtin-10k"))
        plan_id = wait(api, job_id)[-1].data["plan_id"]
        return runner_id, plan_id, api.get(f"/training-plans/{plan_id}").json()


def test_replan_job_streams_progress_and_stores_a_new_version(
    api: httpx.Client, stack: Stack, planned: tuple[str, str, dict[str, Any]]
) -> None:
    runner_id, plan_id, first = planned
    assert (first["version"], first["latest_version"], first["versions"]) == (1, 1, [1])
    start = next_monday()
    effective = start + timedelta(days=16)  # the Wednesday of week 3
    old = by_date(first["days"])
    # Logged: the plan up to the effective date, but the last quality session and the two
    # days before the effective date. The whole plan is ahead of today: the days without an
    # activity have not been lived, so they keep their planned sessions.
    quality = [d["date"] for d in first["days"] if d["intensity"] in ("moderate", "hard")]
    earlier = [q for q in quality if q < str(effective - timedelta(days=2))]
    # (A base phase may hold no quality session before then: then only the two days.)
    skipped = {max(earlier)} if earlier else set()
    skipped |= {str(effective - timedelta(days=k)) for k in (1, 2)}
    logged = 0
    for when, entries in old.items():
        if when >= str(effective) or when in skipped:
            continue
        for d in entries:
            if d["intensity"] == "rest":
                continue
            body = {
                "activity_id": f"{when}-{d['slot']}",
                "date": when,
                "sport": "strength" if d["intensity"] == "strength" else "run",
                "duration_min": d["duration_min"],
                "load": d["load"],
                "session_code": d["session_code"],
            }
            assert api.post(f"/runners/{runner_id}/activities", json=body).status_code == 201
            logged += 1
    assert logged > 5

    body = {
        "effective": str(effective),
        "unavailable_dates": [str(effective)],
        "weekly_hours": 6.0,
    }
    accepted = api.post(f"/training-plans/{plan_id}/replan", json=body)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    assert accepted.json()["links"]["plan"] == f"/training-plans/{plan_id}?version=2"
    events = wait(api, job_id)
    kinds = [e.event for e in events]
    assert kinds[:2] == ["queued", "started"] and "progress" in kinds
    assert all(k == "progress" for k in kinds[2:-1])
    assert events[-1].data["plan_id"] == plan_id

    job = api.get(f"/jobs/{job_id}").json()
    summary = job["result"]
    assert job["state"] == "succeeded" and job["plan_id"] == plan_id
    assert summary["version"] == 2 and summary["effective"] == str(effective)

    latest = api.get(f"/training-plans/{plan_id}").json()
    assert (latest["version"], latest["latest_version"], latest["versions"]) == (2, 2, [1, 2])
    assert latest["job_id"] == job_id and latest["summary"] == summary
    v1 = api.get(f"/training-plans/{plan_id}", params={"version": 1}).json()
    assert v1["version"] == 1 and v1["latest_version"] == 2
    assert (v1["days"], v1["summary"], v1["job_id"]) == (
        first["days"],
        first["summary"],
        first["job_id"],
    )
    assert api.get(f"/training-plans/{plan_id}", params={"version": 3}).status_code == 404

    new = by_date(latest["days"])
    assert sorted(new) == sorted(old)
    for when, entries in new.items():
        if when >= str(effective):
            continue
        assert codes(entries) == codes(old[when])
        assert [d["load"] for d in entries] == [d["load"] for d in old[when]]
    assert [d["intensity"] for d in new[str(effective)]] == ["rest"]
    # Changed: every date of the plan; none before the effective date (done as planned,
    # or not lived yet).
    changed = [w for w in sorted(new) if slots(new[w]) != slots(old[w])]
    assert changed and all(w >= str(effective) for w in changed)
    assert any(d["intensity"] != "rest" for w in skipped for d in old[w])
    assert summary["changed_dates"] == changed and summary["changed_days"] == len(changed)

    # Every rule of the request the job solved, across the effective date.
    stored = stack.db["background_jobs"].find_one({"_id": job_id})
    assert stored is not None and stored["kind"] == "replan"
    request = PlanRequest.model_validate(stored["engine_request"])
    assert request.athlete.weekly_hours == 6.0 and effective in request.athlete.unavailable_dates
    days = [PlanDay.model_validate(d) for d in latest["days"]]
    planned = planned_loads([PlanDay.model_validate(d) for d in first["days"]])
    assert violations(days, request, schema_for(request), effective, planned) == []
    # The form the re-plan started from follows from what was done.
    loads = [sum(d["load"] for d in new[w]) for w in sorted(new)]
    states = recompute(loads, request.athlete.ctl, request.athlete.atl, 42, 7)
    assert states[(effective - start).days][2] == pytest.approx(
        new[str(effective)][0]["tsb"], abs=0.02
    )

    # The runner's list shows the plan once, at its latest version.
    items = [
        p for p in api.get(f"/runners/{runner_id}/training-plans").json() if p["plan_id"] == plan_id
    ]
    assert len(items) == 1 and items[0]["version"] == 2 and items[0]["summary"] == summary
    # Both versions' days are stored, one per date and slot each.
    assert stack.db["trainingplan"].count_documents({"plan_id": plan_id}) == len(
        first["days"]
    ) + len(latest["days"])


def test_replan_idempotency_versions_and_errors(
    api: httpx.Client, stack: Stack, planned: tuple[str, str, dict[str, Any]]
) -> None:
    _, plan_id, first = planned
    start = next_monday()
    race = date.fromisoformat(first["summary"]["race_date"])
    url = f"/training-plans/{plan_id}/replan"
    body = {"effective": str(start + timedelta(days=23)), "use_activities": False}
    key = {"Idempotency-Key": "replan-once"}
    accepted = api.post(url, json=body, headers=key)
    assert accepted.status_code == 202, accepted.text
    again = api.post(url, json=body, headers=key)
    assert again.status_code == 202 and again.json()["job_id"] == accepted.json()["job_id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert api.post(url, json=body | {"weekly_hours": 5}, headers=key).status_code == 409
    wait(api, accepted.json()["job_id"])
    latest = api.get(f"/training-plans/{plan_id}").json()
    assert latest["version"] == max(latest["versions"]) >= 2
    # Without activities, the days before the effective date are the base version's.
    base = api.get(f"/training-plans/{plan_id}", params={"version": latest["versions"][-2]}).json()
    cut = body["effective"]
    assert [(d["date"], d["session_code"]) for d in latest["days"] if d["date"] < cut] == [
        (d["date"], d["session_code"]) for d in base["days"] if d["date"] < cut
    ]

    for bad, status, needle in (
        ({"effective": str(race + timedelta(days=1))}, 422, "after the race"),
        ({"unavailable_dates": [str(race)], "effective": str(start)}, 422, "unavailable"),
        (
            {
                "race": {"date": str(start), "distance": "5k", "priority": "B"},
                "effective": str(start + timedelta(days=3)),
            },
            422,
            "before the effective date",
        ),
        ({"effective": "tomorrow"}, 422, "effective"),
        ({"base_version": 99}, 404, "no version 99"),
        ({"weekly_hours": 0}, 422, "weekly_hours"),
    ):
        response = api.post(url, json=bad)
        assert response.status_code == status and needle in response.text, response.text
        assert response.json()["detail"]
    assert api.post("/training-plans/nosuchplan/replan", json={}).status_code == 404
    with other_tenant(stack, "tenant-replans") as other:
        assert other.post(url, json=body).status_code == 404
        assert other.get(f"/training-plans/{plan_id}").status_code == 404


def test_existing_plan_days_migrate_to_versioned_index(stack: Stack) -> None:
    """A database from before re-plans: the old (plan, date, slot) unique index and days
    without a version. The new index is created, the old one dropped; version 1 stays
    unique and a re-plan's days fit beside it."""
    from pymongo.errors import DuplicateKeyError

    from worker.connections import ensure_indexes

    db = stack.mongo[f"{stack.db_name}_migration"]
    try:
        days = db["trainingplan"]
        days.create_index(
            [("plan_id", 1), ("date", 1), ("slot", 1)], unique=True, name="plan_date_slot_unique"
        )
        days.insert_one({"_id": "p:2027-01-04:0", "plan_id": "p", "date": "2027-01-04", "slot": 0})
        ensure_indexes(db)
        ensure_indexes(db)  # idempotent: a second process starting finds nothing to do
        names = set(days.index_information())
        assert "plan_version_date_slot_unique" in names and "plan_date_slot_unique" not in names
        days.insert_one(
            {
                "_id": "p:v2:2027-01-04:0",
                "plan_id": "p",
                "version": 2,
                "date": "2027-01-04",
                "slot": 0,
            }
        )
        with pytest.raises(DuplicateKeyError):
            days.insert_one({"_id": "other", "plan_id": "p", "date": "2027-01-04", "slot": 0})
        assert {"runner_activity_unique", "runner_date"} <= set(db["activity"].index_information())
    finally:
        stack.mongo.drop_database(db.name)
