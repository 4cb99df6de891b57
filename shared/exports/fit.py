"""A session as a Garmin FIT workout file (file type `workout`), for the watch or the bike
computer: a `file_id`, a `workout` message (sport, name, `num_valid_steps`) and one
`workout_step` per step, in the order run.

Units as the FIT profile has them: a step's duration in ms, its distance in cm (the writer
applies the scale of 1000 and 100); a pace range as a speed range in m/s (scale 1000: mm/s
on the wire), the slow end low; a heart-rate range in bpm + 100 (values up to 100 are % of
max HR); a power range in W + 1000 (up to 1000 is % of FTP). An RPE target is an open step
whose notes say the effort. A repeat is a `repeat_until_steps_cmplt` step after its inner
steps, pointing back to the first of them (`duration_step`), with the number of times to
run them (`target_repeat_steps`).

Every sport: a run is `running`; a ride `cycling`, its targets in watts when the athlete's
FTP made them power; a swim `swimming`, sub-sport `lap_swimming` (a pool swim), its pace per
100 m as a speed range like a run's; strength is `training`. A brick or a triathlon race
day holds two or three sports in one session and a FIT workout holds one: it is `generic`,
which every device runs.

Written with `fit-tool` (BSD-3-Clause, compatible with our MIT licence; maintained, with
workout messages of the current FIT profile). Garmin's own `garmin-fit-sdk`, which can
encode too, is under the FIT Protocol License: non-transferable, non-sublicensable, for
the licensee's internal business purposes, with confidentiality terms. An MIT project cannot
pass those rights on to whoever installs it, so it is not a dependency. The tests decode
every file with `fitdecode` (MIT), an independent reader.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.workout_message import WorkoutMessage
from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
from fit_tool.profile.profile_type import (
    FileType,
    Intensity,
    Manufacturer,
    Sport,
    SubSport,
    WorkoutStepDuration,
    WorkoutStepTarget,
)

from shared.exports.sports import session_sport
from shared.exports.workouts import (
    Reference,
    serial_number,
    step_notes,
    workout_name,
    workout_steps,
)
from shared.planning import PlanDay
from shared.steps import HrTarget, PaceTarget, PowerTarget, RepeatStep, RpeTarget, Step, StepType

# FIT's offsets of absolute values in the custom target fields (below them: percentages).
HR_OFFSET_BPM = 100
POWER_OFFSET_W = 1000
# Longest strings written, in UTF-8 bytes with the closing NUL (a FIT field holds at most 255
# bytes); longer ones are cut at a character boundary.
NAME_SIZE = 40
NOTES_SIZE = 200

SPORTS: dict[str, Sport] = {
    "run": Sport.RUNNING,
    "bike": Sport.CYCLING,
    "swim": Sport.SWIMMING,
    "strength": Sport.TRAINING,
    "gym": Sport.TRAINING,
}

INTENSITIES: dict[StepType, Intensity] = {
    "warmup": Intensity.WARMUP,
    "active": Intensity.ACTIVE,
    "recovery": Intensity.RECOVERY,
    "rest": Intensity.REST,
    "cooldown": Intensity.COOLDOWN,
}

STEP_NAMES: dict[StepType, str] = {
    "warmup": "Warm-up",
    "active": "Work",
    "recovery": "Recovery",
    "rest": "Rest",
    "cooldown": "Cool-down",
}

RPE_WORDS = {
    1: "very easy",
    2: "easy",
    3: "easy",
    4: "steady",
    5: "moderate",
    6: "comfortably hard",
    7: "hard",
    8: "very hard",
    9: "very, very hard",
    10: "maximal",
}


def fit_sport(sport: str) -> Sport:
    return SPORTS.get(sport, Sport.GENERIC)


def fit_text(text: str, size: int) -> str:
    """`text` cut to fit `size` bytes of UTF-8 with the closing NUL."""
    return text.encode("utf-8")[: size - 1].decode("utf-8", errors="ignore")


def speed_m_per_s(pace_s_per_km: float) -> float:
    return 1000.0 / pace_s_per_km


def _target(message: WorkoutStepMessage, step: Step) -> str | None:
    """Set the step's target; the notes it needs (an RPE), if any."""
    target = step.target
    if isinstance(target, PaceTarget):
        message.target_type = WorkoutStepTarget.SPEED
        message.target_value = 0  # 0: a custom range, not a zone
        # Speed grows as pace falls: the slow end (high s/km) is the low speed.
        message.custom_target_speed_low = speed_m_per_s(target.high_s_per_km)
        message.custom_target_speed_high = speed_m_per_s(target.low_s_per_km)
    elif isinstance(target, HrTarget):
        message.target_type = WorkoutStepTarget.HEART_RATE
        message.target_value = 0
        message.custom_target_heart_rate_low = target.low_bpm + HR_OFFSET_BPM
        message.custom_target_heart_rate_high = target.high_bpm + HR_OFFSET_BPM
    elif isinstance(target, PowerTarget):
        message.target_type = WorkoutStepTarget.POWER
        message.target_value = 0
        message.custom_target_power_low = target.low_w + POWER_OFFSET_W
        message.custom_target_power_high = target.high_w + POWER_OFFSET_W
    else:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
        if isinstance(target, RpeTarget):
            return f"RPE {target.value}/10, {RPE_WORDS[target.value]}"
    return None


