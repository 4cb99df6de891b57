"""The engine bench's command line and its target bookkeeping (no solve runs here)."""

from __future__ import annotations

import pytest

from bench.bench_engine import Row, meets, parse_args


def row(weeks: int, first: float | None, proven: float | None) -> Row:
    return Row(
        case="c",
        weeks=weeks,
        variant="current",
        status="FEASIBLE",
        hint_feasible=True,
        build_s=0.1,
        first_plan_s=first,
        gap_1pct_s=proven,
        final_gap=0.005 if proven is not None else 0.05,
        objective=30.0,
        bound=30.2,
        solve_s=10.0,
        time_limit_s=10.0,
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--variants", "current,warp"], "unknown variant(s) warp"),
        (["--weeks", "0"], "--weeks: plan lengths from 1 to 104"),
        (["--weeks", "x"], "invalid"),
    ],
)
def test_bad_arguments_are_usage_errors(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        parse_args(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and message in err


def test_targets_follow_the_horizon() -> None:
    """Up to 24 weeks: first plan 0.5 s, proof 5 s; 36: 1.5 s and 8 s; 52: 1.5 s and 15 s."""
    assert meets(row(20, 0.5, 5.0)) == (True, True)
    assert meets(row(20, 0.51, 5.01)) == (False, False)
    assert meets(row(36, 1.4, 7.9)) == (True, True)
    assert meets(row(36, 1.6, 8.1)) == (False, False)
    assert meets(row(52, 1.5, 14.0)) == (True, True)
    assert meets(row(52, None, None)) == (False, False)
