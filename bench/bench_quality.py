"""Plan quality as a coach reads it, over varied runners: the coach-grade model against the
model before its families (docs/COACH_RULES.md), same request, same time limit.

For each profile and model: the longest stretch without a run, the taper's run-day ratio
(final 14 days over the 14 before), race-week runs, the largest acute:chronic ratio and
Foster monotony, the long-run progression (first, longest, weeks before the race of the
longest), quality days per week by phase, race-morning performance (CTL - 0.5 ATL) and the
solve figures. Writes bench/results/quality.md and quality.json.

    python -m bench.bench_quality [--time-limit S] [--only NAME,NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from shared.planning import Athlete, PlanDay, PlanRequest, Race
from shared.response import Response, simulate
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import build_model
from worker.engine.model.registry import FAMILIES
from worker.engine.solve import chosen_sessions, lay_out_days, search
from worker.engine.validation import schema_for

RESULTS = Path(__file__).resolve().parent / "results"
RACE = date(2027, 10, 31)  # a Sunday
# The user-facing families of the model before the coach-grade ones.
CLASSIC = frozenset(
    f.name for f in FAMILIES if f.user_facing and f.name in {
        "availability", "weekly_hours", "rest_days", "min_runs", "long_run", "intensity_mix",
        "no_back_to_back", "strength_spacing", "variety", "ctl_ramp", "tsb_floor",
        "recovery_weeks", "taper", "race_form", "race_fitness", "b_race_taper",
    }
)  # fmt: skip


def _request(distance: str, weeks: int, **athlete: Any) -> PlanRequest:
    races = athlete.pop("races", [])
    return PlanRequest(
        races=[Race(date=RACE, distance=distance), *races],  # type: ignore[arg-type]
        start=RACE - timedelta(days=7 * weeks - 1),
        athlete=Athlete(**athlete),
    )


PROFILES: dict[str, PlanRequest] = {
    "marathon 18 w, default": _request("marathon", 18),
    "half 12 w, default": _request("half", 12),
    "10k 9 w, default": _request("10k", 9),
    "5k 8 w, default": _request("5k", 8),
    "5k 10 w, beginner CTL 15, 4 h": _request("5k", 10, ctl=15, atl=12, weekly_hours=4),
    "marathon 16 w, CTL 25, 5 h": _request("marathon", 16, ctl=25, atl=25, weekly_hours=5),
    "half 12 w, CTL 55, 9 h, doubles, 2 rest": _request(
        "half", 12, ctl=55, atl=50, weekly_hours=9, doubles=True, rest_days=2
    ),
    "10k 10 w, weekdays 45-60 min, dates off": _request(
        "10k",
        10,
        weekly_hours=5,
        availability_min=[0, 60, 45, 60, None, 0, None],
        unavailable_dates=[RACE - timedelta(days=30), RACE - timedelta(days=29)],
        long_run_day=5,
    ),
    "marathon 20 w, CTL 70, 12 h": _request("marathon", 20, ctl=70, atl=70, weekly_hours=12),
    "marathon 18 w, B half 6 w out, weekdays": _request(
        "marathon",
        18,
        ctl=45,
        atl=40,
        weekly_hours=7,
        availability_min=[60, 60, 0, 60, 45, None, 150],
        races=[Race(date=RACE - timedelta(weeks=6), distance="half", priority="B")],
    ),
    "half 14 w, 6 h, 2 rest, 3 days away": _request(
        "half",
        14,
        ctl=35,
        atl=35,
        weekly_hours=6,
        rest_days=2,
        unavailable_dates=[RACE - timedelta(days=50 + k) for k in range(3)],
    ),
}


@dataclass
class Row:
    profile: str
    model: str
    status: str
    first_s: float | None
    solve_s: float
    gap: float | None
    performance: float | None  # CTL - 0.5 ATL on race morning
    max_days_without_run: int
    taper_run_day_ratio: float | None
    race_week_runs: int
    max_acwr: float
    max_monotony: float
    long_first: int
    long_peak: int
    long_peak_weeks_out: int
    quality_per_week: dict[str, float]


def solve_with(request: PlanRequest, families: frozenset[str] | None) -> tuple[Any, list[PlanDay]]:
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    t0 = time.perf_counter()
    pm = build_model(request, schema, calendar, families=families)
    add_heuristic_hint(pm)
    outcome = search(pm, started=t0)
    days = lay_out_days(pm, chosen_sessions(pm, outcome.solver)) if outcome.found else []
    return outcome, days


def measure(name: str, model: str, request: PlanRequest, outcome: Any, days: list[PlanDay]) -> Row:
    by_date: dict[date, list[PlanDay]] = defaultdict(list)
    for d in days:
        by_date[d.date].append(d)
    dates = sorted(by_date)
    run = [any(p.intensity != "rest" and p.sport == "run" for p in by_date[t]) for t in dates]
    loads = [float(sum(p.load for p in by_date[t])) for t in dates]
    n, r = len(dates), len(dates) - 1
    longest = gap = 0
    for ran in run[:r]:
        gap = 0 if ran else gap + 1
        longest = max(longest, gap)
    ratio = None
    if r >= 28:
        before = sum(run[r - 28 : r - 14])
        ratio = round(sum(run[r - 14 : r]) / before, 2) if before else None
    ctl = request.athlete.ctl
    padded = [ctl] * 28 + [
        0.0 if by_date[t][0].intensity == "race" else x for t, x in zip(dates, loads, strict=True)
    ]
    acwr = max(
        (sum(padded[i + 22 : i + 29]) / 7) / (sum(padded[i + 1 : i + 29]) / 28) for i in range(r)
    )
    monotony = 0.0
    for k in range(0, n - 6, 7):
        week = loads[k : k + 7]
        sd = statistics.pstdev(week)
        monotony = max(monotony, statistics.mean(week) / sd if sd else 0.0)
    monday = dates[0] - timedelta(days=dates[0].weekday())
    weeks: dict[int, list[date]] = defaultdict(list)
    for t in dates:
        weeks[(t - monday).days // 7].append(t)
    last = max(weeks)
    long_by_week = {
        w: sum(p.duration_min for t in ts for p in by_date[t] if p.session_type == "Long run")
        for w, ts in weeks.items()
    }
    longs = [m for _, m in sorted(long_by_week.items()) if m]
    peak_week = max(long_by_week, key=lambda w: (long_by_week[w], -w))
    quality: dict[str, list[int]] = defaultdict(list)
    for ts in weeks.values():
        if len(ts) < 7:
            continue
        phases = {by_date[t][0].phase for t in ts}
        phase = "taper" if phases & {"taper", "race"} else phases.pop()
        count = sum(1 for t in ts if any(p.intensity in ("moderate", "hard") for p in by_date[t]))
        quality[phase].append(count)
    states = simulate(loads, _response(request))
    performance = round(states[-2].ctl - request.rules.fatigue_weight * states[-2].atl, 2)
    return Row(
        profile=name,
        model=model,
        status=outcome.status,
        first_s=round(outcome.first_solution_s, 2) if outcome.first_solution_s else None,
        solve_s=round(outcome.seconds, 2),
        gap=round(_gap(outcome), 4) if outcome.found else None,
        performance=performance,
        max_days_without_run=longest,
        taper_run_day_ratio=ratio,
        race_week_runs=sum(run[max(0, r - 6) : r]),
        max_acwr=round(acwr, 2),
        max_monotony=round(monotony, 2),
        long_first=longs[0] if longs else 0,
        long_peak=max(longs, default=0),
        long_peak_weeks_out=last - peak_week,
        quality_per_week={p: round(statistics.mean(c), 1) for p, c in sorted(quality.items())},
    )


def _response(request: PlanRequest) -> Response:
    r = request.rules
    return Response(request.athlete.ctl, request.athlete.atl, r.ctl_tau_days, r.atl_tau_days)


def _gap(outcome: Any) -> float:
    obj, bound = outcome.solver.objective_value, outcome.solver.best_objective_bound
    return (bound - obj) / abs(obj) if obj else 0.0


def render(rows: list[Row], meta: dict[str, Any]) -> str:
    head = (
        "| profile | model | status | first plan s | gap | race-morning CTL-0.5ATL | change |"
        " max days without a run | taper run-day ratio | race-week runs | max ACWR |"
        " max monotony | long run first/peak min (weeks out) | quality days/week by phase |"
    )
    out = [
        "# Plan quality: coach-grade model against the model before it",
        "",
        f"Measured {meta['date']} on {meta['machine']}, load average {meta['load_before']} before"
        f" and {meta['load_after']} after; {meta['time_limit_s']:g} s per solve, 2 workers,"
        " the default free search. `python -m bench.bench_quality`. Taper run-day ratio: run"
        " days in the last 14 days over the 14 before (blocked days not counted); long run"
        " peak: the week it is first reached; quality days: mean over the full weeks of"
        " each phase, recovery weeks included.",
        "",
        head,
        "|" + "---|" * 14,
    ]
    classic = {r.profile: r for r in rows if r.model == "before"}
    for row in rows:
        base = classic.get(row.profile)
        change = ""
        if row.model == "coach" and base and base.performance and row.performance:
            change = f"{(row.performance - base.performance) / base.performance:+.1%}"
        quality = ", ".join(f"{p} {c:g}" for p, c in row.quality_per_week.items())
        out.append(
            f"| {row.profile} | {row.model} | {row.status} | {row.first_s} | "
            f"{'' if row.gap is None else f'{row.gap:.2%}'} | {row.performance} | {change} | "
            f"{row.max_days_without_run} | {row.taper_run_day_ratio} | {row.race_week_runs} | "
            f"{row.max_acwr} | {row.max_monotony} | {row.long_first}/{row.long_peak} "
            f"({row.long_peak_weeks_out}) | {quality} |"
        )
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    load_before = os.getloadavg()
    rows: list[Row] = []
    for name, request in PROFILES.items():
        if only and name not in only:
            continue
        request = request.model_copy(update={"time_limit_s": args.time_limit, "gap_limit": 0.005})
        for model, families in (("coach", None), ("before", CLASSIC)):
            outcome, days = solve_with(request, families)
            if not days:
                print(f"{name} [{model}]: {outcome.status}")
                continue
            rows.append(measure(name, model, request, outcome, days))
            print(rows[-1])
    meta = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": " ".join(f"{x:.2f}" for x in load_before),
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "time_limit_s": args.time_limit,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "quality.md").write_text(render(rows, meta))
    (RESULTS / "quality.json").write_text(
        json.dumps({"meta": meta, "rows": [asdict(r) for r in rows]}, indent=2)
    )


if __name__ == "__main__":
    main()
