"""`GET /training-plans/{plan_id}/diff` through the real stack, checked against a diff
recomputed here from the two versions' days (`GET /training-plans/{id}?version=N`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from typing import Any

import httpx

from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    next_monday,
    short_plan,
)
from tests.service.stack import Stack


def finished(api: httpx.Client, job_id: str) -> dict[str, Any]:
    assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    job: dict[str, Any] = api.get(f"/jobs/{job_id}").json()
    return job


def recomputed(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dates whose slot -> session code differ, with each version's entries by slot."""
    before: dict[str, list[dict[str, Any]]] = defaultdict(list)
    after: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in sorted(old, key=lambda d: d["slot"]):
        before[d["date"]].append(d)
    for d in sorted(new, key=lambda d: d["slot"]):
        after[d["date"]].append(d)

    def codes(entries: list[dict[str, Any]]) -> dict[int, str]:
        return {d["slot"]: d["session_code"] for d in entries}

    return [
        {"date": w, "before": before[w], "after": after[w]}
        for w in sorted(before.keys() | after.keys())
        if codes(before[w]) != codes(after[w])
    ]


def test_diff_lists_the_dates_whose_sessions_differ(api: httpx.Client, stack: Stack) -> None:
    start = next_monday()
    runner_id = create_runner(api)
    plan_id = finished(api, generate(api, runner_id, short_plan(5, schema_id="builtin-10k")))[
        "plan_id"
    ]
    # Fewer hours and two days off: the second half of the plan changes.
    effective = start + timedelta(days=15)
    body = {
        "effective": str(effective),
        "weekly_hours": 4.0,
        "unavailable_dates": [str(effective + timedelta(days=k)) for k in (1, 2)],
        "use_activities": False,
    }
    accepted = api.post(f"/training-plans/{plan_id}/replan", json=body)
    assert accepted.status_code == 202, accepted.text
    result = finished(api, accepted.json()["job_id"])["result"]
    v1 = api.get(f"/training-plans/{plan_id}", params={"version": 1}).json()["days"]
    v2 = api.get(f"/training-plans/{plan_id}", params={"version": 2}).json()["days"]

    response = api.get(f"/training-plans/{plan_id}/diff", params={"from": 1, "to": 2})
    assert response.status_code == 200, response.text
    diff = response.json()
    expected = recomputed(v1, v2)
    assert expected  # the changes made a difference
    assert diff == {"from": 1, "to": 2, "days": expected}
    assert [d["date"] for d in diff["days"]] == result["changed_dates"]
    assert all(d["date"] >= str(effective) for d in diff["days"])  # nothing logged before

    backwards = api.get(f"/training-plans/{plan_id}/diff", params={"from": 2, "to": 1}).json()
    assert backwards == {"from": 2, "to": 1, "days": recomputed(v2, v1)}
    same = api.get(f"/training-plans/{plan_id}/diff", params={"from": 2, "to": 2}).json()
    assert same == {"from": 2, "to": 2, "days": []}

    url = f"/training-plans/{plan_id}/diff"
    for params, status, needle in (
        ({"from": 1, "to": 3}, 404, "no version 3"),
        ({"from": 7, "to": 1}, 404, "no version 7"),
        ({"from": 1}, 422, "to"),
        ({"to": 2}, 422, "from"),
        ({"from": 0, "to": 2}, 422, "from"),
        ({"from": "one", "to": 2}, 422, "from"),
        ({"from": 1, "to": 2, "version": 1}, 422, "version"),
    ):
        bad = api.get(url, params=params)
        assert bad.status_code == status and needle in bad.json()["detail"], bad.text
    missing = api.get("/training-plans/nosuchplan/diff", params={"from": 1, "to": 2})
    assert missing.status_code == 404
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.new_api_key("diff")}
    ) as other:
        assert other.get(url, params={"from": 1, "to": 2}).status_code == 404
