"""Prometheus metrics at `GET /metrics` (open, like the health routes).

- HTTP: requests and latency by method, route template (`/jobs/{job_id}`, never a raw id)
  and status, counted by an ASGI middleware. Latency runs to the response's start, so
  an SSE stream counts the time to open it, not how long a client stayed.
- Jobs: queued and running are counted in MongoDB at scrape time; finished jobs (count
  by state, solve time and final gap histograms) are the cluster-wide counters that the
  workers keep in MongoDB (`worker.metrics`). Every API replica reports the same job
  figures: aggregate them across replicas with `max`, not `sum`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
)
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import generate_latest
from prometheus_client.process_collector import ProcessCollector
from pymongo.errors import PyMongoError
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.logs import bind_job_id, unbind_job_id
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs
from worker.metrics import COLLECTION, HISTOGRAMS, JOBS_DOC_ID, finished_update

log = logging.getLogger(__name__)

UNMATCHED = "(unmatched)"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
FINISHED_STATES = ("succeeded", "failed", "cancelled")
SCRAPE_DB_TIMEOUT_S = 2.0


class HttpMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        labels = ["method", "route", "status"]
        self.requests = Counter(
            "trainplan_http_requests",
            "HTTP requests answered",
            labels,
            registry=self.registry,
        )
        self.latency = Histogram(
            "trainplan_http_request_duration_seconds",
            "Time from receiving a request to starting its response",
            labels,
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        ProcessCollector(registry=self.registry)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route, str(status)).observe(seconds)


# Requests about one job: their log records carry its id.
JOB_PATH = re.compile(r"^/jobs/([A-Za-z0-9_\-]{1,64})(?:/|$)")


def route_label(scope: Scope) -> str:
    """The template of the route that answered (set by the router while handling)."""
    # FastAPI's view of an included route has the full path (include-time prefixes too).
    context = scope.get("fastapi", {}).get("effective_route_context")
    route = scope.get("route")
    path = getattr(context, "path", None) or getattr(route, "path", None)
    if isinstance(route, Mount):
        return f"{route.path}/{{path:path}}"
    return str(path) if path else UNMATCHED


class RequestMetrics:
    """Counts every HTTP request; binds `job_id` to the logs of requests about one job."""

    def __init__(self, app: ASGIApp, *, metrics: HttpMetrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        job = JOB_PATH.match(scope["path"])
        token = bind_job_id(job.group(1)) if job else None
        start = time.perf_counter()
        status, elapsed = 500, None

        async def send_and_time(message: Message) -> None:
            nonlocal status, elapsed
            if message["type"] == "http.response.start":
                status, elapsed = message["status"], time.perf_counter() - start
            await send(message)

        try:
            await self.app(scope, receive, send_and_time)
        finally:
            if elapsed is None:  # failed before answering: the server answers 500
                elapsed = time.perf_counter() - start
            self.metrics.observe(scope["method"], route_label(scope), status, elapsed)
            if token is not None:
                unbind_job_id(token)


# -- job figures -----------------------------------------------------------------------


@dataclass
class JobFigures:
    queued: int
    running: int
    counters: Mapping[str, Any]  # the `worker.metrics` document ({} before the first job)


async def job_figures(db: Any) -> JobFigures | None:
    jobs = AsyncJobs(db)
    try:
        queued, running, counters = await asyncio.wait_for(
            asyncio.gather(
                jobs.count(lifecycle.in_state("queued")),
                jobs.count(lifecycle.in_state("running")),
                db[COLLECTION].find_one({"_id": JOBS_DOC_ID}),
            ),
            SCRAPE_DB_TIMEOUT_S,
        )
    except (PyMongoError, TimeoutError) as exc:
        log.warning("job metrics unavailable: %s", exc)
        return None
    return JobFigures(queued, running, counters or {})


def histogram(
    name: str, documentation: str, bounds: Sequence[float], figures: Mapping[str, Any]
) -> HistogramMetricFamily:
    counts: Mapping[str, Any] = figures.get("buckets", {})
    buckets: list[tuple[str, float]] = []
    cumulative = 0
    for i, bound in enumerate([*bounds, math.inf]):
        cumulative += int(counts.get(str(i), 0))
        buckets.append(("+Inf" if math.isinf(bound) else repr(float(bound)), cumulative))
    return HistogramMetricFamily(
        name, documentation, buckets=buckets, sum_value=float(figures.get("sum", 0.0))
    )


def job_metrics(figures: JobFigures | None) -> Iterator[Metric]:
    yield GaugeMetricFamily(
        "trainplan_job_metrics_up",
        "1 if the job figures below could be read from MongoDB for this scrape",
        value=0 if figures is None else 1,
    )
    if figures is None:
        return
    yield GaugeMetricFamily("trainplan_jobs_queued", "Jobs waiting", value=figures.queued)
    yield GaugeMetricFamily("trainplan_jobs_running", "Jobs being solved", value=figures.running)
    finished = CounterMetricFamily(
        "trainplan_jobs_finished", "Jobs finished, by final state", labels=["state"]
    )
    by_state: Mapping[str, Any] = figures.counters.get("finished", {})
    for state in sorted({*FINISHED_STATES, *by_state}):
        finished.add_metric([state], float(by_state.get(state, 0)))
    yield finished
    yield histogram(
        "trainplan_job_solve_seconds",
        "Solver time of finished jobs",
        HISTOGRAMS["solve_seconds"],
        figures.counters.get("solve_seconds", {}),
    )
    yield histogram(
        "trainplan_job_final_gap",
        "Relative optimality gap of the final plan (0 = proven optimal)",
        HISTOGRAMS["gap"],
        figures.counters.get("gap", {}),
    )


@dataclass
class Exposition:
    """What one scrape shows: the HTTP registry, then the job figures read just before."""

    registry: CollectorRegistry
    figures: JobFigures | None

    def collect(self) -> Iterable[Metric]:
        yield from self.registry.collect()
        yield from job_metrics(self.figures)


async def record_finished(db: Any, state: str) -> None:
    """For jobs the API finishes itself (cancelled while queued): count them like workers do."""
    try:
        await db[COLLECTION].update_one(
            {"_id": JOBS_DOC_ID}, finished_update(state, None), upsert=True
        )
    except PyMongoError as exc:
        log.warning("could not record a %s job in the metrics: %s", state, exc)


router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    state = request.app.state
    figures = await job_figures(state.db)
    body = generate_latest(Exposition(state.http_metrics.registry, figures))
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def install(app: FastAPI) -> None:
    """The `/metrics` route and the counting middleware (outermost, so it sees every answer)."""
    disable_created_metrics()  # no `*_created` series: rate() does not need them
    app.state.http_metrics = HttpMetrics()
    app.include_router(router)
    app.add_middleware(RequestMetrics, metrics=app.state.http_metrics)
