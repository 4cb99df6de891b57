"""Contracts of the seed reproductions (`trainplan reproduce ...`).

Two earlier systems are rebuilt inside the engine and compared with their own figures:

* the CS358 MIP (`Cs358Request` -> `Cs358Result`), the `investment` response model, whose
  formulation is reproduced exactly (issue 4, section 1);
* the triathlon scheduler (`TriRequest` -> `TriResult`), solved for the whole season at once
  instead of week by week.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SolveStatus = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "MODEL_INVALID", "UNKNOWN"]
Sport = Literal["swim", "bike", "run"]
SPORTS: tuple[Sport, ...] = ("swim", "bike", "run")
TriPhase = Literal["base", "build", "peak", "race"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- CS358


class Cs358Request(_Strict):
    """One instance of the CS358 investment-return model."""

    days: int = Field(ge=1, le=1000, description="plan length N")
    rest_days: int = Field(ge=0, le=7, description="R: off days in every 7-day window, exactly")
    baseline: int = Field(ge=0, le=100_000, description="B: fitness on day 0")
    races: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="K races on days (N // (K+1))·j; None: one race on N//2 when N >= 60",
    )
    max_runs_per_day: int = Field(default=1, ge=1, le=2, description="D: 2 allows doubles")
    time_limit_s: float = Field(default=60.0, gt=0, le=3600)
    workers: int = Field(default=2, ge=1, le=64)
    implied_constraints: bool = Field(
        default=True,
        description="add valid implied rows (periodic rest pattern) that speed up the proof",
    )

    chained: bool = Field(
        default=False, description="keep f_i as chained integer variables instead of unrolled"
    )

    @model_validator(mode="after")
    def _races_fit(self) -> Cs358Request:
        if self.races and self.days // (self.races + 1) < 1:
            raise ValueError(f"{self.races} races do not fit in {self.days} days")
        return self


class Cs358Day(BaseModel):
    day: int
    easy: int
    medium: int
    hard: int
    strength: int
    off: int
    fitness: float = Field(description="f_i at the end of the day")


class Cs358Result(BaseModel):
    status: SolveStatus
    objective: float | None = Field(default=None, description="final fitness f_N")
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float
    days: list[Cs358Day] = Field(default_factory=list)
    race_days: list[int] = Field(default_factory=list)
    bonus_days: list[int] = Field(default_factory=list, description="days a strength bonus paid")
    request: Cs358Request


# ----------------------------------------------------------------------- triathlon


class TriWorkout(_Strict):
    """One catalogue entry of the triathlon seed (its own fitness/fatigue units)."""

    sport: Sport
    name: str
    intensity: int = Field(ge=0, le=10)
    duration_min: int = Field(ge=0, le=600)
    fatigue: float = Field(ge=0)
    fitness_gain: float = Field(ge=0)
    excluded_phases: list[TriPhase] = Field(
        default_factory=list, description="the CSV's week_blocks: phases it is NOT used in"
    )

    @property
    def code(self) -> str:
        return f"{self.sport}:{self.name}"


class TriParameters(_Strict):
    """Constants the seed left unpublished; chosen in its spirit (see README)."""

    start_fitness: float = Field(default=50.0, ge=0, description="per sport, as in the seed")
    weekly_retention: float = Field(
        default=0.95,
        gt=0,
        le=1,
        description="share of fitness kept after a week: the seed's 'slightly depreciated'",
    )
    fatigue_window_days: int = Field(default=6, ge=1, le=14)
    fatigue_decay_per_day: float = Field(
        default=0.15, ge=0, lt=1, description="linear weight loss per day inside the window"
    )
    sport_fatigue_cap: float = Field(default=110.0, gt=0)
    total_fatigue_cap: float = Field(default=190.0, gt=0)
    max_divergence: float = Field(default=12.0, ge=0, description="|F_a - F_b| at week ends")
    variety_days: int = Field(default=3, ge=1, le=14, description="same workout once per N days")
    max_per_day: int = Field(default=2, ge=1, le=6)
    recovery_every: int = Field(default=4, ge=0, le=12, description="every Nth week is lighter")
    recovery_hours_ratio: float = Field(default=0.7, gt=0, le=1)
    race_week_hours_ratio: float = Field(default=0.6, gt=0, le=1)


class TriRequest(_Strict):
    start: date
    race_date: date
    weekly_hours: float = Field(gt=0, le=40)
    params: TriParameters = Field(default_factory=TriParameters)
    time_limit_s: float = Field(default=30.0, gt=0, le=3600)
    workers: int = Field(default=2, ge=1, le=64)

    @model_validator(mode="after")
    def _dates(self) -> TriRequest:
        days = (self.race_date - self.start).days
        if days < 7:
            raise ValueError("the race date must be at least 7 days after the start")
        if days > 730:
            raise ValueError("seasons longer than two years are not supported")
        return self


class TriSession(BaseModel):
    sport: Sport
    name: str
    intensity: int
    duration_min: int
    fatigue: float
    fitness_gain: float


class TriDay(BaseModel):
    date: date
    week_number: int
    phase: TriPhase
    sessions: list[TriSession]
    fatigue: dict[str, float] = Field(description="decayed-window fatigue per sport and 'total'")
    fitness: dict[str, float] = Field(description="fitness per sport at the end of the day")


class TriWeek(BaseModel):
    week_number: int
    start: date
    phase: TriPhase
    is_recovery_week: bool
    hours_cap: float
    hours: float
    fitness: dict[str, float]


# The triathlon seed's published season result (from 50 in each sport), for comparison only:
# the seed's own constants are unpublished, so this is not a like-for-like reproduction.
SEED_TRI_FINAL_FITNESS: dict[str, float] = {"run": 133.47, "bike": 139.77, "swim": 133.99}


class TriResult(BaseModel):
    status: SolveStatus
    objective: float | None = Field(default=None, description="sum of final fitness over sports")
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float
    final_fitness: dict[str, float] = Field(default_factory=dict)
    seed_final_fitness: dict[str, float] = Field(
        default_factory=lambda: dict(SEED_TRI_FINAL_FITNESS)
    )
    comparison_note: str = (
        "seed_final_fitness are the triathlon seed's published figures (week-by-week greedy "
        "solve, its own unpublished constants); ours solve the whole season at once with the "
        "documented parameters, so the comparison is indicative, not like-for-like"
    )
    params: TriParameters
    weeks: list[TriWeek] = Field(default_factory=list)
    days: list[TriDay] = Field(default_factory=list)
