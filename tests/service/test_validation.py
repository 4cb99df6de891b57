"""Bad input is a 4xx with a message, before anything is enqueued; idempotent submission."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.service.helpers import create_runner, generate, short_plan
from tests.service.stack import Stack


def problem(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    return str(body["detail"])


def jobs_of(stack: Stack, runner_id: str) -> int:
    return stack.db["background_jobs"].count_documents({"runner_id": runner_id})


def test_unknown_runner_schema_job_and_plan_are_404(api: httpx.Client) -> None:
    assert "runner" in problem(api.get("/runners/missing"), 404)
    assert "runner" in problem(
        api.post("/runners/missing/training-plans/generate", json=short_plan()), 404
    )
    runner_id = create_runner(api)
    gen = api.post(
        f"/runners/{runner_id}/training-plans/generate", json=short_plan(schema_id="nope")
    )
    assert "schema" in problem(gen, 404)
    assert "job" in problem(api.get("/jobs/missing"), 404)
    assert "job" in problem(api.delete("/jobs/missing"), 404)
    assert "job" in problem(api.get("/jobs/missing/events"), 404)
    assert "plan" in problem(api.get("/training-plans/missing"), 404)
    assert "runner" in problem(api.get("/runners/missing/training-plans"), 404)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"marathon_date": "2020-05-03", "start": None}, "past"),
        ({"athlete": {"availability_min": [0, 0, 0, 0, 0, 0, 0]}}, "unavailable"),
        ({"time_limit_s": 100_000}, "time_limit_s"),
        ({"athlete": {"weekly_hours": -1}}, "athlete.weekly_hours"),
        ({"rules": {"no_such_rule": 1}}, "rules.no_such_rule"),
    ],
)
def test_impossible_requests_are_422_with_a_reason_and_nothing_is_queued(
    api: httpx.Client, stack: Stack, change: dict[str, object], words: str
) -> None:
    runner_id = create_runner(api)
    body = {**short_plan(), **change}
    response = api.post(f"/runners/{runner_id}/training-plans/generate", json=body)
    assert words in problem(response, 422).lower() or words in response.text
    assert jobs_of(stack, runner_id) == 0


def test_plan_shorter_than_a_week_is_422(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    today = datetime.now(UTC).date()
    body = {
        "schema_id": "builtin-5k",
        "start": str(today),
        "marathon_date": str(today + timedelta(days=3)),
    }
    response = api.post(f"/runners/{runner_id}/training-plans/generate", json=body)
    assert "week" in problem(response, 422)
    assert jobs_of(stack, runner_id) == 0


def test_malformed_bodies_are_422_json(api: httpx.Client) -> None:
    runner_id = create_runner(api)
    url = f"/runners/{runner_id}/training-plans/generate"
    assert "marathon_date" in problem(api.post(url, json={"schema_id": "builtin-5k"}), 422)
    assert "marathon_date" in problem(
        api.post(url, json={"schema_id": "builtin-5k", "marathon_date": "soon"}), 422
    )
    assert problem(
        api.post(url, content=b"{not json", headers={"content-type": "application/json"}), 422
    )
    assert "name" in problem(api.post("/runners", json={"ctl": 40}), 422)
    assert problem(api.post("/training-plan-schemas", json={"name": "x"}), 422)


def test_bad_last_event_id_is_400(api: httpx.Client) -> None:
    job_id = generate(api, create_runner(api), short_plan())
    response = api.get(f"/jobs/{job_id}/events", headers={"Last-Event-ID": "yesterday"})
    assert "Last-Event-ID" in problem(response, 400)


def test_same_idempotency_key_returns_the_same_job(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    url = f"/runners/{runner_id}/training-plans/generate"
    key = {"Idempotency-Key": "plan-spring-2027"}
    first = api.post(url, json=short_plan(), headers=key)
    second = api.post(url, json=short_plan(), headers=key)
    assert first.status_code == second.status_code == 202
    assert first.json()["job_id"] == second.json()["job_id"]
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert jobs_of(stack, runner_id) == 1

    other = api.post(url, json=short_plan(weeks=4), headers=key)
    assert "Idempotency-Key" in problem(other, 409)
    fresh = api.post(url, json=short_plan(), headers={"Idempotency-Key": "another"})
    assert fresh.json()["job_id"] != first.json()["job_id"]
    assert jobs_of(stack, runner_id) == 2


def test_cancelling_a_finished_job_is_409(api: httpx.Client) -> None:
    from tests.service.helpers import events_until_terminal

    job_id = generate(api, create_runner(api), short_plan())
    assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    assert "already succeeded" in problem(api.delete(f"/jobs/{job_id}"), 409)


def test_health_and_readiness(api: httpx.Client) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"mongodb": "ok", "redis": "ok"}
    assert (
        "/runners/{runner_id}/training-plans/generate" in api.get("/openapi.json").json()["paths"]
    )
