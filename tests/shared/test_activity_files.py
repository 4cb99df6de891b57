"""Activity files read and rated: FIT (written by fit-tool), GPX (gpxpy), TCX (written
here), checked against figures recomputed from the samples the test put in the files:
duration, distance (haversine), averages, normalised power (numpy), and the loads of
the documented formulas (hours x IF^2 x 100)."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from fit_tool.profile.profile_type import Sport, SubSport

from shared.activity_files import ActivityFileError, read_activity_file, summarise
from tests.activity_files import (
    FTP,
    LTHR,
    THRESHOLD_PACE,
    fit_bytes,
    gpx_bytes,
    haversine_m,
    held,
    hr_load,
    normalized,
    steady,
    tcx_bytes,
    wavy,
)

START = datetime(2026, 11, 30, 6, 30, tzinfo=UTC)

ALL = {"threshold_hr": LTHR, "threshold_pace_s_per_km": THRESHOLD_PACE, "ftp_w": FTP}


RUN = wavy(steady(45 * 60, 3.4, hr=152), hr_amp=12)  # 45 min at 4:54/km, HR 140-164


@functools.cache
def run_fit() -> bytes:
    """RUN as a FIT file (fit-tool takes a second or two to write one)."""
    return fit_bytes(RUN, START)


def test_fit_run_from_heart_rate() -> None:
    found = summarise("morning.fit", run_fit(), ALL)
    assert (found.format, found.sport, found.date) == ("fit", "run", START.date())
    assert found.duration_min == 45
    assert found.distance_km == pytest.approx(45 * 60 * 3.4 / 1000, abs=0.001)
    assert found.avg_pace_s_per_km == pytest.approx(1000 / 3.4, abs=0.1)
    mean_hr = sum(hr * dt for hr, dt in held(RUN, "hr")) / (45 * 60)
    assert found.avg_hr == pytest.approx(mean_hr, abs=0.05)
    assert found.avg_power_w is None and found.normalized_power_w is None
    # HR before pace for a run: the stream's hrTSS.
    assert found.load_source == "heart_rate"
    assert found.load == pytest.approx(hr_load(RUN, 45), abs=0.05)


def test_fit_ride_from_power_with_ftp() -> None:
    ride = wavy(steady(60 * 60, 8.0, hr=140, power=200), hr_amp=8, power_amp=80)
    data = fit_bytes(ride, START, sport=Sport.CYCLING, timer_s=3550)
    found = summarise("ride.fit", data, ALL)
    assert found.sport == "bike" and found.duration_min == pytest.approx(3550 / 60, abs=0.01)
    np_w = normalized(ride)
    assert np_w > 205  # the variation weighs: above the 200 W average
    assert found.normalized_power_w == pytest.approx(np_w, abs=0.05)
    assert found.avg_power_w == pytest.approx(200, abs=0.5)
    assert found.load_source == "power"
    assert found.load == pytest.approx(3550 / 3600 * (np_w / FTP) ** 2 * 100, abs=0.05)
    # Without an FTP: the heart rate.
    assert summarise("ride.fit", data, {"threshold_hr": LTHR}).load_source == "heart_rate"


def test_running_power_is_not_rated_with_a_cycling_ftp() -> None:
    run = steady(1800, 3.3, hr=150, power=260)
    assert summarise("run.fit", fit_bytes(run, START), ALL).load_source == "heart_rate"


def test_local_date_from_the_fit_activity() -> None:
    late = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # Monday 18:00 in California
    data = fit_bytes(RUN, late, utc_offset=timedelta(hours=-8))
    assert summarise("evening.fit", data, ALL).date == date(2026, 11, 30)
    assert summarise("utc.fit", fit_bytes(RUN, late), ALL).date == date(2026, 12, 1)


def test_fit_without_session_uses_the_records() -> None:
    found = summarise("bare.fit", fit_bytes(RUN, START, session=False), ALL)
    assert found.sport == "run" and found.duration_min == 45
    assert found.distance_km == pytest.approx(9.18, abs=0.001)


def test_fit_strength_session() -> None:
    lift = steady(30 * 60, 0.0, hr=115, step_s=5)
    data = fit_bytes(lift, START, sport=Sport.TRAINING, sub_sport=SubSport.STRENGTH_TRAINING)
    found = summarise("gym.fit", data, ALL)
    assert found.sport == "strength" and found.distance_km is None
    assert found.load == pytest.approx(0.5 * (115 / LTHR) ** 2 * 100, abs=0.05)


def test_gpx_run_from_pace() -> None:
    run = steady(50 * 60, 3.6, step_s=5)  # no heart rate
    found = summarise("track.gpx", gpx_bytes(run, START), {"threshold_pace_s_per_km": 270})
    distance = sum(haversine_m(a, b) for a, b in itertools.pairwise(run))
    assert (found.format, found.sport, found.duration_min) == ("gpx", "run", 50)
    assert found.distance_km == pytest.approx(distance / 1000, rel=0.002)
    pace = 50 * 60 / (distance / 1000)
    assert found.avg_pace_s_per_km == pytest.approx(pace, rel=0.002)
    assert found.load_source == "pace"
    assert found.load == pytest.approx(50 / 60 * (270 / pace) ** 2 * 100, rel=0.005)


def test_gpx_heart_rate_and_power_extensions() -> None:
    found = summarise("hr.gpx", gpx_bytes(RUN, START), ALL)
    assert found.load_source == "heart_rate"
    assert found.load == pytest.approx(hr_load(RUN, 45), abs=0.05)
    ride = wavy(steady(1200, 8.0, power=210), power_amp=50)
    bike = summarise("ride.gpx", gpx_bytes(ride, START, track_type="cycling"), ALL)
    assert bike.sport == "bike" and bike.load_source == "power"
    assert bike.normalized_power_w == pytest.approx(normalized(ride), abs=0.05)


def test_tcx_run() -> None:
    found = summarise("run.tcx", tcx_bytes(RUN, START), ALL)
    assert (found.format, found.sport, found.duration_min) == ("tcx", "run", 45)
    assert found.distance_km == pytest.approx(9.18, abs=0.001)
    assert found.load == pytest.approx(hr_load(RUN, 45), abs=0.05)
    ride = wavy(steady(1200, 8.0, power=210), power_amp=50)
    bike = summarise("ride.tcx", tcx_bytes(ride, START, sport="Biking"), ALL)
    assert bike.sport == "bike" and bike.load_source == "power"
    assert bike.normalized_power_w == pytest.approx(normalized(ride), abs=0.05)


def test_the_format_comes_from_the_content_not_the_name() -> None:
    assert read_activity_file("export.dat", tcx_bytes(RUN, START)).format == "tcx"
    assert read_activity_file("run.gpx", run_fit()).format == "fit"


def damaged(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("crc.fit", damaged(run_fit()), "CRC"),
        ("cut.fit", run_fit()[:5000], "truncated"),
        ("notes.txt", b"went for a run", "not a FIT, GPX or TCX file"),
        ("empty.fit", b"", "not a FIT, GPX or TCX file"),
        ("route.kml", b"<kml><Document/></kml>", "<kml>"),
        ("broken.gpx", b"<gpx><trk><trkseg>", "XML"),
        (
            "bomb.gpx",
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><gpx>&lol;</gpx>',
            "DOCTYPE",
        ),
        (
            "route.gpx",
            b'<gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1"><trk><trkseg>'
            b'<trkpt lat="46" lon="7"/><trkpt lat="46.01" lon="7"/></trkseg></trk></gpx>',
            "no timed track points",
        ),
        (
            "empty.tcx",
            b'<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/'
            b'TrainingCenterDatabase/v2"><Activities/></TrainingCenterDatabase>',
            "no activity",
        ),
    ],
)
def test_unreadable_files_name_the_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(ActivityFileError) as caught:
        summarise(name, data, ALL)
    assert str(caught.value).startswith(f"{name}: ") and reason in str(caught.value)


def test_a_load_that_cannot_be_derived_says_what_is_missing() -> None:
    with pytest.raises(ActivityFileError, match=r"an LTHR .* for its heart rate"):
        summarise("run.fit", run_fit(), {})
    walk = steady(600, 0.0)
    with pytest.raises(ActivityFileError, match="no power, heart rate or running pace"):
        summarise("still.fit", fit_bytes(walk, START), ALL)


def test_the_shipped_examples_read_as_documented() -> None:
    """examples/easy-run.fit is `python -m examples.make_fit` with its defaults (a FIT file
    the project wrote); examples/done.csv reads with the README's thresholds."""
    from pathlib import Path

    from worker.cli.replan import read_activities

    root = Path(__file__).resolve().parents[2] / "examples"
    found = summarise("easy-run.fit", (root / "easy-run.fit").read_bytes(), ALL)
    run = wavy(steady(80 * 60, 3.2, hr=138, step_s=5), hr_amp=8)
    assert (found.date, found.sport, found.duration_min) == (date(2027, 1, 17), "run", 80)
    assert found.distance_km == pytest.approx(80 * 60 * 3.2 / 1000, abs=0.001)
    assert found.load == pytest.approx(hr_load(run, 80), abs=0.05)
    done = read_activities(root / "done.csv", 280.0, LTHR)
    assert min(a.date for a in done) == date(2027, 1, 5)  # the week of Monday 2027-01-04
    assert {a.resolved_intensity() for a in done} == {"easy", "strength", "hard"}
