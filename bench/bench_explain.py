"""How long an infeasible request takes to answer, explanation included.

Solves a few infeasible requests (too few hours, too many rest days, too much fatigue,
blocked weekdays, an unreachable race-day fitness, at 10 to 36 weeks) through the engine's
`solve` and records the wall time of the whole call, the search's own time
(`solve_seconds`: model and proof of infeasibility) and the explanation's share (the
rest), with the sentences given; then the explanation by search alone (the arithmetic
precheck left out), timed on its own. Writes
bench/results/explain-<label>.md and .json (`--label`, default "current").

    python -m bench.bench_explain [--label before|after] [--repeats N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bench_engine import machine
from shared.planning import Athlete, Distance, PlanRequest, Race
from worker.engine import solve
from worker.engine.calendar import build_calendar
from worker.engine.explain import conflicting_groups
from worker.engine.validation import schema_for

RACE_DATE = date(2027, 10, 31)  # a Sunday
RESULTS = Path(__file__).resolve().parent / "results"

# (name, distance, weeks, athlete overrides, goal race overrides)
CASES: tuple[tuple[str, Distance, int, dict[str, Any], dict[str, Any]], ...] = (
    ("2 h/week, marathon", "marathon", 16, {"weekly_hours": 2}, {}),
    ("ATL 110, 10k", "10k", 10, {"ctl": 40, "atl": 110}, {}),
    ("5 rest days, half", "half", 10, {"rest_days": 5}, {}),
    ("2 h/week, marathon", "marathon", 36, {"weekly_hours": 2}, {}),
    ("5 rest days, marathon", "marathon", 36, {"rest_days": 5}, {}),
    ("ATL 110, half", "half", 36, {"ctl": 40, "atl": 110}, {}),
    ("weekends only, half", "half", 12, {"availability_min": [0] * 5 + [None] * 2}, {}),
    ("45 min a day, marathon", "marathon", 36, {"availability_min": [45] * 7}, {}),
    ("CTL 90 on race day, 10k", "10k", 10, {}, {"fitness_floor": 90}),
    ("CTL 120 on race day, marathon", "marathon", 36, {}, {"fitness_floor": 120}),
    ("4 rest days, half", "half", 16, {"rest_days": 4}, {}),
    ("4 rest days, marathon", "marathon", 36, {"rest_days": 4}, {}),
)


@dataclass
class Row:
    case: str
    weeks: int
    status: str
    wall_s: float
    search_s: float
    explain_s: float
    conflicts: list[str]
    search_path_s: float  # the explanation by search alone, the arithmetic left out
    search_path: list[str] | None  # its families


def run_one(
    name: str, distance: Distance, weeks: int, athlete: dict[str, Any], race: dict[str, Any]
) -> Row:
    request = PlanRequest(
        races=[Race(date=RACE_DATE, distance=distance, **race)],
        start=RACE_DATE - timedelta(days=7 * weeks - 1),
        athlete=Athlete(**athlete),
        time_limit_s=10.0,
    )
    began = time.perf_counter()
    result = solve(request)
    wall = time.perf_counter() - began
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    began = time.perf_counter()
    by_search = conflicting_groups(request, schema, calendar)
    search_path_s = time.perf_counter() - began
    return Row(
        case=name,
        weeks=weeks,
        status=result.status,
        wall_s=round(wall, 3),
        search_s=result.solve_seconds,
        explain_s=round(wall - result.solve_seconds, 3),
        conflicts=result.conflicts,
        search_path_s=round(search_path_s, 3),
        search_path=by_search,
    )


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def markdown(rows: list[Row], meta: dict[str, object]) -> str:
    lines = [
        f"# Infeasible requests: time to the explanation ({meta['label']})",
        "",
        f"- date: {meta['date']}; load average before {meta['load_before']}, "
        f"after {meta['load_after']}",
        f"- machine: {meta['cpu']}, {meta['cores']} cores; python {meta['python']}",
        "- `solve` with the default request settings (2 workers, time_limit_s 10); wall: the "
        "whole call; search: its `solve_seconds`; explanation: the rest. By search alone: "
        "the explanation's search (`conflicting_groups`) timed on its own, the arithmetic "
        "precheck left out (what a request no sum explains would take)",
        "",
        "| request | weeks | status | wall | search | explanation | by search alone "
        "| its families | conflicts |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for r in rows:
        text = " / ".join(r.conflicts).replace("|", "\\|")
        families = "could not narrow" if r.search_path is None else ", ".join(r.search_path)
        lines.append(
            f"| {r.case} | {r.weeks} | {r.status} | {r.wall_s:.2f} s | {r.search_s:.2f} s "
            f"| {r.explain_s:.2f} s | {r.search_path_s:.2f} s | {families} | {text} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--label", default="current")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--out-dir", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    before = load_average()
    rows: list[Row] = []
    for _ in range(args.repeats):
        for name, distance, weeks, athlete, race in CASES:
            row = run_one(name, distance, weeks, athlete, race)
            rows.append(row)
            print(
                f"{name} ({weeks} weeks): {row.status}, wall {row.wall_s:.2f} s "
                f"(explanation {row.explain_s:.2f} s): {row.conflicts}",
                file=sys.stderr,
                flush=True,
            )
    meta: dict[str, object] = {
        "label": args.label,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_before": before,
        "load_after": load_average(),
        **machine(),
    }
    args.out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"explain-{args.label}"
    (args.out_dir / f"{stem}.md").write_text(markdown(rows, meta))
    payload = {**meta, "rows": [asdict(r) for r in rows]}
    (args.out_dir / f"{stem}.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(markdown(rows, meta))
    return 0


if __name__ == "__main__":
    sys.exit(main())
