"""`trainplan replan`: re-plan a saved plan from a date, in-process, warm-started.

    trainplan replan PLAN.json --from D [--done ACTIVITIES.csv|DIR] [--unavailable D,...]
        [--weekly-hours H] [--race-date D] --format json|table|csv|ics [--out FILE]

PLAN.json is the output of `trainplan plan --format json` (or of an earlier replan).
ACTIVITIES.csv lists what was done, one activity a line, with a header: `date` and
`duration_min` are required; `load`, or `avg_pace` (m:ss or seconds per km, with
--threshold-pace) or `avg_hr` (with --threshold-hr) gives the load; `sport`, `intensity`,
`kind`, `session_code`, `name` are optional. --done may also be a folder of FIT, GPX and
TCX files from a watch (and CSVs): each file is one activity, its load from power (with
--ftp; not for runs), else heart rate (--threshold-hr), else pace (--threshold-pace).
From --done-since (default: the plan's start) to the day before --from, a day without an
activity counts as not trained.
Exit codes as `trainplan plan`.
"""

from __future__ import annotations

import argparse
import csv
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.activity_files import summarise
from shared.activity_files.load import FTP_KEY, HR_KEY, PACE_KEY
from shared.exports.registry import PLAN_FORMATS
from shared.exports.table import render_table
from shared.planning import Race, SolveProgress
from shared.replanning import (
    STRENGTH_SPORTS,
    DoneActivity,
    LoadInputError,
    ReplanRequest,
    ReplanResult,
    derive_load,
)
from shared.submission import describe
from shared.zone_intensity import zone_intensity
from shared.zones import Zones
from worker.cli.plan import (
    _date_list,
    _fail,
    _iso_date,
    deliver,
    solve_in_cli,
)
from worker.cli.planfile import PlanFileError, read_plan_file, render_with_request

COMMAND = "replan"


def _pace(text: str) -> float:
    """Seconds per km from `m:ss` or a number of seconds."""
    text = text.strip()
    try:
        if ":" in text:
            minutes, seconds = text.split(":", 1)
            return int(minutes) * 60 + float(seconds)
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a pace (m:ss per km)") from None


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        COMMAND,
        help="re-plan a saved plan from a date (what was done, new limits), in-process",
        description="Keep the days before --from (as planned, or as done), solve the rest "
        "again from the fitness they leave, warm-started from the saved plan.",
        epilog="exit codes: 0 plan found, 1 bad input, 2 infeasible (conflicts listed), "
        "3 no plan found within the time limit, 70 internal error (TRAINPLAN_DEBUG=1 for details)",
    )
    p.add_argument("plan", type=Path, metavar="PLAN.json", help="output of `trainplan plan`")
    p.add_argument(
        "--from",
        dest="effective",
        type=_iso_date,
        required=True,
        metavar="D",
        help="first day to plan again (YYYY-MM-DD)",
    )
    p.add_argument(
        "--done",
        type=Path,
        metavar="ACTIVITIES.csv|DIR",
        help="what was done: a CSV, or a folder of FIT/GPX/TCX files (and CSVs)",
    )
    p.add_argument("--done-since", type=_iso_date, metavar="D", help="the record starts here")
    p.add_argument("--threshold-pace", type=_pace, metavar="M:SS", help="per km, for avg_pace")
    p.add_argument("--threshold-hr", type=float, metavar="BPM", help="for avg_hr, HR streams")
    p.add_argument("--ftp", type=float, metavar="W", help="for power in activity files")
    p.add_argument(
        "--unavailable", type=_date_list, metavar="D,D,...", help="new dates with no training"
    )
    p.add_argument("--weekly-hours", type=float, metavar="H", help="new weekly training cap")
    p.add_argument("--race-date", type=_iso_date, metavar="D", help="the goal race moved here")
    p.add_argument("--change-penalty", type=float, metavar="X", help="cost of a changed day")
    p.add_argument("--no-hint", action="store_true", help="do not warm-start from the plan")
    p.add_argument("--time-limit", type=float, metavar="S", help="solver time limit (s)")
    p.add_argument("--gap-limit", type=float, metavar="G", help="stop at this relative gap")
    p.add_argument("--format", choices=list(PLAN_FORMATS), default="table")
    p.add_argument("--out", type=Path, metavar="FILE", help="write here instead of stdout")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or notes")
    p.set_defaults(func=run)


