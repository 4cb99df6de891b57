"""Load bench of the whole service, on loopback only, bounded in count and time.

Starts the real stack (the service tests' `Stack`: uvicorn API, Celery worker processes,
plus a private redis-server and a SecantusDB server process, or `MONGODB_URL`), the API
pinned to one CPU and everything else on the others, the workers under SCHED_IDLE so that
their solves do not starve the client, Redis and MongoDB that share those CPUs (in
production workers have hosts of their own). Then:

1. submits `--jobs` short plans (3-week 5k) at a steady `--rate` per second (open loop:
   each submission is sent at its scheduled time, whatever the previous ones do) and
   measures submit latency (client side, and the API's own histogram from /metrics),
   throughput, end-to-end time per job, queue depth over time and the peak memory of
   the worker processes (their pool children included);
2. opens `--subscribers` concurrent SSE streams on one running job (`--sse-rounds` jobs,
   one after the other) and measures, for every event, the time from its creation
   (`at`, stamped by the worker) to its receipt by each subscriber.

The client is asyncio with a minimal HTTP/1.1 client (bench/rawhttp.py): with httpx,
the client's own CPU use on the shared CPU dominated what it measured.

    python -m bench.bench_load [--jobs 300] [--rate 100] [--workers 2] [--subscribers 200]

Writes bench/results/load.md and load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from bench.rawhttp import Client
from shared.names import JOBS, celery_key_prefix
from tests.service.helpers import long_plan, short_plan
from tests.service.stack import Stack
from worker.cli.stack import free_port, private_redis, wait_for_port

ROOT = Path(__file__).resolve().parent.parent

RESULTS = ROOT / "bench" / "results"
GENERATE_ROUTE = "/runners/{runner_id}/training-plans/generate"
TERMINAL = ("succeeded", "failed", "cancelled")
SAMPLE_EVERY_S = 1.0
MAX_DRAIN_S = 900  # bound: the whole load phase gives up after this
SSE_TIMEOUT_S = 300
LEAD_IN_S = 0.5  # submissions start this long after the client is set up


# -- processes and machine ---------------------------------------------------------------


def children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def process_tree(pid: int) -> list[int]:
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children(p))
    return tree


def pin(pid: int, cpus: set[int], idle: bool = False) -> None:
    """Every thread of the process and its children (new threads inherit from theirs).
    `idle`: SCHED_IDLE, the CPU only when nothing else wants it, as if on another host."""
    for p in process_tree(pid):
        for task in Path(f"/proc/{p}/task").iterdir():
            with contextlib.suppress(OSError):
                os.sched_setaffinity(int(task.name), cpus)
                if idle:
                    os.sched_setscheduler(int(task.name), os.SCHED_IDLE, os.sched_param(0))


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process; PSS shares the pages a forked pool child has in common
    with its parent, so PSS sums are not inflated the way RSS sums are."""
    rss = pss = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    return rss, pss


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "uptime": subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip(),
    }


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None or math.isinf(seconds) else round(seconds * 1000, 2)


# -- the stack ---------------------------------------------------------------------------


