"""`trainplan plan`: build a PlanRequest from flags, solve in-process, render the result.

Exit codes: 0 a plan, 1 bad input, 2 infeasible (with conflicts), 3 no plan found in time,
70 an internal error (one line; TRAINPLAN_DEBUG=1 shows the traceback).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from shared.exports.registry import (
    CHART_FORMATS,
    PLAN_FORMATS,
    WORKOUT_FORMATS,
    ExportFormat,
    by_extension,
    extensions,
)
from shared.exports.summary import is_session, summary_line
from shared.exports.table import WEEKDAYS
from shared.exports.workouts import Reference, file_name, zip_workouts
from shared.planning import ALL_DISTANCES, PlanRequest, PlanResult, SolveProgress
from shared.zones import Zones
from worker.cli.markers import add_marker_flags, markers_or_problems, render_with_zones
from worker.cli.progress_bar import ProgressBar

R = TypeVar("R")
EXIT_OK, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_PLAN, EXIT_INTERNAL = 0, 1, 2, 3, 70

# Model field path -> the flag that sets it, so validation errors name what the user typed.
_FLAG_OF = {
    ("races", 0, "date"): "--race-date",
    ("races", 0, "distance"): "--distance",
    ("races",): "--other-race",
    ("start",): "--start",
    ("athlete", "ctl"): "--ctl",
    ("athlete", "atl"): "--atl",
    ("athlete", "weekly_hours"): "--weekly-hours",
    ("athlete", "rest_days"): "--rest-days",
    ("athlete", "doubles"): "--doubles",
    ("athlete", "long_run_day"): "--long-run-day",
    ("athlete", "long_ride_day"): "--long-ride-day",
    ("athlete", "swim_days"): "--swim-days",
    ("athlete", "unavailable_dates"): "--unavailable",
    ("time_limit_s",): "--time-limit",
    ("gap_limit",): "--gap-limit",
    ("workers",): "--workers",
    ("seed",): "--seed",
}

# Athlete fields settable from flags: argparse dest -> Athlete field.
_ATHLETE_FLAGS = {
    "ctl": "ctl",
    "atl": "atl",
    "weekly_hours": "weekly_hours",
    "rest_days": "rest_days",
    "doubles": "doubles",
    "long_run_day": "long_run_day",
    "long_ride_day": "long_ride_day",
    "swim_days": "swim_days",
    "unavailable": "unavailable_dates",
}


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _date_list(text: str) -> list[date]:
    return [_iso_date(part) for part in text.split(",") if part.strip()]


def _weekday(text: str) -> int:
    key = text.strip().lower()[:3]
    if key not in [d.lower() for d in WEEKDAYS]:
        raise argparse.ArgumentTypeError(f"{text!r} is not a weekday (mon, tue, ..., sun)")
    return [d.lower() for d in WEEKDAYS].index(key)


def _weekdays(text: str) -> list[int]:
    return [_weekday(part) for part in text.split(",") if part.strip()]


def _other_race(text: str) -> dict[str, Any]:
    """`YYYY-MM-DD:DISTANCE:B|C`, e.g. 2027-03-14:half:B."""
    parts = text.split(":")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"{text!r}: expected YYYY-MM-DD:DISTANCE:B or :C")
    day, distance, priority = parts[0], parts[1].lower(), parts[2].upper()
    if distance not in ALL_DISTANCES:
        raise argparse.ArgumentTypeError(
            f"{text!r}: distance must be one of {', '.join(ALL_DISTANCES)}"
        )
    if priority not in ("B", "C"):
        raise argparse.ArgumentTypeError(f"{text!r}: priority must be B or C (the goal is A)")
    return {"date": _iso_date(day), "distance": distance, "priority": priority}


def register(subparsers: Any) -> None:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "plan",
        help="solve a training plan in-process and print it",
        description="Solve a training plan for one goal race in-process (no services needed).",
        epilog="exit codes: 0 plan found, 1 bad input, 2 infeasible (conflicts listed), "
        "3 no plan found within the time limit, 70 internal error (TRAINPLAN_DEBUG=1 for details)",
    )
    p.add_argument("--race-date", type=_iso_date, required=True, metavar="D", help="YYYY-MM-DD")
    p.add_argument("--distance", choices=ALL_DISTANCES, required=True)
    p.add_argument("--start", type=_iso_date, metavar="D", help="default: Monday-aligned")
    p.add_argument("--ctl", type=float, metavar="X", help="current fitness (CTL)")
    p.add_argument("--atl", type=float, metavar="X", help="current fatigue (ATL)")
    p.add_argument("--weekly-hours", type=float, metavar="H", help="weekly training cap")
    p.add_argument("--rest-days", type=int, metavar="N", help="min rest days per week")
    p.add_argument("--doubles", action="store_true", default=None, help="allow two runs on one day")
    p.add_argument("--long-run-day", type=_weekday, metavar="DAY", help="mon..sun")
    p.add_argument("--long-ride-day", type=_weekday, metavar="DAY", help="triathlon: mon..sun")
    p.add_argument(
        "--swim-days", type=_weekdays, metavar="DAY,DAY,...", help="triathlon: the pool days"
    )
    p.add_argument(
        "--unavailable", type=_date_list, metavar="D,D,...", help="dates with no training"
    )
    p.add_argument(
        "--other-race",
        type=_other_race,
        action="append",
        default=[],
        metavar="D:DISTANCE:B|C",
        help="another race: B gets easy days around it, C is trained through (repeatable)",
    )
    add_marker_flags(p)
    p.add_argument("--time-limit", type=float, metavar="S", help="solver time limit (s)")
    p.add_argument("--gap-limit", type=float, metavar="G", help="stop at this relative gap")
    p.add_argument("--workers", type=int, metavar="N", help="CP-SAT search workers")
    p.add_argument(
        "--seed",
        type=int,
        metavar="N",
        help="search seed: the same request gives the same plan (default: the free search)",
    )
    p.add_argument(
        "--format",
        choices=[*PLAN_FORMATS, *WORKOUT_FORMATS],
        default="table",
        help="the plan (table, json, csv, ics) or one device workout per session "
        "(fit: Garmin, zwo: Zwift; needs --out)",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE|DIR",
        help="write here instead of stdout; for fit/zwo a folder, or a .zip of the files",
    )
    add_chart_flag(p)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar or notes")
    # A bad --out for the workout formats is a usage error, found before solving.
    p.set_defaults(func=run, usage_error=p.error)


def add_chart_flag(p: argparse.ArgumentParser) -> None:
    """`--chart FILE`: `deliver` also draws the fitness/fatigue/form chart there."""
    p.add_argument(
        "--chart",
        type=Path,
        metavar="FILE",
        help=f"also draw the fitness/fatigue/form chart ({extensions(CHART_FORMATS)})",
    )


def _chart_format(path: Path) -> ExportFormat[bytes] | None:
    return by_extension(CHART_FORMATS, path.suffix.lower().lstrip("."))


def chart_problems(args: argparse.Namespace) -> list[str]:
    """Checked before solving: a bad chart name should not cost a solve."""
    chart: Path | None = getattr(args, "chart", None)
    if chart is not None and _chart_format(chart) is None:
        return [f"--chart: {chart} must end in {extensions(CHART_FORMATS)}"]
    return []


def _write_chart(result: PlanResult, path: Path) -> None:
    data = (_chart_format(path) or CHART_FORMATS["png"]).render(result, None)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


# Top-level request fields settable from flags: argparse dest -> PlanRequest field.
_REQUEST_FLAGS = {
    "start": "start",
    "time_limit": "time_limit_s",
    "gap_limit": "gap_limit",
    "workers": "workers",
    "seed": "seed",
}


def request_data(args: argparse.Namespace) -> dict[str, Any]:
    """Only flags actually given are passed: every default lives in the models."""
    data: dict[str, Any] = {
        "races": [{"date": args.race_date, "distance": args.distance}, *args.other_race],
        "athlete": {
            field: getattr(args, dest)
            for dest, field in _ATHLETE_FLAGS.items()
            if getattr(args, dest) is not None
        },
    }
    for dest, field in _REQUEST_FLAGS.items():
        if getattr(args, dest) is not None:
            data[field] = getattr(args, dest)
    if args.start is None:
        data["earliest_start"] = date.today()  # a default plan starts today at the earliest
    return data


def _validation_messages(exc: ValidationError) -> list[str]:
    messages = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        flag = next((f for path, f in _FLAG_OF.items() if loc[: len(path)] == path), None)
        where = flag or ".".join(str(p) for p in loc) or "request"
        messages.append(f"{where}: {err['msg']}")
    return messages


def _request_or_problems(args: argparse.Namespace) -> tuple[PlanRequest | None, list[str]]:
    try:
        return PlanRequest.model_validate(request_data(args)), []
    except ValidationError as exc:
        return None, _validation_messages(exc)


def _fail(message: str, problems: list[str], command: str = "plan") -> int:
    print(f"trainplan {command}: {message}", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _tty() -> bool:
    return sys.stderr.isatty()


@contextlib.contextmanager
def _progress(
    args: argparse.Namespace, time_limit_s: float
) -> Iterator[Callable[[SolveProgress], None] | None]:
    """A progress callback drawing on stderr when it is a terminal, else None."""
    if args.quiet or not _tty():
        yield None
        return
    with ProgressBar(sys.stderr, time_limit_s) as bar:
        yield bar.update


# The engine call of a command: given the progress callback and a cancel event.
Work = Callable[[Callable[[SolveProgress], None] | None, threading.Event], R]


def _interruptible(work: Callable[[threading.Event], R]) -> R:
    """Run on a helper thread so Ctrl-C reaches the main thread and stops the search early
    (the engine then returns the best plan found so far)."""
    cancel, done = threading.Event(), threading.Event()
    results: list[R] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            results.append(work(cancel))
        except BaseException as exc:  # re-raised on the main thread
            errors.append(exc)
        finally:
            done.set()

    threading.Thread(target=target, name="solve", daemon=True).start()
    # An Event, not Thread.join: a join interrupted by Ctrl-C may return before the thread ends.
    try:
        while not done.wait(0.1):
            pass
    except KeyboardInterrupt:
        cancel.set()
        done.wait()
    if errors:
        raise errors[0]
    return results[0]


def solve_in_cli(
    args: argparse.Namespace, command: str, time_limit_s: float, work: Work[R]
) -> R | int:
    """The engine call with a progress bar and Ctrl-C; an exit code if it failed."""
    from worker.engine import InvalidRequest

    try:
        with _progress(args, time_limit_s) as on_progress:
            return _interruptible(lambda cancel: work(on_progress, cancel))
    except InvalidRequest as exc:
        return _fail("invalid request", [str(exc)], command)
    except Exception as exc:
        if os.environ.get("TRAINPLAN_DEBUG"):
            raise
        print(
            f"trainplan {command}: internal error ({type(exc).__name__}: {exc}); "
            "set TRAINPLAN_DEBUG=1 to see the traceback",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def workout_out_problem(args: argparse.Namespace) -> str | None:
    """Where fit/zwo files go: a folder (made if missing) or a .zip; checked before solving."""
    if args.format not in WORKOUT_FORMATS:
        return None
    out: Path | None = args.out
    if out is None:
        return (
            f"--format {args.format} writes one file per session: "
            "give --out DIR (a folder) or --out FILE.zip"
        )
    if out.suffix.lower() == ".zip":
        if out.is_dir():
            return f"--out {out}: a folder, not a .zip file"
        folder = out.parent
    else:
        if out.exists() and not out.is_dir():
            return f"--out {out}: not a folder (end it in .zip for one zip file)"
        folder = out
    existing = next(p for p in (folder, *folder.parents) if p.exists())
    if not existing.is_dir():
        return f"--out {out}: {existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"--out {out}: {existing} is not writable"
    return None


def _write_workouts(result: PlanResult, args: argparse.Namespace, reference: Reference) -> int:
    """The sessions' files in the folder --out, or one zip: how many files."""
    fmt = WORKOUT_FORMATS[args.format]
    out: Path = args.out
    sessions = fmt.sessions(result.days)
    if out.suffix.lower() == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(zip_workouts(result.days, fmt, reference))
    else:
        out.mkdir(parents=True, exist_ok=True)
        for day in sessions:
            (out / file_name(day, fmt.extension)).write_bytes(fmt.render(day, reference))
    return len(sessions)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    # newline="" keeps the ICS CRLF line endings byte-exact.
    with out.open("w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def run(args: argparse.Namespace) -> int:
    from worker.engine import validate

    request, problems = _request_or_problems(args)
    if request is None:
        return _fail("invalid request", problems)
    # The engine's `today` check also rejects a past start date; a CLI user may well want
    # a plan that started already (or re-run an old command), so only the race must lie ahead.
    problems = validate(request)
    today = date.today()
    if request.goal.date < today:
        problems.append(f"The race date {request.goal.date} is in the past (today is {today}).")
    problems += chart_problems(args)
    markers, marker_problems = markers_or_problems(args)
    problems += marker_problems
    out_problem = workout_out_problem(args)
    if out_problem is not None:
        args.usage_error(out_problem)  # exits 2, with the usage
    if problems:
        return _fail("invalid request", problems)
    # The sessions come out in the athlete's numbers (worker/engine/day_steps.py).
    request = request.model_copy(update={"markers": markers})
    zones = markers.zones() if markers is not None else Zones()

    def work(
        on_progress: Callable[[SolveProgress], None] | None, cancel: threading.Event
    ) -> PlanResult:
        from worker.engine import solve  # deferred: keeps `trainplan --help` fast

        return solve(request, on_progress=on_progress, cancel=cancel)

    result = solve_in_cli(args, "plan", request.time_limit_s, work)
    if isinstance(result, int):
        return result
    if args.format in WORKOUT_FORMATS:
        reference = Reference.of(markers)
        return deliver(args, "plan", result, "", request, reference)
    return deliver(
        args, "plan", result, render_with_zones(result, args.format, request, zones), request
    )


def deliver(
    args: argparse.Namespace,
    command: str,
    result: PlanResult,
    text: str,
    request: PlanRequest,
    reference: Reference | None = None,
) -> int:
    """Write the rendered result (conflicts on stderr for csv/ics/fit/zwo) and choose the
    exit code. The workout formats (`reference` given) write their files instead of `text`."""
    infeasible = result.status == "INFEASIBLE"
    files: int | None = None
    if result.days or args.format in ("json", "table"):
        try:
            if reference is not None:
                files = _write_workouts(result, args, reference)
            else:
                _write(text, args.out)
        except OSError as exc:
            return _fail(f"cannot write {args.out}", [exc.strerror or str(exc)], command)
    chart: Path | None = getattr(args, "chart", None)
    if chart is not None and result.days:
        try:
            _write_chart(result, chart)
        except OSError as exc:
            return _fail(f"cannot write {chart}", [exc.strerror or str(exc)], command)
        if not args.quiet:
            print(f"trainplan {command}: chart written to {chart}", file=sys.stderr)
    if args.format not in ("json", "table") and result.conflicts:
        # csv/ics have no place for the conflicts: say them on stderr.
        print(f"trainplan {command}: the request cannot be satisfied:", file=sys.stderr)
        for conflict in result.conflicts:
            print(f"  - {conflict}", file=sys.stderr)
    if infeasible:
        return EXIT_INFEASIBLE
    if not result.days:
        why = (
            "interrupted before the first plan"
            if result.cancelled
            else f"within {request.time_limit_s:g} s; try a longer --time-limit"
        )
        print(f"trainplan {command}: no plan found ({result.status}) {why}", file=sys.stderr)
        return EXIT_NO_PLAN
    if not args.quiet and (args.out is not None or (args.format != "table" and _tty())):
        # The table ends with the summary; for other formats it goes to stderr, for people.
        note = summary_line(result)
        if files is not None:
            note = f"wrote {files} {args.format.upper()} workouts to {args.out}; {note}"
        elif args.out is not None:
            sessions = sum(1 for d in result.days if is_session(d))
            note = f"wrote {len(result.days)} rows ({sessions} sessions) to {args.out}; {note}"
        print(f"trainplan {command}: {note}", file=sys.stderr)
    return EXIT_OK
