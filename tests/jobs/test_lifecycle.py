"""The job state machine against a real MongoDB-protocol server (an in-process SecantusDB):
every transition `worker.jobs.lifecycle` allows, and the ones its filters refuse."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient, MongoClient
from pymongo.database import Database

from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs, Jobs

TIMEOUT_S = 20.0


@pytest.fixture(scope="module")
def mongodb_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from secantus import SecantusDBServer  # GPL-2.0: test-only dependency

    server = SecantusDBServer(storage_path=str(tmp_path_factory.mktemp("mongodb")))
    server.start()
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture
def db(mongodb_url: str) -> Iterator[Database[dict[str, Any]]]:
    client: MongoClient[dict[str, Any]] = MongoClient(mongodb_url, tz_aware=True)
    name = f"lifecycle_{uuid.uuid4().hex[:8]}"
    try:
        yield client[name]
    finally:
        client.drop_database(name)
        client.close()


def queued(db: Database[dict[str, Any]], job_id: str = "j1") -> Jobs:
    doc = lifecycle.queued_job(
        {"_id": job_id, "tenant_id": "t"}, max_attempts=3, now=datetime.now(UTC)
    )
    db["background_jobs"].insert_one(doc)
    return Jobs(db)


def claim(jobs: Jobs, lease: str, job_id: str = "j1") -> dict[str, Any] | None:
    return jobs.apply(lifecycle.claim(job_id, lease, "w", lifecycle.stale_cutoff(TIMEOUT_S)))


def test_a_queued_job_is_claimed_once(db: Database[dict[str, Any]]) -> None:
    jobs = queued(db)
    job = claim(jobs, "a")
    assert job is not None
    assert (job["state"], job["lease"], job["attempts"]) == ("running", "a", 1)
    assert claim(jobs, "b") is None  # running with a live heartbeat: not taken over


def test_an_abandoned_job_is_taken_over_and_its_old_attempt_changes_nothing(
    db: Database[dict[str, Any]],
) -> None:
    jobs = queued(db)
    claim(jobs, "a")
    stale = datetime.now(UTC) - timedelta(seconds=2 * TIMEOUT_S)
    db["background_jobs"].update_one({"_id": "j1"}, {"$set": {"heartbeat_at": stale}})
    assert [
        d["_id"] for d in jobs.find(lifecycle.abandoned_jobs(lifecycle.stale_cutoff(TIMEOUT_S), 10))
    ] == ["j1"]
    job = claim(jobs, "b")
    assert job is not None and (job["lease"], job["attempts"]) == ("b", 2)
    assert not jobs.update(lifecycle.beat("j1", "a"))
    assert not jobs.exists(lifecycle.running_under("j1", "a"))
    assert jobs.apply(lifecycle.finish("j1", "a", "succeeded", {})) is None
    assert jobs.apply(lifecycle.finish("j1", "b", "succeeded", {})) is not None


def test_a_finished_job_cannot_be_claimed_released_or_cancelled(
    db: Database[dict[str, Any]],
) -> None:
    jobs = queued(db)
    claim(jobs, "a")
    done = jobs.apply(lifecycle.finish("j1", "a", "succeeded", {"result": {"days": 1}}))
    assert done is not None and done["state"] == "succeeded"
    assert done["progress"]["percent"] == 100.0
    assert claim(jobs, "b") is None
    assert jobs.apply(lifecycle.release("j1", "a", "test")) is None
    assert asyncio.run(cancel_queued(db)) is None
    assert jobs.apply(lifecycle.finish("j1", "a", "failed", {})) is None
    assert (jobs.find_one(lifecycle.by_id("j1")) or {}).get("state") == "succeeded"


def test_a_cancelled_queued_job_cannot_start(db: Database[dict[str, Any]]) -> None:
    jobs = queued(db)
    cancelled = asyncio.run(cancel_queued(db))
    assert cancelled is not None and cancelled["state"] == "cancelled"
    assert claim(jobs, "a") is None
    assert asyncio.run(cancel_queued(db)) is None  # only once


def test_a_released_job_waits_without_a_lease_and_can_be_claimed_again(
    db: Database[dict[str, Any]],
) -> None:
    jobs = queued(db)
    claim(jobs, "a")
    assert jobs.apply(lifecycle.release("j1", "other", "test")) is None  # not its lease
    job = jobs.apply(lifecycle.release("j1", "a", "shutting down", handback=True))
    assert job is not None
    assert (job["state"], job["lease"], job["requeues"], job["handbacks"]) == (
        "queued",
        None,
        1,
        1,
    )
    job = claim(jobs, "b")
    assert job is not None and job["attempts"] == 2


async def cancel_queued(db: Database[dict[str, Any]]) -> dict[str, Any] | None:
    """The API's cancel, through the async executor, on the same database."""
    host, port = db.client.address or ("127.0.0.1", 27017)
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        f"mongodb://{host}:{port}", tz_aware=True
    )
    try:
        jobs = AsyncJobs(client[db.name])
        return await jobs.apply(lifecycle.cancel_queued("j1", "cancelled", datetime.now(UTC)))
    finally:
        await client.close()
