"""The planning contract: what the engine takes in and what it gives back.

Both the CLI, the Celery task and the API import these models; the engine in
`worker.engine` is pure (request in, result out) and never does I/O.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    model_validator,
)

from shared import session_steps
from shared.markers import Markers
from shared.session_steps import TemplateItem
from shared.steps import PlanStep

RunDistance = Literal["5k", "10k", "half", "marathon"]
TriDistance = Literal["sprint", "olympic", "70.3", "ironman"]
Distance = Literal["5k", "10k", "half", "marathon", "sprint", "olympic", "70.3", "ironman"]
Intensity = Literal["rest", "easy", "moderate", "hard", "race", "strength"]
Phase = Literal["base", "build", "peak", "taper", "race"]
Priority = Literal["A", "B", "C"]
SolveStatus = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "MODEL_INVALID", "UNKNOWN"]
SessionKind = Literal["rest", "run", "long", "strength", "race"]
# What a session is for, where a family needs to know (docs/COACH_RULES.md).
SessionRole = Literal["shakeout", "race_specific"]

PHASES: tuple[Phase, ...] = ("base", "build", "peak", "taper", "race")
# The running distances (every running test and catalogue iterates these), the triathlons,
# and both: what the CLI, the API's built-in schemas and the web page offer.
DISTANCES: tuple[RunDistance, ...] = ("5k", "10k", "half", "marathon")
TRI_DISTANCES: tuple[TriDistance, ...] = ("sprint", "olympic", "70.3", "ironman")
ALL_DISTANCES: tuple[Distance, ...] = (*DISTANCES, *TRI_DISTANCES)
# The sports of a triathlon; a brick (bike then run) counts for both of its sports.
TRI_SPORTS: tuple[str, ...] = ("swim", "bike", "run")
SPORTS_OF: dict[str, tuple[str, ...]] = {"brick": ("bike", "run"), "triathlon": TRI_SPORTS}


def _date_or_iso_string(value: object) -> object:
    if isinstance(value, (date, str)):
        return value
    raise ValueError("expected a date as YYYY-MM-DD")


# Dates arrive as ISO strings from JSON (not numbers); everything else must have its type.
JsonDate = Annotated[date, Strict(False), BeforeValidator(_date_or_iso_string)]


Minutes = Annotated[int, Field(ge=0, le=1440)]  # within one day


class StrictModel(BaseModel):
    """Unknown fields are an error, not silently dropped; no lax coercion (`false` is not 0)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class SessionTemplate(StrictModel):
    """One entry of a training schema's session catalogue.

    With `steps`, its `duration_min`, `load` and `definition` follow from them
    (`shared.session_steps`): left out, they are filled in; given, they must agree."""

    code: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_\-]+$")
    session_type: str = Field(min_length=1, max_length=60)
    kind: SessionKind
    intensity: Intensity
    sport: str = "run"
    duration_min: int = Field(ge=0, le=600)
    load: int = Field(ge=0, le=1000, description="training stress (TSS-like) of the session")
    phases: list[Phase] = Field(default_factory=lambda: list(PHASES))
    definition: str = Field(default="", max_length=500)
    role: SessionRole | None = Field(
        default=None, description="shakeout: race-week opener; race_specific: goal-pace work"
    )
    steps: list[TemplateItem] | None = Field(
        default=None,
        max_length=30,
        description="the session as steps by zone (warm-up, repeats, cool-down); minutes, "
        "load and definition are derived from them",
    )
    note: str = Field(default="", max_length=200, description="said after the steps")
    load_by_sport: dict[str, int] | None = Field(
        default=None,
        description="a multi-sport session (a brick, a triathlon): its load split by sport",
    )

    @model_validator(mode="before")
    @classmethod
    def _derived_from_steps(cls, data: Any) -> Any:
        if not isinstance(data, dict) or not data.get("steps"):
            return data
        try:
            steps = session_steps.TEMPLATE_STEPS.validate_python(data["steps"])
        except ValidationError:
            # The steps' own errors are reported by their field; no spurious "missing".
            return {"duration_min": 0, "load": 0, **data}
        derived: dict[str, Any] = {
            "duration_min": session_steps.duration_min(steps),
            "load": session_steps.load(steps),
            "definition": session_steps.template_definition(
                steps, str(data.get("note", "")), str(data.get("sport", "run"))
            ),
        }
        disagree = [
            f"{key} {data[key]!r} (its steps give {value!r})"
            for key, value in derived.items()
            if data.get(key) not in (None, "") and data[key] != value
        ]
        if disagree:
            raise ValueError(
                f"session {data.get('code')!r}: " + ", ".join(disagree) + "; leave them out "
                "to have them derived from the steps"
            )
        return {**data, **derived}


