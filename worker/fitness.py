"""A runner's fitness and fatigue from the activities they logged.

When a runner has logged activities, their current CTL/ATL follow from them with the
engine's response model (`worker.engine.history`): the profile's values (given, or
derived from `recent_loads`, else the engine's defaults) are the state on the morning of
the first activity, and every day since counts (a day without an activity is a zero).
The API (fitness, plan generation) and the workers (plan generation, re-plans) share this;
each reads the activity documents its own way (`api.history`, `worker.jobs.inputs`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from shared.documents import RunnerIn
from shared.planning import Athlete, PlanRules
from shared.replanning import DoneActivity
from shared.response import fitness_from_loads
from worker.engine.history import fitness_on

# Enough for fitness (CTL decays with a 42-day constant: a year is ~0.02% of the start).
MAX_ACTIVITIES = 5000


def activity_query(
    tenant: str, runner_id: str, since: date | None = None, before: date | None = None
) -> dict[str, Any]:
    """The MongoDB filter of a runner's activities in [since, before) (ISO date strings)."""
    query: dict[str, Any] = {"tenant_id": tenant, "runner_id": runner_id}
    dates: dict[str, str] = {}
    if since is not None:
        dates["$gte"] = since.isoformat()
    if before is not None:
        dates["$lt"] = before.isoformat()
    if dates:
        query["date"] = dates
    return query


def as_done(doc: dict[str, Any]) -> DoneActivity:
    """A stored activity document as the engine sees it."""
    return DoneActivity.model_validate(
        {
            "date": doc["date"],
            "sport": doc.get("sport", "run"),
            "duration_min": round(doc["duration_min"]),
            "load": float(doc["load"]),
            **{k: doc[k] for k in ("intensity", "kind", "session_code", "name") if doc.get(k)},
        }
    )


def rules_of(overrides: dict[str, Any]) -> PlanRules:
    try:
        return PlanRules.model_validate(overrides)
    except ValidationError:  # reported by the request's own validation
        return PlanRules()


def profile_fitness(runner: RunnerIn, rules: PlanRules) -> tuple[float, float]:
    """The profile's CTL/ATL: given, else from recent daily loads, else the defaults."""
    if runner.ctl is not None and runner.atl is not None:
        return runner.ctl, runner.atl
    if runner.recent_loads:
        return fitness_from_loads(runner.recent_loads, rules.ctl_tau_days, rules.atl_tau_days)
    defaults = Athlete()
    return (
        runner.ctl if runner.ctl is not None else defaults.ctl,
        runner.atl if runner.atl is not None else defaults.atl,
    )


def logged_fitness(
    runner: RunnerIn, activities: list[DoneActivity], on: date, rules: PlanRules
) -> tuple[float, float]:
    """CTL/ATL on the morning of `on`: from the activities before it when there are any."""
    ctl0, atl0 = profile_fitness(runner, rules)
    ctl, atl = fitness_on(
        activities,
        on,
        ctl0=ctl0,
        atl0=atl0,
        ctl_tau=rules.ctl_tau_days,
        atl_tau=rules.atl_tau_days,
    )
    return round(ctl, 2), round(atl, 2)


def with_logged_fitness(
    runner: RunnerIn, activities: list[DoneActivity], on: date, rule_overrides: dict[str, Any]
) -> RunnerIn:
    """The runner with CTL/ATL from their activities (unchanged without any before `on`)."""
    if not any(a.date < on for a in activities):
        return runner
    ctl, atl = logged_fitness(runner, activities, on, rules_of(rule_overrides))
    return runner.model_copy(update={"ctl": ctl, "atl": atl})
