"""Cancellation: a running solve stops early; a queued job never starts."""

from __future__ import annotations

import time

import httpx

from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    iter_sse,
    long_plan,
)
from tests.service.stack import Stack

LONG_S = 40.0  # would run this long if not cancelled


def wait_for_progress(api: httpx.Client, job_id: str) -> None:
    for event in iter_sse(api, job_id):
        if event.event == "progress":
            return
    raise AssertionError("the job ended before reporting progress")


def test_cancel_stops_a_running_solve(api: httpx.Client, stack: Stack) -> None:
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=LONG_S))
    wait_for_progress(api, job_id)
    response = api.delete(f"/jobs/{job_id}")
    assert response.status_code == 202 and response.json()["state"] in ("running", "cancelled")

    events = events_until_terminal(api, job_id)
    assert events[-1].event == "cancelled"
    assert [e.event for e in events].count("cancelled") == 1
    job = api.get(f"/jobs/{job_id}").json()
    assert job["state"] == "cancelled" and job["attempts"] == 1
    # It stopped on request, long before its own time limit, and saved no plan.
    assert job["progress"]["elapsed_s"] < LONG_S
    run_s = _ts(job["finished_at"]) - _ts(job["started_at"])
    assert run_s < LONG_S / 2
    assert stack.db["trainingplan"].count_documents({"job_id": job_id}) == 0
    assert api.get(f"/training-plans/{job['plan_id']}").status_code == 404


def test_cancelled_queued_job_never_starts(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    # Both workers busy with long solves, so the third job waits in the queue.
    busy = [generate(api, runner_id, long_plan(time_limit_s=LONG_S)) for _ in range(2)]
    for job_id in busy:
        wait_for_progress(api, job_id)
    queued = generate(api, runner_id, long_plan(time_limit_s=2))
    response = api.delete(f"/jobs/{queued}")
    assert response.status_code == 202
    assert response.json()["state"] == "cancelled"
    assert [e.event for e in events_until_terminal(api, queued)] == ["queued", "cancelled"]

    for job_id in busy:
        assert api.delete(f"/jobs/{job_id}").status_code == 202
        assert events_until_terminal(api, job_id)[-1].event == "cancelled"
    # A worker now takes the queued job's message and must drop it without starting it.
    queue_key = f"{stack.prefix}:celery:{stack.prefix}"
    while stack.redis.llen(queue_key) > 0:
        time.sleep(0.1)
    wait_until_workers_idle(stack)
    job = api.get(f"/jobs/{queued}").json()
    assert job["state"] == "cancelled" and job["attempts"] == 0 and job["started_at"] is None
    assert [e.event for e in events_until_terminal(api, queued)] == ["queued", "cancelled"]


def wait_until_workers_idle(stack: Stack) -> None:
    """No message delivered and not yet acknowledged: every worker finished its task."""
    unacked = f"{stack.prefix}:celery:unacked"
    while stack.redis.hlen(unacked) > 0:
        time.sleep(0.1)


def _ts(value: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(value).timestamp()
