"""Explain an infeasible request in words: which of the runner's limits clash."""

from __future__ import annotations

from shared.planning import PlanRequest, TrainingSchema
from worker.engine.calendar import Calendar


def explain_infeasibility(
    request: PlanRequest, schema: TrainingSchema, calendar: Calendar
) -> list[str]:
    return ["infeasible"]
