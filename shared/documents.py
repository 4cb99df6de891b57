"""Service models: what the API accepts and returns, and what MongoDB and Redis hold.

MongoDB documents use string `_id`s; the models read `_id` and expose it as `id`.
"""

from __future__ import annotations

import copy
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StringConstraints, create_model

from shared.markers import Markers
from shared.planning import (
    Athlete,
    Distance,
    Intensity,
    JsonDate,
    Phase,
    Race,
    SolveStatus,
    TrainingSchema,
)
from shared.steps import PlanStep
from shared.zones import Zones

JobState = Literal["queued", "running", "succeeded", "failed", "cancelled"]
TERMINAL_STATES: frozenset[str] = frozenset({"succeeded", "failed", "cancelled"})
EventType = Literal["queued", "started", "progress", "succeeded", "failed", "cancelled"]

_ID = Field(validation_alias=AliasChoices("_id", "id"))
# Keys users choose that become MongoDB field names: no `$` operators, no `.` paths.
FieldName = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,39}$")]


class RunnerIn(Athlete):
    """A runner's profile. Fitness is given as CTL/ATL, or derived from recent daily loads."""

    name: str = Field(min_length=1, max_length=120)
    sports: list[Annotated[str, StringConstraints(min_length=1, max_length=20)]] = Field(
        default_factory=lambda: ["run"], max_length=5
    )
    thresholds: dict[FieldName, float] = Field(
        default_factory=dict,
        max_length=20,
        description="e.g. threshold_pace_s_per_km, threshold_hr, ftp_w",
    )
    recent_loads: list[float] = Field(
        default_factory=list,
        max_length=730,
        description="daily training loads, oldest first, ending yesterday; derives CTL/ATL",
    )
    ctl: float | None = Field(default=None, ge=0, le=250)  # type: ignore[assignment]
    atl: float | None = Field(default=None, ge=0, le=400)  # type: ignore[assignment]
    markers: Markers = Field(
        default_factory=Markers,
        description="performance markers (race result, threshold pace, LTHR, max HR, FTP, "
        "CSS): the zones of `GET /runners/{id}/zones` come from them",
    )

    def activity_thresholds(self) -> dict[str, float]:
        """`thresholds` as activity loads read them. A marker given wins (newer, validated);
        a threshold pace from the race result only fills a gap."""
        merged = dict(self.thresholds)
        markers = self.markers
        if markers.threshold_pace_s_per_km is not None:
            merged["threshold_pace_s_per_km"] = markers.threshold_pace_s_per_km
        derived = markers.threshold_pace()
        if derived is not None:
            merged.setdefault("threshold_pace_s_per_km", derived)
        if markers.lthr_bpm is not None:
            merged["threshold_hr"] = markers.lthr_bpm
        if markers.ftp_w is not None:
            merged["ftp_w"] = markers.ftp_w
        return merged


class Runner(RunnerIn):
    model_config = ConfigDict(extra="ignore")  # stored fields (tenant_id) stay private

    id: str = _ID
    created_at: datetime
    updated_at: datetime | None = Field(default=None, description="last PATCH, if any")


def _partial(model: type[BaseModel], name: str, doc: str) -> type[BaseModel]:
    """`model` with every field optional and nothing defaulted: each field given keeps the
    field's own type and constraints (so `null` is refused where the field refuses it)."""
    fields: dict[str, Any] = {}
    for field, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None  # defaults are not validated
        fields[field] = (info.annotation, optional)

    def without_defaults(schema: dict[str, Any]) -> None:
        for prop in schema.get("properties", {}).values():
            prop.pop("default", None)

    config = ConfigDict(**{**model.model_config, "json_schema_extra": without_defaults})
    partial: type[BaseModel] = create_model(name, __config__=config, __doc__=doc, **fields)
    return partial


if TYPE_CHECKING:  # a model made at runtime: to the type checker, just a model

    class RunnerPatch(BaseModel): ...

else:
    RunnerPatch = _partial(
        RunnerIn,
        "RunnerPatch",
        "Body of `PATCH /runners/{runner_id}`: the fields to change (a JSON merge patch); "
        "the others keep their values. The merged profile is validated as on creation. "
        "Giving `recent_loads` without `ctl`/`atl` clears the stored ones, so that fitness "
        "is derived from the new loads, as when a runner is created with loads only.",
    )


class GoalRace(BaseModel):
    date: date
    distance: Distance


class FormToday(BaseModel):
    """Fitness (CTL) and fatigue (ATL) at the end of today, form (TSB) this morning."""

    date: date
    ctl: float
    atl: float
    tsb: float


