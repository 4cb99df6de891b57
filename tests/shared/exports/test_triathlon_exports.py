"""Every sport of a real olympic-triathlon plan in every export, read back independently:
the calendar with `icalendar`, FIT with `fitdecode` (tests/workout_files.py), ZWO as XML.
Each sport's sessions appear under their sport, their steps adding up to the session."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

import icalendar
import pytest

from shared.exports.fit import render_fit
from shared.exports.ics import render_ics
from shared.exports.registry import WORKOUT_FORMATS
from shared.exports.workouts import Reference, zip_workouts
from shared.exports.zwo import render_zwo
from shared.planning import PlanDay
from shared.steps import PowerTarget, Step, flatten
from tests.shared.exports.olympic_plan import MARKERS, olympic_plan
from tests.workout_files import expected_fit_steps, fit_step_facts, read_fit, read_zwo

# What each sport is filed as: the FIT profile's sport names, the words a calendar shows.
FIT_SPORT = {
    "swim": "swimming",
    "bike": "cycling",
    "run": "running",
    "strength": "training",
    "brick": "generic",  # two sports in one session: a FIT workout holds one
    "triathlon": "generic",
}
WORDS = {"swim": "Swim", "bike": "Bike", "run": "Run", "strength": "Strength"}
FTP = MARKERS.ftp_w


def sport(day: PlanDay) -> str:
    return "strength" if day.intensity == "strength" else day.sport


def sessions() -> list[PlanDay]:
    return [d for d in olympic_plan().days if d.intensity != "rest"]


def test_the_plan_has_every_sport_to_export() -> None:
    """Every sport a triathlon adds; strength, the solver's choice (no rule asks for it), is
    exported as in a running plan (tests/shared/exports/test_workouts.py)."""
    found = Counter(sport(d) for d in sessions())
    assert {"swim", "bike", "run", "brick", "triathlon"} <= set(found)


# -- calendar -------------------------------------------------------------------------------


def test_each_calendar_event_names_its_sport() -> None:
    result = olympic_plan()
    events = list(icalendar.Calendar.from_ical(render_ics(result)).walk("VEVENT"))
    days = sessions()
    assert len(events) == len(days)
    named: Counter[str] = Counter()
    for event, day in zip(events, days, strict=True):
        assert event.decoded("DTSTART") == day.date
        summary = str(event["SUMMARY"])
        assert summary.endswith(f" ({day.duration_min} min)")
        categories = [str(c) for c in event["CATEGORIES"].cats]
        assert categories == [sport(day), day.intensity]
        word = WORDS.get(sport(day))
        if word is not None:  # led by the sport, or its name starts with it ("Strength")
            assert summary.startswith(f"{word}: {day.session_type}") or (
                summary.startswith(day.session_type) and day.session_type.startswith(word)
            ), summary
            named[sport(day)] += 1
        else:  # a brick or the race names its sports itself
            assert summary.startswith(day.session_type)
    assert {"swim", "bike", "run"} <= set(named)


# -- FIT ------------------------------------------------------------------------------------


def fit_seconds(steps: list[dict[str, Any]]) -> float:
    """Total time of decoded workout steps, each repeat run its count of times."""
    total = 0.0
    for i, step in enumerate(steps):
        if step["duration_type"] == "repeat_until_steps_cmplt":
            inner = steps[step["back_to"] : i]
            total += (step["count"] - 1) * sum(s["duration_raw"] / 1000 for s in inner)
        elif step["duration_type"] == "time":
            total += step["duration_raw"] / 1000
    return total


def by_time(day: PlanDay) -> bool:
    return all(s.duration_s is not None for s in flatten(list(day.steps)))


@pytest.mark.parametrize("name", ["swim", "bike", "run", "brick", "triathlon"])
def test_each_sports_fit_workouts_decode_to_their_sessions(name: str) -> None:
    days = [d for d in sessions() if sport(d) == name]
    assert days
    for day in days:
        fit = read_fit(render_fit(day))
        assert fit.workout["sport"][0] == FIT_SPORT[name], day.session_code
        # A swim is a pool swim.
        assert fit.workout.get("sub_sport", (None,))[0] == (
            "lap_swimming" if name == "swim" else None
        )
        steps = [fit_step_facts(m) for m in fit.steps]
        assert steps == expected_fit_steps(day), day.session_code
        if by_time(day):
            seconds = fit_seconds(steps)
            if name in ("swim", "bike"):  # the steps are the session's minutes
                assert seconds == day.duration_min * 60, day.session_code
            else:  # whole steps: a run's strides may add a few seconds
                assert abs(seconds - day.duration_min * 60) < 60, day.session_code


def test_rides_hold_the_athletes_watts_and_swims_a_swimmers_speed() -> None:
    for day in sessions():
        steps = [fit_step_facts(m) for m in read_fit(render_fit(day)).steps]
        targets = [s for s in steps if "target_type" in s]
        if sport(day) == "bike":  # FTP known: every step in watts (W + 1000 on the wire)
            assert targets and all(s["target_type"] == "power" for s in targets)
            assert all(1000 <= s["low_raw"] <= s["high_raw"] <= 1000 + 2 * FTP for s in targets)
        if sport(day) == "swim":  # CSS known: a speed in mm/s, a swimmer's (0.5-2 m/s)
            assert targets and all(s["target_type"] == "speed" for s in targets)
            assert all(500 <= s["low_raw"] <= s["high_raw"] <= 2000 for s in targets)


# -- ZWO ------------------------------------------------------------------------------------


def zwo_steps(data: bytes) -> list[tuple[int, float, float]]:
    """The file's steps in the order ridden, repeats unrolled: (seconds, start, end power)."""
    out: list[tuple[int, float, float]] = []
    for tag, a, _ in read_zwo(data).elements:
        if tag == "IntervalsT":
            on = (int(a["OnDuration"]), float(a["OnPower"]), float(a["OnPower"]))
            off = (int(a["OffDuration"]), float(a["OffPower"]), float(a["OffPower"]))
            out += [on, off] * int(a["Repeat"])
        elif tag == "SteadyState":
            out.append((int(a["Duration"]), float(a["Power"]), float(a["Power"])))
        else:  # Warmup, Cooldown: a ramp from PowerLow to PowerHigh
            out.append((int(a["Duration"]), float(a["PowerLow"]), float(a["PowerHigh"])))
    return out


