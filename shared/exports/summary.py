"""A plan told briefly: which rows are sessions, and the one-line summary of its solve.

Shared by the renderers (table, calendar) and the CLI's notes and progress bar.
"""

from __future__ import annotations

import math

from shared.planning import PlanDay, PlanResult


def is_session(day: PlanDay) -> bool:
    """A row that is something to do (rest rows are not calendar events)."""
    return day.intensity != "rest"


def format_gap(gap: float | None) -> str:
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
            f"gap {format_gap(result.gap)}",
        ]
    parts.append(f"solved in {result.solve_seconds:.2f} s")
    if result.first_solution_seconds is not None:
        parts.append(f"first plan after {result.first_solution_seconds:.2f} s")
    if result.cancelled:
        parts.append("cancelled early")
    return " · ".join(parts)
