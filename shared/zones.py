"""Training zones from what the athlete knows: pure functions, no I/O.

Paces (Jack Daniels). VDOT comes from a race result through the Daniels-Gilbert equations
(Daniels & Gilbert, *Oxygen Power*, 1979), velocity `v` in m/min and duration `t` in min:

    oxygen cost   VO2(v)  = -4.60 + 0.182258 v + 0.000104 v^2
    sustainable   %max(t) = 0.8 + 0.1894393 e^(-0.012778 t) + 0.2989558 e^(-0.1932605 t)
    VDOT                  = VO2(d / t) / %max(t)

A zone's pace is the velocity whose oxygen cost is a fraction of VDOT (the quadratic
inverted). The fractions:
- easy: 62-70% of VDOT. They reproduce the E range of Daniels' printed table (VDOT 50:
  5:07-5:38 /km); his text's 59-74% is the wider physiological band around it.
- marathon: the pace of the marathon this VDOT predicts (the race time solved back from the
  equations: VDOT 50 runs 3:10:49, 4:31 /km).
- threshold: 88% (Daniels' T pace, "comfortably hard", about one hour's race pace).
- interval: 100% (velocity at VO2max, a race of about 11 minutes).
- repetition: 107%, about current mile race pace where Daniels sets R (VDOT 50: 87 s per
  400 m); a fixed fraction, since a slow runner's mile lasts longer than I-pace efforts.
Daniels gives single M/T/I/R paces; each zone is the target band of +/-1% of VO2max
around it (a few s/km either side), ranges `[fast, slow]` in s/km.

A threshold pace alone gives VDOT = VO2(T velocity) / 0.88, the inverse of the T fraction,
so the zones round-trip: the threshold band is centred on the pace given.

Heart rate: from LTHR, Joe Friel's running zones (% of LTHR): Z1 < 85, Z2 85-89, Z3 90-94,
Z4 95-99, Z5a 100-102, Z5b 103-106, Z5c > 106; from max HR alone, the common five-zone
scheme of 50-60-70-80-90-100% of max HR (Z1 to Z5). Power: Andrew Coggan's seven levels
(% of FTP): Z1 <= 55, Z2 56-75, Z3 76-90, Z4 91-105, Z5 106-120, Z6 121-150, Z7 > 150.
Swim: offsets from CSS (s per 100 m), see `SWIM_OFFSETS`.

Every range is `[low, high]` in its unit (paces: fast then slow). Whole bpm and watts
belong to exactly one zone: a zone holds the values whose percentage lies in its interval
(`None`: no bound on that side).
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, Field

MARATHON_M = 42195.0
HALF_MARATHON_M = 21097.5

# Zone key -> fractions of VDOT (slow end, fast end).
EASY_FRACTIONS = (0.62, 0.70)
THRESHOLD_FRACTION = 0.88
INTERVAL_FRACTION = 1.00
REPETITION_FRACTION = 1.07
BAND = 0.01  # +/- around a single Daniels pace, as a fraction of VO2max
PACE_ZONES = ("easy", "marathon", "threshold", "interval", "repetition")

# Friel: lower bounds of Z2..Z5c in % of LTHR (Z1 is below 85%).
FRIEL_ZONES = ("z1", "z2", "z3", "z4", "z5a", "z5b", "z5c")
FRIEL_LOWER_PCT = (85, 90, 95, 100, 103, 107)
# % of max HR: bounds of Z1..Z5.
MAX_HR_ZONES = ("z1", "z2", "z3", "z4", "z5")
MAX_HR_BOUNDS_PCT = (50, 60, 70, 80, 90, 100)
# Coggan: upper bounds of levels 1..6 in % of FTP (level 7 is above 150%).
COGGAN_ZONES = ("z1", "z2", "z3", "z4", "z5", "z6", "z7")
COGGAN_UPPER_PCT = (55, 75, 90, 105, 120, 150)
# Swim: (fast, slow) offsets in s per 100 m from CSS (negative: faster than CSS).
SWIM_OFFSETS: dict[str, tuple[float, float]] = {
    "z1": (10, 20),  # recovery
    "z2": (5, 10),  # endurance
    "z3": (2, 5),  # tempo
    "z4": (-1, 2),  # threshold: CSS itself
    "z5": (-5, -1),  # VO2max, faster than CSS
}

ZONE_NAMES: dict[str, dict[str, str]] = {
    "hr_lthr": {
        "z1": "recovery",
        "z2": "aerobic",
        "z3": "tempo",
        "z4": "sub-threshold",
        "z5a": "super-threshold",
        "z5b": "aerobic capacity",
        "z5c": "anaerobic capacity",
    },
    "hr_max": {"z1": "very light", "z2": "light", "z3": "moderate", "z4": "hard", "z5": "maximum"},
    "power": {
        "z1": "active recovery",
        "z2": "endurance",
        "z3": "tempo",
        "z4": "lactate threshold",
        "z5": "VO2max",
        "z6": "anaerobic capacity",
        "z7": "neuromuscular",
    },
    "swim": {"z1": "recovery", "z2": "endurance", "z3": "tempo", "z4": "threshold", "z5": "VO2max"},
}

PaceRange = list[float]  # [fast, slow] s/km
BoundRange = list[int | None]  # [low, high], None: open


class Zones(BaseModel):
    """The athlete's zones; None where the marker they come from is unknown."""

    vdot: float | None = Field(default=None, description="Daniels' VDOT (race or threshold)")
    paces: dict[str, PaceRange] | None = Field(
        default=None,
        description="easy|marathon|threshold|interval|repetition: [fast_s_per_km, slow_s_per_km]",
    )
    hr: dict[str, BoundRange] | None = Field(
        default=None, description="bpm [low, high]: Friel z1..z5c (LTHR) or z1..z5 (max HR)"
    )
    hr_basis: Literal["lthr", "max_hr"] | None = Field(
        default=None, description="what the HR zones come from"
    )
    power: dict[str, BoundRange] | None = Field(
        default=None, description="watts [low, high]: Coggan levels z1..z7"
    )
    swim: dict[str, PaceRange] | None = Field(
        default=None, description="z1..z5: [fast_s_per_100m, slow_s_per_100m]"
    )

    @property
    def known(self) -> bool:
        return any(v is not None for v in (self.vdot, self.hr, self.power, self.swim))


