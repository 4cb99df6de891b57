"""The recovery loop every worker process runs, and its hand-back on warm shutdown.

Every `JOB_RECOVERY_INTERVAL_S` the loop
- queues again `running` jobs whose attempt stopped beating (its worker was SIGKILLed,
  ran out of memory or lost its host): their own unacknowledged message goes back to the
  head of the queue, so they run again within about `JOB_HEARTBEAT_TIMEOUT_S`, not after
  the broker's visibility timeout (15 minutes by default);
- enqueues again `queued` jobs whose message is gone: their `enqueued` marker, written
  with the message, vanished with it (a Redis restart without persistence loses both);
- restores messages a worker took but died holding before it claimed their job.

Several loops (one per worker) may run at once: each change is a compare-and-set on the
job document, so only one of them acts on a job. Duplicate messages are harmless anyway:
an attempt only takes a queued or abandoned job (`lifecycle.claim`).

On SIGTERM (warm shutdown) the loop sets this worker's `draining` flag; its running
attempts see it within `CANCEL_POLL_INTERVAL_S`, stop solving and hand their jobs back.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from typing import Any

import redis
from celery import Celery
from celery.signals import worker_ready, worker_shutdown, worker_shutting_down
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import PyMongoError

from shared import names
from shared.settings import Settings, get_settings
from worker.jobs import lifecycle
from worker.jobs.lifecycle import Jobs, abandoned, stale_cutoff
from worker.jobs.requeue import enqueue, message_job, requeue, restore_tags, unacked_key

log = logging.getLogger(__name__)

BATCH = 500
LOST_MESSAGE_GRACE_S = 10.0


def worker_identity(node: str) -> str:
    """How jobs record the worker running them (`job.worker`), and how it names itself."""
    return f"{socket.gethostname()}:{node}"


class RecoveryLoop:
    def __init__(self, app: Celery, settings: Settings, worker: str) -> None:
        self.app, self.settings, self.worker = app, settings, worker
        # Own clients: this thread lives in the worker's main process, whose pool children
        # are forked later too and must not share its sockets.
        self._mongo: MongoClient[dict[str, Any]] = MongoClient(
            settings.mongodb_url,
            tz_aware=True,
            serverSelectionTimeoutMS=settings.mongodb_timeout_ms,
        )
        self.db: Database[dict[str, Any]] = self._mongo[settings.mongodb_db]
        self.jobs = Jobs(self.db)
        self.redis = redis.Redis.from_url(
            settings.redis_url, decode_responses=True, socket_connect_timeout=3, socket_timeout=10
        )
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._draining = False
        self._drain_flagged = False
        # monotonic time since MongoDB answers again; None while it does not. Heartbeats
        # could not be written during an outage, so none is judged until every live
        # attempt has had the chance to beat again.
        self._db_ok_since: float | None = float("-inf")
        self._failing: str | None = None
        self._thread = threading.Thread(target=self._run, name="job-recovery", daemon=True)

    @property
    def db_settle_s(self) -> float:
        return 2 * self.settings.job_heartbeat_interval_s + self.settings.mongodb_timeout_ms / 1000

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> None:
        self._thread.start()

    def drain(self) -> None:
        """Called from the SIGTERM handler: only flags, the loop's thread does the I/O."""
        self._draining = True
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        # A worker restarted under the same name must not inherit its predecessor's flag.
        self._guard("clear the draining flag", self._clear_draining)
        while not self._stop.is_set():
            if self._draining and not self._drain_flagged:
                self._guard("flag the shutdown", self._flag_draining)
            self._guard("sweep", self.sweep)
            self._wake.wait(self.settings.job_recovery_interval_s)
            self._wake.clear()

    def _guard(self, what: str, action: Any) -> None:
        try:
            action()
        except (PyMongoError, redis.RedisError) as exc:
            if self._failing != type(exc).__name__:  # once per outage, not every sweep
                log.warning("recovery loop could not %s: %s", what, exc)
            self._failing = type(exc).__name__
            if isinstance(exc, PyMongoError):
                self._db_ok_since = None
        except Exception:
            log.exception("recovery loop: %s failed", what)
        else:
            if self._failing is not None:
                log.info("recovery loop: MongoDB and Redis answer again")
            self._failing = None

    def _draining_key(self) -> str:
        return names.draining_key(self.settings.redis_prefix, self.worker)

    def _clear_draining(self) -> None:
        self.redis.delete(self._draining_key())

    def _flag_draining(self) -> None:
        self.redis.set(self._draining_key(), "1", ex=3600)
        self._drain_flagged = True
        log.info("worker %s shutting down: its running jobs go back to the queue", self.worker)

    # -- the sweep -------------------------------------------------------------------

    def sweep(self) -> dict[str, int]:
        """How many jobs each check put back in the queue."""
        self.db.command("ping")
        now = time.monotonic()
        if self._db_ok_since is None:
            self._db_ok_since = now
        settled = now - self._db_ok_since >= self.db_settle_s
        return {
            "abandoned": self.requeue_abandoned() if settled else 0,
            "lost": self.enqueue_lost(),
            "orphaned": self.restore_orphaned(),
        }

    def requeue_abandoned(self) -> int:
        timeout = self.settings.job_heartbeat_timeout_s
        cutoff = stale_cutoff(timeout)
        count = 0
        for doc in self.jobs.find(lifecycle.abandoned_jobs(cutoff, BATCH)):
            reason = (
                f"its worker ({doc.get('worker') or 'unknown'}) stopped without finishing it "
                f"(no heartbeat for {timeout:g} s)"
            )
            if requeue(
                jobs=self.jobs,
                client=self.redis,
                app=self.app,
                settings=self.settings,
                job_id=doc["_id"],
                lease=doc.get("lease"),
                reason=reason,
                condition=abandoned(cutoff),
                restore=True,
            ):
                count += 1
        return count

    def enqueue_lost(self) -> int:
        # The API publishes within a second of writing the job (its publish retries are
        # bounded); older queued jobs without a marker lost their message.
        cutoff = stale_cutoff(min(LOST_MESSAGE_GRACE_S, self.settings.job_heartbeat_timeout_s))
        docs = self.jobs.find(lifecycle.waiting_since(cutoff, BATCH))
        if not docs:
            return 0
        pipe = self.redis.pipeline(transaction=False)
        for doc in docs:
            pipe.exists(names.enqueued_key(self.settings.redis_prefix, doc["_id"]))
        count = 0
        for doc, marked in zip(docs, pipe.execute(), strict=True):
            if marked:
                continue
            # Claim it for this loop (others skip it now), then publish.
            claimed = self.jobs.update(lifecycle.touch_queued(doc["_id"], doc["updated_at"]))
            if claimed and enqueue(self.app, self.settings, doc["_id"]):
                log.warning("job %s had lost its queue message; enqueued again", doc["_id"])
                count += 1
        return count

    def restore_orphaned(self) -> int:
        """Messages a worker took and died holding before it could claim their job: the job
        is still queued, its message stuck among the unacknowledged ones."""
        celery_prefix = names.celery_key_prefix(self.settings.redis_prefix)
        cutoff = time.time() - self.settings.job_heartbeat_timeout_s
        found_tags = self.redis.zrangebyscore(
            celery_prefix + "unacked_index", "-inf", cutoff, start=0, num=BATCH
        )
        tags = [str(tag) for tag in found_tags]
        if not tags:
            return 0
        by_job: dict[str, list[str]] = {}
        for tag, raw in zip(tags, self.redis.hmget(unacked_key(self.settings), tags), strict=True):
            found = message_job(raw)
            if found is not None and not found[1]:  # retries with an ETA wait on purpose
                by_job.setdefault(found[0], []).append(tag)
        # Queued for longer than the message was held: not just handed back by a live worker
        # that is about to acknowledge it.
        queued = self.jobs.find(
            lifecycle.queued_among(
                list(by_job), stale_cutoff(self.settings.job_heartbeat_timeout_s)
            )
        )
        stuck = [tag for doc in queued for tag in by_job[doc["_id"]]]
        if stuck:
            restore_tags(self.app, stuck)
            log.warning("restored %d message(s) held by a worker that died", len(stuck))
        return len(stuck)


# -- wiring into the worker's main process -----------------------------------------------

_loop: RecoveryLoop | None = None


@worker_ready.connect
def _start_loop(sender: Any = None, **_: Any) -> None:
    global _loop
    from worker.celery_app import app

    settings = get_settings()
    if not settings.mongodb_url:
        return
    _loop = RecoveryLoop(app, settings, worker_identity(sender.hostname))
    _loop.start()


@worker_shutting_down.connect
def _drain(sender: Any = None, how: str = "", **_: Any) -> None:
    if _loop is not None:
        _loop.drain()


@worker_shutdown.connect
def _stop_loop(**_: Any) -> None:
    if _loop is not None:
        _loop.stop()
