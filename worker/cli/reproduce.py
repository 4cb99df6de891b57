"""`trainplan reproduce {cs358,trischedule}`: rebuild the seed systems inside the engine."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from shared.reproduce import (
    SPORTS,
    Cs358Request,
    Cs358Result,
    SolveStatus,
    TriRequest,
)

if TYPE_CHECKING:  # the solver modules load on use (the CLI starts fast)
    from worker.reproduce.trischedule import TriComparison


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "reproduce",
        help="reproduce a seed system's model (CS358 MIP, triathlon scheduler)",
        description="Rebuild an earlier system's model in the engine and solve it with CP-SAT.",
    )
    sub = parser.add_subparsers(dest="seed", metavar="SEED")
    sub.required = True

    cs = sub.add_parser("cs358", help="the CS358 investment-return MIP (exact formulation)")
    cs.add_argument("--days", type=int, required=True, help="plan length N")
    cs.add_argument("--rest-days", type=int, required=True, help="off days per 7-day window")
    cs.add_argument("--baseline", type=int, required=True, help="fitness on day 0")
    cs.add_argument("--races", type=int, default=None, help="K races (default: the seed rule)")
    cs.add_argument("--max-runs-per-day", type=int, default=1, choices=(1, 2))
    cs.add_argument("--time-limit", type=float, default=60.0, help="seconds")
    cs.add_argument("--workers", type=int, default=2)
    cs.add_argument("--json", action="store_true", help="print one JSON object")
    cs.set_defaults(func=run_cs358)

    tri = sub.add_parser(
        "trischedule",
        help="the triathlon season, at once and by the seed's week-by-week method",
    )
    tri.add_argument("--start", type=_date, required=True)
    tri.add_argument("--race-date", type=_date, required=True)
    tri.add_argument("--weekly-hours", type=float, required=True)
    tri.add_argument(
        "--time-limit",
        type=float,
        default=30.0,
        help="seconds for the whole-season solve; the seed's method gets as much, shared "
        "by its weeks (at least 1 s each)",
    )
    tri.add_argument("--workers", type=int, default=2)
    tri.add_argument("--json", action="store_true", help="print one JSON object")
    tri.set_defaults(func=run_trischedule)


def _invalid(exc: ValidationError) -> int:
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "request"
        print(f"trainplan reproduce: {where}: {err['msg']}", file=sys.stderr)
    return 2


class _Result(Protocol):
    """What `_run` reads of either seed's result."""

    @property
    def status(self) -> SolveStatus: ...


_RequestT = TypeVar("_RequestT", bound=BaseModel)
_ResultT = TypeVar("_ResultT", bound=_Result)


def _run(
    args: argparse.Namespace,
    request_type: type[_RequestT],
    options: tuple[str, ...],
    solve: Callable[[_RequestT], _ResultT],
    to_json: Callable[[_ResultT], dict[str, Any]],
    print_text: Callable[[_ResultT], None],
) -> int:
    """Build the request from the seed's `options` (named as its fields) and the shared
    --time-limit and --workers (exit 2 with the reasons), solve it, print the result."""
    try:
        req = request_type(
            **{name: getattr(args, name) for name in options},
            time_limit_s=args.time_limit,
            workers=args.workers,
        )
    except ValidationError as exc:
        return _invalid(exc)
    result = solve(req)
    if args.json:
        print(json.dumps(to_json(result)))
    else:
        print_text(result)
    return 0 if result.status in ("OPTIMAL", "FEASIBLE") else 2


def cs358_json(result: Cs358Result) -> dict[str, Any]:
    out = result.model_dump(mode="json", exclude={"request"})
    out["model"] = "investment"
    return out


def _print_cs358(result: Cs358Result) -> None:
    print(
        f"status {result.status}  f_N {result.objective}  bound {result.bound}  "
        f"{result.solve_seconds:.2f}s  races {result.race_days}  bonus {result.bonus_days}"
    )
    for d in result.days:
        kinds = [k for k in ("easy", "medium", "hard", "strength", "off") if getattr(d, k)]
        print(f"day {d.day:4d}  {'+'.join(kinds) or '-':20s} fitness {d.fitness:g}")


_CS358_OPTIONS = ("days", "rest_days", "baseline", "races", "max_runs_per_day")


def run_cs358(args: argparse.Namespace) -> int:
    from worker.reproduce.cs358 import solve_cs358

    return _run(args, Cs358Request, _CS358_OPTIONS, solve_cs358, cs358_json, _print_cs358)


def tri_json(result: TriComparison) -> dict[str, Any]:
    """Ours (the whole-season solve) with the seed's week-by-week method beside it."""
    out = result.ours.model_dump(mode="json")
    weekly = result.seed_method
    out["seed_method"] = {
        "method": "week by week, each week's fitness increase maximised (the seed's own)",
        "status": weekly.status,
        "final_fitness": {s: round(weekly.final_fitness[s], 3) for s in SPORTS},
        "total": round(sum(weekly.final_fitness.values()), 3),
        "solve_seconds": round(weekly.seconds, 3),
    }
    return out


def _print_trischedule(result: TriComparison) -> None:
    ours, weekly = result.ours, result.seed_method
    gap = "-" if ours.gap is None else f"{100 * ours.gap:.2f}%"
    print(f"status {ours.status}  objective {ours.objective}  bound {ours.bound}  gap {gap}")
    print(
        f"{'method':28s} " + " ".join(f"{s:>8s}" for s in SPORTS) + f" {'total':>8s} {'time':>9s}"
    )
    rows = [
        ("whole season (ours)", ours.final_fitness, f"{ours.solve_seconds:7.2f} s"),
        ("week by week (seed method)", weekly.final_fitness, f"{weekly.seconds:7.2f} s"),
        ("seed published (own consts)", ours.seed_final_fitness, f"{'-':>9s}"),
    ]
    for name, fit, time_s in rows:
        values = [fit.get(s, float("nan")) for s in SPORTS]
        cells = " ".join(f"{v:8.2f}" for v in values)
        print(f"{name:28s} {cells} {sum(values):8.2f} {time_s}")
    print(ours.comparison_note)
    for w in ours.weeks:
        line = " ".join(f"{s} {w.fitness[s]:7.2f}" for s in SPORTS)
        print(f"week {w.week_number:2d} {w.phase:5s} {w.hours:5.2f}/{w.hours_cap:5.2f} h  {line}")


_TRI_OPTIONS = ("start", "race_date", "weekly_hours")


def run_trischedule(args: argparse.Namespace) -> int:
    from worker.reproduce.trischedule import compare_trischedule

    return _run(args, TriRequest, _TRI_OPTIONS, compare_trischedule, tri_json, _print_trischedule)