def read_activities(
    path: Path,
    threshold_pace: float | None,
    threshold_hr: float | None,
    zones: Zones | None = None,
) -> list[DoneActivity]:
    """The activities of a CSV file; ValueError with every bad line named. `zones` (the
    plan's) class a row by its pace or heart rate where it gives no intensity."""
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    activities, problems = [], []
    for line, row in enumerate(rows, start=2):
        row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
        try:
            activities.append(_activity(row, threshold_pace, threshold_hr, zones))
        except (ValueError, ValidationError, LoadInputError) as exc:
            why = "; ".join(describe(exc)) if isinstance(exc, ValidationError) else str(exc)
            problems.append(f"{path.name} line {line}: {why}")
    if problems:
        raise ValueError("\n".join(problems))
    return activities


ACTIVITY_FILE_SUFFIXES = frozenset({".fit", ".gpx", ".tcx"})


def read_activity_folder(
    folder: Path,
    threshold_pace: float | None,
    threshold_hr: float | None,
    ftp: float | None,
    zones: Zones | None = None,
) -> list[DoneActivity]:
    """Every FIT, GPX, TCX and CSV file of a folder; ValueError naming each bad file (hidden
    files aside, any other file is one: nothing is skipped silently)."""
    thresholds = {
        key: value
        for key, value in (
            (PACE_KEY, threshold_pace),
            (HR_KEY, threshold_hr),
            (FTP_KEY, ftp),
        )
        if value is not None
    }
    activities: list[DoneActivity] = []
    problems: list[str] = []
    for path in sorted(p for p in folder.iterdir() if not p.name.startswith(".")):
        suffix = path.suffix.lower()
        try:
            if suffix == ".csv":
                activities.extend(read_activities(path, threshold_pace, threshold_hr, zones))
            elif suffix in ACTIVITY_FILE_SUFFIXES:
                found = summarise(path.name, path.read_bytes(), thresholds)
                activities.append(
                    DoneActivity(
                        date=found.date,
                        sport=found.sport,
                        duration_min=round(found.duration_min),
                        load=found.load,
                        intensity=zone_intensity(
                            zones,
                            sport=found.sport,
                            avg_pace_s_per_km=found.avg_pace_s_per_km,
                            avg_hr=found.avg_hr,
                            avg_power_w=found.avg_power_w,
                        )
                        if found.sport not in STRENGTH_SPORTS
                        else None,
                        name=path.name[:120],
                    )
                )
            else:
                problems.append(f"{path.name}: not a FIT, GPX, TCX or CSV file")
        except ValueError as exc:  # ActivityFileError and CSV problems name their file
            problems.append(str(exc))
        except OSError as exc:
            problems.append(f"{path.name}: cannot read it ({exc.strerror or exc})")
    if problems:
        raise ValueError("\n".join(problems))
    if not activities:
        raise ValueError(f"{folder}: no FIT, GPX, TCX or CSV file in it")
    return activities


def _activity(
    row: dict[str, str],
    threshold_pace: float | None,
    threshold_hr: float | None,
    zones: Zones | None = None,
) -> DoneActivity:
    if not row.get("date") or not row.get("duration_min"):
        raise ValueError("`date` and `duration_min` are required")
    minutes = float(row["duration_min"])
    pace = _pace(row["avg_pace"]) if row.get("avg_pace") else None
    hr = float(row["avg_hr"]) if row.get("avg_hr") else None
    if row.get("load"):
        load = float(row["load"])
    else:
        load = derive_load(
            minutes,
            avg_pace_s_per_km=pace,
            threshold_pace_s_per_km=threshold_pace,
            avg_hr=hr,
            threshold_hr=threshold_hr,
        )
    fields = {
        k: row[k] for k in ("sport", "intensity", "kind", "session_code", "name") if row.get(k)
    }
    sport = fields.get("sport", "run")
    if "intensity" not in fields and sport not in STRENGTH_SPORTS:
        effort = zone_intensity(zones, sport=sport, avg_pace_s_per_km=pace, avg_hr=hr)
        if effort is not None:
            fields["intensity"] = effort
    return DoneActivity.model_validate(
        {"date": row["date"], "duration_min": round(minutes), "load": load, **fields}
    )


