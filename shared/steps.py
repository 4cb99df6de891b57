"""Structured session steps as a plan day carries them (the JSON contract and the day documents).

A session is a list of steps: warm-up, work (`active`), `recovery`, `rest`, `cooldown`, each with
a duration or a distance and a target, and `repeat` blocks of such steps. Targets are resolved
to the athlete's own numbers (pace, heart rate, power) where their zones are known, otherwise
an effort word on the RPE scale. Device exports (FIT, ZWO) and the rendered session text are
written from these steps alone.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

StepType = Literal["warmup", "active", "recovery", "rest", "cooldown"]
STEP_TYPES: tuple[StepType, ...] = ("warmup", "active", "recovery", "rest", "cooldown")


class _Contract(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class PaceTarget(_Contract):
    """A pace range in seconds per km: `low` is the fast end, `high` the slow end."""

    kind: Literal["pace"] = "pace"
    low_s_per_km: float = Field(gt=0, le=1800)
    high_s_per_km: float = Field(gt=0, le=1800)

    @model_validator(mode="after")
    def _ordered(self) -> PaceTarget:
        if self.low_s_per_km > self.high_s_per_km:
            raise ValueError("pace target: low_s_per_km (fast end) <= high_s_per_km")
        return self


class HrTarget(_Contract):
    kind: Literal["hr"] = "hr"
    low_bpm: int = Field(ge=30, le=250)
    high_bpm: int = Field(ge=30, le=250)

    @model_validator(mode="after")
    def _ordered(self) -> HrTarget:
        if self.low_bpm > self.high_bpm:
            raise ValueError("hr target: low_bpm <= high_bpm")
        return self


class PowerTarget(_Contract):
    kind: Literal["power"] = "power"
    low_w: int = Field(ge=0, le=3000)
    high_w: int = Field(ge=0, le=3000)

    @model_validator(mode="after")
    def _ordered(self) -> PowerTarget:
        if self.low_w > self.high_w:
            raise ValueError("power target: low_w <= high_w")
        return self


class RpeTarget(_Contract):
    """Rating of perceived exertion, 1 (very easy) to 10 (maximal)."""

    kind: Literal["rpe"] = "rpe"
    value: int = Field(ge=1, le=10)


Target = Annotated[PaceTarget | HrTarget | PowerTarget | RpeTarget, Field(discriminator="kind")]


class Step(_Contract):
    """One step: a duration or a distance (exactly one), and a target (None: open)."""

    type: StepType
    duration_s: int | None = Field(default=None, gt=0, le=86400)
    distance_m: int | None = Field(default=None, gt=0, le=400000)
    target: Target | None = None

    @model_validator(mode="after")
    def _one_length(self) -> Step:
        if (self.duration_s is None) == (self.distance_m is None):
            raise ValueError("a step has exactly one of duration_s and distance_m")
        return self


class RepeatStep(_Contract):
    """`count` times the inner steps (no nested repeats: devices do not all take them)."""

    type: Literal["repeat"] = "repeat"
    count: int = Field(ge=1, le=100)
    steps: list[Step] = Field(min_length=1, max_length=20)


PlanStep = Annotated[Step | RepeatStep, Field(discriminator="type")]


def flatten(steps: list[Step | RepeatStep]) -> list[Step]:
    """The steps in the order they are run, repeats unrolled."""
    out: list[Step] = []
    for step in steps:
        if isinstance(step, RepeatStep):
            for _ in range(step.count):
                out.extend(step.steps)
        else:
            out.append(step)
    return out
