"""Publishing a job's events to its Redis Stream, and throttled progress on the job document."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

import redis
from pymongo.errors import PyMongoError

from shared import events
from shared.documents import EventType, JobProgress, JobState, ProgressEvent
from shared.names import events_key
from shared.planning import SolveProgress
from worker.jobs import lifecycle
from worker.jobs.lifecycle import Jobs

log = logging.getLogger(__name__)


def publish(client: redis.Redis, prefix: str, ttl_s: int, event: ProgressEvent) -> str:
    key = events_key(prefix, event.job_id)
    pipe = client.pipeline()
    pipe.xadd(key, events.encode(event), maxlen=events.MAXLEN, approximate=True)
    pipe.expire(key, ttl_s)
    stream_id: str = pipe.execute()[0]
    return stream_id


def make_event(event: EventType, job_id: str, state: JobState, **fields: Any) -> ProgressEvent:
    return ProgressEvent(event=event, job_id=job_id, state=state, at=datetime.now(UTC), **fields)


class ProgressReporter:
    """The engine's `on_progress` callback: every improving solution becomes a stream event;
    the job document is updated at most once per `db_interval_s` (it is polled, not streamed)."""

    def __init__(
        self,
        *,
        client: redis.Redis,
        jobs: Jobs,
        prefix: str,
        ttl_s: int,
        job_id: str,
        lease: str,
        attempt: int,
        time_limit_s: float,
        db_interval_s: float,
    ) -> None:
        self._client, self._jobs, self._prefix, self._ttl = client, jobs, prefix, ttl_s
        self._job_id, self._lease, self._attempt = job_id, lease, attempt
        self._time_limit = time_limit_s
        self._db_interval = db_interval_s
        self._last_db_write = float("-inf")
        self._lock = threading.Lock()
        self._failing = False

    def __call__(self, p: SolveProgress) -> None:
        progress = JobProgress(
            percent=round(min(99.0, 100.0 * p.elapsed_s / self._time_limit), 1),
            objective=p.objective,
            bound=p.bound,
            gap=p.gap,
            elapsed_s=round(p.elapsed_s, 3),
            solutions=p.solutions,
        )
        # Reporting must never break a solve: losing a progress event is fine, losing a plan not.
        try:
            with self._lock:
                publish(
                    self._client,
                    self._prefix,
                    self._ttl,
                    make_event(
                        "progress",
                        self._job_id,
                        "running",
                        attempt=self._attempt,
                        progress=progress,
                    ),
                )
                now = time.monotonic()
                if now - self._last_db_write >= self._db_interval:
                    self._last_db_write = now
                    self._jobs.update(
                        lifecycle.progress(self._job_id, self._lease, progress.model_dump())
                    )
        except (redis.RedisError, PyMongoError) as exc:
            # Redis or MongoDB away (a solve goes on without them): say so once, not per event.
            if not self._failing:
                log.warning("could not report progress of job %s: %s", self._job_id, exc)
            self._failing = True
        except Exception:
            log.warning("could not report progress of job %s", self._job_id, exc_info=True)
        else:
            self._failing = False