def _step(index: int, step: Step, notes: str | None) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.workout_step_name = STEP_NAMES[step.type]
    message.intensity = INTENSITIES[step.type]
    # The type first: the value's sub-field (and its scale) follows from it.
    if step.duration_s is not None:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = float(step.duration_s)
    else:
        assert step.distance_m is not None  # a Step has exactly one of the two
        message.duration_type = WorkoutStepDuration.DISTANCE
        message.duration_distance = float(step.distance_m)
    effort = _target(message, step)
    text = "; ".join(t for t in (effort, notes) if t)
    if text:
        message.notes = fit_text(text, NOTES_SIZE)
    return message


def _repeat(index: int, first: int, count: int) -> WorkoutStepMessage:
    message = WorkoutStepMessage()
    message.message_index = index
    message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
    message.duration_step = first
    message.target_type = WorkoutStepTarget.OPEN
    message.target_repeat_steps = count
    return message


def step_messages(day: PlanDay) -> list[WorkoutStepMessage]:
    notes = step_notes(day)
    messages: list[WorkoutStepMessage] = []
    for step in workout_steps(day):
        if isinstance(step, RepeatStep):
            first = len(messages)
            messages.extend(_step(len(messages), inner, None) for inner in step.steps)
            messages.append(_repeat(len(messages), first, step.count))
        else:
            messages.append(_step(len(messages), step, notes))
    return messages


def render_fit(
    day: PlanDay, reference: Reference | None = None, now: datetime | None = None
) -> bytes:
    """The session's FIT workout file. (`reference` is not needed: FIT targets are absolute.)"""
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.serial_number = serial_number(day)
    file_id.time_created = round((now or datetime.now(UTC)).timestamp() * 1000)

    steps = step_messages(day)
    workout = WorkoutMessage()
    workout.workout_name = fit_text(workout_name(day), NAME_SIZE)
    sport = fit_sport(session_sport(day))
    workout.sport = sport
    if sport == Sport.SWIMMING:
        # A pool swim (the catalogue's swims are pool sessions). No pool length: the plan
        # does not know the pool, and the watch keeps the one it is set to.
        workout.sub_sport = SubSport.LAP_SWIMMING
    workout.num_valid_steps = len(steps)

    builder = FitFileBuilder(auto_define=True, min_string_size=NAME_SIZE)
    builder.add(file_id)
    builder.add(workout)
    builder.add_all(steps)
    return builder.build_bytes()
