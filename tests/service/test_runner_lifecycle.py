"""The runner lifecycle through the real stack: PATCH, the paginated list with each runner's
latest plan, goal race and today's form, and DELETE with everything kept for the runner.

Checked independently: today's form recomputed from the stored day documents with the
textbook Banister recursion (fitness from recent loads likewise), the stored documents
read from MongoDB directly.
"""

from __future__ import annotations

import json
import math
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from shared.events import decode
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    iter_sse,
    long_plan,
    short_plan,
)
from tests.service.stack import Stack

PROFILE: dict[str, Any] = {
    "name": "Ada",
    "ctl": 45.0,
    "atl": 40.0,
    "weekly_hours": 7.0,
    "rest_days": 2,
    "long_run_day": 5,
    "availability_min": [60, None, 45, None, 0, 120, 150],
    "unavailable_dates": ["2031-05-01"],
    "thresholds": {"threshold_hr": 168.0},
}
COLLECTIONS = ("runner", "trainingplan", "background_jobs", "activity")


@pytest.fixture
def stranger(stack: Stack) -> Iterator[httpx.Client]:
    with tenant_client(stack) as client:
        yield client


def tenant_client(stack: Stack) -> httpx.Client:
    """A client of a tenant of its own: its list holds only what the test made."""
    key = stack.new_api_key(f"lifecycle-{uuid.uuid4().hex[:8]}")
    return httpx.Client(base_url=stack.base_url, timeout=30, headers={"X-API-Key": key})


def today() -> date:
    return datetime.now(UTC).date()


def plan_from_today(days: int = 21) -> dict[str, Any]:
    """A short plan covering today: it starts today."""
    start = today()
    race = start + timedelta(days=days - 1)
    return {
        "schema_id": "builtin-5k",
        "start": start.isoformat(),
        "marathon_date": race.isoformat(),
        "time_limit_s": 2,
    }


def succeeded(api: httpx.Client, job_id: str) -> str:
    events = events_until_terminal(api, job_id)
    assert events[-1].event == "succeeded", json.dumps(events[-1].data, default=str)
    plan_id: str = events[-1].data["plan_id"]
    return plan_id


def banister(
    ctl0: float, atl0: float, loads: Sequence[float]
) -> Iterator[tuple[float, float, float]]:
    """(CTL end of day, ATL end of day, TSB morning) per day, from DESIGN.md's formulas."""
    a, b = math.exp(-1 / 42), math.exp(-1 / 7)
    ctl, atl = ctl0, atl0
    for load in loads:
        tsb = ctl - atl
        ctl, atl = ctl * a + load * (1 - a), atl * b + load * (1 - b)
        yield ctl, atl, tsb


def runner_counts(stack: Stack, runner_id: str) -> dict[str, int]:
    return {
        name: stack.db[name].count_documents(
            {"_id": runner_id} if name == "runner" else {"runner_id": runner_id}
        )
        for name in COLLECTIONS
    }


# -- PATCH -----------------------------------------------------------------------------


def test_patch_changes_the_given_field_and_keeps_the_others(api: httpx.Client) -> None:
    created = api.post("/runners", json=PROFILE)
    assert created.status_code == 201, created.text
    before = created.json()
    assert before["updated_at"] is None

    response = api.patch(f"/runners/{before['id']}", json={"weekly_hours": 5.5})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["weekly_hours"] == 5.5
    changed = {k for k in before if before[k] != after[k]}
    assert changed == {"weekly_hours", "updated_at"}
    assert after["updated_at"] >= after["created_at"]
    assert api.get(f"/runners/{before['id']}").json() == after

    # `ctl`/`atl` may be null (derived, else the defaults); an empty patch changes nothing.
    cleared = api.patch(f"/runners/{before['id']}", json={"ctl": None, "name": "Ada L."}).json()
    assert cleared["ctl"] is None and cleared["name"] == "Ada L." and cleared["atl"] == 40.0
    same = api.patch(f"/runners/{before['id']}", json={})
    assert same.status_code == 200
    assert {k: v for k, v in same.json().items() if k != "updated_at"} == {
        k: v for k, v in cleared.items() if k != "updated_at"
    }