class RunnerListItem(Runner):
    latest_plan_id: str | None = Field(description="the runner's newest generated plan")
    goal_race: GoalRace | None = Field(description="the A race of that plan's latest version")
    form_today: FormToday | None = Field(
        description="today's (UTC) values in that plan's latest version; null if the plan "
        "does not cover today"
    )


class RunnerPage(BaseModel):
    """One page of `GET /runners`, newest runner first."""

    items: list[RunnerListItem]
    total: int = Field(description="the tenant's runners, all pages")
    limit: int
    next: str | None = Field(description="the next page's URL (path and query); null: last page")


class StoredSchema(TrainingSchema):
    """A training-plan schema as listed by the API: built-in ones have ids `builtin-<distance>`."""

    model_config = ConfigDict(extra="ignore")  # stored fields (tenant_id) stay private

    id: str = _ID
    builtin: bool = False
    created_at: datetime | None = None


class GenerateRequest(BaseModel):
    """Body of `POST /runners/{runner_id}/training-plans/generate`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    schema_id: str = Field(min_length=1, max_length=64)
    marathon_date: JsonDate = Field(description="the goal race's date (the seed's name)")
    distance: Distance | None = Field(default=None, description="default: the schema's")
    start: JsonDate | None = Field(default=None, description="default: Monday-aligned, backwards")
    other_races: list[Race] = Field(default_factory=list, max_length=19, description="B/C races")
    time_limit_s: float | None = Field(default=None, gt=0, description="default: server's")
    gap_limit: float | None = Field(default=None, ge=0, le=1)
    seed: int | None = Field(
        default=None,
        ge=0,
        le=2**31 - 1,
        description="search seed: the same request, the same plan (default: the free search)",
    )
    athlete: dict[FieldName, Any] = Field(
        default_factory=dict, max_length=30, description="overrides of the profile"
    )
    rules: dict[FieldName, Any] = Field(
        default_factory=dict, max_length=30, description="overrides of PlanRules"
    )


class JobProgress(BaseModel):
    percent: float = 0.0
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    elapsed_s: float = 0.0
    solutions: int = 0


class PlanSummary(BaseModel):
    status: SolveStatus
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    solve_seconds: float
    start: date
    race_date: date
    days: int = Field(description="number of day documents (dates x slots)")
    training_days: int
    total_load: int
    total_minutes: int
    version: int | None = Field(
        default=None, description="the plan version the days were stored under (generated: 1)"
    )
    # Re-plans only.
    effective: date | None = Field(default=None, description="re-planned from this day")
    changed_days: int | None = Field(
        default=None, description="days whose sessions differ from the base version"
    )
    changed_dates: list[date] | None = Field(
        default=None, description="those dates, over the whole plan (before `effective` too)"
    )


class Job(BaseModel):
    id: str = _ID
    tenant_id: str = Field(default="", exclude=True)
    runner_id: str
    schema_id: str
    state: JobState
    request: GenerateRequest
    attempts: int = 0
    max_attempts: int
    progress: JobProgress = Field(default_factory=JobProgress)
    plan_id: str
    error: str | None = None
    conflicts: list[str] = Field(default_factory=list)
    result: PlanSummary | None = None
    idempotency_key: str | None = None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class PlanDayDocument(BaseModel):
    """One `trainingplan` document: the seed's fields plus the engine's numbers."""

    id: str | None = Field(default=None, validation_alias=AliasChoices("_id", "id"))
    plan_id: str
    job_id: str
    runner_id: str
    date: date
    slot: int
    week_number: int
    day_of_week: int
    session_code: str
    session_type: str
    session_definition: str
    is_training_day: bool
    is_recovery_week: bool
    phase: Phase
    sport: str
    intensity: Intensity
    duration_min: int
    load: int
    ctl: float
    atl: float
    tsb: float
    steps: list[PlanStep] = Field(default_factory=list, description="the session as steps")
    ctl_by_sport: dict[str, float] | None = Field(
        default=None, description="multi-sport plans: fitness per sport (null for running)"
    )
    atl_by_sport: dict[str, float] | None = Field(
        default=None, description="multi-sport plans: fatigue per sport (null for running)"
    )
    created_at: datetime


class TrainingPlan(BaseModel):
    plan_id: str
    job_id: str
    runner_id: str
    schema_id: str
    summary: PlanSummary
    days: list[PlanDayDocument]


class PlanListItem(BaseModel):
    plan_id: str
    job_id: str
    schema_id: str
    created_at: datetime
    summary: PlanSummary


class JobAccepted(BaseModel):
    job_id: str
    state: JobState
    links: dict[str, str]


class ProgressEvent(BaseModel):
    """One entry of a job's event stream; SSE sends it as `data`, with the stream id as `id`."""

    event: EventType
    job_id: str
    state: JobState
    at: datetime
    attempt: int | None = None
    progress: JobProgress | None = None
    plan_id: str | None = None
    error: str | None = None
    conflicts: list[str] = Field(default_factory=list)

    @property
    def terminal(self) -> bool:
        return self.event in TERMINAL_STATES


