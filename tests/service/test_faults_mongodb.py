"""Fault (c): MongoDB goes away while a solved plan is being saved.

Within `JOB_PERSIST_TIMEOUT_S` the worker retries the writes in place, with backoff, and
the job completes once MongoDB is back, without solving again. Past it, the attempt gives
up; once MongoDB answers, the recovery loop queues the job again, and with its attempts
used up it fails with a message that says why.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.service.fault_stack import (
    MongoServer,
    check_plan_days,
    client,
    job_doc,
    own_stack,
    wait_for,
)
from tests.service.helpers import create_runner, generate, long_plan
from tests.service.stack import Stack

SOLVE_S = 4
ENV = {
    "JOB_MAX_ATTEMPTS": "1",  # a second attempt means the result was lost: fail instead
    "JOB_PERSIST_TIMEOUT_S": "60",
    "JOB_HEARTBEAT_INTERVAL_S": "1",
    "JOB_HEARTBEAT_TIMEOUT_S": "6",
    "JOB_RECOVERY_INTERVAL_S": "1",
    "MONGODB_TIMEOUT_MS": "1000",
}


@pytest.fixture(scope="module")
def mongo_stack(
    stack: Stack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Stack, MongoServer]]:
    tmp = tmp_path_factory.mktemp("mongo-faults")
    with (
        MongoServer(tmp / "mongodb") as mongo,
        own_stack(
            tmp,
            redis_url=stack.redis_url,  # Redis stays up here
            mongodb_url=mongo.url,
            workers=("m1",),
            env=ENV,
            before_stop=mongo.ensure_running,
        ) as s,
    ):
        yield s, mongo


def solve_then_stop_mongodb(s: Stack, mongo: MongoServer, api: httpx.Client) -> str:
    """A job whose solve ends while MongoDB is down; returns its id."""
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=SOLVE_S))
    wait_for(
        "the solve to be under way",
        lambda: (
            (doc := job_doc(s, job_id))["state"] == "running"
            and doc["started_at"] < datetime.now(UTC) - timedelta(seconds=1)
        ),
        timeout_s=60,
    )
    mongo.stop()
    ready = api.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["mongodb"].startswith("unreach")
    status = api.get(f"/jobs/{job_id}")
    assert status.status_code == 503 and "MongoDB" in status.json()["detail"], status.text
    return job_id


def test_mongodb_back_within_the_bound_job_completes(
    mongo_stack: tuple[Stack, MongoServer],
) -> None:
    s, mongo = mongo_stack
    log = s.log_path("m1")
    with client(s) as api:
        job_id = solve_then_stop_mongodb(s, mongo, api)
        try:
            wait_for(
                "the worker to retry saving",
                lambda: log.read_text().count(f"job {job_id}: cannot save the plan") >= 2,
                timeout_s=60,
            )
        finally:
            mongo.start()
        restarted_at = datetime.now(UTC)
        wait_for(
            "the job to succeed", lambda: job_doc(s, job_id)["state"] == "succeeded", timeout_s=60
        )
        saved = (job_doc(s, job_id)["finished_at"] - restarted_at).total_seconds()
        print(f"\nMongoDB back -> job succeeded {saved:.1f}s")
        job = job_doc(s, job_id)
        assert job["attempts"] == 1  # saved by the attempt that solved it: no second solve
        check_plan_days(s, job)
        assert f"job {job_id}: managed to save the plan" in log.read_text()
        assert api.get(f"/jobs/{job_id}").json()["state"] == "succeeded"


def test_mongodb_back_too_late_job_fails_clearly(mongo_stack: tuple[Stack, MongoServer]) -> None:
    s, mongo = mongo_stack
    s.kill_worker("m1")
    s.env["JOB_PERSIST_TIMEOUT_S"] = "2"
    s.start_worker("m2")
    log = s.log_path("m2")
    with client(s) as api:
        job_id = solve_then_stop_mongodb(s, mongo, api)
        try:
            wait_for(
                "the attempt to give up",
                lambda: f"job {job_id}: gave up trying to save the plan" in log.read_text(),
                timeout_s=60,
            )
        finally:
            mongo.start()
        wait_for("the job to end", lambda: job_doc(s, job_id)["state"] == "failed", timeout_s=60)
        job = job_doc(s, job_id)
        assert job["attempts"] == 2  # the claim beyond max_attempts fails it
        assert "gave up after 1 attempts" in job["error"] and "MongoDB" in job["error"]
        assert s.db["trainingplan"].count_documents({"plan_id": job["plan_id"]}) == 0
        body = api.get(f"/jobs/{job_id}").json()
        assert body["state"] == "failed" and body["error"] == job["error"]
