"""Throughput of the whole stack with 1 and 2 Celery worker processes on this machine.

The real stack (uvicorn API, Celery workers, a private redis-server, a SecantusDB server):
for each worker count a batch of jobs is submitted at once and the clock runs until the
last one finishes. Two kinds of job: short plans (3-week 5k, the service tests' plan) and
a runner's real plan (12-week half marathon). A solve ends at its gap limit or its time
limit, whichever comes first: when it is the time limit, a second process on the same
cores adds plans per minute and costs gap, not time. Recorded per run: jobs
per minute, worker CPU seconds per job, the final gaps, and the workers' peak memory (PSS,
their pool children included). Writes bench/results/scaling.md and scaling.json.

    python -m bench.bench_scaling [--short 40] [--long 12] [--time-limit 10]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.bench_load import (
    MAX_DRAIN_S,
    cpu_seconds,
    machine,
    memory_kb,
    process_tree,
    secantus_server,
    wait_until_finished,
)
from shared.names import JOBS
from tests.service.helpers import short_plan
from tests.service.stack import Stack
from worker.cli.stack import private_redis

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Run:
    kind: str
    workers: int
    jobs: int
    succeeded: int
    wall_s: float
    jobs_per_min: float
    cpu_s_per_job: float
    median_gap: float | None
    max_gap: float | None
    peak_pss_mib_per_worker: float


def _peak_memory(pids: list[int], stop: threading.Event, peak: list[float]) -> None:
    while not stop.wait(0.5):
        total = sum(memory_kb(p)[1] for w in pids for p in process_tree(w))
        peak[0] = max(peak[0], total / 1024)


def run_batch(kind: str, workers: int, bodies: list[dict[str, Any]], time_limit: float) -> Run:
    with contextlib.ExitStack() as resources:
        redis_url = resources.enter_context(private_redis())
        mongodb_url, _ = resources.enter_context(secantus_server(set(range(os.cpu_count() or 1))))
        tmp = Path(resources.enter_context(tempfile.TemporaryDirectory(prefix="bench-scaling-")))
        stack = Stack(tmp, redis_url, mongodb_url)
        stack.env.update({"SOLVER_TIME_LIMIT_S": str(time_limit)})
        resources.callback(stack.stop)
        stack.start_api()
        names = [f"w{i}" for i in range(1, workers + 1)]
        for name in names:
            stack.start_worker(name)
        pids = [stack.procs[n].pid for n in names]
        headers = {"X-API-Key": stack.api_key}
        with httpx.Client(base_url=stack.base_url, headers=headers, timeout=30) as client:
            runner = client.post("/runners", json={"name": "Scaling", "ctl": 45, "atl": 40})
            runner.raise_for_status()
            route = f"/runners/{runner.json()['id']}/training-plans/generate"
            # One job first, unmeasured: imports and first solve of each process.
            client.post(route, json=short_plan(3)).raise_for_status()
            wait_until_finished(stack, MAX_DRAIN_S)
            cpu_0 = sum(cpu_seconds(p) for w in pids for p in process_tree(w))
            stop, peak = threading.Event(), [0.0]
            sampler = threading.Thread(target=_peak_memory, args=(pids, stop, peak))
            sampler.start()
            t0 = time.monotonic()
            ids = []
            for body in bodies:
                response = client.post(route, json=body)
                response.raise_for_status()
                ids.append(response.json()["job_id"])
            wait_until_finished(stack, MAX_DRAIN_S)
            wall = time.monotonic() - t0
            cpu = sum(cpu_seconds(p) for w in pids for p in process_tree(w)) - cpu_0
            stop.set()
            sampler.join()
        docs = list(stack.db[JOBS].find({"_id": {"$in": ids}}))
    gaps = [
        d["result"]["gap"]
        for d in docs
        if d.get("state") == "succeeded" and (d.get("result") or {}).get("gap") is not None
    ]
    return Run(
        kind=kind,
        workers=workers,
        jobs=len(bodies),
        succeeded=sum(1 for d in docs if d.get("state") == "succeeded"),
        wall_s=round(wall, 2),
        jobs_per_min=round(len(bodies) / wall * 60, 1),
        cpu_s_per_job=round(cpu / len(bodies), 2),
        median_gap=round(statistics.median(gaps), 5) if gaps else None,
        max_gap=round(max(gaps), 5) if gaps else None,
        peak_pss_mib_per_worker=round(peak[0] / workers, 1),
    )


def markdown(runs: list[Run], meta: dict[str, Any]) -> str:
    lines = [
        "# Scaling across worker processes",
        "",
        f"- date: {meta['date']}; machine: {meta['cpu']}, {meta['nproc']} cores; "
        f"load average before {meta['load_before']}, after {meta['load_after']}",
        "- each worker process runs one solve at a time with 2 CP-SAT threads (the "
        "defaults); every job of a batch is submitted at once",
        f"- short: 3-week 5k plans; real: 12-week half-marathon plans, time limit "
        f"{meta['time_limit_s']:g} s, gap limit 0.5%",
        "",
        "| jobs | worker processes | count | succeeded | wall | jobs/min | worker CPU per job "
        "| median gap | max gap | peak memory per worker |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        gap = "—" if r.median_gap is None else f"{r.median_gap * 100:.2f}%"
        worst = "—" if r.max_gap is None else f"{r.max_gap * 100:.2f}%"
        lines.append(
            f"| {r.kind} | {r.workers} | {r.jobs} | {r.succeeded} | {r.wall_s:.1f} s "
            f"| {r.jobs_per_min:.1f} | {r.cpu_s_per_job:.2f} s | {gap} | {worst} "
            f"| {r.peak_pss_mib_per_worker:.0f} MiB |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--short", type=int, default=40, help="short jobs per batch")
    parser.add_argument("--long", type=int, default=12, help="real plans per batch")
    parser.add_argument("--time-limit", type=float, default=10.0, help="per real plan (s)")
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not (1 <= args.short <= 500 and 1 <= args.long <= 100 and 0 < args.time_limit <= 60):
        parser.error("bounded: --short ≤ 500, --long ≤ 100, --time-limit ≤ 60 s")
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    real = {
        **short_plan(12, schema_id="builtin-half"),
        "time_limit_s": args.time_limit,
    }
    runs = []
    for workers in (1, 2):
        runs.append(run_batch("short", workers, [short_plan(3)] * args.short, args.time_limit))
        runs.append(run_batch("real", workers, [real] * args.long, args.time_limit))
        print(runs[-2], runs[-1], sep="\n", file=sys.stderr, flush=True)
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "time_limit_s": args.time_limit,
        **machine(),
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "scaling.md").write_text(markdown(runs, meta))
    (args.out_dir / "scaling.json").write_text(
        json.dumps({**meta, "runs": [asdict(r) for r in runs]}, indent=2) + "\n"
    )
    print(markdown(runs, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