# -- Daniels-Gilbert ----------------------------------------------------------------------


def oxygen_cost(v_m_per_min: float) -> float:
    """ml O2/kg/min to run at `v` m/min."""
    return -4.60 + 0.182258 * v_m_per_min + 0.000104 * v_m_per_min**2


def sustainable_fraction(minutes: float) -> float:
    """Fraction of VO2max that can be held for a race lasting `minutes`."""
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def vdot_from_race(distance_m: float, time_s: float) -> float:
    minutes = time_s / 60
    return oxygen_cost(distance_m / minutes) / sustainable_fraction(minutes)


def velocity_for(vo2: float) -> float:
    """m/min whose oxygen cost is `vo2`: the positive root of the oxygen-cost quadratic."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)


def pace_s_per_km(vdot: float, fraction: float) -> float:
    return 60_000 / velocity_for(vdot * fraction)


def vdot_from_threshold_pace(pace_s_per_km: float) -> float:
    return oxygen_cost(60_000 / pace_s_per_km) / THRESHOLD_FRACTION


def predicted_time_s(vdot: float, distance_m: float) -> float:
    """The time this VDOT predicts over `distance_m` (bisection: VDOT falls as time grows)."""
    lo, hi = 1.0, 24 * 60.0  # minutes
    for _ in range(100):
        mid = (lo + hi) / 2
        if vdot_from_race(distance_m, mid * 60) > vdot:
            lo = mid  # faster than this VDOT: the predicted time is longer
        else:
            hi = mid
    return (lo + hi) / 2 * 60


def _band(vdot: float, fraction: float) -> PaceRange:
    return [
        round(pace_s_per_km(vdot, fraction + BAND), 1),
        round(pace_s_per_km(vdot, fraction - BAND), 1),
    ]


def daniels_paces(vdot: float) -> dict[str, PaceRange]:
    marathon_pace = predicted_time_s(vdot, MARATHON_M) / (MARATHON_M / 1000)
    marathon_fraction = oxygen_cost(60_000 / marathon_pace) / vdot
    slow, fast = EASY_FRACTIONS
    return {
        "easy": [round(pace_s_per_km(vdot, fast), 1), round(pace_s_per_km(vdot, slow), 1)],
        "marathon": _band(vdot, marathon_fraction),
        "threshold": _band(vdot, THRESHOLD_FRACTION),
        "interval": _band(vdot, INTERVAL_FRACTION),
        "repetition": _band(vdot, REPETITION_FRACTION),
    }


def fraction_band(vdot: float, slow_fraction: float, fast_fraction: float) -> PaceRange:
    """`[fast, slow]` s/km between two fractions of VDOT (zones Daniels gives no table for:
    recovery jogs, steady running)."""
    return [
        round(pace_s_per_km(vdot, fast_fraction), 1),
        round(pace_s_per_km(vdot, slow_fraction), 1),
    ]


def race_pace_band(vdot: float, distance_m: float) -> PaceRange:
    """The pace of the race over `distance_m` this VDOT predicts, as a band of +/-1% of
    VO2max around it (as the M/T/I/R bands): goal-pace work and race day."""
    pace = predicted_time_s(vdot, distance_m) / (distance_m / 1000)
    return _band(vdot, oxygen_cost(60_000 / pace) / vdot)


# -- heart rate, power, swim --------------------------------------------------------------


def _ceil_pct(pct: int, base: float) -> int:
    """The lowest whole value at or above `pct`% of `base` (exact for whole bases)."""
    return math.ceil(pct * base / 100)


def friel_hr_zones(lthr_bpm: float, max_hr_bpm: float | None = None) -> dict[str, BoundRange]:
    """Whole bpm: a zone holds the bpm at or above its lower % and below the next one's;
    Z5c ends at max HR when it is known."""
    bounds = [_ceil_pct(p, lthr_bpm) for p in FRIEL_LOWER_PCT]
    top = math.floor(max_hr_bpm) if max_hr_bpm and max_hr_bpm >= bounds[-1] else None
    lows: list[int | None] = [None, *bounds]
    highs: list[int | None] = [*(b - 1 for b in bounds), top]
    return {key: [lo, hi] for key, lo, hi in zip(FRIEL_ZONES, lows, highs, strict=True)}


def max_hr_zones(max_hr_bpm: float) -> dict[str, BoundRange]:
    bounds = [_ceil_pct(p, max_hr_bpm) for p in MAX_HR_BOUNDS_PCT]
    lows: list[int | None] = list(bounds[:-1])
    highs: list[int | None] = [*(b - 1 for b in bounds[1:-1]), math.floor(max_hr_bpm)]
    return {key: [lo, hi] for key, lo, hi in zip(MAX_HR_ZONES, lows, highs, strict=True)}


def coggan_power_zones(ftp_w: float) -> dict[str, BoundRange]:
    """Whole watts: a level holds the watts above the previous level's % up to its own."""
    upper = [math.floor(p * ftp_w / 100) for p in COGGAN_UPPER_PCT]
    lows: list[int | None] = [0, *(h + 1 for h in upper)]
    highs: list[int | None] = [*upper, None]
    return {key: [lo, hi] for key, lo, hi in zip(COGGAN_ZONES, lows, highs, strict=True)}


