"""Putting a job back in the queue: the job document first, then a broker message.

Used when an attempt ends without finishing the job: its worker died (recovery.py), is
shutting down (hand back), or lost MongoDB or Redis. The document goes back to `queued`
under no lease, so the next message for it, whichever it is, starts a fresh attempt.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import redis
from celery import Celery

from shared import names
from shared.settings import Settings
from worker.jobs import lifecycle
from worker.jobs.lifecycle import Jobs
from worker.jobs.progress import make_event, publish

log = logging.getLogger(__name__)


def announce(client: redis.Redis, settings: Settings, job: dict[str, Any]) -> None:
    """Tell the job's followers it waits again (best effort: the document says it too)."""
    try:
        publish(
            client,
            settings.redis_prefix,
            settings.events_ttl_s,
            make_event("queued", job["_id"], "queued", attempt=job.get("attempts")),
        )
    except redis.RedisError as exc:
        log.warning("job %s: could not publish its queued event: %s", job["_id"], exc)


def publish_job(app: Celery, settings: Settings, job_id: str) -> None:
    """A new message for the job (celery_app's publish hook sets its `enqueued` marker)."""
    app.send_task(
        names.GENERATE_PLAN_TASK, args=[job_id], task_id=job_id, queue=settings.celery_queue
    )


def unacked_key(settings: Settings) -> str:
    """kombu's hash of delivered, unacknowledged messages: {delivery tag: [payload, ...]}."""
    return names.celery_key_prefix(settings.redis_prefix) + "unacked"


def message_job(raw: str | bytes | None) -> tuple[str, bool] | None:
    """(job id, has an ETA) of an unacked entry; None if it is not one of ours."""
    try:
        headers = json.loads(raw or "")[0]["headers"]
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    if headers.get("task") != names.GENERATE_PLAN_TASK or not headers.get("id"):
        return None
    return str(headers["id"]), headers.get("eta") is not None


def restore_tags(app: Celery, tags: list[str]) -> None:
    """Put unacknowledged messages back at the head of the queue (kombu's own restore)."""
    with app.connection_for_write() as conn:
        channel: Any = conn.default_channel
        for tag in tags:
            channel.qos.restore_by_tag(tag)


def restore_unacked(app: Celery, settings: Settings, job_id: str) -> bool:
    """Move the job's unacknowledged message (held by a worker that died) back to the head of
    the queue: what kombu's visibility sweep does after `CELERY_VISIBILITY_TIMEOUT_S`, now.
    The job goes first, ahead of later submissions, and no stale copy is left behind."""
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=10)
    try:
        for tag, raw in client.hscan_iter(unacked_key(settings), count=100):
            found = message_job(raw)
            if found is not None and found[0] == job_id:
                restore_tags(app, [tag.decode()])
                return True
    finally:
        client.close()
    return False


def enqueue(app: Celery, settings: Settings, job_id: str, *, restore: bool = False) -> bool:
    """Restore the job's own message if asked and it is there, else publish a new one.
    False if Redis is unreachable: the recovery loop enqueues it once Redis is back."""
    try:
        if restore and restore_unacked(app, settings, job_id):
            log.info("job %s: its unacknowledged message is back at the head of the queue", job_id)
            return True
        publish_job(app, settings, job_id)
        return True
    except Exception as exc:  # kombu wraps Redis errors in its own OperationalError
        log.warning("job %s: could not enqueue it (%s); the recovery loop will", job_id, exc)
        return False


def requeue(
    *,
    jobs: Jobs,
    client: redis.Redis,
    app: Celery,
    settings: Settings,
    job_id: str,
    lease: str | None,
    reason: str,
    condition: dict[str, Any] | None = None,
    restore: bool = False,
    handback: bool = False,
) -> bool:
    """Release, announce and enqueue; False if the job was no longer ours to release (a
    compare-and-set on the lease: another attempt or recovery loop got there first)."""
    job = jobs.apply(lifecycle.release(job_id, lease, reason, condition, handback))
    if job is None:
        return False
    log.warning("job %s queued again: %s", job_id, reason, extra={"job_id": job_id})
    announce(client, settings, job)
    enqueue(app, settings, job_id, restore=restore)
    return True
