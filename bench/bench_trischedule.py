"""The triathlon seed: the whole-season model against the seed's week-by-week method.

Each instance (season length in weeks, weekly hours) is solved both ways on the same
parameters (`worker.reproduce.trischedule.compare_trischedule`): the seed's method first,
its plan then the hint of the whole-season model. Reported per method: final fitness per
sport and in total, the time (the seed's: every week's build and solve; ours: the solve
call), and for ours the status, the proven bound and the gap. Seasons start on 2025-01-31
(the seed's example) and end on race morning.

Usage: python -m bench.bench_trischedule [--limit SECONDS] [--out bench/results]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.reproduce import SPORTS, TriRequest
from worker.reproduce.trischedule import compare_trischedule

ROOT = Path(__file__).resolve().parent.parent
START = date(2025, 1, 31)
# (days to the race, weekly hours); 148 days / 5 h is the README's seed example
INSTANCES = [(148, 5.0), (70, 8.0), (112, 12.0)]


def run(days: int, hours: float, limit: float) -> dict[str, Any]:
    req = TriRequest(
        start=START,
        race_date=START + timedelta(days=days),
        weekly_hours=hours,
        time_limit_s=limit,
    )
    result = compare_trischedule(req)
    ours, seed = result.ours, result.seed_method
    return {
        "days": days,
        "weeks": len(ours.weeks),
        "weekly_hours": hours,
        "ours": {
            "status": ours.status,
            "final_fitness": ours.final_fitness,
            "total": round(sum(ours.final_fitness.values()), 3),
            "bound": ours.bound,
            "gap": ours.gap,
            "solve_seconds": round(ours.solve_seconds, 2),
        },
        "seed_method": {
            "status": seed.status,
            "final_fitness": {s: round(v, 3) for s, v in seed.final_fitness.items()},
            "total": round(sum(seed.final_fitness.values()), 3),
            "solve_seconds": round(seed.seconds, 2),
        },
    }


def markdown(rows: list[dict[str, Any]], header: str) -> str:
    lines = [
        "# Triathlon seed: whole season at once vs the seed's week-by-week method",
        "",
        header,
        "",
        "| season | method | swim | bike | run | total | time | status | gap |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
    ]
    for r in rows:
        name = f"{r['weeks']} weeks, {r['weekly_hours']:g} h"
        for label, key in (("whole season (ours)", "ours"), ("week by week (seed)", "seed_method")):
            side = r[key]
            fit = " | ".join(f"{side['final_fitness'][s]:.2f}" for s in SPORTS)
            gap = f"{100 * side['gap']:.1f}%" if side.get("gap") is not None else "-"
            lines.append(
                f"| {name} | {label} | {fit} | {side['total']:.2f} | "
                f"{side['solve_seconds']:.1f} s | {side['status']} | {gap} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=float, default=60.0, help="seconds for our solve")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = ap.parse_args()
    before = os.getloadavg()[0]
    began = time.perf_counter()
    rows = [run(days, hours, args.limit) for days, hours in INSTANCES]
    after = os.getloadavg()[0]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"{stamp} on {platform.node() or 'host'} {platform.machine()} {os.cpu_count()} cores, "
        f"CPython {platform.python_version()}; 1-min load average before/after "
        f"[{before:.2f}, {after:.2f}] (the 2 cores were shared with other work: times are "
        f"noisy). Our solve: {args.limit:g} s limit, 2 workers; the seed's method: the same "
        f"time shared by its weeks (at least 1 s each), every week with 2 workers. "
        f"Default parameters (`TriParameters`). Whole run {time.perf_counter() - began:.0f} s."
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "trischedule.md").write_text(markdown(rows, header))
    (args.out / "trischedule.json").write_text(json.dumps(rows, indent=1) + "\n")
    print(markdown(rows, header))


if __name__ == "__main__":
    main()