def ride_fractions(step: Step) -> tuple[float, float]:
    """The step's power as Zwift takes it, recomputed: a fraction of FTP; a ramp from one
    end of its range to the other, a steady step at its middle."""
    assert isinstance(step.target, PowerTarget) and FTP is not None
    low, high = step.target.low_w / FTP, step.target.high_w / FTP
    if step.type == "warmup":
        return low, high
    if step.type == "cooldown":
        return high, low
    return (low + high) / 2, (low + high) / 2


def test_rides_are_zwift_workouts_in_fractions_of_ftp() -> None:
    rides = [d for d in sessions() if sport(d) == "bike"]
    assert rides
    for day in rides:
        data = render_zwo(day, Reference.of(MARKERS))
        zwo = read_zwo(data)
        assert zwo.sport == "bike" and zwo.ftp_override is None  # the athlete's FTP known
        got = zwo_steps(data)
        want = flatten(list(day.steps))
        assert [s for s, _, _ in got] == [s.duration_s for s in want], day.session_code
        assert sum(s for s, _, _ in got) == day.duration_min * 60
        for (_, start, end), step in zip(got, want, strict=True):
            assert (start, end) == pytest.approx(ride_fractions(step), abs=5e-4)


def test_runs_are_zwift_workouts_and_swims_are_not() -> None:
    reference = Reference.of(MARKERS)
    runs = [d for d in sessions() if sport(d) == "run"]
    assert runs
    for day in runs:
        zwo = read_zwo(render_zwo(day, reference))
        assert zwo.sport == "run"
        if by_time(day):
            seconds = sum(s for s, _, _ in zwo_steps(render_zwo(day, reference)))
            assert seconds == sum(s.duration_s or 0 for s in flatten(list(day.steps)))
    swims = [d for d in sessions() if sport(d) == "swim"]
    for day in swims:
        with pytest.raises(ValueError, match="this session is swim"):
            render_zwo(day, reference)
    # A plan's Zwift zip holds its rides and runs, no swim.
    zwo = WORKOUT_FORMATS["zwo"]
    names = zipfile.ZipFile(io.BytesIO(zip_workouts(sessions(), zwo, reference))).namelist()
    filed = Counter(
        sport(d) for d in sessions() if f"{d.date}-{d.slot}-{d.session_code}.zwo" in names
    )
    assert set(filed) == {"bike", "run"} and len(names) == sum(filed.values())
    assert filed["bike"] == len([d for d in sessions() if sport(d) == "bike"])
