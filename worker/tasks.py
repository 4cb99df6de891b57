"""Celery tasks: thin wrappers that hand a job id to an `Attempt`, heartbeat it, and put
the job back in the queue when the attempt cannot finish it."""

from __future__ import annotations

import logging

import redis
from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from pymongo.errors import ConnectionFailure, PyMongoError
from redis.exceptions import ConnectionError as RedisConnectionError

from shared.names import GENERATE_PLAN_TASK, enqueued_key
from shared.settings import Settings, get_settings
from worker.celery_app import app
from worker.connections import mongo_db, redis_client
from worker.jobs import recovery  # noqa: F401 - connects the recovery loop to the worker's signals
from worker.jobs.attempt import Attempt
from worker.jobs.cancel import HandBack
from worker.jobs.heartbeat import Heartbeat
from worker.jobs.recovery import worker_identity
from worker.jobs.requeue import requeue

log = logging.getLogger(__name__)

MAX_RETRY_DELAY_S = 60


@app.task(name=GENERATE_PLAN_TASK, bind=True, max_retries=None)
def generate_plan(self: Task, job_id: str) -> None:
    settings = get_settings()
    client = redis_client()
    taken(client, settings, job_id)
    job: Attempt | None = None
    try:
        job = Attempt(
            db=mongo_db(),
            client=client,
            settings=settings,
            job_id=job_id,
            worker=worker_identity(self.request.hostname or "worker"),
        )
        with Heartbeat(job.jobs, job_id, job.lease, settings.job_heartbeat_interval_s):
            job.run()
    except HandBack:
        assert job is not None
        give_back(self, job, "its worker shut down before the solve ended", handback=True)
    except SoftTimeLimitExceeded:
        assert job is not None
        job.finish("failed", error="the job exceeded its time limit")
    except (ConnectionFailure, RedisConnectionError) as exc:
        # MongoDB or Redis went away. A claimed job goes back to the queue at once (a new
        # attempt may start from scratch); otherwise try again later, backing off.
        log.warning("job %s: %s", job_id, exc, extra={"job_id": job_id})
        if job is not None and job.attempt and give_back(self, job, f"lost a service: {exc}"):
            return
        delay = min(MAX_RETRY_DELAY_S, 5 * 2**self.request.retries)
        raise self.retry(countdown=delay, exc=exc) from exc
    except Exception:
        # A bug, not bad luck: retrying would fail the same way. End the job so clients
        # following its events are told, instead of waiting on a job that never finishes.
        log.exception("job %s failed unexpectedly", job_id, extra={"job_id": job_id})
        if job is not None and job.attempt:
            job.finish("failed", error="internal error while planning; it has been logged")


def taken(client: redis.Redis, settings: Settings, job_id: str) -> None:
    """The job's message is consumed: drop its `enqueued` marker (recovery.py)."""
    try:
        client.delete(enqueued_key(settings.redis_prefix, job_id))
    except redis.RedisError as exc:
        log.warning("job %s: could not clear its enqueued marker: %s", job_id, exc)


def give_back(task: Task, job: Attempt, reason: str, *, handback: bool = False) -> bool:
    """Queue the job again for another attempt; False if MongoDB is unreachable too (the
    recovery loop does it once the heartbeat is stale)."""
    try:
        return requeue(
            jobs=job.jobs,
            client=job.redis,
            app=task.app,
            settings=job.settings,
            job_id=job.job_id,
            lease=job.lease,
            reason=reason,
            handback=handback,
        )
    except PyMongoError as exc:
        log.warning("job %s: could not hand it back: %s", job.job_id, exc)
        return False
