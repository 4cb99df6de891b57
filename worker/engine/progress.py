"""Progress of a CP-SAT search: improving solutions reported as `SolveProgress`.

One solution callback for every solve here (plans, re-plans, the seed reproductions): it
counts solutions, records when the first one came, reports at most one solution per
`throttle_s` and stops the search once `cancel` is set.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from ortools.sat.python import cp_model

from shared.planning import SolveProgress

ProgressCallback = Callable[[SolveProgress], None]


def relative_gap(objective: float, bound: float, *, floor: float = 1.0) -> float:
    """|bound - objective| relative to the objective, never divided by less than `floor`
    (plans use 1.0 so a near-zero objective cannot inflate the gap)."""
    return abs(bound - objective) / max(abs(objective), floor)


class SolutionProgress(cp_model.CpSolverSolutionCallback):
    """Reports improving solutions, throttled; stops the search when cancelled.

    `scale` is how many model objective units make one reported unit."""

    def __init__(
        self,
        on_progress: ProgressCallback | None,
        scale: float,
        cancel: threading.Event | None = None,
        throttle_s: float = 0.0,
    ) -> None:
        super().__init__()
        self._on_progress = on_progress
        self._scale = scale
        self._cancel = cancel
        self._throttle_s = throttle_s
        self._last_report = -1e9
        self.solutions = 0
        self.first_solution_s: float | None = None

    def on_solution_callback(self) -> None:
        self.solutions += 1
        elapsed = self.wall_time
        if self.first_solution_s is None:
            self.first_solution_s = elapsed
        if self._cancel is not None and self._cancel.is_set():
            self.stop_search()
            return
        if self._on_progress is None or elapsed - self._last_report < self._throttle_s:
            return
        self._last_report = elapsed
        obj = self.objective_value / self._scale
        bound = self.best_objective_bound / self._scale
        self._on_progress(
            SolveProgress(
                objective=round(obj, 4),
                bound=round(bound, 4),
                gap=relative_gap(obj, bound),
                elapsed_s=round(elapsed, 3),
                solutions=self.solutions,
            )
        )
