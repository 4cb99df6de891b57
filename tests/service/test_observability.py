"""Operability against the real stack: Prometheus metrics move with what we did, and the
workers' logs are JSON lines that carry the id of the job being handled."""

from __future__ import annotations

import json
import math
import time
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    iter_sse,
    long_plan,
    short_plan,
)
from tests.service.stack import Stack
from worker.metrics import GAP_BUCKETS, SOLVE_SECONDS_BUCKETS

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]

GENERATE_ROUTE = "/runners/{runner_id}/training-plans/generate"


def scrape(stack: Stack) -> Samples:
    """`/metrics` without an API key (it is open), as {(sample name, labels): value}."""
    response = httpx.get(f"{stack.base_url}/metrics", timeout=10)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for s in family.samples:
            samples[(s.name, frozenset(s.labels.items()))] = s.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def requests(samples: Samples, method: str, route: str, status: int) -> float:
    return value(
        samples, "trainplan_http_requests_total", method=method, route=route, status=str(status)
    )


def wait_idle(stack: Stack, timeout_s: float = 60) -> None:
    """Jobs of earlier tests may still be queued or running; the job counters would move."""
    deadline = time.monotonic() + timeout_s
    while stack.db.background_jobs.count_documents({"state": {"$in": ["queued", "running"]}}):
        assert time.monotonic() < deadline, "jobs of earlier tests did not finish"
        time.sleep(0.2)


def bucket_deltas(
    before: Samples, after: Samples, name: str, bounds: tuple[float, ...]
) -> list[float]:
    les = [repr(float(b)) for b in bounds] + ["+Inf"]
    return [
        value(after, f"{name}_bucket", le=le) - value(before, f"{name}_bucket", le=le) for le in les
    ]


def expected_buckets(bounds: tuple[float, ...], x: float) -> list[float]:
    """Cumulative buckets of one observation, computed here rather than by the service."""
    return [1.0 if x <= b else 0.0 for b in bounds] + [1.0]


def test_metrics_follow_a_job_and_the_requests(stack: Stack, api: httpx.Client) -> None:
    wait_idle(stack)
    runner_id = create_runner(api)
    before = scrape(stack)
    unknown = api.get("/jobs/000000000000000000000000")
    assert unknown.status_code == 404
    no_key = httpx.get(f"{stack.base_url}/jobs/000000000000000000000001")
    assert no_key.status_code == 401

    job_id = generate(api, runner_id, short_plan())
    events = events_until_terminal(api, job_id)
    assert events[-1].event == "succeeded"
    for _ in range(3):
        assert api.get(f"/jobs/{job_id}").status_code == 200
    job = api.get(f"/jobs/{job_id}").json()
    after = scrape(stack)

    # Requests, by route template (the ids never become label values).
    assert (
        requests(after, "POST", GENERATE_ROUTE, 202) - requests(before, "POST", GENERATE_ROUTE, 202)
        == 1
    )
    assert (
        requests(after, "GET", "/jobs/{job_id}", 200)
        - requests(before, "GET", "/jobs/{job_id}", 200)
        == 4
    )
    assert (
        requests(after, "GET", "/jobs/{job_id}", 404)
        - requests(before, "GET", "/jobs/{job_id}", 404)
        == 1
    )
    assert (
        requests(after, "GET", "/jobs/{job_id}", 401)
        - requests(before, "GET", "/jobs/{job_id}", 401)
        == 1
    )
    assert (
        requests(after, "GET", "/jobs/{job_id}/events", 200)
        - requests(before, "GET", "/jobs/{job_id}/events", 200)
        == 1
    )
    labels = {v for _, ls in after for _, v in ls}
    assert job_id not in labels and runner_id not in labels
    # Every counted request is in the latency histogram too.
    count = value(
        after,
        "trainplan_http_request_duration_seconds_count",
        method="GET",
        route="/jobs/{job_id}",
        status="200",
    )
    assert count == requests(after, "GET", "/jobs/{job_id}", 200) > 0
    assert (
        value(
            after,
            "trainplan_http_request_duration_seconds_sum",
            method="GET",
            route="/jobs/{job_id}",
            status="200",
        )
        > 0
    )

    # Jobs: exactly this one finished, with the solve time and gap the job document has.
    assert value(after, "trainplan_job_metrics_up") == 1
    finished = {
        state: value(after, "trainplan_jobs_finished_total", state=state)
        - value(before, "trainplan_jobs_finished_total", state=state)
        for state in ("succeeded", "failed", "cancelled")
    }
    assert finished == {"succeeded": 1, "failed": 0, "cancelled": 0}
    solve_s, gap = job["result"]["solve_seconds"], job["result"]["gap"]
    solve_name, gap_name = "trainplan_job_solve_seconds", "trainplan_job_final_gap"
    assert bucket_deltas(before, after, solve_name, SOLVE_SECONDS_BUCKETS) == expected_buckets(
        SOLVE_SECONDS_BUCKETS, solve_s
    )
    assert math.isclose(
        value(after, f"{solve_name}_sum") - value(before, f"{solve_name}_sum"),
        solve_s,
        abs_tol=1e-6,
    )
    assert value(after, f"{solve_name}_count") - value(before, f"{solve_name}_count") == 1
    assert bucket_deltas(before, after, gap_name, GAP_BUCKETS) == expected_buckets(GAP_BUCKETS, gap)
    assert value(after, "trainplan_jobs_queued") == 0
    assert value(after, "trainplan_jobs_running") == 0


