"""The Celery application: Redis broker, tuned for long CPU-bound solves.

Job state lives in MongoDB (`background_jobs`), so there is no result backend.
"""

from __future__ import annotations

from celery import Celery

from shared.names import celery_key_prefix
from shared.settings import Settings, get_settings


def create_celery(settings: Settings) -> Celery:
    app = Celery("trainplan", broker=settings.redis_url, include=["worker.tasks"])
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # A job is acknowledged only once it finished; a worker that dies mid-solve leaves
        # the message unacked and Redis hands it to another worker after the visibility timeout.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit_s,
        task_time_limit=settings.task_time_limit_s,
        worker_concurrency=settings.concurrency,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
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
    return app


app = create_celery(get_settings())