def replan_request(args: argparse.Namespace) -> ReplanRequest:
    """From the flags; ValueError (one problem a line) when something is wrong."""
    try:
        saved = read_plan_file(args.plan)
    except PlanFileError as exc:
        raise ValueError("\n".join(exc.problems)) from None
    overrides = {
        field: value
        for field, value in (("time_limit_s", args.time_limit), ("gap_limit", args.gap_limit))
        if value is not None
    }
    try:
        request = saved.request.model_validate(
            {**saved.request.model_dump(by_alias=True), **overrides}
        )
    except ValidationError as exc:
        raise ValueError("\n".join(describe(exc))) from None
    data: dict[str, Any] = {
        "request": request,
        "previous": saved.days,
        "effective": args.effective,
        "unavailable_dates": args.unavailable or [],
        "hint_previous": not args.no_hint,
    }
    if args.done is not None:
        # What was done is classed by the zones the plan's sessions are written in.
        zones = request.markers.zones() if request.markers is not None else None
        if args.done.is_dir():
            data["done"] = read_activity_folder(
                args.done, args.threshold_pace, args.threshold_hr, args.ftp, zones
            )
        else:
            data["done"] = read_activities(args.done, args.threshold_pace, args.threshold_hr, zones)
        data["done_since"] = args.done_since
    if args.weekly_hours is not None:
        data["weekly_hours"] = args.weekly_hours
    if args.change_penalty is not None:
        data["change_penalty"] = args.change_penalty
    if args.race_date is not None:
        goal = request.goal
        data["race"] = Race(date=args.race_date, distance=goal.distance, name=goal.name)
    try:
        return ReplanRequest.model_validate(data)
    except ValidationError as exc:
        raise ValueError("\n".join(describe(exc))) from None


def replan_note(result: ReplanResult) -> str:
    dates = ", ".join(f"{d:%a %d %b}" for d in result.changed_dates[:8])
    more = f" and {len(result.changed_dates) - 8} more" if len(result.changed_dates) > 8 else ""
    changed = f": {dates}{more}" if result.changed_dates else ""
    return (
        f"Re-planned from {result.effective}: {result.kept_days} days kept, "
        f"{result.changed_days} future days changed{changed}. "
        f"Form that morning: CTL {result.ctl_at_effective:.1f}, "
        f"ATL {result.atl_at_effective:.1f}, "
        f"TSB {result.ctl_at_effective - result.atl_at_effective:+.1f}."
    )


def render_replan(result: ReplanResult, fmt: str, req: ReplanRequest) -> str:
    from worker.engine.replan import updated_request

    if fmt == "table":
        return render_table(result) + replan_note(result) + "\n"
    extra = {
        "effective": result.effective.isoformat(),
        "kept_days": result.kept_days,
        "changed_days": result.changed_days,
        "changed_dates": [d.isoformat() for d in result.changed_dates],
        "ctl_at_effective": result.ctl_at_effective,
        "atl_at_effective": result.atl_at_effective,
    }
    # The changed request (pinned start, new limits): the output can be re-planned again.
    return render_with_request(result, fmt, updated_request(req), **extra)


def run(args: argparse.Namespace) -> int:
    try:
        req = replan_request(args)
    except ValueError as exc:
        return _fail("invalid request", str(exc).splitlines(), COMMAND)

    def work(
        on_progress: Callable[[SolveProgress], None] | None, cancel: threading.Event
    ) -> ReplanResult:
        from worker.engine import replan  # deferred: keeps `trainplan --help` fast

        return replan(req, on_progress=on_progress, cancel=cancel)

    result = solve_in_cli(args, COMMAND, req.request.time_limit_s, work)
    if isinstance(result, int):
        return result
    code = deliver(args, COMMAND, result, render_replan(result, args.format, req), req.request)
    if result.days and args.format != "table" and not args.quiet:
        print(f"trainplan {COMMAND}: {replan_note(result)}", file=sys.stderr)
    return code