def test_running_and_cancelled_jobs_in_metrics(stack: Stack, api: httpx.Client) -> None:
    wait_idle(stack)
    runner_id = create_runner(api)
    before = scrape(stack)
    running_job = generate(api, runner_id, long_plan(30))
    for event in iter_sse(api, running_job):
        if event.event == "started":
            break
    during = scrape(stack)
    running = stack.db.background_jobs.count_documents({"state": "running"})
    assert value(during, "trainplan_jobs_running") == running == 1
    assert api.delete(f"/jobs/{running_job}").status_code == 202
    # Cancelled at once: still queued (the API finishes it), or already taken by a worker.
    quick_job = generate(api, runner_id, short_plan())
    api.delete(f"/jobs/{quick_job}")
    final = [events_until_terminal(api, job)[-1].event for job in (running_job, quick_job)]
    assert final[0] == "cancelled"
    after = scrape(stack)
    for state in ("succeeded", "failed", "cancelled"):
        delta = value(after, "trainplan_jobs_finished_total", state=state) - value(
            before, "trainplan_jobs_finished_total", state=state
        )
        assert delta == final.count(state), (state, final)
    assert value(after, "trainplan_jobs_running") == value(after, "trainplan_jobs_queued") == 0


def log_records(stack: Stack, name: str, offset: int) -> list[dict[str, Any]]:
    """The records a worker logged after `offset` (bytes); each line must be one."""
    with stack.log_path(name).open("rb") as f:
        f.seek(offset)
        lines = f.read().decode().splitlines()
    records = []
    for line in lines:
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise AssertionError(f"not a JSON line in {name}'s log: {line!r}") from None
        assert isinstance(record, dict), line
        assert {"time", "level", "logger", "message"} <= record.keys(), record
        records.append(record)
    return records


def test_worker_logs_are_json_lines_with_the_job_id(stack: Stack, api: httpx.Client) -> None:
    workers = ("w1", "w2")
    offsets = {n: stack.log_path(n).stat().st_size for n in workers}
    runner_id = create_runner(api)
    job_id = generate(api, runner_id, short_plan())
    assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    doc = stack.db.background_jobs.find_one({"_id": job_id})
    assert doc is not None
    name = next(n for n in workers if stack.node(n) in doc["worker"])

    # Celery logs "succeeded" once the task returns, just after the terminal event.
    deadline = time.monotonic() + 10
    while True:
        mine = [r for r in log_records(stack, name, offsets[name]) if r.get("job_id") == job_id]
        if any(r["logger"] == "celery.app.trace" for r in mine) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    messages = [r["message"] for r in mine]
    # Received (Celery's consumer), finished (our worker), succeeded (Celery's trace).
    assert any("received" in m for m in messages), messages
    assert any(m.startswith(f"job {job_id} succeeded ") for m in messages), messages
    assert any(r["logger"] == "worker.metrics" and r.get("state") == "succeeded" for r in mine)
    assert any(r["logger"] == "celery.app.trace" and "succeeded" in r["message"] for r in mine)
    # Every line both workers wrote meanwhile is JSON, and none names the job without its id.
    for n in workers:
        for record in log_records(stack, n, offsets[n]):
            if job_id in record["message"]:
                assert record.get("job_id") == job_id, record
