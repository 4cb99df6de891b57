"""Progress callbacks report improving solutions; cancellation stops the search early."""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model

from shared.planning import SolveProgress
from tests.engine.conftest import request_for
from worker.engine import solve
from worker.engine.progress import SolutionProgress, relative_gap


def test_progress_reports_improving_solutions_with_consistent_gap() -> None:
    seen: list[SolveProgress] = []
    result = solve(
        request_for("marathon", 20, time_limit_s=5, gap_limit=0.0),
        on_progress=seen.append,
        throttle_s=0.0,
    )
    assert seen, "at least the first solution is reported"
    objectives = [p.objective for p in seen]
    assert objectives == sorted(objectives)  # each report improves (maximisation)
    for p in seen:
        assert p.bound >= p.objective - 1e-6
        assert abs(p.gap - (p.bound - p.objective) / p.objective) < 1e-3
    assert [p.solutions for p in seen] == sorted(p.solutions for p in seen)
    assert result.objective is not None and result.objective >= objectives[-1] - 1e-6


def test_cancel_stops_a_long_solve_and_returns_the_best_plan() -> None:
    cancel = threading.Event()

    def cancel_soon_after_first_plan(_: SolveProgress) -> None:
        if not cancel.is_set():
            threading.Timer(0.5, cancel.set).start()

    result = solve(
        request_for("marathon", 52, time_limit_s=300, gap_limit=0.0),
        on_progress=cancel_soon_after_first_plan,
        cancel=cancel,
        throttle_s=0.0,
    )
    assert result.cancelled
    assert result.solve_seconds < 60  # far below the 300 s limit: the event stopped it
    assert result.status in ("FEASIBLE", "OPTIMAL")
    assert result.days


def test_cancel_before_any_plan_reports_cancelled() -> None:
    cancel = threading.Event()
    cancel.set()
    result = solve(request_for("marathon", 30, time_limit_s=300, gap_limit=0.0), cancel=cancel)
    assert result.cancelled
    assert result.solve_seconds < 60


def _enumerate(model: cp_model.CpModel, callback: SolutionProgress) -> cp_model.CpSolver:
    """Every solution of `model` goes through `callback` (one worker, no objective)."""
    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1
    solver.solve(model, callback)
    return solver


def test_throttling_counts_every_solution_but_reports_only_the_first() -> None:
    model = cp_model.CpModel()
    model.new_int_var(0, 4, "x")
    seen: list[SolveProgress] = []
    callback = SolutionProgress(seen.append, 1, throttle_s=3600)
    assert callback.first_solution_s is None
    _enumerate(model, callback)
    assert callback.solutions == 5
    assert [p.solutions for p in seen] == [1]
    assert callback.first_solution_s is not None and callback.first_solution_s >= 0


def test_unthrottled_reports_every_solution_in_scaled_units() -> None:
    model = cp_model.CpModel()
    x = model.new_int_var(0, 3, "x")
    model.maximize(4 * x)
    seen: list[SolveProgress] = []
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    callback = SolutionProgress(seen.append, 4)
    assert solver.solve(model, callback) == cp_model.OPTIMAL
    assert len(seen) == callback.solutions >= 1
    assert (seen[-1].objective, seen[-1].bound, seen[-1].gap) == (3.0, 3.0, 0.0)


def test_a_set_cancel_stops_at_the_first_solution_without_reporting() -> None:
    model = cp_model.CpModel()
    model.new_int_var(0, 99, "x")
    seen: list[SolveProgress] = []
    cancel = threading.Event()
    cancel.set()
    callback = SolutionProgress(seen.append, 1, cancel=cancel)
    _enumerate(model, callback)
    assert callback.solutions == 1
    assert seen == []


def test_relative_gap_divides_by_the_objective_but_never_by_less_than_the_floor() -> None:
    assert relative_gap(50.0, 60.0) == 0.2
    assert relative_gap(0.5, 1.0) == 0.5  # plans: at least 1.0
    assert relative_gap(0.5, 1.0, floor=1e-9) == 1.0
