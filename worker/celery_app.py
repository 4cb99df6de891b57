"""The Celery application: Redis broker, tuned for long CPU-bound solves.

Job state lives in MongoDB (`background_jobs`), so there is no result backend.
"""

from __future__ import annotations

import logging
from typing import Any

import redis
from celery import Celery
from celery.signals import after_task_publish

from shared.names import GENERATE_PLAN_TASK, celery_key_prefix, enqueued_key
from shared.settings import Settings, get_settings

log = logging.getLogger(__name__)


def create_celery(settings: Settings) -> Celery:
    app = Celery("trainplan", broker=settings.redis_url, include=["worker.tasks"])
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # A job is acknowledged only once it finished. A worker that dies mid-solve leaves
        # the message unacked; the recovery loop (worker/jobs/recovery.py) notices the job's
        # stale heartbeat and puts that message back within about JOB_HEARTBEAT_TIMEOUT_S.
        # The visibility timeout is only the broker's own backstop behind it.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit_s,
        task_time_limit=settings.task_time_limit_s,
        worker_concurrency=settings.concurrency,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        # Redis lost: running solves go on (their results go to MongoDB) while the worker
        # reconnects by itself.
        worker_cancel_long_running_tasks_on_connection_loss=False,
        broker_transport_options={
            "visibility_timeout": settings.celery_visibility_timeout_s,
            "unacked_restore_interval": settings.celery_restore_interval_s,
            "unacked_restore_throttle": 1,
            "global_keyprefix": celery_key_prefix(settings.redis_prefix),
            "socket_connect_timeout": 3,
            "socket_timeout": 30,
        },
        # Publishing from the API must fail fast (-> 503) rather than hang when Redis is down.
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0.2,
            "interval_step": 0.3,
            "interval_max": 1,
        },
    )
    mark_enqueued_jobs(settings)
    return app


# (redis url, prefix, queue) -> connected: one hook per deployment, however many apps.
_MARKING: set[tuple[str, str, str]] = set()


def mark_enqueued_jobs(settings: Settings) -> None:
    """After every published job message, set the job's `enqueued` marker (names.py): a
    queued job without one lost its message, and the recovery loop enqueues it again."""
    ident = (settings.redis_url, settings.redis_prefix, settings.celery_queue)
    if ident in _MARKING:
        return
    _MARKING.add(ident)
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=3, socket_timeout=5)

    def on_publish(
        sender: str | None = None, body: Any = None, routing_key: str | None = None, **_: Any
    ) -> None:
        if sender != GENERATE_PLAN_TASK or routing_key != settings.celery_queue:
            return
        try:
            job_id = str(body[0][0])  # protocol 2: (args, kwargs, embed)
        except (TypeError, IndexError, KeyError):
            return
        try:
            client.set(enqueued_key(settings.redis_prefix, job_id), "1", ex=settings.events_ttl_s)
        except redis.RedisError as exc:
            # The message is out; without a marker it may be enqueued twice, which is harmless.
            log.warning("job %s: could not mark it enqueued: %s", job_id, exc)

    after_task_publish.connect(on_publish, weak=False)


app = create_celery(get_settings())
