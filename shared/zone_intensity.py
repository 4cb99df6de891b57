"""A logged activity's intensity class from its average pace, heart rate or power against the
athlete's own zones: the zones the plan's sessions are written in, so a run done at the
plan's threshold pace counts as the hard day it was, whatever its load.

Classes, as the catalogue's sessions are classed (`shared.session_steps`):
- pace (runs): slower than the plan's steady zone (72-77% of VDOT) is easy; from there up to the slow end of Daniels' threshold band (steady, marathon and
  half-marathon pace) moderate; threshold and faster hard;
- heart rate: Friel's zones from LTHR: Z1-Z2 easy, Z3 moderate, Z4 and above hard; zones
  of max HR: Z1-Z3 easy, Z4 moderate, Z5 hard;
- power (not runs): Coggan's levels: Z1-Z2 easy, Z3 moderate, Z4 and above hard.
The first of pace, heart rate, power that the zones and the activity both have decides; an
average over a whole session (warm-up included) reads a little easier than its hardest part.
"""

from __future__ import annotations

from typing import Literal

from shared.session_steps import ZONES
from shared.zones import Zones

Effort = Literal["easy", "moderate", "hard"]
# The first zone of each class but easy, per basis.
HR_FROM: dict[str, tuple[str, str]] = {"lthr": ("z3", "z4"), "max_hr": ("z4", "z5")}
POWER_FROM = ("z3", "z4")


def _by_pace(zones: Zones, pace_s_per_km: float) -> Effort | None:
    if zones.vdot is None or zones.paces is None:
        return None
    steady_slow = ZONES["steady"].pace(zones.vdot)[1]
    threshold_slow = zones.paces["threshold"][1]
    if pace_s_per_km > steady_slow:
        return "easy"
    return "moderate" if pace_s_per_km > threshold_slow else "hard"


def _by_bounds(low_of: list[int | None], value: float) -> Effort:
    """`low_of`: the lower bounds of the moderate and hard zones."""
    moderate, hard = low_of
    if hard is not None and value >= hard:
        return "hard"
    return "moderate" if moderate is not None and value >= moderate else "easy"


def zone_intensity(
    zones: Zones | None,
    *,
    sport: str = "run",
    avg_pace_s_per_km: float | None = None,
    avg_hr: float | None = None,
    avg_power_w: float | None = None,
) -> Effort | None:
    """The activity's class by the athlete's zones; None when nothing can be compared."""
    if zones is None:
        return None
    if sport == "run" and avg_pace_s_per_km:
        found = _by_pace(zones, avg_pace_s_per_km)
        if found is not None:
            return found
    if avg_hr and zones.hr is not None and zones.hr_basis is not None:
        keys = HR_FROM[zones.hr_basis]
        return _by_bounds([zones.hr[k][0] for k in keys], avg_hr)
    if sport != "run" and avg_power_w and zones.power is not None:
        return _by_bounds([zones.power[k][0] for k in POWER_FROM], avg_power_w)
    return None
