"""Figures of finished jobs, kept in MongoDB and exposed by the API's `/metrics`.

Workers are many processes (Celery prefork children, several containers) that come and
go; counting in MongoDB gives one cluster-wide set of counters that survives restarts and
needs no scrape target per worker. Each finished job costs one `$inc` on one document:
the job count by final state and the (non-cumulative) histogram buckets of its solve
time and final gap. `api.metrics` turns the document into Prometheus metrics.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

log = logging.getLogger(__name__)

COLLECTION = "service_metrics"
JOBS_DOC_ID = "jobs"

# Upper bounds (le) of the histogram buckets; +Inf is implied.
SOLVE_SECONDS_BUCKETS: tuple[float, ...] = (
    0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
)  # fmt: skip
GAP_BUCKETS: tuple[float, ...] = (0, 0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1)

HISTOGRAMS: dict[str, tuple[float, ...]] = {
    "solve_seconds": SOLVE_SECONDS_BUCKETS,
    "gap": GAP_BUCKETS,
}


def bucket_index(bounds: Sequence[float], value: float) -> int:
    """The first bucket whose upper bound is >= value (len(bounds) is +Inf)."""
    return bisect.bisect_left(bounds, value)


def finished_update(state: str, result: Mapping[str, Any] | None) -> dict[str, Any]:
    """The `$inc` recording one job that ended in `state` with this result summary."""
    inc: dict[str, float] = {f"finished.{state}": 1}
    for name, bounds in HISTOGRAMS.items():
        value = (result or {}).get(name)
        if isinstance(value, int | float):
            inc[f"{name}.count"] = 1
            inc[f"{name}.sum"] = float(value)
            inc[f"{name}.buckets.{bucket_index(bounds, float(value))}"] = 1
    return {"$inc": inc}


def record_finished(
    db: Database[dict[str, Any]], job_id: str, state: str, result: Mapping[str, Any] | None
) -> None:
    """Called once per job, by the attempt that finished it. Never fails the job."""
    summary = result or {}
    log.info(
        "job %s %s (solve %s s, gap %s)",
        job_id,
        state,
        summary.get("solve_seconds"),
        summary.get("gap"),
        extra={"job_id": job_id, "state": state},
    )
    update = finished_update(state, result)
    try:
        try:
            db[COLLECTION].update_one({"_id": JOBS_DOC_ID}, update, upsert=True)
        except DuplicateKeyError:  # two first-ever upserts raced: the document exists now
            db[COLLECTION].update_one({"_id": JOBS_DOC_ID}, update)
    except PyMongoError as exc:
        log.warning("could not record metrics of job %s: %s", job_id, exc)
