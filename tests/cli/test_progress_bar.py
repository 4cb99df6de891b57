"""The stderr progress bar: what it draws, and that it leaves nothing behind."""

from __future__ import annotations

import io

from shared.planning import SolveProgress
from worker.cli.progress_bar import ProgressBar


def test_progress_bar_draws_objective_and_gap_then_clears() -> None:
    stream = io.StringIO()
    with ProgressBar(stream, time_limit_s=10) as bar:
        progress = SolveProgress(objective=42.5, bound=43.0, gap=0.0116, elapsed_s=0.4, solutions=3)
        bar.update(progress)
        line = bar.line()
    assert "objective 42.50" in line and "gap 1.16%" in line and "/10 s" in line
    assert stream.getvalue().endswith("\r\x1b[K")  # the bar leaves no residue behind
