"""A logged activity's intensity against the athlete's zones: the class boundaries
recomputed here (Daniels by bisection, Friel's and Coggan's percentages), each side of them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from shared.markers import Markers
from shared.zone_intensity import zone_intensity
from worker.cli.replan import read_activities


def vo2(v: float) -> float:
    return -4.6 + 0.182258 * v + 0.000104 * v * v


def pace_at(target: float) -> float:
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if vo2(mid) < target else (lo, mid)
    return 60_000 / lo


def vdot_10k(seconds: float) -> float:
    t = seconds / 60
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)
    return vo2(10000 / t) / pct


RACED = Markers.model_validate({"race_result": {"distance_m": 10000.0, "time_s": 2700.0}})


def test_by_pace_against_the_daniels_zones() -> None:
    zones = RACED.zones()
    vdot = vdot_10k(2700)
    steady_slow, threshold_slow = pace_at(0.72 * vdot), pace_at(0.87 * vdot)
    assert threshold_slow < 280 < 320 < steady_slow
    cases = [
        (steady_slow + 1, "easy"),
        (steady_slow - 1, "moderate"),
        (threshold_slow + 1, "moderate"),
        (threshold_slow - 1, "hard"),
        (240, "hard"),
        (400, "easy"),
    ]
    for pace, expected in cases:
        assert zone_intensity(zones, avg_pace_s_per_km=pace) == expected, pace
    # Pace wins over heart rate for runs; a ride's pace means nothing.
    both = Markers.model_validate({**RACED.model_dump(), "lthr_bpm": 170.0}).zones()
    assert zone_intensity(both, avg_pace_s_per_km=400, avg_hr=175) == "easy"
    assert zone_intensity(both, sport="bike", avg_pace_s_per_km=400, avg_hr=175) == "hard"


def test_by_heart_rate_friel_or_max() -> None:
    lthr = Markers.model_validate({"lthr_bpm": 170.0}).zones()
    z3, z4 = math.ceil(0.90 * 170), math.ceil(0.95 * 170)
    assert zone_intensity(lthr, avg_hr=z3 - 1) == "easy"
    assert zone_intensity(lthr, avg_hr=z3) == "moderate"
    assert zone_intensity(lthr, avg_hr=z4 - 1) == "moderate"
    assert zone_intensity(lthr, avg_hr=z4) == "hard"
    max_hr = Markers.model_validate({"max_hr_bpm": 200.0}).zones()
    assert [zone_intensity(max_hr, avg_hr=hr) for hr in (159, 160, 179, 180)] == [
        "easy",
        "moderate",
        "moderate",
        "hard",
    ]
    # No paces known: a run's pace falls through to its heart rate.
    assert zone_intensity(lthr, avg_pace_s_per_km=240, avg_hr=z3 - 1) == "easy"


def test_by_power_for_rides() -> None:
    ftp = Markers.model_validate({"ftp_w": 250.0}).zones()
    z3, z4 = math.floor(0.75 * 250) + 1, math.floor(0.90 * 250) + 1
    got = [zone_intensity(ftp, sport="bike", avg_power_w=w) for w in (z3 - 1, z3, z4 - 1, z4)]
    assert got == ["easy", "moderate", "moderate", "hard"]
    assert zone_intensity(ftp, sport="run", avg_power_w=300) is None  # FTP is a cycling number


def test_nothing_to_compare() -> None:
    assert zone_intensity(None, avg_pace_s_per_km=300) is None
    assert zone_intensity(RACED.zones()) is None
    assert zone_intensity(Markers().zones(), avg_pace_s_per_km=300, avg_hr=150) is None


def test_a_replans_csv_is_classed_by_the_plans_zones(tmp_path: Path) -> None:
    path = tmp_path / "done.csv"
    path.write_text(
        "date,duration_min,load,avg_pace,avg_hr,intensity,sport\n"
        "2027-01-04,50,,4:35,,,run\n"  # threshold pace: hard, whatever its load says
        "2027-01-05,50,40,6:20,,,run\n"
        "2027-01-06,50,40,4:35,,easy,run\n"  # a class given stays
        "2027-01-07,40,20,,150,,strength\n"
    )
    hard, easy, given, strength = read_activities(path, 270.0, None, RACED.zones())
    assert (hard.intensity, easy.intensity, given.intensity) == ("hard", "easy", "easy")
    assert strength.resolved_intensity() == "strength"
    assert hard.load == pytest.approx(50 / 60 * (270 / 275) ** 2 * 100, abs=0.05)
    # Without zones the class comes from the load, as before.
    assert read_activities(path, 270.0, None)[1].intensity is None