def test_patched_recent_loads_derive_fitness_as_on_create(api: httpx.Client) -> None:
    loads = [30.0, 0.0, 55.0, 80.0, 0.0, 40.0, 120.0] * 8
    patched_id = create_runner(api, ctl=70, atl=90)
    response = api.patch(f"/runners/{patched_id}", json={"recent_loads": loads})
    assert response.status_code == 200, response.text
    assert response.json()["ctl"] is None and response.json()["atl"] is None
    created_id = create_runner(api, recent_loads=loads, ctl=None, atl=None)

    *_, (ctl, atl, _) = banister(0.0, 0.0, loads)
    for runner_id in (patched_id, created_id):
        fitness = api.get(f"/runners/{runner_id}/fitness").json()
        assert fitness["ctl"] == pytest.approx(ctl, abs=0.01), fitness
        assert fitness["atl"] == pytest.approx(atl, abs=0.01), fitness

    # Loads given with CTL/ATL: the values given win, as on create.
    both = api.patch(f"/runners/{patched_id}", json={"recent_loads": [10.0], "ctl": 50, "atl": 55})
    assert (both.json()["ctl"], both.json()["atl"]) == (50, 55)
    fitness = api.get(f"/runners/{patched_id}/fitness").json()
    assert (fitness["ctl"], fitness["atl"]) == (50, 55)


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"weekly_hours": None}, "weekly_hours"),
        ({"weekly_hours": -1}, "weekly_hours"),
        ({"weekly_hours": "5"}, "weekly_hours"),
        ({"doubles": "yes"}, "doubles"),
        ({"ctl": 300}, "ctl"),
        ({"availability_min": [60] * 6}, "availability_min"),
        ({"availability_min": [60, 60, 60, 60, 60, 60, 2000]}, "availability_min"),
        ({"unavailable_dates": ["2031-02-30"]}, "unavailable_dates"),
        ({"thresholds": {"$where": 1.0}}, "thresholds"),
        ({"sports": None}, "sports"),
        ({"nickname": "Al"}, "nickname"),
        ({"id": "someone-else"}, "id"),
        ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ({"tenant_id": "other"}, "tenant_id"),
    ],
)
def test_invalid_patch_is_422_and_stores_nothing(
    api: httpx.Client, patch: dict[str, Any], field: str
) -> None:
    runner_id = api.post("/runners", json=PROFILE).json()["id"]
    before = api.get(f"/runners/{runner_id}").json()
    # A valid change alongside the bad one is not applied either.
    response = api.patch(f"/runners/{runner_id}", json={"rest_days": 3, **patch})
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["detail"].startswith("invalid request") and field in body["detail"], body
    assert any(line.startswith(field) for line in body["errors"]), body
    assert api.get(f"/runners/{runner_id}").json() == before


@pytest.mark.parametrize("content", [b"[1, 2]", b'"name"', b"null", b"{", b""])
def test_patch_that_is_not_an_object_is_a_4xx(api: httpx.Client, content: bytes) -> None:
    runner_id = create_runner(api)
    before = api.get(f"/runners/{runner_id}").json()
    response = api.patch(
        f"/runners/{runner_id}", content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422), response.text
    assert response.json()["detail"]
    assert api.get(f"/runners/{runner_id}").json() == before


def test_other_tenants_runner_is_404_for_patch_list_and_delete(
    api: httpx.Client, stranger: httpx.Client, stack: Stack
) -> None:
    runner_id = api.post("/runners", json=PROFILE).json()["id"]
    before = api.get(f"/runners/{runner_id}").json()
    for response in (
        stranger.patch(f"/runners/{runner_id}", json={"name": "Mallory"}),
        stranger.delete(f"/runners/{runner_id}"),
        api.patch("/runners/0123456789abcdef01234567", json={"name": "Nobody"}),
        api.delete("/runners/0123456789abcdef01234567"),
    ):
        assert response.status_code == 404, response.text
        assert "not found" in response.json()["detail"]
    listed = stranger.get("/runners").json()
    assert listed["total"] == 0 and listed["items"] == []
    assert api.get(f"/runners/{runner_id}").json() == before
    assert runner_counts(stack, runner_id)["runner"] == 1


# -- GET /runners ----------------------------------------------------------------------


