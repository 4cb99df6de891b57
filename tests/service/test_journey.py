"""The full journey through the real stack, with the seed's route names and document fields."""

from __future__ import annotations

import httpx

from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from worker.engine.templates import builtin_schema

SEED_DAY_FIELDS = {
    "runner_id",
    "date",
    "week_number",
    "day_of_week",
    "session_code",
    "session_type",
    "session_definition",
    "is_training_day",
    "is_recovery_week",
    "phase",
    "created_at",
}
SERVICE_DAY_FIELDS = {"plan_id", "job_id", "sport", "duration_min", "load", "intensity"}
SERVICE_DAY_FIELDS |= {"ctl", "atl", "tsb"}
AVAILABILITY = [60, 60, 0, 60, 45, None, 150]  # minutes per weekday; 0: unavailable


def test_runner_schema_generate_stream_and_fetch_plan(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api, name="Ann", availability_min=AVAILABILITY)
    assert api.get(f"/runners/{runner_id}").json()["name"] == "Ann"

    custom = builtin_schema("5k").model_dump(mode="json") | {"name": "My 5k block"}
    created = api.post("/training-plan-schemas", json=custom)
    assert created.status_code == 201, created.text
    schema_id = created.json()["id"]
    listed = {s["id"]: s for s in api.get("/training-plan-schemas").json()}
    builtins = {f"builtin-{d}" for d in ("5k", "10k", "half", "marathon")}
    assert builtins | {schema_id} <= set(listed)
    assert listed[schema_id]["name"] == "My 5k block"

    job_id = generate(api, runner_id, short_plan(schema_id=schema_id))
    events = events_until_terminal(api, job_id)

    kinds = [e.event for e in events]
    assert kinds[0] == "queued" and kinds[1] == "started"
    assert kinds[-1] == "succeeded" and kinds.count("succeeded") == 1
    assert all(e.id for e in events) and len({e.id for e in events}) == len(events)
    assert all(k == "progress" for k in kinds[2:-1])
    plan_id = events[-1].data["plan_id"]

    job = api.get(f"/jobs/{job_id}").json()
    assert job["state"] == "succeeded" and job["attempts"] == 1
    assert job["plan_id"] == plan_id and job["progress"]["percent"] == 100.0
    assert job["result"]["status"] in ("OPTIMAL", "FEASIBLE")

    plan = api.get(f"/training-plans/{plan_id}").json()
    days = plan["days"]
    assert plan["summary"]["days"] == len(days) > 0
    assert days[-1]["date"] == short_plan()["marathon_date"] and days[-1]["phase"] == "race"
    # The runner's availability holds on every day except the race itself.
    minutes: dict[str, int] = {}
    for d in days:
        minutes[d["date"]] = minutes.get(d["date"], 0) + d["duration_min"]
    for d in days:
        limit = AVAILABILITY[d["day_of_week"]]
        if d["phase"] != "race" and limit is not None:
            assert minutes[d["date"]] <= limit, d

    stored = list(stack.db["trainingplan"].find({"plan_id": plan_id}))
    assert len(stored) == len(days)
    assert len({(d["date"], d["slot"]) for d in stored}) == len(stored)
    for doc in stored:
        assert set(doc) >= SEED_DAY_FIELDS | SERVICE_DAY_FIELDS
        assert doc["runner_id"] == runner_id and doc["job_id"] == job_id

    plans = api.get(f"/runners/{runner_id}/training-plans").json()
    assert [p["plan_id"] for p in plans] == [plan_id]
    assert plans[0]["summary"]["days"] == len(days)


def test_completed_job_replays_its_events_and_resumes_after_an_id(api: httpx.Client) -> None:
    runner_id = create_runner(api)
    job_id = generate(api, runner_id, short_plan())
    first = events_until_terminal(api, job_id)
    again = events_until_terminal(api, job_id)
    assert [e.id for e in again] == [e.id for e in first]
    resumed = events_until_terminal(api, job_id, last_event_id=first[1].id)
    assert [e.id for e in resumed] == [e.id for e in first[2:]]