@contextlib.contextmanager
def secantus_server(cpus: set[int]) -> Iterator[tuple[str, int]]:
    """SecantusDB in its own process (in the bench process it would share our GIL)."""
    binary = shutil.which("secantusd-py", path=str(Path(sys.executable).parent))
    if binary is None:
        raise RuntimeError("secantusd-py not found: install the dev extra, or set MONGODB_URL")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-load-mongo-") as data:
        proc = subprocess.Popen(
            [binary, "--port", str(port), "--storage-path", data, "--standalone"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port("127.0.0.1", port, timeout_s=60)
            pin(proc.pid, cpus)
            yield f"mongodb://127.0.0.1:{port}/?directConnection=true", proc.pid
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def redis_pid(url: str) -> int | None:
    """The redis-server listening on the URL's port (it shows `redis-server HOST:PORT`)."""
    port = url.rsplit(":", 1)[1].split("/")[0]
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            if cmd.split(" ")[0].endswith("redis-server") and f":{port}" in cmd:
                return int(entry.name)
    return None


# -- sampling ----------------------------------------------------------------------------


@dataclass
class Sample:
    t: float  # seconds since the load phase started
    broker_queue: int  # messages waiting in the Celery queue (Redis list)
    worker_rss_kb: int  # all worker processes, pool children included
    worker_pss_kb: int


class Sampler(threading.Thread):
    """The broker queue and worker memory every SAMPLE_EVERY_S, off the event loop. Job
    states over time come afterwards from the job documents' timestamps: queries during
    the run would load the MongoDB that the submissions are measured against."""

    def __init__(self, stack: Stack, worker_pids: list[int]) -> None:
        super().__init__(daemon=True)
        self.stack, self.worker_pids = stack, worker_pids
        self.samples: list[Sample] = []
        self.peak_rss_by_worker: dict[int, int] = {}
        self.stop_flag = threading.Event()
        self.t0 = time.monotonic()
        self.wall_t0 = datetime.now(UTC)
        self.queue_key = celery_key_prefix(stack.prefix) + stack.prefix

    def take(self) -> Sample:
        rss = pss = 0
        for root in self.worker_pids:
            tree = [memory_kb(p) for p in process_tree(root)]
            tree_rss = sum(r for r, _ in tree)
            self.peak_rss_by_worker[root] = max(self.peak_rss_by_worker.get(root, 0), tree_rss)
            rss += tree_rss
            pss += sum(p for _, p in tree)
        broker = int(self.stack.redis.llen(self.queue_key))
        return Sample(round(time.monotonic() - self.t0, 2), broker, rss, pss)

    def run(self) -> None:
        while not self.stop_flag.is_set():
            self.samples.append(self.take())
            self.stop_flag.wait(SAMPLE_EVERY_S)


@dataclass
class Depth:
    t: float
    queued: int
    running: int
    finished: int
    broker_queue: int | None  # the sample taken nearest to t


def queue_depth(docs: list[dict[str, Any]], sampler: Sampler) -> list[Depth]:
    """Jobs queued / running / finished at each sample time, from created_at, started_at
    (of the last attempt) and finished_at."""
    depth = []
    for sample in sampler.samples:
        at = sampler.wall_t0 + timedelta(seconds=sample.t)
        started = [d for d in docs if d.get("started_at") and d["started_at"] <= at]
        finished = sum(1 for d in docs if d.get("finished_at") and d["finished_at"] <= at)
        created = sum(1 for d in docs if d["created_at"] <= at)
        running = len(started) - finished
        depth.append(
            Depth(sample.t, created - len(started), running, finished, sample.broker_queue)
        )
    return depth


# -- phase 1: submissions ----------------------------------------------------------------


@dataclass
class Submission:
    scheduled_s: float
    sent_s: float  # loop time it was sent
    late_s: float  # how late it was sent (the client's own lag)
    latency_s: float
    status: int
    job_id: str | None


async def submit_at_rate(
    port: int, key: str, runner_id: str, n: int, rate: float, body: dict[str, Any]
) -> list[Submission]:
    client = Client("127.0.0.1", port, {"X-API-Key": key})
    # Connections opened beforehand: a new one only when all of these are busy.
    client.idle = [await client.connect() for _ in range(20)]
    loop = asyncio.get_running_loop()
    t0 = loop.time() + LEAD_IN_S
    path = f"/runners/{runner_id}/training-plans/generate"

    async def one(i: int) -> Submission:
        at = t0 + i / rate
        await asyncio.sleep(max(0.0, at - loop.time()))
        late = loop.time() - at
        start = time.perf_counter()
        status, answer = await client.request("POST", path, body)
        latency = time.perf_counter() - start
        job_id = answer.get("job_id") if status == 202 else None
        return Submission(i / rate, at + late, late, latency, status, job_id)

    try:
        return list(await asyncio.gather(*(one(i) for i in range(n))))
    finally:
        client.close()


def server_histogram(base_url: str) -> dict[float, float]:
    """{le: cumulative count} of the API's own latency histogram for accepted submissions."""
    text = httpx.get(f"{base_url}/metrics", timeout=10).text
    buckets: dict[float, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name == "trainplan_http_request_duration_seconds_bucket"
                and labels.get("route") == GENERATE_ROUTE
                and labels.get("status") == "202"
            ):
                buckets[float(labels["le"])] = sample.value
    return buckets


def bucket_quantile(
    before: dict[float, float], after: dict[float, float], q: float
) -> float | None:
    """The upper bound of the bucket holding quantile q of the observations in between."""
    total = after.get(math.inf, 0) - before.get(math.inf, 0)
    if total <= 0:
        return None
    for le in sorted(after):
        if after[le] - before.get(le, 0) >= q / 100 * total:
            return le
    return math.inf


def wait_until_finished(stack: Stack, timeout_s: float) -> None:
    """Every job of the stack finished (counting unfinished ones: the state index)."""
    deadline = time.monotonic() + timeout_s
    while stack.db[JOBS].count_documents({"state": {"$in": ["queued", "running"]}}):
        if time.monotonic() > deadline:
            raise RuntimeError(f"jobs not finished after {timeout_s} s")
        time.sleep(1.0)


# -- phase 2: SSE fan-out ----------------------------------------------------------------


@dataclass
class FanOut:
    subscribers: int
    connected_s: float  # time for all subscribers to get their stream opened
    events: int = 0  # distinct events created after all were connected
    deliveries: list[float] = field(default_factory=list)  # latency per (subscriber, event)
    incomplete: int = 0  # subscribers whose stream did not reach the terminal event


async def fan_out(port: int, key: str, job_id: str, n: int) -> FanOut:
    client = Client("127.0.0.1", port, {"X-API-Key": key})
    received: list[tuple[str, float, float]] = []  # (event id, created at, received at)
    connected: list[float] = []
    done: list[bool] = []
    start = time.time()

    async def subscriber() -> None:
        conn, status, headers = await client.stream(f"/jobs/{job_id}/events")
        if status != 200:
            raise RuntimeError(f"SSE: HTTP {status}")
        connected.append(time.time())
        buffer, terminal = b"", False
        try:
            async for chunk in conn.chunks(headers):
                now = time.time()
                buffer += chunk.replace(b"\r\n", b"\n")
                *events, buffer = buffer.split(b"\n\n")
                for raw in events:
                    fields = dict(
                        line.split(":", 1) for line in raw.decode().split("\n") if ":" in line
                    )
                    if "data" not in fields:
                        continue  # a keep-alive comment
                    data = json.loads(fields["data"])
                    at = datetime.fromisoformat(data["at"]).timestamp()
                    received.append((fields.get("id", "").strip(), at, now))
                    terminal = terminal or data["event"] in TERMINAL
        finally:
            conn.close()
        done.append(terminal)

    await asyncio.wait_for(asyncio.gather(*(subscriber() for _ in range(n))), SSE_TIMEOUT_S)
    barrier = max(connected)
    result = FanOut(n, round(barrier - start, 3), incomplete=done.count(False))
    live = [(eid, at, now) for eid, at, now in received if at > barrier]
    result.events = len({eid for eid, _, _ in live})
    result.deliveries = [now - at for _, at, now in live]
    return result


# -- the run -----------------------------------------------------------------------------


def run(args: argparse.Namespace) -> dict[str, Any]:
    api_cpus = {args.api_cpu}
    other_cpus = (set(range(os.cpu_count() or 1)) - api_cpus) or api_cpus
    os.sched_setaffinity(0, other_cpus)  # this client, and the services it starts
    load_before = os.getloadavg()
    machine_before = machine()
    started = datetime.now(UTC)
    with contextlib.ExitStack() as resources:
        redis_url = resources.enter_context(private_redis())
        redis_server = redis_pid(redis_url)
        if redis_server is not None:
            pin(redis_server, other_cpus)
        mongodb_server: int | None = None
        mongodb_url = os.environ.get("MONGODB_URL", "")
        if not mongodb_url:
            mongodb_url, mongodb_server = resources.enter_context(secantus_server(other_cpus))
        tmp = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="bench-load-")))
        stack = Stack(tmp, redis_url, mongodb_url)
        stack.env.update(
            {
                "SOLVER_TIME_LIMIT_S": str(args.time_limit),
                # Above the SSE job's time limit: no redelivery of a running job.
                "CELERY_VISIBILITY_TIMEOUT_S": "600",
                "PROGRESS_DB_INTERVAL_S": "1.0",  # the production default
            }
        )
        resources.callback(stack.stop)
        stack.start_api()
        api_pid = stack.procs["api"].pid
        pin(api_pid, api_cpus)
        workers = [f"b{i}" for i in range(1, args.workers + 1)]
        for name in workers:
            stack.start_worker(name)
            # CP-SAT must not starve the client, Redis and MongoDB on the CPU they share.
            pin(stack.procs[name].pid, other_cpus, idle=args.workers_idle)
        worker_pids = [stack.procs[name].pid for name in workers]

        headers = {"X-API-Key": stack.api_key}
        profile = {"name": "Load Runner", "ctl": 45, "atl": 40, "weekly_hours": 7}
        runner = httpx.post(f"{stack.base_url}/runners", json=profile, headers=headers)
        runner.raise_for_status()
        runner_id = runner.json()["id"]
        body = short_plan(3, time_limit_s=args.time_limit)

        # Warm-up (connections, caches, first solves), not measured; waits for its jobs.
        # At the measured rate: connection pools grow to what that rate needs.
        asyncio.run(
            submit_at_rate(stack.port, stack.api_key, runner_id, args.warmup, args.rate, body)
        )
        wait_until_finished(stack, MAX_DRAIN_S)

        sampler = Sampler(stack, worker_pids)
        histogram_0 = server_histogram(stack.base_url)
        others = {
            "mongodb": [mongodb_server] if mongodb_server else [],
            "redis": [redis_server] if redis_server else [],
            "workers": [p for w in worker_pids for p in process_tree(w)],
        }
        others_cpu_0 = {k: sum(cpu_seconds(p) for p in v) for k, v in others.items()}
        api_cpu_0 = cpu_seconds(api_pid)
        sampler.start()
        t0 = time.monotonic()
        subs = asyncio.run(
            submit_at_rate(stack.port, stack.api_key, runner_id, args.jobs, args.rate, body)
        )
        submit_wall = time.monotonic() - t0
        api_cpu_submit = cpu_seconds(api_pid) - api_cpu_0
        sending_s = submit_wall - LEAD_IN_S
        # CPU share of the other processes while the submissions went out (1.0 = a CPU).
        cpu_share = {
            "api": round(api_cpu_submit / sending_s, 2),
            **{
                k: round((sum(cpu_seconds(p) for p in v) - others_cpu_0[k]) / sending_s, 2)
                for k, v in others.items()
                if v
            },
        }
        histogram_1 = server_histogram(stack.base_url)
        server_latency = {
            f"p{q}_at_most": bucket_quantile(histogram_0, histogram_1, q) for q in (50, 90, 99)
        }
        job_ids = [s.job_id for s in subs if s.job_id]
        wait_until_finished(stack, MAX_DRAIN_S)
        sampler.stop_flag.set()
        sampler.join()
        docs = list(stack.db[JOBS].find({"_id": {"$in": job_ids}}))

        # Phase 2: many subscribers on one running job; a job reports only ~10 improving
        # solutions, so a few rounds (one job each) give enough events.
        api_cpu_1 = cpu_seconds(api_pid)
        fan = FanOut(args.subscribers, 0.0)
        for _ in range(args.sse_rounds):
            sse_job = httpx.post(
                f"{stack.base_url}/runners/{runner_id}/training-plans/generate",
                json=long_plan(args.sse_time_limit),
                headers=headers,
            )
            sse_job.raise_for_status()
            round_ = asyncio.run(
                fan_out(stack.port, stack.api_key, sse_job.json()["job_id"], args.subscribers)
            )
            fan.connected_s = max(fan.connected_s, round_.connected_s)
            fan.events += round_.events
            fan.deliveries += round_.deliveries
            fan.incomplete += round_.incomplete
        api_cpu_sse = cpu_seconds(api_pid) - api_cpu_1
        load_after = os.getloadavg()

    return report(
        machine_before=machine_before,
        args=args,
        started=started,
        load=(load_before, load_after),
        subs=subs,
        cpu_share=cpu_share,
        server_latency=server_latency,
        docs=docs,
        sampler=sampler,
        fan=fan,
        api_cpu_sse=api_cpu_sse,
        cpus=(api_cpus, other_cpus),
    )


