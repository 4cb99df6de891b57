"""Saving a solved plan while MongoDB comes and goes: retry in place, with backoff.

A solve can take minutes; losing its result to a short database outage would mean solving
again. The writes it retries are idempotent (upserts by deterministic id, compare-and-set
on the lease), so repeating one that reached the server before the connection broke is
safe. Past `JOB_PERSIST_TIMEOUT_S` the error propagates: the attempt ends, and once
MongoDB is back the recovery loop queues the job again (bounded by `max_attempts`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from pymongo.errors import ConnectionFailure

log = logging.getLogger(__name__)

T = TypeVar("T")

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 5.0


def retry_db(action: Callable[[], T], *, what: str, job_id: str, timeout_s: float) -> T:
    deadline = time.monotonic() + timeout_s
    delay = FIRST_DELAY_S
    tries = 0
    while True:
        tries += 1
        try:
            result = action()
        except ConnectionFailure as exc:  # unreachable, timed out, or connection dropped
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                log.error(
                    "job %s: gave up trying to %s after %d tries: %s",
                    job_id,
                    what,
                    tries,
                    exc,
                    extra={"job_id": job_id},
                )
                raise
            log.warning(
                "job %s: cannot %s (MongoDB: %s); retrying in %.1f s",
                job_id,
                what,
                exc,
                min(delay, remaining),
                extra={"job_id": job_id},
            )
            time.sleep(min(delay, remaining))
            delay = min(delay * 2, MAX_DELAY_S)
            continue
        if tries > 1:
            log.info("job %s: managed to %s after %d tries", job_id, what, tries)
        return result
