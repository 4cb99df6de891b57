"""Reading device workout files back, independently of the writers: FIT with `fitdecode`
(another library than the encoder, CRCs checked), ZWO with `xml.dom.minidom`; and the
expectations recomputed from a plan day's steps with the units of each format's spec.

Used by the renderer tests, the CLI tests and the service tests over HTTP.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any
from xml.dom import minidom

import fitdecode

from shared.planning import PlanDay
from shared.steps import HrTarget, PaceTarget, PowerTarget, RepeatStep, RpeTarget, Step

# The FIT profile's intensity names, by our step types.
FIT_INTENSITY = {
    "warmup": "warmup",
    "active": "active",
    "recovery": "recovery",
    "rest": "rest",
    "cooldown": "cooldown",
}
FIT_SPORT = {"run": "running", "bike": "cycling", "swim": "swimming", "strength": "training"}


@dataclass
class FitWorkout:
    file_id: dict[str, Any]
    workout: dict[str, Any]
    steps: list[dict[str, Any]] = field(default_factory=list)  # field -> (value, raw)


def _fields(frame: fitdecode.FitDataMessage) -> dict[str, Any]:
    return {f.name: (f.value, f.raw_value) for f in frame.fields if f.value is not None}


def read_fit(data: bytes) -> FitWorkout:
    messages: dict[str, list[dict[str, Any]]] = {}
    with fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    ) as fit:
        for frame in fit:
            if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                messages.setdefault(frame.name, []).append(_fields(frame))
    (file_id,) = messages["file_id"]
    (workout,) = messages["workout"]
    return FitWorkout(file_id, workout, messages.get("workout_step", []))


def expected_fit_steps(day: PlanDay) -> list[dict[str, Any]]:
    """What each workout_step message must hold, from the FIT profile's units: time in ms,
    distance in cm, speed in mm/s (slow end low), HR bpm + 100, power W + 1000."""
    steps = day.steps or [Step(type="active", duration_s=max(day.duration_min, 1) * 60)]
    # Without steps, the definition goes along as notes (at most 199 bytes: FIT strings).
    notes = None if day.steps else day.session_definition.encode()[:199].decode(errors="ignore")
    out: list[dict[str, Any]] = []

    def one(step: Step) -> None:
        want: dict[str, Any] = {"message_index": len(out), "intensity": FIT_INTENSITY[step.type]}
        if step.duration_s is not None:
            want |= {"duration_type": "time", "duration_raw": step.duration_s * 1000}
        else:
            assert step.distance_m is not None
            want |= {"duration_type": "distance", "duration_raw": step.distance_m * 100}
        target = step.target
        if isinstance(target, PaceTarget):
            want |= {
                "target_type": "speed",
                "low_raw": round(1_000_000 / target.high_s_per_km),
                "high_raw": round(1_000_000 / target.low_s_per_km),
            }
        elif isinstance(target, HrTarget):
            want |= {
                "target_type": "heart_rate",
                "low_raw": target.low_bpm + 100,
                "high_raw": target.high_bpm + 100,
            }
        elif isinstance(target, PowerTarget):
            want |= {
                "target_type": "power",
                "low_raw": target.low_w + 1000,
                "high_raw": target.high_w + 1000,
            }
        else:
            want |= {"target_type": "open"}
            if isinstance(target, RpeTarget):
                want["rpe"] = target.value
        if notes:
            want["notes"] = notes
        out.append(want)

    for step in steps:
        if isinstance(step, RepeatStep):
            first = len(out)
            for inner in step.steps:
                one(inner)
            out.append(
                {
                    "message_index": len(out),
                    "duration_type": "repeat_until_steps_cmplt",
                    "back_to": first,
                    "count": step.count,
                }
            )
        else:
            one(step)
    return out


def fit_step_facts(message: dict[str, Any]) -> dict[str, Any]:
    """The decoded message in the shape of `expected_fit_steps` (raw wire values)."""
    value = {k: v[0] for k, v in message.items()}
    raw = {k: v[1] for k, v in message.items()}
    facts: dict[str, Any] = {
        "message_index": value["message_index"],
        "duration_type": value["duration_type"],
    }
    if value["duration_type"] == "repeat_until_steps_cmplt":
        facts |= {"back_to": value["duration_step"], "count": value["repeat_steps"]}
        return facts
    facts["intensity"] = value["intensity"]
    facts["duration_raw"] = raw.get("duration_time", raw.get("duration_distance"))
    facts["target_type"] = value["target_type"]
    kind = {"speed": "speed", "heart_rate": "heart_rate", "power": "power"}.get(
        value["target_type"]
    )
    if kind is not None:
        facts["low_raw"] = raw[f"custom_target_{kind}_low"]
        facts["high_raw"] = raw[f"custom_target_{kind}_high"]
    notes = str(value.get("notes", ""))
    rpe = re.match(r"RPE (\d+)/10\b", notes)
    if rpe:
        facts["rpe"] = int(rpe.group(1))
    elif notes:
        facts["notes"] = notes
    return facts


# -- ZWO ----------------------------------------------------------------------------------


@dataclass
class ZwoWorkout:
    sport: str
    name: str
    description: str
    duration_type: str | None
    ftp_override: str | None
    elements: list[tuple[str, dict[str, str], list[str]]]  # tag, attributes, messages


def _text(doc: minidom.Document, tag: str) -> str | None:
    nodes = doc.getElementsByTagName(tag)
    if not nodes or nodes[0].firstChild is None:
        return None
    return str(nodes[0].firstChild.data)


def read_zwo(data: bytes) -> ZwoWorkout:
    doc = minidom.parseString(data)
    root = doc.documentElement
    assert root.tagName == "workout_file"
    (workout,) = root.getElementsByTagName("workout")
    elements = []
    for node in workout.childNodes:
        if node.nodeType != node.ELEMENT_NODE:
            continue
        attrs = {k: v for k, v in node.attributes.items()}
        messages = [e.getAttribute("message") for e in node.getElementsByTagName("textevent")]
        elements.append((node.tagName, attrs, messages))
    return ZwoWorkout(
        sport=_text(doc, "sportType") or "",
        name=_text(doc, "name") or "",
        description=_text(doc, "description") or "",
        duration_type=_text(doc, "durationType"),
        ftp_override=_text(doc, "ftpOverride"),
        elements=elements,
    )


# -- plan days with steps, built by hand ----------------------------------------------------


def workout_day(
    steps: list[Step | RepeatStep], sport: str = "run", code: str = "T3", minutes: int = 60
) -> PlanDay:
    from datetime import date

    return PlanDay(
        date=date(2027, 3, 2),
        slot=0,
        week_number=1,
        day_of_week=1,
        phase="build",
        is_recovery_week=False,
        is_training_day=True,
        session_code=code,
        session_type="Threshold intervals",
        session_definition="15 min easy · 3 x 10 min threshold, 2 min jog · 15 min easy",
        intensity="hard",
        sport=sport,
        duration_min=minutes,
        load=80,
        ctl=40.0,
        atl=45.0,
        tsb=-5.0,
        steps=steps,
    )


EASY = PaceTarget(low_s_per_km=338.0, high_s_per_km=372.0)
THRESHOLD = PaceTarget(low_s_per_km=271.0, high_s_per_km=280.0)

THRESHOLD_RUN = [
    Step(type="warmup", duration_s=900, target=EASY),
    RepeatStep(
        count=3,
        steps=[
            Step(type="active", duration_s=600, target=THRESHOLD),
            Step(type="recovery", duration_s=120, target=EASY),
        ],
    ),
    Step(type="cooldown", duration_s=900, target=EASY),
]

# Every kind of target and length, and a repeat that is not on/off.
MIXED_RUN = [
    Step(type="warmup", duration_s=600, target=HrTarget(low_bpm=130, high_bpm=145)),
    RepeatStep(
        count=2,
        steps=[
            Step(
                type="active",
                distance_m=400,
                target=PaceTarget(low_s_per_km=230, high_s_per_km=240),
            ),
            Step(type="rest", duration_s=60, target=None),
            Step(type="active", distance_m=200, target=RpeTarget(value=9)),
        ],
    ),
    Step(type="active", duration_s=300, target=PowerTarget(low_w=250, high_w=280)),
    Step(type="cooldown", distance_m=1000, target=RpeTarget(value=2)),
]

SWEET_SPOT_RIDE = [
    Step(type="warmup", duration_s=600, target=PowerTarget(low_w=120, high_w=170)),
    RepeatStep(
        count=2,
        steps=[
            Step(type="active", duration_s=1200, target=PowerTarget(low_w=220, high_w=235)),
            Step(type="recovery", duration_s=300, target=PowerTarget(low_w=110, high_w=135)),
        ],
    ),
    Step(type="cooldown", duration_s=600, target=PowerTarget(low_w=100, high_w=150)),
]