def report(
    *,
    machine_before: dict[str, Any],
    args: argparse.Namespace,
    started: datetime,
    load: tuple[tuple[float, ...], tuple[float, ...]],
    subs: list[Submission],
    cpu_share: dict[str, float],
    server_latency: dict[str, float | None],
    docs: list[dict[str, Any]],
    sampler: Sampler,
    fan: FanOut,
    api_cpu_sse: float,
    cpus: tuple[set[int], set[int]],
) -> dict[str, Any]:
    ok = [s for s in subs if s.status == 202]
    sending = max(s.sent_s for s in subs) - min(s.sent_s for s in subs)
    latencies = [s.latency_s for s in ok]
    finished = [d for d in docs if d["state"] in TERMINAL]
    e2e = [(d["finished_at"] - d["created_at"]).total_seconds() for d in finished]
    waits = [
        (d["started_at"] - d["created_at"]).total_seconds() for d in finished if d.get("started_at")
    ]
    solve = [d["result"]["solve_seconds"] for d in finished if d.get("result")]
    first = min(d["created_at"] for d in docs)
    last = max(d["finished_at"] for d in finished)
    span = (last - first).total_seconds()
    succeeded = sum(d["state"] == "succeeded" for d in docs)
    samples = sampler.samples
    depth = queue_depth(docs, sampler)
    return {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_before,
        "uptime_after": machine()["uptime"],
        "load_average_before": [round(x, 2) for x in load[0]],
        "load_average_after": [round(x, 2) for x in load[1]],
        "setup": {
            "api_cpus": sorted(cpus[0]),
            "other_cpus": sorted(cpus[1]),
            "workers": args.workers,
            "worker_concurrency": 1,
            "workers_sched_idle": args.workers_idle,
            "solver_threads": 1,
            "plan": "3-week 5k (builtin-5k)",
            "warmup_submissions": args.warmup,
            "time_limit_s": args.time_limit,
            "mongodb": "SecantusDB server process"
            if not os.environ.get("MONGODB_URL")
            else "MONGODB_URL",
            "redis": "private redis-server",
        },
        "submit": {
            "jobs": args.jobs,
            "target_rate_per_s": args.rate,
            "achieved_rate_per_s": round((len(subs) - 1) / sending, 1) if sending > 0 else None,
            "accepted": len(ok),
            "errors": {
                str(s.status): sum(1 for x in subs if x.status == s.status)
                for s in subs
                if s.status != 202
            },
            "latency_ms": {
                "p50": ms(percentile(latencies, 50)),
                "p90": ms(percentile(latencies, 90)),
                "p99": ms(percentile(latencies, 99)),
                "max": ms(max(latencies, default=None)),
            },
            # The API's own histogram (request received to response started): bucket bounds.
            "server_latency_ms": {k: ms(v) for k, v in server_latency.items()},
            # Does latency drift while the queue grows? p50/p99 per second of sending.
            "latency_ms_by_second": [
                {
                    "second": sec,
                    "p50": ms(
                        percentile([x.latency_s for x in ok if int(x.scheduled_s) == sec], 50)
                    ),
                    "p99": ms(
                        percentile([x.latency_s for x in ok if int(x.scheduled_s) == sec], 99)
                    ),
                }
                for sec in sorted({int(x.scheduled_s) for x in ok})
            ],
            "client_lateness_ms_p99": ms(percentile([s.late_s for s in subs], 99)),
            # CPU time / wall time while sending, per process group (1.0 = one CPU).
            "cpu_share_while_sending": cpu_share,
        },
        "jobs": {
            "succeeded": succeeded,
            "failed": sum(d["state"] == "failed" for d in docs),
            "cancelled": sum(d["state"] == "cancelled" for d in docs),
            "throughput_per_min": round(len(finished) / span * 60, 1) if span > 0 else None,
            "span_s": round(span, 1),
            "end_to_end_s": {
                "p50": round(percentile(e2e, 50) or 0, 2),
                "p99": round(percentile(e2e, 99) or 0, 2),
            },
            "queue_wait_s": {
                "p50": round(percentile(waits, 50) or 0, 2),
                "p99": round(percentile(waits, 99) or 0, 2),
            },
            "solve_s": {
                "p50": round(percentile(solve, 50) or 0, 3),
                "p99": round(percentile(solve, 99) or 0, 3),
            },
        },
        "queue_depth": [asdict(d) for d in depth],
        "peak_queue_depth": max((d.queued for d in depth), default=0),
        "worker_memory": {
            "peak_rss_all_workers_mib": round(
                max((s.worker_rss_kb for s in samples), default=0) / 1024, 1
            ),
            "peak_pss_all_workers_mib": round(
                max((s.worker_pss_kb for s in samples), default=0) / 1024, 1
            ),
            "peak_rss_per_worker_mib": round(
                max(sampler.peak_rss_by_worker.values(), default=0) / 1024, 1
            ),
        },
        "sse": {
            "subscribers": fan.subscribers,
            "rounds": args.sse_rounds,
            "all_connected_after_s": fan.connected_s,
            "live_events": fan.events,
            "deliveries": len(fan.deliveries),
            "incomplete_streams": fan.incomplete,
            "latency_ms": {
                "p50": ms(percentile(fan.deliveries, 50)),
                "p90": ms(percentile(fan.deliveries, 90)),
                "p99": ms(percentile(fan.deliveries, 99)),
                "max": ms(max(fan.deliveries, default=None)),
            },
            "api_cpu_seconds": round(api_cpu_sse, 2),
        },
    }


