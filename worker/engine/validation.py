"""Plain-language checks of a request before any solving (bad input, not infeasibility)."""

from __future__ import annotations

from datetime import date

from shared.planning import PlanRequest, TrainingSchema
from worker.engine.calendar import plan_start
from worker.engine.templates import builtin_schema

MAX_PLAN_DAYS = 2 * 366


def schema_for(request: PlanRequest) -> TrainingSchema:
    return request.schema_ or builtin_schema(request.goal.distance)


def validate(request: PlanRequest, today: date | None = None) -> list[str]:
    """Reasons the request cannot be planned at all; empty when it can be tried."""
    problems: list[str] = []
    goal = request.goal
    schema = schema_for(request)
    start = plan_start(request, schema)
    if today is not None and goal.date < today:
        problems.append(f"The race date {goal.date} is in the past (today is {today}).")
    if today is not None and request.start is not None and request.start < today:
        problems.append(f"The start date {request.start} is in the past (today is {today}).")
    days = (goal.date - start).days + 1
    if days <= 0:
        problems.append(f"The start date {start} is after the race date {goal.date}.")
    elif days < 8:
        problems.append(
            f"The plan from {start} to the race on {goal.date} is {days} days; "
            "a plan needs at least a week before race day."
        )
    elif days > MAX_PLAN_DAYS:
        problems.append(
            f"The plan from {start} to {goal.date} is {days} days; the limit is two years."
        )
    for race in request.races:
        if race is goal:
            continue
        if not start <= race.date < goal.date:
            problems.append(
                f"The {race.priority} race on {race.date} is outside the plan "
                f"({start} to the goal race on {goal.date})."
            )
    dates = [r.date for r in request.races]
    if len(set(dates)) != len(dates):
        problems.append("Two races are on the same date.")
    athlete = request.athlete
    if goal.date in set(athlete.unavailable_dates):
        problems.append(f"The race date {goal.date} is listed as unavailable.")
    if all(m == 0 for m in athlete.availability_min):
        problems.append("Every weekday is marked unavailable: there is no day to train on.")
    if not any(s.kind in ("run", "long") for s in schema.sessions):
        problems.append(f"The training schema '{schema.name}' has no running sessions.")
    codes = [s.code for s in schema.sessions]
    if len(set(codes)) != len(codes):
        problems.append(f"The training schema '{schema.name}' repeats a session code.")
    return problems
