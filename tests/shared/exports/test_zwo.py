"""Zwift workout files, parsed back with minidom and compared with the plan day's steps:
fractions recomputed here from the athlete's FTP and 5 km pace."""

from __future__ import annotations

import pytest

from shared.exports.workouts import Reference
from shared.exports.zwo import render_zwo
from shared.markers import Markers, RaceResult
from shared.steps import Step
from shared.zones import predicted_time_s, vdot_from_race
from tests.workout_files import (
    EASY,
    MIXED_RUN,
    SWEET_SPOT_RIDE,
    THRESHOLD,
    THRESHOLD_RUN,
    read_zwo,
    workout_day,
)

FIVE_K = 257.0  # s/km
RUNNER = Reference(five_k_s_per_km=FIVE_K)


def _floats(attrs: dict[str, str], *names: str) -> list[float]:
    return [float(attrs[n]) for n in names]


def test_a_threshold_run_is_warmup_intervals_cooldown_at_fractions_of_5k_speed() -> None:
    zwo = read_zwo(render_zwo(workout_day(THRESHOLD_RUN), RUNNER))
    assert zwo.sport == "run" and zwo.duration_type is None
    assert zwo.name == "2027-03-02 T3 Threshold intervals"
    assert zwo.description.startswith("15 min easy")
    (warmup, w), (intervals, i), (cooldown, c) = ((t, a) for t, a, _ in zwo.elements)
    assert zwo.elements[1][2] == ["on 4:31-4:40/km, off 5:38-6:12/km"]  # the runner's paces
    assert (warmup, intervals, cooldown) == ("Warmup", "IntervalsT", "Cooldown")
    easy = (FIVE_K / EASY.high_s_per_km, FIVE_K / EASY.low_s_per_km)  # slow, fast
    threshold = (FIVE_K / THRESHOLD.high_s_per_km, FIVE_K / THRESHOLD.low_s_per_km)
    assert w["Duration"] == "900" and _floats(w, "PowerLow", "PowerHigh") == pytest.approx(
        easy, abs=5e-4
    )
    assert (i["Repeat"], i["OnDuration"], i["OffDuration"]) == ("3", "600", "120")
    assert float(i["OnPower"]) == pytest.approx(sum(threshold) / 2, abs=5e-4)
    assert float(i["OffPower"]) == pytest.approx(sum(easy) / 2, abs=5e-4)
    # The cool-down ramps down: from the fast end to the slow end.
    assert _floats(c, "PowerLow", "PowerHigh") == pytest.approx(easy[::-1], abs=5e-4)
    assert all(a["pace"] == "1" for _, a, _ in zwo.elements)  # Zwift's 5 km reference
    # Threshold is faster than easy, and both slower than 5 km pace.
    assert float(i["OffPower"]) < float(i["OnPower"]) < 1.0


def test_a_ride_is_in_fractions_of_ftp() -> None:
    zwo = read_zwo(render_zwo(workout_day(SWEET_SPOT_RIDE, sport="bike"), Reference(ftp_w=250)))
    assert zwo.sport == "bike" and zwo.ftp_override is None
    tags = [t for t, _, _ in zwo.elements]
    assert tags == ["Warmup", "IntervalsT", "Cooldown"]
    _, w, messages = zwo.elements[0]
    assert _floats(w, "PowerLow", "PowerHigh") == pytest.approx([120 / 250, 170 / 250], abs=5e-4)
    assert messages == ["120-170 W"]
    _, i, _ = zwo.elements[1]
    assert float(i["OnPower"]) == pytest.approx((220 + 235) / 2 / 250, abs=5e-4)
    assert float(i["OffPower"]) == pytest.approx((110 + 135) / 2 / 250, abs=5e-4)
    assert "pace" not in i


def test_a_ride_without_ftp_pins_it_so_the_watts_stay_exact() -> None:
    zwo = read_zwo(render_zwo(workout_day(SWEET_SPOT_RIDE, sport="bike")))
    assert zwo.ftp_override == "100"
    _, i, _ = zwo.elements[1]
    assert float(i["OnPower"]) * 100 == pytest.approx(227.5, abs=0.05)