class TrainingSchema(StrictModel):
    """A template: the session catalogue plus the phase/taper rules of one distance."""

    name: str = Field(min_length=1, max_length=80)
    distance: Distance
    sessions: list[SessionTemplate] = Field(min_length=1, max_length=200)
    plan_weeks: int = Field(default=16, ge=1, le=104, description="default plan length")
    taper_days: int = Field(default=14, ge=0, le=35)
    race_duration_min: int = Field(default=60, ge=5, le=720)
    race_load: int = Field(default=100, ge=0, le=1000)


class Athlete(StrictModel):
    """The runner's profile as the engine needs it."""

    ctl: float = Field(default=40.0, ge=0, le=250, description="current fitness (chronic load)")
    atl: float = Field(default=40.0, ge=0, le=400, description="current fatigue (acute load)")
    weekly_hours: float = Field(default=8.0, gt=0, le=40)
    rest_days: int = Field(default=1, ge=0, le=7, description="rest days per calendar week (min)")
    doubles: bool = Field(default=False, description="may run twice a day")
    long_run_day: int = Field(default=6, ge=0, le=6, description="preferred day, 0 = Monday")
    availability_min: list[Minutes | None] = Field(
        default_factory=lambda: list[int | None]([None] * 7),
        min_length=7,
        max_length=7,
        description="per weekday (Monday first): max training minutes, 0 = unavailable",
    )
    unavailable_dates: list[JsonDate] = Field(default_factory=list, max_length=800)
    longest_recent_run_min: int | None = Field(
        default=None, ge=0, le=600, description="where the long runs start (default from CTL)"
    )
    # Multi-sport athletes (a catalogue of more than one sport only).
    swim_days: list[Annotated[int, Field(ge=0, le=6)]] = Field(
        default_factory=lambda: list(range(7)),
        max_length=7,
        description="pool days: weekdays (0 = Monday) a swim is possible",
    )
    long_ride_day: int | None = Field(
        default=None, ge=0, le=6, description="the long ride's weekday, 0 = Monday (null: any)"
    )
    longest_recent_ride_min: int | None = Field(
        default=None, ge=0, le=720, description="where the long rides start (default from CTL)"
    )

    @model_validator(mode="after")
    def _distinct_swim_days(self) -> Athlete:
        if len(set(self.swim_days)) != len(self.swim_days):
            raise ValueError("swim_days: each weekday once")
        return self


class Race(StrictModel):
    date: JsonDate
    distance: Distance
    priority: Priority = "A"
    name: str | None = Field(default=None, max_length=80)
    fitness_floor: float | None = Field(default=None, ge=0, description="minimum CTL that day")


# [min, max] or [first, last]: a JSON array is a tuple here.
Bounds = Annotated[tuple[int, int], Strict(False)]


class QualityPerWeek(StrictModel):
    """Quality days (moderate or hard sessions) per week by phase: [min, max]."""

    base: Bounds = (0, 1)
    build: Bounds = (1, 2)
    peak: Bounds = (2, 2)
    taper: Bounds = (1, 2)

    @model_validator(mode="after")
    def _ordered(self) -> QualityPerWeek:
        for phase in ("base", "build", "peak", "taper"):
            lo, hi = getattr(self, phase)
            if not 0 <= lo <= hi <= 7:
                raise ValueError(f"quality_per_week.{phase}: 0 <= min <= max <= 7")
        return self

    def of(self, phase: str) -> tuple[int, int]:
        bounds: tuple[int, int] = getattr(self, phase)
        return bounds


