"""The performance-marker flags of `trainplan plan` and what they add to its output.

`--race-result`, `--threshold-pace`, `--lthr`, `--max-hr`, `--ftp`, `--css`: the strings are
parsed by `shared.markers` (a bad string is argparse's usage error, with that message), the
values validated by `Markers` (a race no human can run is a bad-input problem named by its
flag), and the zones they give are shown by the table and carried as the JSON's `zones`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from shared.exports.json import zones_json
from shared.exports.table import render_table
from shared.markers import (
    Markers,
    parse_css,
    parse_ftp,
    parse_lthr,
    parse_max_hr,
    parse_race_result,
    parse_threshold_pace,
)
from shared.planning import PlanRequest, PlanResult
from shared.zones import Zones
from worker.cli.planfile import render_with_request

# Markers field -> its flag (the argparse dest is the flag's name in snake case).
MARKER_FLAGS = {
    "race_result": "--race-result",
    "threshold_pace_s_per_km": "--threshold-pace",
    "lthr_bpm": "--lthr",
    "max_hr_bpm": "--max-hr",
    "ftp_w": "--ftp",
    "css_s_per_100m": "--css",
}
PACE_HINT = "Add --race-result 10k=45:00 or --threshold-pace 4:30 to see your paces."


def _typed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """A parser of `shared.markers` as an argparse type: its message, not argparse's own."""

    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return convert


def add_marker_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--race-result",
        type=_typed(parse_race_result),
        metavar="DISTANCE=H:MM:SS",
        help="a recent race (5k, 10k, half, marathon or metres): Daniels paces",
    )
    p.add_argument(
        "--threshold-pace",
        type=_typed(parse_threshold_pace),
        metavar="M:SS",
        help="threshold pace per km (paces without a race result)",
    )
    p.add_argument("--lthr", type=_typed(parse_lthr), metavar="BPM", help="threshold heart rate")
    p.add_argument("--max-hr", type=_typed(parse_max_hr), metavar="BPM", help="max heart rate")
    p.add_argument("--ftp", type=_typed(parse_ftp), metavar="W", help="cycling FTP (watts)")
    p.add_argument("--css", type=_typed(parse_css), metavar="M:SS", help="swim CSS per 100 m")


def markers_or_problems(args: argparse.Namespace) -> tuple[Markers | None, list[str]]:
    """The markers of the flags given (None: no flag), or the problems, each named by its
    flag."""
    given = {
        field: getattr(args, flag[2:].replace("-", "_"), None)
        for field, flag in MARKER_FLAGS.items()
    }
    given = {k: v for k, v in given.items() if v is not None}
    if not given:
        return None, []
    try:
        return Markers.model_validate(given), []
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            where = MARKER_FLAGS.get(loc[0], loc[0]) if loc else "--lthr/--max-hr"
            problems.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
        return None, problems


def render_with_zones(result: PlanResult, fmt: str, request: PlanRequest, zones: Zones) -> str:
    """The table shows the zones (or how to get paces); JSON carries them as `zones`."""
    if fmt == "table":
        return render_table(result, zones, hint=PACE_HINT)
    extra = {"zones": zones_json(zones)} if fmt == "json" and zones.known else {}
    return render_with_request(result, fmt, request, **extra)
