"""A run or bike session as a Zwift workout file (`.zwo`, plain XML).

Zwift takes every target as a fraction: of the rider's FTP on the bike, of the runner's
reference pace on the run (as speed: 1.1 is 10 % faster; `pace="1"` picks the 5 km pace of
the runner's Zwift profile). So the session's absolute targets are divided by the athlete's
own FTP and 5 km pace (`Reference`): a power range of 200-230 W at FTP 250 is 0.8-0.92.
A target Zwift cannot take (a heart-rate range; a run's pace without the 5 km pace to
divide by; a pace on the bike, a power on the run) is ridden or run at the effort its step type usually has, and shown as a text
message at the step's start; an RPE target by a fixed effort table. Power with no FTP known
pins `ftpOverride` to 100 W, so the fractions are exact watts.

Steps map to elements: a warm-up ramps up (`Warmup`), a cool-down down (`Cooldown`), a work,
recovery or rest step holds (`SteadyState`, the middle of its range); a repeat of one work
and one recovery step is `IntervalsT`, any other repeat is unrolled. Durations are seconds;
a run whose every step is a distance is written in metres (`durationType` distance), and a
distance step elsewhere becomes the time it takes at its target.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from shared.exports.sports import session_sport
from shared.exports.workouts import (
    WORKOUT_AUTHOR,
    Reference,
    step_notes,
    workout_name,
    workout_steps,
)
from shared.planning import PlanDay
from shared.steps import (
    HrTarget,
    PaceTarget,
    PowerTarget,
    RepeatStep,
    RpeTarget,
    Step,
    StepType,
    flatten,
)
from shared.zones import format_duration

ZWO_SPORTS = {"run": "run", "bike": "bike"}
RUN_REFERENCE = "1"  # Zwift's `pace` attribute: 0 1 mile, 1 5 km, 2 10 km, 3 half, 4 marathon
FREE_FTP_W = 100  # `ftpOverride` when power targets come with no FTP: fractions are watts/100

# (start, end) effort of a step type without a usable target: bike fraction of FTP, run
# fraction of 5 km speed (easy running is about 0.75-0.8 of it, threshold about 0.93).
DEFAULT_EFFORT: dict[str, dict[StepType, tuple[float, float]]] = {
    "bike": {
        "warmup": (0.50, 0.70),
        "active": (0.75, 0.75),
        "recovery": (0.50, 0.50),
        "rest": (0.40, 0.40),
        "cooldown": (0.65, 0.45),
    },
    "run": {
        "warmup": (0.68, 0.78),
        "active": (0.80, 0.80),
        "recovery": (0.68, 0.68),
        "rest": (0.55, 0.55),
        "cooldown": (0.76, 0.66),
    },
}
# RPE 1..10 as a fraction (bike of FTP, run of 5 km speed).
RPE_EFFORT: dict[str, tuple[float, ...]] = {
    "bike": (0.40, 0.50, 0.60, 0.70, 0.78, 0.85, 0.92, 1.00, 1.08, 1.20),
    "run": (0.55, 0.65, 0.72, 0.78, 0.83, 0.87, 0.92, 0.97, 1.00, 1.05),
}
# Speed for a distance step with no pace to time it by, m/s (a steady ride; an easy run).
DEFAULT_SPEED = {"bike": 30 / 3.6, "run": 1000 / 360}


def zwo_refusal(day: PlanDay) -> str | None:
    sport = session_sport(day)
    if sport not in ZWO_SPORTS:
        return f"Zwift workouts are runs and rides; this session is {sport}"
    return None


@dataclass(frozen=True)
class Effort:
    """A step's effort as Zwift takes it: fractions at its start and end (equal unless a
    ramp), and what the athlete's own numbers say, shown as a message."""

    start: float
    end: float
    message: str | None = None

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def _pace_text(target: PaceTarget) -> str:
    fast, slow = format_duration(target.low_s_per_km), format_duration(target.high_s_per_km)
    return f"{fast}-{slow}/km"


def effort(step: Step, sport: str, reference: Reference) -> Effort:
    """The step's fractions; a ramp (warm-up, cool-down) goes from one end of its range to
    the other, a steady step holds the range's middle."""
    target = step.target
    ramp_down = step.type == "cooldown"
    low_high: tuple[float, float] | None = None
    message: str | None = None
    if isinstance(target, PowerTarget):
        message = f"{target.low_w}-{target.high_w} W"
        if sport == "bike":
            ftp = reference.ftp_w or FREE_FTP_W
            low_high = (target.low_w / ftp, target.high_w / ftp)
    elif isinstance(target, PaceTarget):
        message = _pace_text(target)
        if sport == "run" and reference.five_k_s_per_km is not None:
            # A speed fraction: the slow end (high s/km) is the low fraction.
            ref = reference.five_k_s_per_km
            low_high = (ref / target.high_s_per_km, ref / target.low_s_per_km)
    elif isinstance(target, HrTarget):
        message = f"heart rate {target.low_bpm}-{target.high_bpm} bpm"
    elif isinstance(target, RpeTarget):
        value = RPE_EFFORT[sport][target.value - 1]
        low_high = (value, value)
        message = f"RPE {target.value}/10"
    if low_high is None:
        start, end = DEFAULT_EFFORT[sport][step.type]
        return Effort(start, end, message)
    low, high = low_high
    if step.type in ("warmup", "cooldown"):
        return Effort(high, low, message) if ramp_down else Effort(low, high, message)
    middle = (low + high) / 2
    return Effort(middle, middle, message)


