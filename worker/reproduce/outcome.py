"""One CP-SAT run of a seed reproduction, and what the results report about it.

Both reproductions solve a built model with their own parameters and report the status,
the solve time, the objective and bound in their own units and the gap; the progress
callback and the gap are the engine's (`worker.engine.progress`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from shared.reproduce import SolveStatus
from worker.engine.progress import ProgressCallback, SolutionProgress, relative_gap

_STATUSES: tuple[SolveStatus, ...] = ("OPTIMAL", "FEASIBLE", "INFEASIBLE", "MODEL_INVALID")
_FOUND: tuple[SolveStatus, ...] = ("OPTIMAL", "FEASIBLE")
# The seeds' results are gaps relative to the objective itself, however small it is.
_GAP_FLOOR = 1e-9


def _status_of(solver: cp_model.CpSolver, code: cp_model.CpSolverStatus) -> SolveStatus:
    name = solver.status_name(code)
    return next((s for s in _STATUSES if s == name), "UNKNOWN")


@dataclass(frozen=True)
class Objective:
    """The best solution's objective and the proven bound (model units / scale), and gap."""

    value: float
    bound: float
    gap: float


@dataclass(frozen=True)
class Outcome:
    """Status and time of a run; `objective` is None when no solution was found."""

    status: SolveStatus
    seconds: float
    objective: Objective | None


def solve_model(
    model: cp_model.CpModel,
    solver: cp_model.CpSolver,
    scale: float,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Solve `model`, timing the solve call alone; `progress` hears of every solution."""
    callback = SolutionProgress(progress, scale) if progress is not None else None
    started = time.perf_counter()
    code = solver.solve(model, callback)
    seconds = time.perf_counter() - started
    status = _status_of(solver, code)
    if status not in _FOUND:
        return Outcome(status, seconds, None)
    value = solver.objective_value / scale
    bound = solver.best_objective_bound / scale
    gap = relative_gap(value, bound, floor=_GAP_FLOOR)
    return Outcome(status, seconds, Objective(value, bound, gap))
