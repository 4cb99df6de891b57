"""Calendar construction backwards from the race date, and its edge cases."""

from __future__ import annotations

from datetime import date, timedelta

from shared.planning import PlanRequest, Race
from tests.engine.rules import violations
from worker.engine import solve
from worker.engine.calendar import build_calendar
from worker.engine.templates import builtin_schema
from worker.engine.validation import schema_for


def _calendar(race: date, distance: str = "marathon", start: date | None = None):  # type: ignore[no-untyped-def]
    request = PlanRequest.model_validate(
        {"races": [{"date": race, "distance": distance}], "start": start}
    )
    return build_calendar(request, schema_for(request))


def test_default_start_is_a_monday_plan_weeks_back() -> None:
    race = date(2027, 4, 18)
    cal = _calendar(race)
    weeks = builtin_schema("marathon").plan_weeks
    assert cal.start.weekday() == 0
    assert len(cal.weeks) == weeks
    assert cal.days[-1].date == race and cal.days[-1].phase == "race"


def test_phases_run_base_build_peak_taper_in_order() -> None:
    cal = _calendar(date(2027, 4, 18))
    order = {"base": 0, "build": 1, "peak": 2, "taper": 3, "race": 4}
    ranks = [order[d.phase] for d in cal.days]
    assert ranks == sorted(ranks)
    assert {d.phase for d in cal.days} == set(order)


def test_taper_length_by_distance() -> None:
    race = date(2027, 4, 18)
    for distance, (lo, hi) in {
        "marathon": (14, 21),
        "half": (10, 14),
        "10k": (7, 10),
        "5k": (7, 10),
    }.items():
        cal = _calendar(race, distance)
        taper = sum(1 for d in cal.days if d.phase == "taper")
        assert lo <= taper <= hi, distance


def test_recovery_weeks_every_fourth_training_week() -> None:
    cal = _calendar(date(2027, 4, 18))
    recovery = [w.number for w in cal.weeks if w.is_recovery]
    assert recovery == [w for w in range(4, 19, 4) if not cal.weeks[w - 1].has_taper]
    assert all(not w.has_taper for w in cal.weeks if w.is_recovery)


def test_race_on_a_monday() -> None:
    race = date(2027, 4, 19)
    assert race.weekday() == 0
    request = PlanRequest(races=[Race(date=race, distance="10k")], time_limit_s=3, gap_limit=0.02)
    cal = build_calendar(request, schema_for(request))
    assert len(cal.weeks[-1].days) == 1  # the race week is the race day alone
    result = solve(request)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert violations(result.days, request, schema_for(request)) == []


def test_plan_shorter_than_the_taper_is_all_taper() -> None:
    race = date(2027, 4, 18)
    start = race - timedelta(days=12)
    request = PlanRequest(
        races=[Race(date=race, distance="marathon")], start=start, time_limit_s=3, gap_limit=0.02
    )
    cal = build_calendar(request, schema_for(request))
    assert {d.phase for d in cal.days[:-1]} == {"taper"}
    result = solve(request)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    assert violations(result.days, request, schema_for(request)) == []


def test_start_date_given_mid_week_is_kept() -> None:
    race = date(2027, 4, 18)
    start = date(2027, 2, 3)  # a Wednesday
    request = PlanRequest(
        races=[Race(date=race, distance="half")], start=start, time_limit_s=3, gap_limit=0.02
    )
    result = solve(request)
    assert result.days[0].date == start
    assert result.days[0].week_number == 1 and result.days[0].day_of_week == 2
    assert violations(result.days, request, schema_for(request)) == []


def test_default_start_never_before_earliest_start() -> None:
    race = date(2027, 4, 18)
    today = race - timedelta(days=40)  # closer than the 18-week marathon template
    request = PlanRequest(
        races=[Race(date=race, distance="marathon")],
        earliest_start=today,
        time_limit_s=3,
        gap_limit=0.02,
    )
    cal = build_calendar(request, schema_for(request))
    assert cal.start == today
    far = PlanRequest(races=[Race(date=race, distance="marathon")], earliest_start=date(2026, 1, 1))
    assert build_calendar(far, schema_for(far)).start.weekday() == 0  # the template length fits
