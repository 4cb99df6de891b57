"""CP-SAT parameters for plan solves."""

from __future__ import annotations

from ortools.sat.python import cp_model

from shared.planning import PlanRequest


def configure(solver: cp_model.CpSolver, request: PlanRequest, n_days: int) -> None:
    p = solver.parameters
    p.num_workers = request.workers
    p.max_time_in_seconds = request.time_limit_s
    p.relative_gap_limit = request.gap_limit
