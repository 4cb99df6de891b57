"""Several workers on one queue, and a duplicate message for a finished job. Workers killed
mid-solve, shut down or cut off from Redis or MongoDB: see test_faults_*.py."""

from __future__ import annotations

import httpx
from celery import Celery

from shared.settings import Settings
from tests.service.fault_stack import job_doc, wait_for
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    long_plan,
    short_plan,
)
from tests.service.stack import Stack
from worker.celery_app import create_celery
from worker.jobs.requeue import publish_job


def test_two_workers_share_the_queue(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    jobs = [generate(api, runner_id, long_plan(time_limit_s=2)) for _ in range(4)]
    for job_id in jobs:
        assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    # Each job records the node that ran it ("<host>:<node>@<host>"): both took jobs.
    nodes = {_worker(stack, j).split(":")[1].split("@")[0] for j in jobs}
    assert nodes == {stack.node("w1"), stack.node("w2")}


def test_a_job_redelivered_after_completion_is_not_run_again(
    api: httpx.Client, stack: Stack
) -> None:
    """A duplicate message (e.g. an API retry) for a finished job changes nothing."""
    job_id = generate(api, create_runner(api), short_plan(), headers={"Idempotency-Key": "dup"})
    assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    before = api.get(f"/jobs/{job_id}").json()
    _celery(stack).send_task("trainplan.generate_plan", args=[job_id], queue=stack.prefix)
    # A second job behind it on the same queue: once it is done, the duplicate was handled.
    other = generate(api, create_runner(api), short_plan())
    assert events_until_terminal(api, other)[-1].event == "succeeded"
    after = api.get(f"/jobs/{job_id}").json()
    assert after["attempts"] == before["attempts"] == 1
    assert after["finished_at"] == before["finished_at"]
    assert [e.event for e in events_until_terminal(api, job_id)].count("succeeded") == 1


def test_a_duplicate_message_for_a_running_job_is_dropped(api: httpx.Client, stack: Stack) -> None:
    """A second message while the job runs (a retry, a recovery racing a slow heartbeat)
    must not start a second attempt that takes the job over: the live heartbeat wins."""
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=5))
    wait_for("the solve", lambda: job_doc(stack, job_id)["state"] == "running", timeout_s=60)
    publish_job(_celery(stack), _settings(stack), job_id)
    celery = f"{stack.prefix}:celery:"
    # The idle worker took the duplicate and acknowledged it while the job still runs.
    wait_for(
        "the duplicate to be consumed",
        lambda: (
            stack.redis.llen(celery + stack.prefix) == 0
            and stack.redis.hlen(celery + "unacked") == 1
        ),
        timeout_s=30,
    )
    assert job_doc(stack, job_id)["state"] == "running"
    events = events_until_terminal(api, job_id)
    assert [e.data["attempt"] for e in events if e.event == "started"] == [1]
    assert events[-1].event == "succeeded"
    assert job_doc(stack, job_id)["attempts"] == 1


def _settings(stack: Stack) -> Settings:
    return Settings(redis_url=stack.redis_url, redis_prefix=stack.prefix, celery_queue=stack.prefix)


def _celery(stack: Stack) -> Celery:
    return create_celery(_settings(stack))


def _worker(stack: Stack, job_id: str) -> str:
    doc = stack.db["background_jobs"].find_one({"_id": job_id})
    assert doc is not None
    return str(doc["worker"])
