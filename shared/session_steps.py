"""Sessions as template steps by zone: what a catalogue entry says before any athlete is known.

A template step names a *zone* (easy, threshold, interval, ...) instead of numbers; the
athlete's paces, heart rates or watts replace it when a plan is laid out
(`shared.resolve_steps`). Each zone has an intensity factor, so a session's minutes and load
follow from its steps: load = sum over the steps run of hours x 100 x IF^2 (TSS-like: an
hour at threshold is 100), and an RPE, the target where no marker is known. From marathon
pace up, IF is threshold pace / the zone's pace at the reference runner (as a logged run's IF
is, `shared.replanning`): marathon 0.94, half 0.97, threshold 1.0, 10 km 1.02, 5 km 1.06,
interval 1.10, repetition and strides 1.17; hard uphill 1.15. Below, heart rate says more
than pace: easy 0.72, recovery 0.65, steady 0.85; a long run's easy miles 0.75, the drift
of heart rate and fatigue over two hours.

A step may be a distance (5 x 1000 m): its minutes in the template are those of a reference
runner (VDOT `REFERENCE_VDOT`, a 45-minute 10 km) at the middle of the zone's pace band.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from shared.steps import StepType
from shared.zones import (
    HALF_MARATHON_M,
    MARATHON_M,
    PaceRange,
    daniels_paces,
    fraction_band,
    race_pace_band,
)

ZoneName = Literal[
    "walk",
    "recovery",
    "easy",
    "long",
    "steady",
    "tempo",
    "sweet_spot",
    "marathon",
    "half_marathon",
    "threshold",
    "race_10k",
    "hills",
    "interval",
    "race_5k",
    "repetition",
    "strides",
]

REFERENCE_VDOT = 45.0


def _race(distance_m: float) -> Callable[[float], PaceRange]:
    return lambda vdot: race_pace_band(vdot, distance_m)


def _fractions(slow: float, fast: float) -> Callable[[float], PaceRange]:
    return lambda vdot: fraction_band(vdot, slow, fast)


@dataclass(frozen=True)
class ZoneSpec:
    """How a zone is run, and where the athlete's numbers for it come from.

    `daniels`: the Daniels band it is (a `Zones.paces` key); else `band`, the run pace band
    of a VDOT; neither: pace means nothing here (uphill).
    `hr_lthr` / `hr_max`: the first and last heart-rate zone it spans (Friel's from LTHR,
    or % of max HR); None: heart rate lags too much for it (short efforts).
    `power`, `swim`: the Coggan level and CSS zone of bike and swim steps.
    `between`: how a recovery step in this zone is said ("2 min jog")."""

    intensity_factor: float
    rpe: int
    word: str
    daniels: str | None = None
    band: Callable[[float], PaceRange] | None = None
    hr_lthr: tuple[str, str] | None = None
    hr_max: tuple[str, str] | None = None
    power: str | None = None
    swim: str | None = None
    between: str | None = None

    @property
    def has_pace(self) -> bool:
        return self.daniels is not None or self.band is not None

    def pace(self, vdot: float) -> PaceRange:
        """`[fast, slow]` s/km for a VDOT (ValueError if the zone has no pace)."""
        if self.daniels is not None:
            return daniels_paces(vdot)[self.daniels]
        if self.band is None:
            raise ValueError(f"{self.word}: no pace")
        return self.band(vdot)


def _zone(
    intensity_factor: float,
    rpe: int,
    word: str,
    pace: str | Callable[[float], PaceRange] | None,
    hr: str | None = None,
    power: str | None = None,
    swim: str | None = None,
    between: str | None = None,
) -> ZoneSpec:
    """One row of the table below. `pace`: a Daniels band's name or a band of the VDOT;
    `hr`: "LTHR zones / max-HR zones", each "z3" or "z3-z4" (None: no heart rate)."""

    def span(zones: str) -> tuple[str, str]:
        first, _, last = zones.partition("-")
        return first, last or first

    lthr, hmax = (span(z.strip()) for z in hr.split("/")) if hr else (None, None)
    return ZoneSpec(
        intensity_factor,
        rpe,
        word,
        daniels=pace if isinstance(pace, str) else None,
        band=None if isinstance(pace, str) else pace,
        hr_lthr=lthr,
        hr_max=hmax,
        power=power,
        swim=swim,
        between=between,
    )


# fmt: off
ZONES: dict[str, ZoneSpec] = {
    #                     IF   RPE  word                     pace                       heart rate: LTHR / max   power  swim   between
    "walk":          _zone(0.45, 1, "walk",                  None,                      None,             None,  None,  "walk"),
    "recovery":      _zone(0.65, 2, "very easy",             _fractions(0.57, 0.62),    "z1 / z2",        "z1",  "z1",  "jog"),
    "easy":          _zone(0.72, 3, "easy",                  "easy",                    "z2 / z2-z3",     "z2",  "z2",  "jog"),
    "long":          _zone(0.75, 3, "easy",                  "easy",                    "z2 / z2-z3",     "z2",  "z2"),
    "steady":        _zone(0.85, 5, "steady",                _fractions(0.72, 0.77),    "z3 / z3",        "z3",  "z3"),
    # Bike and swim zones between steady and threshold (Coggan tempo, sweet spot).
    "tempo":         _zone(0.80, 4, "tempo",                 _fractions(0.68, 0.72),    "z3 / z3",        "z3",  "z3"),
    "sweet_spot":    _zone(0.90, 6, "sweet spot",            _fractions(0.77, 0.80),    "z3-z4 / z3-z4",  "z4",  "z3"),
    "marathon":      _zone(0.94, 6, "at marathon pace",      "marathon",                "z3 / z3-z4",     "z3",  "z3"),
    "half_marathon": _zone(0.97, 6, "at half-marathon pace", _race(HALF_MARATHON_M),    "z4 / z4",        "z4",  "z4"),
    "threshold":     _zone(1.00, 7, "threshold",             "threshold",               "z4-z5a / z4",    "z4",  "z4"),
    "race_10k":      _zone(1.02, 8, "at 10 km pace",         _race(10_000),             "z5a / z4-z5",    "z5",  "z5"),
    "hills":         _zone(1.15, 8, "hard uphill",           None,                      None,             "z5"),
    "race_5k":       _zone(1.06, 8, "at 5 km pace",          _race(5_000),              "z5a-z5b / z5",   "z5",  "z5"),
    "interval":      _zone(1.10, 8, "interval",              "interval",                "z5b / z5",       "z5",  "z5"),
    "repetition":    _zone(1.17, 9, "repetition",            "repetition",              None,             "z6"),
    "strides":       _zone(1.17, 8, "strides",               "repetition",              None,             "z6"),
}
# fmt: on

# The zone a race over each goal distance is run at.
RACE_ZONE: dict[str, ZoneName] = {
    "5k": "race_5k",
    "10k": "race_10k",
    "half": "half_marathon",
    "marathon": "marathon",
}
RACE_DISTANCE_M: dict[str, int] = {
    "5k": 5000,
    "10k": 10000,
    "half": round(HALF_MARATHON_M),
    "marathon": round(MARATHON_M),
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class TemplateStep(_Strict):
    """One step of a template: a duration or a distance (exactly one) in a zone."""

    type: StepType
    zone: ZoneName
    duration_s: int | None = Field(default=None, gt=0, le=86400)
    distance_m: int | None = Field(default=None, gt=0, le=400000)

    @model_validator(mode="after")
    def _one_length(self) -> TemplateStep:
        if (self.duration_s is None) == (self.distance_m is None):
            raise ValueError("a step has exactly one of duration_s and distance_m")
        if self.distance_m is not None and not ZONES[self.zone].has_pace:
            raise ValueError(f"zone {self.zone!r} has no pace: give the step a duration_s")
        return self

    def seconds(self) -> float:
        """The step's duration; a distance at the reference runner's pace in its zone."""
        if self.duration_s is not None:
            return float(self.duration_s)
        assert self.distance_m is not None
        fast, slow = ZONES[self.zone].pace(REFERENCE_VDOT)
        return self.distance_m / 1000 * (fast + slow) / 2


class TemplateRepeat(_Strict):
    """`count` times the inner steps (not nested, as in the plan contract)."""

    type: Literal["repeat"] = "repeat"
    count: int = Field(ge=1, le=100)
    steps: list[TemplateStep] = Field(min_length=1, max_length=20)


TemplateItem = Annotated[TemplateStep | TemplateRepeat, Field(discriminator="type")]
TEMPLATE_STEPS: TypeAdapter[list[TemplateStep | TemplateRepeat]] = TypeAdapter(list[TemplateItem])


def flatten_template(steps: list[TemplateStep | TemplateRepeat]) -> list[TemplateStep]:
    out: list[TemplateStep] = []
    for step in steps:
        if isinstance(step, TemplateRepeat):
            out.extend(step.steps * step.count)
        else:
            out.append(step)
    return out


def duration_min(steps: list[TemplateStep | TemplateRepeat]) -> int:
    return round(sum(s.seconds() for s in flatten_template(steps)) / 60)


def load(steps: list[TemplateStep | TemplateRepeat]) -> int:
    """Sum over the steps run of hours x 100 x IF^2, rounded once at the end."""
    return round(
        sum(
            s.seconds() / 3600 * 100 * ZONES[s.zone].intensity_factor ** 2
            for s in flatten_template(steps)
        )
    )


# -- text -------------------------------------------------------------------------------


def length_text(duration_s: int | None, distance_m: int | None) -> str:
    """`15 min`, `20 s`, `90 s` (under two minutes, as coaches write it), `2 min 30 s`;
    `400 m`, `1000 m`, `12 km`."""
    if distance_m is not None:
        if distance_m >= 2000 and distance_m % 1000 == 0:
            return f"{distance_m // 1000} km"
        return f"{distance_m / 1000:.1f} km" if distance_m > 5000 else f"{distance_m} m"
    assert duration_s is not None
    minutes, seconds = divmod(duration_s, 60)
    if not minutes or (minutes == 1 and seconds):
        return f"{duration_s} s"
    return f"{minutes} min" + (f" {seconds} s" if seconds else "")


def effort_text(zone: str) -> str:
    """A zone in effort words: its name, and the RPE from steady upwards (where 'easy'
    says it all, a number adds nothing)."""
    spec = ZONES[zone]
    return spec.word if spec.rpe < 5 else f"{spec.word} (RPE {spec.rpe})"


# A recovery jog, in the other sports.
EASY_BETWEEN: dict[str, str] = {"bike": "easy spin", "swim": "easy swim"}


def step_text(step: TemplateStep, target: str | None, sport: str = "run") -> str:
    """One step: its length and what to run it at (a recovery step: how, jog or walk)."""
    spec = ZONES[step.zone]
    length = length_text(step.duration_s, step.distance_m)
    if step.type in ("recovery", "rest") and spec.between is not None:
        between = EASY_BETWEEN.get(sport, spec.between) if spec.between == "jog" else spec.between
        return f"{length} {between}"
    if target is None:
        return f"{length} {effort_text(step.zone)}"
    return f"{length} {spec.word} {target}"


def steps_text(
    steps: list[TemplateStep | TemplateRepeat],
    target_of: Callable[[TemplateStep], str | None] = lambda _: None,
    sport: str = "run",
) -> str:
    """`15 min easy · 3 x 10 min threshold (RPE 7), 2 min jog · 15 min easy`; `target_of`
    gives a step's numbers as text (None: effort words)."""
    parts = []
    for step in steps:
        if isinstance(step, TemplateRepeat):
            inner = ", ".join(step_text(s, target_of(s), sport) for s in step.steps)
            parts.append(f"{step.count} x {inner}")
        else:
            parts.append(step_text(step, target_of(step), sport))
    return " · ".join(parts)


def with_note(text: str, note: str) -> str:
    return f"{text}. {note}" if note else f"{text}."


def template_definition(
    steps: list[TemplateStep | TemplateRepeat], note: str, sport: str = "run"
) -> str:
    """The catalogue's definition of a session with steps: the steps in effort words."""
    return with_note(steps_text(steps, sport=sport), note)
