"""Submitting a plan job: validate everything, record the job, publish `queued`, enqueue."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import anyio
from bson import ObjectId
from celery import Celery
from fastapi import Response
from pymongo.errors import DuplicateKeyError
from redis.asyncio import Redis

from api import store
from api.errors import ApiError
from api.events import publish
from api.history import logged_activities
from shared import names
from shared.documents import GenerateRequest, Job, JobAccepted, ProgressEvent
from shared.indexes import plan_id_for
from shared.settings import Settings
from shared.submission import SubmissionError
from worker.engine import validate
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs
from worker.plan_request import plan_request


def job_id_for(tenant: str, runner_id: str, idempotency_key: str | None) -> str:
    if idempotency_key is None:
        return str(ObjectId())
    # The key names the job: a retried POST lands on the same document.
    return hashlib.sha256(f"{tenant}\0{runner_id}\0{idempotency_key}".encode()).hexdigest()[:24]


def request_fingerprint(runner_id: str, body: GenerateRequest) -> str:
    payload = json.dumps([runner_id, body.model_dump(mode="json")], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


async def submit(
    *,
    db: store.Db,
    redis: Redis,
    celery: Celery,
    settings: Settings,
    tenant: str,
    runner_id: str,
    body: GenerateRequest,
    idempotency_key: str | None,
) -> tuple[Job, bool]:
    """Returns the job and whether it was created now (False: an idempotent replay)."""
    runner = await store.get_runner(db, tenant, runner_id)
    schema = await store.get_schema(db, tenant, body.schema_id)
    # Logged activities, when there are any, give the current CTL/ATL (worker/fitness.py).
    logged = await logged_activities(db, tenant, runner_id)
    try:
        request = plan_request(runner, schema, logged, body, settings, datetime.now(UTC).date())
    except SubmissionError as exc:
        raise ApiError(
            422, "invalid plan request: " + "; ".join(exc.problems), exc.problems
        ) from exc
    problems = validate(request, datetime.now(UTC).date())
    if problems:
        raise ApiError(422, "this plan cannot be made: " + "; ".join(problems), problems)

    job_id = job_id_for(tenant, runner_id, idempotency_key)
    doc = lifecycle.queued_job(
        {
            "_id": job_id,
            "tenant_id": tenant,
            "runner_id": runner_id,
            "schema_id": body.schema_id,
            "request": body.model_dump(mode="json"),
            "request_fingerprint": request_fingerprint(runner_id, body),
            "idempotency_key": idempotency_key,
            "plan_id": plan_id_for(job_id),
        },
        max_attempts=settings.job_max_attempts,
        now=datetime.now(UTC),
    )
    return await record_and_enqueue(db=db, redis=redis, celery=celery, settings=settings, doc=doc)


async def record_and_enqueue(
    *, db: store.Db, redis: Redis, celery: Celery, settings: Settings, doc: dict[str, Any]
) -> tuple[Job, bool]:
    """Insert a queued job (`lifecycle.queued_job`), publish `queued` and enqueue it; an
    existing job of the same id (an Idempotency-Key replay) is returned instead if its
    `request_fingerprint` matches. Returns the job and whether it was created now."""
    job_id, tenant, fingerprint, now = (
        doc["_id"],
        doc["tenant_id"],
        doc["request_fingerprint"],
        doc["created_at"],
    )
    jobs = AsyncJobs(db)
    try:
        await jobs.insert(doc)
    except DuplicateKeyError:
        existing = await jobs.find_one(lifecycle.of_tenant(tenant, job_id))
        if existing is None:  # deleted in between (a failed enqueue): treat as new
            raise ApiError(409, "a request with this Idempotency-Key is in flight; retry") from None
        if existing.get("request_fingerprint") != fingerprint:
            raise ApiError(
                409, "this Idempotency-Key was already used for a different request"
            ) from None
        job = Job.model_validate(existing)
        if job.state == "queued":
            # The first POST may have died before enqueueing; a duplicate message is harmless.
            await enqueue(celery, settings, job_id)
        return job, False

    try:
        await publish(
            redis, settings, ProgressEvent(event="queued", job_id=job_id, state="queued", at=now)
        )
        await enqueue(celery, settings, job_id)
    except Exception:
        # Not enqueued: forget the job, so a retry (same Idempotency-Key) starts afresh.
        await jobs.delete(lifecycle.unsent(job_id))
        raise
    return Job.model_validate(doc), True


async def enqueue(celery: Celery, settings: Settings, job_id: str) -> None:
    def send() -> None:
        celery.send_task(
            names.GENERATE_PLAN_TASK,
            args=[job_id],
            task_id=job_id,
            queue=settings.celery_queue,
            retry=True,
        )

    await anyio.to_thread.run_sync(send)


def accepted(job: Job, plan_link: str, created: bool, response: Response) -> JobAccepted:
    """The `202` body of every route that enqueues a job; a replay is marked as one."""
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return JobAccepted(
        job_id=job.id,
        state=job.state,
        links={
            "job": f"/jobs/{job.id}",
            "events": f"/jobs/{job.id}/events",
            "websocket": f"/jobs/{job.id}/ws",
            "plan": plan_link,
        },
    )
