"""Performance markers: what an athlete knows of their own fitness, validated, and the
parsers of the strings people type for them (`--race-result 10k=45:00`, `--css 1:45`).

Bounds reject what no human can run or what is surely a typo (a marathon in 1:30:00 is
VDOT 121, above every world record's 84-86), with a message saying why.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from shared.zones import (
    HALF_MARATHON_M,
    MARATHON_M,
    Zones,
    derive_zones,
    format_duration,
    threshold_pace_of,
    vdot_from_race,
    vdot_from_threshold_pace,
)

VDOT_MIN, VDOT_MAX = 10.0, 90.0
NAMED_DISTANCES_M: dict[str, float] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}
MIN_DISTANCE_M, MAX_DISTANCE_M = 1500.0, MARATHON_M  # where the Daniels-Gilbert fit holds


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class RaceResult(_Strict):
    distance_m: float = Field(ge=MIN_DISTANCE_M, le=MAX_DISTANCE_M, description="metres")
    # From a minute on: the VDOT check below then refuses what is too fast (and never
    # divides by a time of zero).
    time_s: float = Field(ge=60, le=24 * 3600, description="finishing time in seconds")

    @model_validator(mode="after")
    def _humanly_possible(self) -> RaceResult:
        vdot = vdot_from_race(self.distance_m, self.time_s)
        if not VDOT_MIN <= vdot <= VDOT_MAX:
            what = f"{self.distance_m:g} m in {format_duration(self.time_s)}"
            side = "faster than any world record" if vdot > VDOT_MAX else "slower than walking"
            raise ValueError(
                f"{what} is VDOT {vdot:.1f}, {side}: "
                f"results between VDOT {VDOT_MIN:g} and {VDOT_MAX:g} are accepted"
            )
        return self


class Markers(_Strict):
    """All optional; each one known unlocks its zones (`zones()`)."""

    race_result: RaceResult | None = Field(default=None, description="a recent race")
    threshold_pace_s_per_km: float | None = Field(
        default=None, ge=60, le=1800, description="threshold (about one-hour race) pace"
    )
    lthr_bpm: float | None = Field(
        default=None, ge=80, le=230, description="lactate-threshold heart rate"
    )
    max_hr_bpm: float | None = Field(default=None, ge=100, le=240)
    ftp_w: float | None = Field(default=None, ge=30, le=700, description="cycling FTP, watts")
    css_s_per_100m: float | None = Field(
        default=None, ge=55, le=300, description="swim critical speed, seconds per 100 m"
    )

    @field_validator("threshold_pace_s_per_km")
    @classmethod
    def _runnable_threshold(cls, pace: float | None) -> float | None:
        if pace is not None and not VDOT_MIN <= vdot_from_threshold_pace(pace) <= VDOT_MAX:
            fast, slow = threshold_pace_of(VDOT_MAX), threshold_pace_of(VDOT_MIN)
            raise ValueError(
                f"{format_duration(pace)} per km is outside what a runner holds at threshold "
                f"({format_duration(fast)} to {format_duration(slow)} per km)"
            )
        return pace

    @model_validator(mode="after")
    def _consistent(self) -> Markers:
        lthr, max_hr = self.lthr_bpm, self.max_hr_bpm
        if lthr is not None and max_hr is not None and lthr >= max_hr:
            raise ValueError(f"lthr_bpm ({lthr:g}) must be below max_hr_bpm ({max_hr:g})")
        return self

    def zones(self) -> Zones:
        race = self.race_result
        return derive_zones(
            race_distance_m=race.distance_m if race else None,
            race_time_s=race.time_s if race else None,
            threshold_pace_s_per_km=self.threshold_pace_s_per_km,
            lthr_bpm=self.lthr_bpm,
            max_hr_bpm=self.max_hr_bpm,
            ftp_w=self.ftp_w,
            css_s_per_100m=self.css_s_per_100m,
        )

    def threshold_pace(self) -> float | None:
        """The threshold pace (s/km) to rate activities by: given, else from the race."""
        if self.threshold_pace_s_per_km is not None:
            return self.threshold_pace_s_per_km
        if self.race_result is not None:
            race = self.race_result
            return round(threshold_pace_of(vdot_from_race(race.distance_m, race.time_s)), 1)
        return None


# -- the strings people type ----------------------------------------------------------------

_HMS = re.compile(r"^(?:(\d+):([0-5]\d):([0-5]\d)|(\d+):([0-5]\d))$")
_MSS = re.compile(r"^(\d+):([0-5]\d)$")


def parse_duration(text: str) -> float:
    """`H:MM:SS` or `MM:SS` to seconds; ValueError otherwise."""
    match = _HMS.match(text.strip())
    if match is None:
        raise ValueError("time must be H:MM:SS or MM:SS")
    h, m, s, m2, s2 = match.groups()
    if h is not None:
        return int(h) * 3600 + int(m) * 60 + int(s)
    return int(m2) * 60 + int(s2)


def parse_race_result(text: str) -> dict[str, float]:
    """`DISTANCE=H:MM:SS` (DISTANCE: 5k, 10k, half, marathon or whole metres) to
    `{distance_m, time_s}`; ValueError with the reason otherwise."""
    where = f"race result {text!r}"
    distance, sep, time = text.strip().partition("=")
    if not sep:
        raise ValueError(f"{where}: expected DISTANCE=H:MM:SS, e.g. 10k=45:00")
    key = distance.strip().lower()
    if key in NAMED_DISTANCES_M:
        metres = NAMED_DISTANCES_M[key]
    elif key.isdigit():
        metres = float(key)
    else:
        names = ", ".join(NAMED_DISTANCES_M)
        raise ValueError(f"{where}: distance must be {names} or whole metres (e.g. 3000)")
    try:
        seconds = parse_duration(time)
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    if seconds <= 0:
        raise ValueError(f"{where}: time must be longer than 0:00")
    return {"distance_m": metres, "time_s": seconds}


def parse_pace(text: str, what: str, per: str) -> float:
    """`M:SS` to seconds, for a pace `per` a distance."""
    match = _MSS.match(text.strip())
    if match is None:
        raise ValueError(f"{what} {text!r}: must be M:SS per {per}, e.g. {_EXAMPLE[per]}")
    return int(match[1]) * 60 + int(match[2])


_EXAMPLE = {"km": "4:30", "100 m": "1:45"}


def parse_whole(text: str, what: str, unit: str) -> float:
    """A whole number (bpm, watts)."""
    if not text.strip().isdigit():
        raise ValueError(f"{what} {text!r}: must be a whole number of {unit}")
    return float(text.strip())


def parse_threshold_pace(text: str) -> float:
    return parse_pace(text, "threshold pace", "km")


def parse_css(text: str) -> float:
    return parse_pace(text, "CSS", "100 m")


def parse_lthr(text: str) -> float:
    return parse_whole(text, "LTHR", "beats per minute")


def parse_max_hr(text: str) -> float:
    return parse_whole(text, "max HR", "beats per minute")


def parse_ftp(text: str) -> float:
    return parse_whole(text, "FTP", "watts")