def css_swim_zones(css_s_per_100m: float) -> dict[str, PaceRange]:
    return {
        key: [round(css_s_per_100m + fast, 1), round(css_s_per_100m + slow, 1)]
        for key, (fast, slow) in SWIM_OFFSETS.items()
    }


def derive_zones(
    *,
    race_distance_m: float | None = None,
    race_time_s: float | None = None,
    threshold_pace_s_per_km: float | None = None,
    lthr_bpm: float | None = None,
    max_hr_bpm: float | None = None,
    ftp_w: float | None = None,
    css_s_per_100m: float | None = None,
) -> Zones:
    """Every zone the given markers allow. A race result beats a threshold pace for VDOT
    (it measures the whole runner); LTHR beats max HR (Friel's zones are individual)."""
    vdot: float | None = None
    if race_distance_m and race_time_s:
        vdot = vdot_from_race(race_distance_m, race_time_s)
    elif threshold_pace_s_per_km:
        vdot = vdot_from_threshold_pace(threshold_pace_s_per_km)
    hr: dict[str, BoundRange] | None = None
    basis: Literal["lthr", "max_hr"] | None = None
    if lthr_bpm:
        hr, basis = friel_hr_zones(lthr_bpm, max_hr_bpm), "lthr"
    elif max_hr_bpm:
        hr, basis = max_hr_zones(max_hr_bpm), "max_hr"
    return Zones(
        vdot=round(vdot, 1) if vdot is not None else None,
        paces=daniels_paces(vdot) if vdot is not None else None,
        hr=hr,
        hr_basis=basis,
        power=coggan_power_zones(ftp_w) if ftp_w else None,
        swim=css_swim_zones(css_s_per_100m) if css_s_per_100m else None,
    )


def threshold_pace_of(vdot: float) -> float:
    """Daniels' T pace (s/km) of a VDOT: where a race result stands in for a threshold pace."""
    return pace_s_per_km(vdot, THRESHOLD_FRACTION)


def format_duration(seconds: float) -> str:
    """`M:SS`, or `H:MM:SS` from an hour on (rounded to the second)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class RunnerZones(Zones):
    """`GET /runners/{id}/zones`: the zones, and what to add when none is known."""

    runner_id: str
    hint: str | None = Field(default=None, description="which marker to add, when none is known")