class PlanRules(StrictModel):
    """Constraint families and their defaults (DESIGN.md section 4). All configurable."""

    max_ctl_ramp: float = Field(default=6.0, gt=0, description="CTL gain per week, at most")
    min_tsb: float = Field(default=-30.0, description="daily form floor")
    race_tsb_min: float = 5.0
    race_tsb_max: float = 25.0
    recovery_every: int = Field(default=4, ge=0, le=12, description="0 = no recovery weeks")
    recovery_load_ratio: float = Field(default=0.7, gt=0, le=1.5)
    taper_load_ratio: float = Field(default=0.6, gt=0, le=1.5)
    min_easy_share: float = Field(default=0.8, ge=0, le=1)
    strength_window_days: int = Field(default=4, ge=1, le=14, description="one per N days")
    variety_window_days: int = Field(default=3, ge=0, le=14)
    min_runs_per_week: int = Field(default=3, ge=0, le=14)
    long_run_every_week: bool = True
    # Multi-sport families (a catalogue of more than one sport only).
    min_sessions_per_sport: dict[str, Annotated[int, Field(ge=0, le=14)]] = Field(
        default_factory=lambda: {"swim": 2, "bike": 2, "run": 2},
        description="sessions per sport in every full base, build and peak week (at least)",
    )
    sport_time_share: dict[str, Bounds] | None = Field(
        default=None,
        description="per sport [min, max] percent of a full base/build/peak week's training "
        "minutes (bricks and strength left out of both); null: the race distance's defaults",
    )
    max_sport_ctl_share: int = Field(
        default=60,
        ge=34,
        le=100,
        description="no sport's fitness (CTL) above this percent of the total CTL on any base, "
        "build or peak day from week `sport_ctl_share_from_week` on; 100 = off",
    )
    sport_ctl_share_from_week: int = Field(
        default=3, ge=1, le=52, description="the first week the CTL share rule holds"
    )
    long_ride_step_min: int = Field(default=30, ge=10, le=120, description="per week, at most")
    brick_every_weeks: int = Field(
        default=2, ge=0, le=8, description="a brick in any this many build/peak weeks; 0 = off"
    )
    fatigue_weight: float = Field(default=0.5, ge=0, le=3, description="objective: CTL - w*ATL")
    ctl_tau_days: float = Field(default=42.0, gt=1, le=120)
    atl_tau_days: float = Field(default=7.0, gt=1, le=60)
    long_run_day_penalty: float = Field(default=0.3, ge=0, description="per long run moved")
    monotony_weight: float = Field(
        default=0.02,
        ge=0,
        le=1,
        description="objective: per daily load point a week's mean/2 exceeds its mean absolute "
        "deviation (Foster monotony above 2); 0: off",
    )
    # Coach-grade families (docs/COACH_RULES.md).
    max_days_off: int = Field(default=2, ge=1, le=14, description="consecutive open days")
    taper_run_days_ratio: float = Field(default=0.8, ge=0, le=1.5)
    race_week_short_runs: int = Field(default=3, ge=0, le=6)
    shakeout: bool = True
    race_week_quality: int = Field(default=1, ge=0, le=3)
    taper_time_ratio: float = Field(default=0.6, gt=0, le=1.5)
    taper_early_time_ratio: float = Field(default=0.8, gt=0, le=1.5)
    long_run_step_min: int = Field(default=15, ge=5, le=120)
    long_run_peak_weeks: Bounds = (3, 5)
    marathon_peak_long_min: int = Field(default=150, ge=0, le=600)
    quality_per_week: QualityPerWeek = Field(default_factory=lambda: QualityPerWeek())
    race_specific_per_week: int = Field(default=1, ge=0, le=3)
    max_week_load_growth: float = Field(default=1.10, ge=1, le=3)
    first_week_load_ratio: float = Field(default=1.15, gt=0, le=5)
    max_acwr: float = Field(default=1.3, ge=1, le=5)

    @model_validator(mode="after")
    def _peak_window(self) -> PlanRules:
        lo, hi = self.long_run_peak_weeks
        if not 0 <= lo <= hi <= 52:
            raise ValueError("long_run_peak_weeks: 0 <= first <= last <= 52")
        for sport, (lo, hi) in (self.sport_time_share or {}).items():
            if not 0 <= lo <= hi <= 100:
                raise ValueError(f"sport_time_share.{sport}: 0 <= min <= max <= 100 (percent)")
        return self