def test_list_pages_hold_every_runner_exactly_once(stack: Stack, api: httpx.Client) -> None:
    create_runner(api, name="someone of the main tenant")
    with tenant_client(stack) as client:
        made = [create_runner(client, name=f"runner {i}") for i in range(7)]
        seen: list[dict[str, Any]] = []
        url: str | None = "/runners?limit=3"
        pages = 0
        while url is not None:
            page = client.get(url)
            assert page.status_code == 200, page.text
            body = page.json()
            assert body["total"] == (7 if pages == 0 else 8)  # counts the one made meanwhile
            assert body["limit"] == 3 and len(body["items"]) <= 3
            seen += body["items"]
            url, pages = body["next"], pages + 1
            if pages == 1:  # a runner made while paging appears on no later page
                create_runner(client, name="made while paging")
        assert pages == 3
        ids = [r["id"] for r in seen]
        assert sorted(ids) == sorted(made) and len(set(ids)) == len(ids)
        # Newest first: the reverse of the order they were made in.
        assert ids == made[::-1]
        assert [r["created_at"] for r in seen] == sorted(
            (r["created_at"] for r in seen), reverse=True
        )

        default = client.get("/runners").json()
        assert default["limit"] == 20 and default["next"] is None and default["total"] == 8
        assert len(default["items"]) == 8
        for bad in (
            "limit=0",
            "limit=101",
            "limit=x",
            "cursor=not-a-cursor",
            "cursor=WzEsMl0",  # base64 of [1,2]: not ours
            "offset=3",
        ):
            response = client.get(f"/runners?{bad}")
            assert response.status_code == 422, (bad, response.text)
            assert response.json()["detail"]


def test_list_shows_latest_plan_goal_race_and_todays_form(stack: Stack) -> None:
    loads = [40.0, 0.0, 60.0, 90.0, 0.0, 50.0, 110.0] * 6
    with tenant_client(stack) as client:
        idle = create_runner(client, name="no plans")
        future = create_runner(client, name="plan from next Monday")
        future_plan = succeeded(client, generate(client, future, short_plan(time_limit_s=2)))

        runner_id = create_runner(client, name="plan from today", ctl=45, atl=40)
        older = plan_from_today(days=21)
        older_plan = succeeded(client, generate(client, runner_id, older))
        # The profile changes (fitness now from loads); the newer plan starts from it.
        patched = client.patch(f"/runners/{runner_id}", json={"recent_loads": loads})
        assert patched.status_code == 200, patched.text
        body = plan_from_today(days=25)
        latest_plan = succeeded(client, generate(client, runner_id, body))

        page = client.get("/runners").json()
    items = {r["id"]: r for r in page["items"]}
    assert set(items) == {idle, future, runner_id}

    assert items[idle]["latest_plan_id"] is None
    assert items[idle]["goal_race"] is None and items[idle]["form_today"] is None
    assert items[idle]["name"] == "no plans" and items[idle]["ctl"] == 45

    race = short_plan(time_limit_s=2)["marathon_date"]
    assert items[future]["latest_plan_id"] == future_plan
    assert items[future]["goal_race"] == {"date": race, "distance": "5k"}
    assert items[future]["form_today"] is None  # the plan starts after today

    item = items[runner_id]
    assert item["latest_plan_id"] == latest_plan != older_plan
    assert item["goal_race"] == {"date": body["marathon_date"], "distance": "5k"}
    assert item["recent_loads"] == loads and item["ctl"] is None

    # Today's form, recomputed from the latest plan's stored days and the profile's loads.
    days = list(stack.db["trainingplan"].find({"plan_id": latest_plan}))
    assert days and all("version" not in d for d in days)
    load_of: dict[date, float] = defaultdict(float)
    for d in days:
        load_of[d["date"].date()] += d["load"]
    assert min(load_of) == today()
    *_, (ctl0, atl0, _) = banister(0.0, 0.0, loads)
    dates = sorted(load_of)
    states = dict(zip(dates, banister(ctl0, atl0, [load_of[d] for d in dates]), strict=True))
    ctl, atl, tsb = states[today()]
    form = item["form_today"]
    assert form["date"] == today().isoformat()
    assert form["ctl"] == pytest.approx(ctl, abs=0.02)
    assert form["atl"] == pytest.approx(atl, abs=0.02)
    assert form["tsb"] == pytest.approx(tsb, abs=0.02)
    # ...and not the older plan's, which started from CTL 45 / ATL 40.
    assert form["tsb"] != pytest.approx(45 - 40, abs=0.5)