def test_targets_zwift_cannot_take_run_at_the_step_effort_with_a_message() -> None:
    zwo = read_zwo(render_zwo(workout_day(MIXED_RUN), RUNNER))
    tags = [t for t, _, _ in zwo.elements]
    # A repeat of three steps is unrolled: 2 x (400 m, rest, 200 m).
    assert tags == ["Warmup", *["SteadyState"] * 3 * 2, "SteadyState", "Cooldown"]
    _, warmup, messages = zwo.elements[0]
    assert messages == ["heart rate 130-145 bpm"]
    assert _floats(warmup, "PowerLow", "PowerHigh")[0] < _floats(warmup, "PowerLow", "PowerHigh")[1]
    _, fast, messages = zwo.elements[1]
    # 400 m at 3:50-4:00/km: 94 s, at 257/235 of 5 km speed.
    assert fast["Duration"] == str(round(400 * 235 / 1000))
    assert float(fast["Power"]) == pytest.approx(FIVE_K / 235, abs=1e-3)
    assert messages == ["3:50-4:00/km"]
    _, rest, _ = zwo.elements[2]
    assert rest["Duration"] == "60" and float(rest["Power"]) < float(fast["Power"])
    _, power_on_a_run, messages = zwo.elements[7]
    assert messages == ["250-280 W"]  # running power: shown, not set as a Zwift target
    open_step = read_zwo(render_zwo(workout_day([Step(type="active", duration_s=300)]), RUNNER))
    assert power_on_a_run["Power"] == open_step.elements[0][1]["Power"]  # the step's usual effort
    # RPE 9 and 2: the harder one faster; a distance becomes time at that effort.
    rpe9, rpe2 = float(zwo.elements[3][1]["Power"]), float(zwo.elements[8][1]["PowerLow"])
    assert rpe9 > float(rest["Power"]) and rpe2 < rpe9
    assert int(zwo.elements[3][1]["Duration"]) == round(200 / (1000 / FIVE_K * rpe9))


def test_a_run_of_distances_only_is_written_in_metres() -> None:
    day = workout_day(
        [Step(type="warmup", distance_m=2000, target=EASY), Step(type="active", distance_m=5000)]
    )
    zwo = read_zwo(render_zwo(day, RUNNER))
    assert zwo.duration_type == "distance"
    assert [a["Duration"] for _, a, _ in zwo.elements] == ["2000", "5000"]


def test_a_session_without_steps_holds_its_duration_with_its_definition() -> None:
    day = workout_day([], minutes=50)
    ((tag, attrs, messages),) = read_zwo(render_zwo(day, RUNNER)).elements
    assert (tag, attrs["Duration"]) == ("SteadyState", "3000")
    assert messages == [day.session_definition]


@pytest.mark.parametrize("sport", ["swim", "strength"])
def test_zwift_has_no_swim_or_strength_workouts(sport: str) -> None:
    with pytest.raises(ValueError, match=f"runs and rides; this session is {sport}"):
        render_zwo(workout_day(THRESHOLD_RUN, sport=sport))


def test_the_reference_is_the_runners_5k_pace_and_ftp() -> None:
    markers = Markers(race_result=RaceResult(distance_m=10_000, time_s=45 * 60), ftp_w=240)
    ref = Reference.of(markers)
    vdot = round(vdot_from_race(10_000, 45 * 60), 1)  # the zones' VDOT, to a tenth
    assert ref.ftp_w == 240
    assert ref.five_k_s_per_km == pytest.approx(predicted_time_s(vdot, 5000) / 5)
    # Daniels' tables: VDOT 45 runs 5 km in about 21:50, 4:22 per km.
    assert 255 < (ref.five_k_s_per_km or 0) < 265
    assert Reference.of(None) == Reference()