# Per-sport share of a training week's time by triathlon distance (percent [min, max]): the
# short races give swim and run more of the week, the long ones the bike (an ironman's ride
# is over half of race day).
SPORT_TIME_SHARES: dict[str, dict[str, tuple[int, int]]] = {
    "sprint": {"swim": (15, 35), "bike": (25, 55), "run": (25, 50)},
    "olympic": {"swim": (12, 35), "bike": (30, 60), "run": (20, 50)},
    "70.3": {"swim": (8, 30), "bike": (35, 70), "run": (15, 50)},
    "ironman": {"swim": (8, 30), "bike": (40, 70), "run": (15, 45)},
}
_ANY_DISTANCE_SHARES = {"swim": (10, 35), "bike": (25, 65), "run": (20, 50)}


def sport_time_shares(rules: PlanRules, distance: Distance) -> dict[str, tuple[int, int]]:
    """The per-sport time shares a plan for `distance` keeps: the rules' when given, else
    the distance's defaults (a running distance: the general ones)."""
    if rules.sport_time_share is not None:
        return rules.sport_time_share
    return SPORT_TIME_SHARES.get(distance, _ANY_DISTANCE_SHARES)


class PlanRequest(StrictModel):
    """Everything the engine needs to build one plan."""

    races: list[Race] = Field(min_length=1, max_length=20)
    start: JsonDate | None = Field(default=None, description="default: Monday-aligned, backwards")
    earliest_start: JsonDate | None = Field(
        default=None, description="a default start never falls before this date (e.g. today)"
    )
    athlete: Athlete = Field(default_factory=Athlete)
    schema_: TrainingSchema | None = Field(
        default=None, alias="schema", description="default: built-in template of the A race"
    )
    rules: PlanRules = Field(default_factory=PlanRules)
    markers: Markers | None = Field(
        default=None, description="the athlete's markers: sessions in their paces, HR, watts"
    )
    model: Literal["banister"] = "banister"
    time_limit_s: float = Field(default=10.0, gt=0, le=3600)
    gap_limit: float = Field(default=0.005, ge=0, le=1, description="stop at this relative gap")
    workers: int = Field(default=2, ge=1, le=64)
    seed: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="search seed: the same request gives the same plan (null: the faster free search)",
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _one_a_race(self) -> PlanRequest:
        if sum(1 for r in self.races if r.priority == "A") != 1:
            raise ValueError("exactly one race must have priority A (the goal race)")
        return self

    @property
    def goal(self) -> Race:
        return next(r for r in self.races if r.priority == "A")

    @property
    def wall_limit_s(self) -> float:
        """The wall-clock cap of the solve: `time_limit_s`, or for a repeatable search
        (a seed) a backstop above its deterministic budget (worker/engine/parameters.py)."""
        return self.time_limit_s * (WALL_BACKSTOP if self.seed is not None else 1.0)


# A repeatable search stops on a deterministic budget derived from `time_limit_s`; the wall
# clock stops it at this multiple of `time_limit_s` (a loaded machine), not before.
WALL_BACKSTOP = 2.5


class PlanDay(BaseModel):
    """One session slot of one date; CTL/ATL/TSB are the date's values."""

    date: JsonDate
    slot: int = 0
    week_number: int
    day_of_week: int
    phase: Phase
    is_recovery_week: bool
    is_training_day: bool
    session_code: str
    session_type: str
    session_definition: str
    intensity: Intensity
    sport: str
    duration_min: int
    load: int
    ctl: float = Field(description="fitness at the end of the day")
    atl: float = Field(description="fatigue at the end of the day")
    tsb: float = Field(description="form on the morning of the day: CTL - ATL of the day before")
    steps: list[PlanStep] = Field(
        default_factory=list, description="the session as structured steps (shared/steps.py)"
    )
    ctl_by_sport: dict[str, float] | None = Field(
        default=None, description="multi-sport plans: fitness per sport at the end of the day"
    )
    atl_by_sport: dict[str, float] | None = Field(
        default=None, description="multi-sport plans: fatigue per sport at the end of the day"
    )


class SolveProgress(BaseModel):
    """One improving solution, as seen by a progress callback."""

    objective: float
    bound: float
    gap: float
    elapsed_s: float
    solutions: int


class PlanResult(BaseModel):
    status: SolveStatus
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float
    first_solution_seconds: float | None = None
    model: str = "banister"
    start: JsonDate
    race_date: JsonDate
    days: list[PlanDay] = Field(default_factory=list)
    conflicts: list[str] = Field(default_factory=list)
    cancelled: bool = False