def markdown(r: dict[str, Any]) -> str:
    s, j, sse, setup = r["submit"], r["jobs"], r["sse"], r["setup"]
    mem = r["worker_memory"]
    sl = s["server_latency_ms"]
    target_submit = "met" if (s["latency_ms"]["p99"] or 1e9) <= 50 else "missed"
    target_sse = "met" if (sse["latency_ms"]["p99"] or 1e9) <= 100 else "missed"
    depth = r["queue_depth"]
    step = max(1, len(depth) // 24)
    lines = [
        "# Load bench: submissions, throughput, SSE fan-out (loopback)",
        "",
        f"- date: {r['date']}",
        f"- machine: {r['machine']['cpu']}, {r['machine']['nproc']} CPUs; python {r['machine']['python']}",
        f"- load average (1, 5, 15 min) before: {r['load_average_before']}, after: {r['load_average_after']} (shared machine)",
        f"- `uptime` before: {r['machine']['uptime']}; after: {r['uptime_after']}",
        f"- API: one uvicorn process pinned to CPU {setup['api_cpus']}; everything else "
        f"(this client, Redis, MongoDB = {setup['mongodb']}, {setup['workers']} Celery worker "
        f"processes of concurrency 1{', SCHED_IDLE' if setup['workers_sched_idle'] else ''}) "
        f"on CPU {setup['other_cpus']}",
        f"- jobs: {setup['plan']}, time limit {setup['time_limit_s']} s, 1 CP-SAT thread; "
        f"{setup['warmup_submissions']} unmeasured submissions at the same rate first",
        "",
        "## Submissions and jobs",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| jobs submitted (target rate) | {s['jobs']} ({s['target_rate_per_s']}/s) |",
        f"| achieved submission rate | {s['achieved_rate_per_s']}/s |",
        f"| accepted (202) / errors | {s['accepted']} / {s['errors'] or 0} |",
        f"| submit latency p50 / p90 / p99 / max | {s['latency_ms']['p50']} / {s['latency_ms']['p90']} / {s['latency_ms']['p99']} / {s['latency_ms']['max']} ms |",
        f"| target: submit p99 ≤ 50 ms | {target_submit} |",
        f"| server side (API histogram buckets): p50 / p90 / p99 ≤ | {sl['p50_at_most']} / {sl['p90_at_most']} / {sl['p99_at_most']} ms |",
        f"| client lag behind its schedule, p99 | {s['client_lateness_ms_p99']} ms |",
        "| submit latency p50 / p99 by second of sending | "
        + "; ".join(f"{b['second']}: {b['p50']} / {b['p99']} ms" for b in s["latency_ms_by_second"])
        + " |",
        "| CPU use while sending (1.0 = one CPU) | "
        + ", ".join(f"{k} {v}" for k, v in s["cpu_share_while_sending"].items())
        + " |",
        f"| jobs succeeded / failed / cancelled | {j['succeeded']} / {j['failed']} / {j['cancelled']} |",
        f"| throughput | {j['throughput_per_min']} plans/min (first submit to last finish: {j['span_s']} s) |",
        f"| end-to-end per job p50 / p99 | {j['end_to_end_s']['p50']} / {j['end_to_end_s']['p99']} s |",
        f"| queue wait p50 / p99 | {j['queue_wait_s']['p50']} / {j['queue_wait_s']['p99']} s |",
        f"| solve time p50 / p99 | {j['solve_s']['p50']} / {j['solve_s']['p99']} s |",
        f"| peak queue depth | {r['peak_queue_depth']} jobs |",
        f"| peak worker memory, all {setup['workers']} workers with pool children (RSS / PSS) | {mem['peak_rss_all_workers_mib']} / {mem['peak_pss_all_workers_mib']} MiB |",
        f"| peak RSS of one worker with its pool child | {mem['peak_rss_per_worker_mib']} MiB |",
        "",
        "Queue depth over time (every ~" + f"{SAMPLE_EVERY_S * step:g} s):",
        "",
        "| t (s) | queued | running | finished | broker queue |",
        "| ---: | ---: | ---: | ---: | ---: |",
        *[
            f"| {d['t']} | {d['queued']} | {d['running']} | {d['finished']} | {d['broker_queue']} |"
            for d in depth[::step]
        ],
        "",
        "## SSE fan-out",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| subscribers on one running job | {sse['subscribers']} ({sse['rounds']} jobs, one after the other) |",
        f"| all streams open after | {sse['all_connected_after_s']} s |",
        f"| events created after all were open | {sse['live_events']} ({sse['deliveries']} deliveries) |",
        f"| latency event creation → receipt p50 / p90 / p99 / max | {sse['latency_ms']['p50']} / {sse['latency_ms']['p90']} / {sse['latency_ms']['p99']} / {sse['latency_ms']['max']} ms |",
        f"| target: p99 ≤ 100 ms | {target_sse} |",
        f"| streams that did not reach the terminal event | {sse['incomplete_streams']} |",
        "",
        "## Notes",
        "",
        "- Submit latency: client side, from sending the request to reading the whole answer",
        "  (a minimal HTTP/1.1 client on keep-alive connections, bench/rawhttp.py). Server side:",
        "  the API's own histogram (`trainplan_http_request_duration_seconds`, /metrics); the",
        "  figures are bucket upper bounds.",
        "- Queue depth: from the job documents' timestamps after the run (no MongoDB queries",
        "  during it); broker queue: the Celery list in Redis, sampled live.",
        "- End-to-end: the job's `finished_at - created_at`. Throughput: jobs finished per",
        "  minute from the first submission to the last finish.",
        "- Worker memory: RSS summed over each worker's process tree (main process and pool",
        "  child); PSS counts the pages they share once.",
        "- SSE latency: receipt time minus the event's `at` (stamped by the worker), for every",
        "  subscriber and every event created after all subscribers were connected.",
        (
            "- MongoDB: SecantusDB, the project's development and test server, written in"
            " Python; run with `MONGODB_URL=...` for a real MongoDB."
            if setup["mongodb"].startswith("SecantusDB")
            else "- MongoDB: the server at `MONGODB_URL`."
        ),
        "- The machine is shared with other jobs: see the load averages above.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=300)
    parser.add_argument("--rate", type=float, default=100.0, help="submissions per second")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured submissions first")
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    parser.add_argument(
        "--workers-idle",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="run the workers under SCHED_IDLE (default; --no-workers-idle: plain priority)",
    )
    parser.add_argument("--time-limit", type=float, default=2.0, help="per short plan (s)")
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--sse-time-limit", type=float, default=15.0, help="a watched job (s)")
    parser.add_argument("--sse-rounds", type=int, default=3, help="watched jobs, one at a time")
    parser.add_argument("--api-cpu", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (
        1 <= args.jobs <= 2000
        and 0 < args.rate <= 500
        and 1 <= args.subscribers <= 1000
        and 1 <= args.sse_rounds <= 10
        and args.sse_time_limit <= 60
    ):
        parser.error(
            "bounded: --jobs ≤ 2000, --rate ≤ 500/s, --subscribers ≤ 1000, ≤ 10 rounds of ≤ 60 s"
        )
    result = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / "load.md").write_text(markdown(result))
    print(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
