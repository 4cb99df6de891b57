"""Several workers on one queue, and a worker SIGKILLed mid-solve: the job still completes,
exactly once, on another worker."""

from __future__ import annotations

import httpx

from tests.service.conftest import Stack
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    iter_sse,
    long_plan,
    short_plan,
)


def test_two_workers_share_the_queue(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    jobs = [generate(api, runner_id, long_plan(time_limit_s=2)) for _ in range(4)]
    for job_id in jobs:
        assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    # Each job records the node that ran it ("<host>:<node>@<host>"): both took jobs.
    nodes = {_worker(stack, j).split(":")[1].split("@")[0] for j in jobs}
    assert nodes == {stack.node("w1"), stack.node("w2")}


def test_worker_killed_mid_solve_job_completes_once_elsewhere(
    api: httpx.Client, stack: Stack
) -> None:
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=6))
    for event in iter_sse(api, job_id):
        if event.event == "progress":
            break
    first_worker = _worker(stack, job_id)
    victim = next(n for n in ("w1", "w2") if f":{stack.node(n)}@" in first_worker)
    stack.kill_worker(victim)
    # The message was delivered but never acknowledged: Redis still holds it.
    assert stack.redis.hlen(f"{stack.prefix}:celery:unacked") >= 1

    events = events_until_terminal(api, job_id)
    try:
        assert events[-1].event == "succeeded"
        kinds = [e.event for e in events]
        assert kinds.count("succeeded") == 1 and kinds.count("started") == 2
        assert [e.data["attempt"] for e in events if e.event == "started"] == [1, 2]

        job = api.get(f"/jobs/{job_id}").json()
        assert job["state"] == "succeeded" and job["attempts"] == 2
        assert _worker(stack, job_id) != first_worker
        plan = api.get(f"/training-plans/{job['plan_id']}").json()
        stored = list(stack.db["trainingplan"].find({"plan_id": job["plan_id"]}))
        assert len(stored) == len(plan["days"]) == job["result"]["days"]
        assert len({(d["date"], d["slot"]) for d in stored}) == len(stored)
    finally:
        stack.start_worker(victim)


def test_a_job_redelivered_after_completion_is_not_run_again(
    api: httpx.Client, stack: Stack
) -> None:
    """A duplicate message (e.g. an API retry) for a finished job changes nothing."""
    job_id = generate(api, create_runner(api), short_plan(), headers={"Idempotency-Key": "dup"})
    assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    before = api.get(f"/jobs/{job_id}").json()
    from shared.settings import Settings
    from worker.celery_app import create_celery

    celery = create_celery(Settings(redis_url=stack.redis_url, redis_prefix=stack.prefix))
    celery.send_task("trainplan.generate_plan", args=[job_id], queue=stack.prefix)
    # A second job behind it on the same queue: once it is done, the duplicate was handled.
    other = generate(api, create_runner(api), short_plan())
    assert events_until_terminal(api, other)[-1].event == "succeeded"
    after = api.get(f"/jobs/{job_id}").json()
    assert after["attempts"] == before["attempts"] == 1
    assert after["finished_at"] == before["finished_at"]
    assert [e.event for e in events_until_terminal(api, job_id)].count("succeeded") == 1


def _worker(stack: Stack, job_id: str) -> str:
    doc = stack.db["background_jobs"].find_one({"_id": job_id})
    assert doc is not None
    return str(doc["worker"])