def _seconds(step: Step, sport: str, reference: Reference) -> float:
    """A step's time: its duration, or its distance at its target pace."""
    if step.duration_s is not None:
        return float(step.duration_s)
    assert step.distance_m is not None
    target = step.target
    if isinstance(target, PaceTarget):
        pace = (target.low_s_per_km + target.high_s_per_km) / 2
        return step.distance_m * pace / 1000
    speed = DEFAULT_SPEED[sport]
    if sport == "run" and reference.five_k_s_per_km is not None:
        speed = 1000 / reference.five_k_s_per_km * effort(step, sport, reference).middle
    return step.distance_m / speed


def by_distance(day: PlanDay) -> bool:
    """A run made of distances only: written in metres."""
    steps = flatten(workout_steps(day))
    return day.sport == "run" and all(s.distance_m is not None for s in steps)


def _fraction(value: float) -> str:
    return f"{value:.3f}"


class _Writer:
    def __init__(self, day: PlanDay, reference: Reference) -> None:
        self.sport = ZWO_SPORTS[day.sport]
        self.reference = reference
        self.metres = by_distance(day)

    def length(self, step: Step) -> str:
        if self.metres:
            assert step.distance_m is not None
            return str(step.distance_m)
        return str(round(_seconds(step, self.sport, self.reference)))

    def _common(self, element: ET.Element) -> ET.Element:
        if self.sport == "run":
            element.set("pace", RUN_REFERENCE)
        return element

    def _message(self, element: ET.Element, text: str | None) -> None:
        if text:
            ET.SubElement(element, "textevent", timeoffset="0", message=text)

    def step(self, parent: ET.Element, step: Step, notes: str | None = None) -> None:
        e = effort(step, self.sport, self.reference)
        if step.type == "warmup":
            el = ET.SubElement(parent, "Warmup", Duration=self.length(step))
            el.set("PowerLow", _fraction(e.start))
            el.set("PowerHigh", _fraction(e.end))
        elif step.type == "cooldown":
            # Zwift's cool-down ramps from PowerLow to PowerHigh.
            el = ET.SubElement(parent, "Cooldown", Duration=self.length(step))
            el.set("PowerLow", _fraction(e.start))
            el.set("PowerHigh", _fraction(e.end))
        else:
            el = ET.SubElement(parent, "SteadyState", Duration=self.length(step))
            el.set("Power", _fraction(e.middle))
        self._common(el)
        self._message(el, "; ".join(t for t in (e.message, notes) if t) or None)

    def repeat(self, parent: ET.Element, repeat: RepeatStep) -> None:
        inner = repeat.steps
        if len(inner) == 2 and inner[0].type == "active" and inner[1].type != "active":
            on, off = (effort(s, self.sport, self.reference) for s in inner)
            el = ET.SubElement(parent, "IntervalsT", Repeat=str(repeat.count))
            el.set("OnDuration", self.length(inner[0]))
            el.set("OffDuration", self.length(inner[1]))
            el.set("OnPower", _fraction(on.middle))
            el.set("OffPower", _fraction(off.middle))
            self._common(el)
            parts = (f"{when} {m}" for when, m in (("on", on.message), ("off", off.message)) if m)
            self._message(el, ", ".join(parts) or None)
            return
        for _ in range(repeat.count):
            for step in inner:
                self.step(parent, step)


def render_zwo(day: PlanDay, reference: Reference | None = None) -> bytes:
    """The session's .zwo file (UTF-8 XML). ValueError for a sport Zwift has no workouts of."""
    refusal = zwo_refusal(day)
    if refusal is not None:
        raise ValueError(refusal)
    reference = reference or Reference()
    writer = _Writer(day, reference)
    root = ET.Element("workout_file")
    ET.SubElement(root, "author").text = WORKOUT_AUTHOR
    ET.SubElement(root, "name").text = f"{day.date:%Y-%m-%d} {workout_name(day)}"
    ET.SubElement(root, "description").text = day.session_definition
    ET.SubElement(root, "sportType").text = writer.sport
    if writer.metres:
        ET.SubElement(root, "durationType").text = "distance"
    steps = workout_steps(day)
    has_power = any(isinstance(s.target, PowerTarget) for s in flatten(steps))
    if writer.sport == "bike" and has_power and reference.ftp_w is None:
        ET.SubElement(root, "ftpOverride").text = str(FREE_FTP_W)
    tags = ET.SubElement(root, "tags")
    ET.SubElement(tags, "tag", name=WORKOUT_AUTHOR)
    workout = ET.SubElement(root, "workout")
    notes = step_notes(day)
    for step in steps:
        if isinstance(step, RepeatStep):
            writer.repeat(workout, step)
        else:
            writer.step(workout, step, notes)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