def test_list_follows_the_plans_latest_version(stack: Stack) -> None:
    with tenant_client(stack) as client:
        runner_id = create_runner(client)
        plan_id = succeeded(client, generate(client, runner_id, plan_from_today(days=21)))
        moved = (today() + timedelta(days=27)).isoformat()
        replan = client.post(
            f"/training-plans/{plan_id}/replan",
            json={"race": {"date": moved, "distance": "10k", "priority": "A"}, "time_limit_s": 2},
        )
        assert replan.status_code == 202, replan.text
        succeeded(client, replan.json()["job_id"])
        (item,) = client.get("/runners").json()["items"]
    assert item["latest_plan_id"] == plan_id
    assert item["goal_race"] == {"date": moved, "distance": "10k"}
    midnight = datetime.combine(today(), datetime.min.time(), tzinfo=UTC)
    slots = stack.db["trainingplan"].find({"plan_id": plan_id, "version": 2, "date": midnight})
    values = {(d["ctl"], d["atl"], d["tsb"]) for d in slots}  # every slot: the date's values
    assert len(values) == 1
    ((ctl, atl, tsb),) = values
    assert item["form_today"] == {"date": today().isoformat(), "ctl": ctl, "atl": atl, "tsb": tsb}


# -- DELETE ----------------------------------------------------------------------------


def test_delete_removes_the_runner_and_everything_kept_for_them(
    api: httpx.Client, stack: Stack
) -> None:
    doomed, kept = create_runner(api, name="doomed"), create_runner(api, name="kept")
    plans = {
        r: succeeded(api, generate(api, r, short_plan(time_limit_s=2))) for r in (doomed, kept)
    }
    running = generate(api, doomed, long_plan(time_limit_s=60))
    for event in iter_sse(api, running):
        if event.event == "progress":
            break
    # Logged once the long job runs: a lone activity months ago would make the runner's
    # derived fitness near zero, too little for an 8-week plan's race-day form.
    for runner_id in (doomed, kept):
        activity = {"activity_id": "a1", "date": "2026-03-02", "duration_min": 40, "load": 35}
        assert api.post(f"/runners/{runner_id}/activities", json=activity).status_code == 201
    kept_before = {name: list(stack.db[name].find(_of(name, kept))) for name in COLLECTIONS}
    counts = runner_counts(stack, doomed)
    assert all(counts.values()) and counts["background_jobs"] == 2, counts

    began = time.monotonic()
    response = api.delete(f"/runners/{doomed}")
    took = time.monotonic() - began
    assert response.status_code == 204, response.text
    assert response.content == b""
    assert took < 10, took  # the running solve stopped on the cancel flag

    assert runner_counts(stack, doomed) == dict.fromkeys(COLLECTIONS, 0)
    assert stack.db["trainingplan"].count_documents({"plan_id": plans[doomed]}) == 0
    # The running job was cancelled through its lifecycle before its document went.
    stream = stack.redis.xrange(f"{stack.prefix}:job:{running}:events")
    assert decode(stream[-1][1]).event == "cancelled", decode(stream[-1][1])
    for path in (
        f"/runners/{doomed}",
        f"/runners/{doomed}/training-plans",
        f"/training-plans/{plans[doomed]}",
        f"/jobs/{running}",
    ):
        assert api.get(path).status_code == 404, path
    assert api.delete(f"/runners/{doomed}").status_code == 404
    assert api.patch(f"/runners/{doomed}", json={"name": "back"}).status_code == 404

    # The other runner's documents are exactly as they were; the stopped solve wrote nothing.
    time.sleep(1.5)
    assert {name: list(stack.db[name].find(_of(name, kept))) for name in COLLECTIONS} == (
        kept_before
    )
    assert runner_counts(stack, doomed) == dict.fromkeys(COLLECTIONS, 0)
    assert api.get(f"/training-plans/{plans[kept]}").status_code == 200
    assert kept in {r["id"] for r in api.get("/runners?limit=100").json()["items"]}


def _of(collection: str, runner_id: str) -> dict[str, Any]:
    return {"_id": runner_id} if collection == "runner" else {"runner_id": runner_id}
