"""A plan as the JSON object of DESIGN.md section 5 (`trainplan plan --format json`)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from shared.planning import PlanResult
from shared.zones import Zones

# Field order of each JSON day (and the csv columns): the DESIGN.md section 5 fields first.
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


def zones_json(zones: Zones) -> dict[str, Any]:
    """The plan's top-level `zones`: vdot, paces `{easy|...: [fast_s_per_km, slow_s_per_km]}`,
    hr, power (and swim), null where unknown."""
    return zones.model_dump(mode="json")


def to_json_dict(result: PlanResult, zones: Zones | None = None) -> dict[str, Any]:
    """The DESIGN.md section 5 object: status, objective, bound, gap, solve_seconds, model,
    days (one per date and slot, each with its `steps`), conflicts (non-empty when INFEASIBLE), plus a few extras;
    `zones` when the athlete's markers give any."""
    doc: dict[str, Any] = {
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
        "days": [
            {
                **{f: getattr(d, f) for f in DAY_FIELDS},
                "steps": [step.model_dump(mode="json") for step in d.steps],
            }
            for d in result.days
        ],
    }
    if zones is not None and zones.known:
        doc["zones"] = zones_json(zones)
    return doc


def render_json(result: PlanResult, zones: Zones | None = None) -> str:
    def default(value: object) -> str:
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")

    return json.dumps(to_json_dict(result, zones), indent=2, default=default) + "\n"
