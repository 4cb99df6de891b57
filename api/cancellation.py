"""Cancelling a job: what `DELETE /jobs/{id}` does, and `DELETE /runners/{id}` for each of
the runner's unfinished jobs."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from api import store
from api.events import publish
from api.metrics import record_finished
from shared import names
from shared.documents import Job, ProgressEvent
from shared.settings import Settings
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs


async def cancel(db: store.Db, redis: Redis, settings: Settings, job: Job) -> Job:
    """A queued job is `cancelled` at once; a running one is flagged and its attempt stops
    within a poll interval (the job answered is still `running` then). `job` must not be
    finished yet."""
    job_id = job.id
    # The flag first: if a worker starts the job between here and the update below, it
    # still sees the flag (before solving, or within a poll interval while solving).
    await redis.set(names.cancel_key(settings.redis_prefix, job_id), "1", ex=settings.events_ttl_s)
    error, now = "cancelled before it started", datetime.now(UTC)
    doc = await AsyncJobs(db).apply(lifecycle.cancel_queued(job_id, error, now))
    if doc is not None:
        await publish(
            redis,
            settings,
            ProgressEvent(event="cancelled", job_id=job_id, state="cancelled", at=now, error=error),
        )
        await record_finished(db, "cancelled")  # the workers count the jobs they finish
        return Job.model_validate(doc)
    return await store.get_job(db, job.tenant_id, job_id)
