"""Benchmark of the planning engine: marathon plans of growing length on 2 workers.

For each plan length it records the time to the first feasible plan, the time at which
a gap <= 1% was first proven (from the progress callback), the final gap and the total
solve time, then writes bench/results/engine.md (a markdown table) and engine.json.

    python -m bench.bench_engine [--weeks 8,12,16] [--time-limit S] [--workers N]
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.planning import Athlete, PlanRequest, Race, SolveProgress
from worker.engine import solve

RACE_DATE = date(2027, 10, 31)  # a Sunday: every plan is whole Monday-to-Sunday weeks
DEFAULT_WEEKS = (8, 12, 16, 20, 24, 36, 52)
TARGET_GAP = 0.01
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    weeks: int
    days: int
    status: str
    time_limit_s: float
    first_feasible_s: float | None
    gap_1pct_s: float | None  # None: not proven within the limit
    final_gap: float | None
    objective: float | None
    bound: float | None
    solve_s: float
    wall_s: float
    solutions: int


def default_limit(weeks: int) -> float:
    return 30.0 if weeks >= 36 else 10.0


def run_one(weeks: int, time_limit_s: float, workers: int) -> Row:
    start = RACE_DATE - timedelta(days=7 * weeks - 1)
    request = PlanRequest(
        races=[Race(date=RACE_DATE, distance="marathon")],
        start=start,
        athlete=Athlete(),
        time_limit_s=time_limit_s,
        gap_limit=0.0,  # run to optimality or the limit; we note when <= 1% was first seen
        workers=workers,
    )
    seen: list[SolveProgress] = []
    began = time.perf_counter()
    # Every improving solution, unthrottled, when the engine allows it: the 1% moment matters.
    extra: dict[str, Any] = {}
    if "throttle_s" in inspect.signature(solve).parameters:
        extra["throttle_s"] = 0.0
    result = solve(request, on_progress=seen.append, **extra)
    wall = time.perf_counter() - began

    first = result.first_solution_seconds
    if first is None and seen:
        first = seen[0].elapsed_s
    within = [p.elapsed_s for p in seen if p.gap <= TARGET_GAP]
    gap_1pct = min(within) if within else None
    if gap_1pct is None and result.gap is not None and result.gap <= TARGET_GAP:
        gap_1pct = result.solve_seconds  # proven by the final bound, after the last solution
    return Row(
        weeks=weeks,
        days=(RACE_DATE - start).days + 1,
        status=result.status,
        time_limit_s=time_limit_s,
        first_feasible_s=first,
        gap_1pct_s=gap_1pct,
        final_gap=result.gap,
        objective=result.objective,
        bound=result.bound,
        solve_s=result.solve_seconds,
        wall_s=wall,
        solutions=len(seen),
    )


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, object]:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu_model(),
        "cores": usable,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _secs(value: float | None, missing: str = "—") -> str:
    return missing if value is None else f"{value:.2f} s"


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def markdown(rows: list[Row], meta: dict[str, object]) -> str:
    lines = [
        "# Engine benchmark: marathon plans, default athlete profile",
        "",
        f"- date: {meta['date']}",
        f"- machine: {meta['cpu']}, {meta['cores']} cores; python {meta['python']}",
        f"- solver: CP-SAT, {meta['workers']} workers, gap_limit 0 (runs to optimality or the "
        f"limit); race {RACE_DATE.isoformat()}, start the Monday N weeks before",
        "- proven gap ≤ 1%: first improving solution reported with gap ≤ 1% (a bound that "
        "closes the gap without a new solution is seen only at the end of the solve)",
        "",
        "| weeks | days | status | first feasible | proven gap ≤ 1% | final gap "
        "| total solve | limit |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r.weeks} | {r.days} | {r.status} | {_secs(r.first_feasible_s)} "
            f"| {_secs(r.gap_1pct_s, 'not within limit')} | {_gap(r.final_gap)} "
            f"| {r.solve_s:.2f} s | {r.time_limit_s:g} s |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--weeks",
        type=lambda s: [int(w) for w in s.split(",") if w.strip()],
        default=list(DEFAULT_WEEKS),
        help="comma-separated plan lengths (default: %(default)s)",
    )
    parser.add_argument(
        "--time-limit", type=float, help="seconds per plan (default: 30 for >= 36 weeks, else 10)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows: list[Row] = []
    for weeks in args.weeks:
        limit = args.time_limit or default_limit(weeks)
        row = run_one(weeks, limit, args.workers)
        rows.append(row)
        print(
            f"{weeks:3d} weeks: {row.status:<10s} first {_secs(row.first_feasible_s)}, "
            f"gap<=1% {_secs(row.gap_1pct_s, 'not within limit')}, "
            f"final gap {_gap(row.final_gap)}, solve {row.solve_s:.2f} s",
            file=sys.stderr,
            flush=True,
        )
    meta: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "workers": args.workers,
        **machine(),
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "engine.md").write_text(markdown(rows, meta))
    payload = {**meta, "race_date": RACE_DATE.isoformat(), "rows": [asdict(r) for r in rows]}
    (args.out_dir / "engine.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(markdown(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
