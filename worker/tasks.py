"""Celery tasks: thin wrappers that hand a job id to `PlanJob`."""

from __future__ import annotations

import logging
import socket

from celery import Task
from celery.exceptions import SoftTimeLimitExceeded
from pymongo.errors import ConnectionFailure
from redis.exceptions import ConnectionError as RedisConnectionError

from shared.names import GENERATE_PLAN_TASK
from shared.settings import get_settings
from worker.celery_app import app
from worker.connections import mongo_db, redis_client
from worker.plan_job import PlanJob

log = logging.getLogger(__name__)


@app.task(name=GENERATE_PLAN_TASK, bind=True, max_retries=None)
def generate_plan(self: Task, job_id: str) -> None:
    job = PlanJob(
        db=mongo_db(),
        client=redis_client(),
        settings=get_settings(),
        job_id=job_id,
        worker=f"{socket.gethostname()}:{self.request.hostname}",
    )
    try:
        job.run()
    except SoftTimeLimitExceeded:
        job.finish("failed", error="the job exceeded its time limit")
    except (ConnectionFailure, RedisConnectionError) as exc:
        # MongoDB or Redis went away: try again later; the job document counts attempts.
        log.warning("job %s: %s; retrying", job_id, exc)
        raise self.retry(countdown=5, exc=exc) from exc
    except Exception:
        # A bug, not bad luck: retrying would fail the same way. End the job so clients
        # following its events are told, instead of waiting on a job that never finishes.
        log.exception("job %s failed unexpectedly", job_id)
        if job.attempt:
            job.finish("failed", error="internal error while planning; it has been logged")
