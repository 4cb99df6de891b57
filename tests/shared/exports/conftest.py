"""Fixtures for the renderer tests: a hand-built plan (no solver needed)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from shared.planning import PlanDay, PlanResult

# (session_code, session_type, intensity, minutes, load, definition)
_WEEK = [
    ("EASY45", "Easy run", "easy", 45, 40, "45 min conversational pace, Zone 2"),
    ("REST", "Rest", "rest", 0, 0, ""),
    ("TEMPO", "Tempo run", "hard", 60, 80, "15' warm-up; 3 × 10' at threshold, 2' jog; cool-down"),
    ("EASY40", "Easy run", "easy", 40, 35, "Easy 40 min"),
    ("STR", "Strength", "strength", 30, 20, "Core & hips: planks, bridges, lunges"),
    ("EASY30", "Recovery run", "easy", 30, 22, "Very easy, flat route"),
    (
        "LONG120",
        "Long run",
        "easy",
        120,
        130,
        "Long run at easy pace — “negative split” the last 20′; fuel every 30 min. " * 3,
    ),
]


def _day(d: date, start: date, slot: int, spec: tuple[str, str, str, int, int, str]) -> PlanDay:
    code, kind, intensity, minutes, load, definition = spec
    week = (d - start).days // 7 + 1
    return PlanDay(
        date=d,
        slot=slot,
        week_number=week,
        day_of_week=d.weekday(),
        phase="base" if week == 1 else "taper",
        is_recovery_week=week == 2,
        is_training_day=intensity != "rest",
        session_code=code,
        session_type=kind,
        session_definition=definition,
        intensity=intensity,
        sport="run",
        duration_min=minutes,
        load=load,
        ctl=40.0 + 0.1 * (d - start).days,
        atl=42.0 - 0.05 * (d - start).days,
        tsb=-2.0 + 0.15 * (d - start).days,
    )


@pytest.fixture
def handmade_plan() -> PlanResult:
    """Two weeks (the second a recovery week ending in a race), one double day."""
    start = date(2027, 3, 1)  # a Monday
    days = []
    for i in range(14):
        d = start + timedelta(days=i)
        days.append(_day(d, start, 0, _WEEK[i % 7]))
        if i == 3:  # a double: an extra easy run in slot 1
            days.append(_day(d, start, 1, ("EASY30", "Recovery run", "easy", 30, 22, "Shakeout")))
    race = start + timedelta(days=13)
    days[-1] = _day(race, start, 0, ("RACE", "Race: 10k", "race", 50, 90, "Race day, go!"))
    return PlanResult(
        status="OPTIMAL",
        objective=41.5,
        bound=41.6,
        gap=0.0024,
        solve_seconds=1.23,
        first_solution_seconds=0.05,
        start=start,
        race_date=race,
        days=days,
    )
