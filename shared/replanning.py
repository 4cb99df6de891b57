"""The re-planning contract: a previous plan, what was actually done, and what changed.

A re-plan keeps every day before the effective date (as planned, or as done when a record
of activities is given; a day after `today` has not been lived, so without an activity it
stays as planned) and solves the days from the effective date to the race again,
warm-started from the previous plan. The engine (`worker.engine.replan`) is pure, like
`solve`; the CLI, the Celery job and the API build a `ReplanRequest` and read a
`ReplanResult`.

Load of an activity (TSS-like, the scale of the built-in catalogue: 100 = one hour at
threshold): `load = hours x IF^2 x 100` with the intensity factor IF = threshold pace /
average pace (both s/km: faster than threshold gives IF > 1), else IF = average HR /
threshold HR. Without a given intensity, the activity's pace or heart rate against the
runner's zones classes it (`shared.zone_intensity`, where the API and the CLI know them),
else IF (given, or sqrt(load / (hours x 100)) from the load): easy below 0.78, moderate
below 0.87, hard from 0.87. That last is a rough fallback: a session's average IF counts its
warm-up and cool-down (the catalogue's threshold intervals average about 0.87, its easy runs
0.72).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from shared.planning import (
    Intensity,
    JsonDate,
    PlanDay,
    PlanRequest,
    PlanResult,
    Race,
    StrictModel,
)

EASY_IF_BELOW = 0.78
MODERATE_IF_BELOW = 0.87
STRENGTH_SPORTS = frozenset({"strength", "gym"})
DoneKind = Literal["run", "long", "strength"]


class LoadInputError(ValueError):
    """An activity without a load and without what is needed to derive one."""


def intensity_factor(
    duration_min: float,
    *,
    load: float | None = None,
    avg_pace_s_per_km: float | None = None,
    threshold_pace_s_per_km: float | None = None,
    avg_hr: float | None = None,
    threshold_hr: float | None = None,
) -> float | None:
    """IF from pace, else heart rate, else back from a given load; None if nothing fits."""
    if avg_pace_s_per_km and threshold_pace_s_per_km:
        return threshold_pace_s_per_km / avg_pace_s_per_km
    if avg_hr and threshold_hr:
        return avg_hr / threshold_hr
    if load is not None and duration_min > 0:
        return math.sqrt(load / (duration_min / 60 * 100))
    return None


def derive_load(
    duration_min: float,
    *,
    avg_pace_s_per_km: float | None = None,
    threshold_pace_s_per_km: float | None = None,
    avg_hr: float | None = None,
    threshold_hr: float | None = None,
) -> float:
    """TSS-like load: hours x IF^2 x 100 (see the module docstring)."""
    factor = intensity_factor(
        duration_min,
        avg_pace_s_per_km=avg_pace_s_per_km,
        threshold_pace_s_per_km=threshold_pace_s_per_km,
        avg_hr=avg_hr,
        threshold_hr=threshold_hr,
    )
    if factor is None:
        raise LoadInputError(
            "give the activity's load, or its average pace with a threshold pace, "
            "or its average heart rate with a threshold heart rate"
        )
    return load_of(duration_min, factor)


def load_of(duration_min: float, factor: float) -> float:
    """TSS-like load of `duration_min` at intensity factor `factor`: hours x IF^2 x 100."""
    return round(duration_min / 60 * factor**2 * 100, 1)


def intensity_class(factor: float | None) -> Intensity:
    if factor is None or factor < EASY_IF_BELOW:
        return "easy"
    return "moderate" if factor < MODERATE_IF_BELOW else "hard"


class DoneActivity(StrictModel):
    """One activity actually done, as the engine needs it (the API stores more)."""

    date: JsonDate
    sport: str = Field(default="run", min_length=1, max_length=20)
    duration_min: int = Field(ge=0, le=1440)
    load: float = Field(ge=0, le=2000)
    intensity: Intensity | None = Field(default=None, description="default: from the load")
    kind: DoneKind | None = Field(
        default=None,
        description="default: strength for strength sports, long from the "
        "schema's shortest long run, else run",
    )
    session_code: str | None = Field(
        default=None, max_length=40, description="the planned session this was, if any"
    )
    name: str | None = Field(default=None, max_length=120)

    def resolved_intensity(self) -> Intensity:
        if self.intensity is not None:
            return self.intensity
        if self.sport in STRENGTH_SPORTS:
            return "strength"
        return intensity_class(intensity_factor(self.duration_min, load=self.load))


class ReplanRequest(StrictModel):
    """Re-plan from `effective` to the race, keeping what came before."""

    request: PlanRequest = Field(description="the request the previous plan was made from")
    previous: list[PlanDay] = Field(min_length=1, max_length=6000)
    effective: JsonDate = Field(description="the first day planned again")
    done: list[DoneActivity] | None = Field(
        default=None,
        max_length=5000,
        description="what was done; None: every day before `effective` went as planned",
    )
    done_since: JsonDate | None = Field(
        default=None,
        description="with `done`: the record is complete from this day (a day without an "
        "activity was a rest day); earlier days went as planned. Default: the plan's start",
    )
    today: JsonDate | None = Field(
        default=None,
        description="with `done`: the days after it have not been lived yet, so those before "
        "`effective` keep their planned sessions unless activities were logged for them. "
        "Default: every day before `effective` has been lived",
    )
    unavailable_dates: list[JsonDate] = Field(default_factory=list, max_length=800)
    weekly_hours: float | None = Field(default=None, gt=0, le=40)
    race: Race | None = Field(
        default=None,
        description="an A race replaces the goal race (moved); a B/C race is added, or "
        "replaces the race of the same name (moved)",
    )
    change_penalty: float = Field(
        default=0.1, ge=0, le=10, description="objective cost of each future day changed"
    )
    hint_previous: bool = Field(
        default=True, description="give the previous plan's future days as a solution hint"
    )

    @model_validator(mode="after")
    def _previous_in_order(self) -> ReplanRequest:
        dates = [d.date for d in self.previous]
        if dates != sorted(dates):
            raise ValueError("previous: the plan's days must be in date order")
        return self


class ReplanResult(PlanResult):
    effective: date
    changed_days: int = Field(default=0, description="future days whose sessions differ")
    changed_dates: list[date] = Field(default_factory=list)
    kept_days: int = Field(default=0, description="days before the effective date, kept")
    ctl_at_effective: float = Field(default=0.0, description="fitness the morning of `effective`")
    atl_at_effective: float = Field(default=0.0, description="fatigue the morning of `effective`")
