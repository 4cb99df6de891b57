"""The triathlon bench's bookkeeping: sessions per sport per week and its targets (no solve
runs here)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bench.bench_engine import Row
from bench.bench_triathlon import TriRow, meets, parse_args, sessions_per_week
from shared.planning import Intensity, Phase, PlanDay

MONDAY = date(2027, 1, 4)


def day(
    offset: int, sport: str, intensity: Intensity = "easy", phase: Phase = "base", slot: int = 0
) -> PlanDay:
    return PlanDay(
        date=MONDAY + timedelta(days=offset),
        slot=slot,
        week_number=offset // 7 + 1,
        day_of_week=offset % 7,
        phase=phase,
        is_recovery_week=False,
        is_training_day=intensity != "rest",
        session_code="X",
        session_type="X",
        session_definition="",
        intensity=intensity,
        sport=sport,
        duration_min=0 if intensity == "rest" else 40,
        load=0 if intensity == "rest" else 30,
        ctl=40.0,
        atl=40.0,
        tsb=0.0,
    )


def week(first: int, phase: Phase, sports: list[str]) -> list[PlanDay]:
    """Seven days from `first`: the sports in order, a rest day for the rest."""
    return [
        day(first + i, sports[i], phase=phase) if i < len(sports) else day(first + i, "run", "rest")
        for i in range(7)
    ]


def test_sessions_per_week_count_full_training_weeks_only() -> None:
    base = week(0, "base", ["swim", "bike", "run", "swim", "brick"])
    base.append(day(1, "run", "strength", slot=1))  # strength by its intensity, sport run
    build = week(7, "build", ["swim", "bike", "bike", "run"])
    taper = week(14, "taper", ["swim", "swim", "swim"])
    partial = [day(21, "bike", phase="peak")]  # 1 day: not a full week
    weeks, per = sessions_per_week([*base, *build, *taper, *partial])
    assert weeks == 2
    assert per == {"swim": 1.5, "bike": 1.5, "run": 1.0, "brick": 0.5, "strength": 0.5}


def test_no_full_week_is_no_sessions() -> None:
    assert sessions_per_week(week(0, "taper", ["swim"])) == (
        0,
        {"swim": 0.0, "bike": 0.0, "run": 0.0, "brick": 0.0, "strength": 0.0},
    )


def row(distance: str, first: float | None, proven: float | None) -> TriRow:
    engine = Row(
        case="c",
        weeks=16,
        variant="current",
        status="FEASIBLE",
        hint_feasible=True,
        build_s=0.1,
        first_plan_s=first,
        gap_1pct_s=proven,
        final_gap=0.05,
        objective=30.0,
        bound=31.0,
        solve_s=10.0,
        time_limit_s=10.0,
    )
    return TriRow("p", "p", distance, 16, 10.0, "FEASIBLE", engine)


def test_targets_first_plan_every_row_proof_for_the_olympic_only() -> None:
    assert meets(row("olympic", 1.0, 10.0)) == (True, True)
    assert meets(row("olympic", 1.01, 10.01)) == (False, False)
    assert meets(row("olympic", None, None)) == (False, False)
    assert meets(row("70.3", 0.9, None)) == (True, None)
    no_search = TriRow("p", "p", "sprint", 10, 6.0, "INFEASIBLE (precheck)", None)
    assert meets(no_search) == (False, None)


def test_an_unknown_profile_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        parse_args(["--only", "olympic-16w-10h,duathlon-8w-5h"])
    assert stop.value.code == 2
    assert "unknown profile(s) duathlon-8w-5h" in capsys.readouterr().err
