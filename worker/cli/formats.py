"""Renderers of a PlanResult (json, table, csv, ics) and the stderr progress bar.

Renderers are pure: result in, text out; the caller decides where the text goes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import threading
import time
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, TextIO

from shared import ics
from shared.ics import is_session
from shared.planning import PlanDay, PlanResult, SolveProgress

FORMATS = ("table", "json", "csv", "ics")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

# Column order of the csv view (and of each JSON day): the DESIGN.md section 5 fields first.
DAY_FIELDS = (
    "date",
    "slot",
    "week_number",
    "day_of_week",
    "phase",
    "is_recovery_week",
    "is_training_day",
    "session_code",
    "session_type",
    "intensity",
    "sport",
    "duration_min",
    "load",
    "ctl",
    "atl",
    "tsb",
    "session_definition",
)


def _fmt_gap(gap: float | None) -> str:
    if gap is None or not math.isfinite(gap):
        return "n/a"
    return f"{gap * 100:.2f}%"


def _fmt_num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def summary_line(result: PlanResult) -> str:
    parts: list[str] = [result.status]
    if result.objective is not None:
        parts += [
            f"objective {_fmt_num(result.objective)}",
            f"bound {_fmt_num(result.bound)}",
            f"gap {_fmt_gap(result.gap)}",
        ]
    parts.append(f"solved in {result.solve_seconds:.2f} s")
    if result.first_solution_seconds is not None:
        parts.append(f"first plan after {result.first_solution_seconds:.2f} s")
    if result.cancelled:
        parts.append("cancelled early")
    return " · ".join(parts)


# --- json -------------------------------------------------------------------------------


def to_json_dict(result: PlanResult) -> dict[str, Any]:
    """The DESIGN.md section 5 object: status, objective, bound, gap, solve_seconds, model,
    days (one per date and slot), conflicts (non-empty when INFEASIBLE), plus a few extras."""
    return {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "solve_seconds": result.solve_seconds,
        "first_solution_seconds": result.first_solution_seconds,
        "model": result.model,
        "start": result.start.isoformat(),
        "race_date": result.race_date.isoformat(),
        "cancelled": result.cancelled,
        "conflicts": list(result.conflicts),
        "days": [{f: getattr(d, f) for f in DAY_FIELDS} for d in result.days],
    }


def render_json(result: PlanResult) -> str:
    def default(value: object) -> str:
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")

    return json.dumps(to_json_dict(result), indent=2, default=default) + "\n"


# --- table ------------------------------------------------------------------------------


def _weeks(days: Iterable[PlanDay]) -> list[list[PlanDay]]:
    weeks: dict[int, list[PlanDay]] = {}
    for day in days:
        weeks.setdefault(day.week_number, []).append(day)
    return [weeks[k] for k in sorted(weeks)]


def _week_header(week: list[PlanDay]) -> str:
    phases: list[str] = []
    for day in week:
        if day.phase not in phases:
            phases.append(day.phase)
    minutes = sum(d.duration_min for d in week)
    load = sum(d.load for d in week)
    first, last = min(d.date for d in week), max(d.date for d in week)
    parts = [f"Week {week[0].week_number}", "/".join(phases)]
    if week[0].is_recovery_week:
        parts.append("RECOVERY")
    parts += [f"{first:%Y-%m-%d} to {last:%Y-%m-%d}", f"{minutes / 60:.1f} h", f"load {load}"]
    return " · ".join(parts)


def _day_line(day: PlanDay, first_of_date: bool) -> str:
    when = f"{WEEKDAYS[day.day_of_week]} {day.date:%Y-%m-%d}" if first_of_date else ""
    session = day.session_type if is_session(day) else "Rest"
    minutes = f"{day.duration_min:>4d} min" if day.duration_min else "       -"
    line = f"  {when:<14s}  {session[:30]:<30s} {day.intensity:<8s} {minutes}  load {day.load:>4d}"
    if not first_of_date:
        return line  # CTL/ATL/TSB are per date: shown once, on its first slot
    return f"{line}  CTL {day.ctl:6.1f}  ATL {day.atl:6.1f}  TSB {day.tsb:+6.1f}"


def render_table(result: PlanResult) -> str:
    lines = [f"Plan {result.start:%Y-%m-%d} to {result.race_date:%Y-%m-%d} ({result.model})"]
    if result.conflicts:
        lines.append("The request cannot be satisfied:")
        lines += [f"  - {c}" for c in result.conflicts]
    for week in _weeks(result.days):
        lines.append("")
        lines.append(_week_header(week))
        seen: set[date] = set()
        for day in sorted(week, key=lambda d: (d.date, d.slot)):
            lines.append(_day_line(day, day.date not in seen))
            seen.add(day.date)
    if result.days:
        sessions = sum(1 for d in result.days if is_session(d))
        hours = sum(d.duration_min for d in result.days) / 60
        race_days = [d for d in result.days if d.date == result.race_date]
        lines.append("")
        lines.append(f"{len(_weeks(result.days))} weeks · {sessions} sessions · {hours:.1f} h")
        if race_days:
            r = race_days[0]
            lines.append(f"Race day form: CTL {r.ctl:.1f}, TSB {r.tsb:+.1f}")
    lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


# --- csv --------------------------------------------------------------------------------


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def render_csv(result: PlanResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(DAY_FIELDS)
    for day in result.days:
        writer.writerow([_csv_value(getattr(day, f)) for f in DAY_FIELDS])
    return buf.getvalue()


# --- ics (built by shared.ics, shared with the API) ----------------------------------------


def plan_key(result: PlanResult) -> str:
    """Identifies the plan (not one solve of it): re-exports update the same events."""
    raw = f"{result.model}|{result.start.isoformat()}|{result.race_date.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def render_ics(result: PlanResult, now: datetime | None = None) -> str:
    return ics.render_ics(
        result.days, race_date=result.race_date, plan_key=plan_key(result), now=now
    )


RENDERERS = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
    "ics": render_ics,
}


def render(result: PlanResult, fmt: str) -> str:
    return RENDERERS[fmt](result)


# --- progress bar -----------------------------------------------------------------------


class ProgressBar:
    """A one-line bar on a terminal stream: elapsed vs time limit, objective, gap.

    Progress callbacks arrive from the solver thread only on improvement, so a small
    ticker thread redraws the elapsed time in between.
    """

    def __init__(self, stream: TextIO, time_limit_s: float, width: int = 28) -> None:
        self._stream = stream
        self._limit = max(time_limit_s, 1e-9)
        self._width = width
        self._lock = threading.Lock()
        self._latest: SolveProgress | None = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="progress-bar", daemon=True)

    def __enter__(self) -> ProgressBar:
        self._started = time.monotonic()
        self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, progress: SolveProgress) -> None:
        with self._lock:
            self._latest = progress
        self._draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        filled = min(self._width, int(self._width * elapsed / self._limit))
        bar = "#" * filled + "." * (self._width - filled)
        text = f"solving [{bar}] {elapsed:5.1f}/{self._limit:g} s"
        latest = self._latest
        if latest is None:
            return text + "  searching for a first plan"
        return (
            f"{text}  objective {latest.objective:.2f}  gap {_fmt_gap(latest.gap)}"
            f"  plans {latest.solutions}"
        )

    def _draw(self) -> None:
        with self._lock:
            self._stream.write("\r\x1b[K" + self.line())
            self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(0.2):
            self._draw()

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        if self._ticker.is_alive():
            self._ticker.join()
        with self._lock:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
