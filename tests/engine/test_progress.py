"""Progress callbacks report improving solutions; cancellation stops the search early."""

from __future__ import annotations

import threading

from shared.planning import SolveProgress
from tests.engine.conftest import request_for
from worker.engine import solve


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