class ErrorBody(BaseModel):
    detail: str
    errors: list[str] = Field(default_factory=list)


# -- completed activities and re-plans -----------------------------------------------------

ActivityId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}$")]
LoadSource = Literal["given", "pace", "heart_rate", "power"]


class ActivityIn(BaseModel):
    """Body of `POST /runners/{runner_id}/activities`: one activity done.

    The load is given, or derived (TSS-like, see `shared.replanning`) from the average pace
    and the runner's threshold pace, else from the average heart rate and threshold HR
    (`RunnerIn.activity_thresholds`: the markers, else `thresholds`)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    activity_id: ActivityId = Field(description="the client's id: a repeated POST is a no-op")
    date: JsonDate
    sport: Annotated[str, StringConstraints(min_length=1, max_length=20)] = "run"
    duration_min: float = Field(gt=0, le=1440)
    load: float | None = Field(default=None, ge=0, le=2000)
    avg_pace_s_per_km: float | None = Field(default=None, gt=0, le=1800)
    avg_hr: float | None = Field(default=None, gt=0, le=250)
    intensity: Intensity | None = Field(default=None, description="default: from the load")
    kind: Literal["run", "long", "strength"] | None = None
    session_code: str | None = Field(default=None, max_length=40)
    name: str | None = Field(default=None, max_length=120)


class ActivityFile(BaseModel):
    """The file an uploaded activity was read from (its hash is its identity)."""

    name: str
    format: Literal["fit", "gpx", "tcx"]
    sha256: str
    size_bytes: int


class Activity(ActivityIn):
    """A stored activity, with its load as used for fitness and re-plans."""

    model_config = ConfigDict(extra="ignore")  # stored fields (tenant_id) stay private

    runner_id: str
    load: float = Field(ge=0)
    load_source: LoadSource
    intensity: Intensity
    created_at: datetime
    # Uploaded files only.
    distance_km: float | None = None
    avg_power_w: float | None = None
    normalized_power_w: float | None = None
    file: ActivityFile | None = None


class UploadedActivities(BaseModel):
    """`POST /runners/{runner_id}/activities/upload`: one activity per file, in order."""

    activities: list[Activity]


class Fitness(BaseModel):
    """A runner's fitness (CTL), fatigue (ATL) and form (TSB) on a morning."""

    runner_id: str
    on: date
    ctl: float
    atl: float
    tsb: float
    source: Literal["activities", "profile"]
    activities: int = Field(description="activities counted")


class ReplanBody(BaseModel):
    """Body of `POST /training-plans/{plan_id}/replan`."""

    model_config = ConfigDict(extra="forbid", strict=True)

    effective: JsonDate | None = Field(default=None, description="default: today (UTC)")
    unavailable_dates: list[JsonDate] = Field(default_factory=list, max_length=366)
    weekly_hours: float | None = Field(default=None, gt=0, le=40)
    race: Race | None = Field(
        default=None,
        description="an A race moves the goal race; a B/C race is added (or moves the race "
        "of the same name)",
    )
    use_activities: bool = Field(
        default=True,
        description="the runner's activities replace the plan from the first one logged in "
        "the plan; without any, the plan is taken as done",
    )
    change_penalty: float | None = Field(default=None, ge=0, le=10)
    base_version: int | None = Field(default=None, ge=1, description="default: the latest")
    time_limit_s: float | None = Field(default=None, gt=0, description="default: server's")
    gap_limit: float | None = Field(default=None, ge=0, le=1)


class VersionedTrainingPlan(TrainingPlan):
    version: int = Field(description="the version shown (`?version=N`, default the latest)")
    latest_version: int
    versions: list[int] = Field(description="the plan's versions with days")
    zones: Zones | None = Field(
        default=None, description="the runner's current zones (null: no markers known)"
    )


class VersionedPlanListItem(PlanListItem):
    version: int = Field(description="the latest version (its summary is shown)")


class DayDiff(BaseModel):
    date: date
    before: list[PlanDayDocument] = Field(description="the date's entries in `from` (by slot)")
    after: list[PlanDayDocument] = Field(description="the date's entries in `to` (by slot)")


class PlanDiff(BaseModel):
    """`GET /training-plans/{plan_id}/diff`: the dates whose sessions differ between two
    versions (the session code of a slot, or a slot or date only one version has)."""

    model_config = ConfigDict(populate_by_name=True)

    from_version: int = Field(alias="from")
    to_version: int = Field(alias="to")
    days: list[DayDiff]
