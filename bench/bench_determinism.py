"""What repeatable plans cost: the deterministic search (a seed) against the free portfolio.

For a 20-week marathon and a 12-week half (default athlete, 2 workers, gap_limit 0 so each
search runs to its limit) it solves, in the same run and alternating, the request with
`seed=0` (interleaved search on a deterministic budget) and with `seed=None` (the free
portfolio), `--repeats` times each. Per solve: time to the first plan, time to a proven
gap <= 1%, final gap, objective, wall time, the deterministic time spent, and a digest of
the plan (dates, session codes, loads) so repeats can be compared. Writes
bench/results/determinism.md and determinism.json.

    python -m bench.bench_determinism [--time-limit S] [--repeats N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bench.bench_engine import machine
from shared.planning import WALL_BACKSTOP, Distance, PlanRequest, Race, SolveProgress
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import OBJECTIVE_SCALE, build_model
from worker.engine.parameters import DTIME_PER_SECOND
from worker.engine.progress import relative_gap
from worker.engine.solve import chosen_sessions, lay_out_days, search
from worker.engine.validation import schema_for

RACE_DATE = date(2027, 10, 31)  # a Sunday
PROFILES: tuple[tuple[Distance, int], ...] = (("marathon", 20), ("half", 12))
TARGET_GAP = 0.01
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Run:
    distance: str
    weeks: int
    mode: str  # "deterministic" (seed 0) or "free" (no seed)
    repeat: int
    status: str
    first_plan_s: float | None
    gap_1pct_s: float | None
    final_gap: float | None
    objective: float | None
    wall_s: float
    dtime: float
    dtime_budget: float | None
    digest: str


def request_for(
    distance: Distance, weeks: int, time_limit_s: float, seed: int | None
) -> PlanRequest:
    return PlanRequest(
        races=[Race(date=RACE_DATE, distance=distance)],
        start=RACE_DATE - timedelta(days=7 * weeks - 1),
        time_limit_s=time_limit_s,
        gap_limit=0.0,
        workers=2,
        seed=seed,
    )


def run_one(
    distance: Distance, weeks: int, time_limit_s: float, seed: int | None, repeat: int
) -> Run:
    request = request_for(distance, weeks, time_limit_s, seed)
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    seen: list[SolveProgress] = []
    began = time.perf_counter()
    pm = build_model(request, schema, calendar)
    add_heuristic_hint(pm)
    outcome = search(pm, seen.append, throttle_s=0.0, started=began)
    wall = time.perf_counter() - began
    solver = outcome.solver
    objective = gap = None
    digest = ""
    within = [p.elapsed_s for p in seen if p.gap <= TARGET_GAP]
    if outcome.found:
        objective = solver.objective_value / OBJECTIVE_SCALE
        gap = relative_gap(objective, solver.best_objective_bound / OBJECTIVE_SCALE)
        days = lay_out_days(pm, chosen_sessions(pm, solver))
        text = "|".join(f"{d.date}:{d.session_code}:{d.load}" for d in days)
        digest = hashlib.sha256(text.encode()).hexdigest()[:12]
        if not within and gap <= TARGET_GAP:
            within = [outcome.seconds]  # proven by the final bound, after the last solution
    return Run(
        distance=distance,
        weeks=weeks,
        mode="deterministic" if seed is not None else "free",
        repeat=repeat,
        status=outcome.status,
        first_plan_s=outcome.first_solution_s,
        gap_1pct_s=min(within) if within else None,
        final_gap=gap,
        objective=round(objective, 4) if objective is not None else None,
        wall_s=round(wall, 3),
        dtime=round(solver.response_proto.deterministic_time, 3),
        dtime_budget=time_limit_s * DTIME_PER_SECOND if seed is not None else None,
        digest=digest,
    )


def _secs(value: float | None) -> str:
    return "not within limit" if value is None else f"{value:.2f} s"


def _gap(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def markdown(runs: list[Run], meta: dict[str, object]) -> str:
    lines = [
        "# Repeatable plans: deterministic search (seed 0) against the free portfolio",
        "",
        f"- date: {meta['date']}; load average before {meta['load_before']}, "
        f"after {meta['load_after']}",
        f"- machine: {meta['cpu']}, {meta['cores']} cores; python {meta['python']}",
        f"- CP-SAT, 2 workers, gap_limit 0, time_limit_s {meta['time_limit_s']:g}: the "
        f"deterministic search stops at {DTIME_PER_SECOND:g} × time_limit_s units of "
        f"deterministic time (wall backstop {WALL_BACKSTOP:g} × time_limit_s), the free one at "
        "time_limit_s; modes alternate within the run",
        "- proven gap ≤ 1%: first improving solution reported with gap ≤ 1% (or the final "
        "bound); plan digest: sha256 of every day's date, session code and load",
        "",
        "| plan | mode | run | first plan | proven gap ≤ 1% | final gap | objective "
        "| wall | dtime | plan digest |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in runs:
        lines.append(
            f"| {r.weeks}-week {r.distance} | {r.mode} | {r.repeat} "
            f"| {_secs(r.first_plan_s)} | {_secs(r.gap_1pct_s)} | {_gap(r.final_gap)} "
            f"| {r.objective} | {r.wall_s:.2f} s | {r.dtime:.2f} | `{r.digest}` |"
        )
    lines += ["", "Repeats of the deterministic search give the same plan:"]
    for distance, weeks in PROFILES:
        digests = {r.digest for r in runs if r.weeks == weeks and r.mode == "deterministic"}
        free = {r.digest for r in runs if r.weeks == weeks and r.mode == "free"}
        lines.append(
            f"- {weeks}-week {distance}: deterministic {len(digests)} distinct plan(s), "
            f"free {len(free)} distinct plan(s)"
        )
    return "\n".join(lines) + "\n"


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    before = load_average()
    runs: list[Run] = []
    for distance, weeks in PROFILES:
        for repeat in range(1, args.repeats + 1):
            for seed in (0, None):
                run = run_one(distance, weeks, args.time_limit, seed, repeat)
                runs.append(run)
                print(
                    f"{weeks}-week {distance} {run.mode:<13s} #{repeat}: first "
                    f"{_secs(run.first_plan_s)}, gap<=1% {_secs(run.gap_1pct_s)}, final "
                    f"{_gap(run.final_gap)}, wall {run.wall_s:.2f} s, dtime {run.dtime:.2f}, "
                    f"plan {run.digest}",
                    file=sys.stderr,
                    flush=True,
                )
    meta: dict[str, object] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": before,
        "load_after": load_average(),
        "time_limit_s": args.time_limit,
        **machine(),
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "determinism.md").write_text(markdown(runs, meta))
    payload = {**meta, "runs": [asdict(r) for r in runs]}
    (args.out_dir / "determinism.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(markdown(runs, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
