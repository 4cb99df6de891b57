"""A quick heuristic plan given to CP-SAT as a solution hint."""

from __future__ import annotations

from worker.engine.model import PlanModel


def add_heuristic_hint(pm: PlanModel) -> None:
    return None
