"""A plan's sessions as device workouts (`shared.exports.registry.WORKOUT_FORMATS`): one
session at `/training-plans/{plan_id}/days/{date}/workout.{fit|zwo}` (`?slot=N`), the
whole plan at `/training-plans/{plan_id}/workouts.zip?format=fit|zwo`. Both take
`?version=` and check the tenant like `GET /training-plans/{plan_id}`.

Zwift's relative targets are scaled by the runner's current markers (FTP, the 5 km pace
of their race result or threshold pace); FIT files carry the plan's absolute targets.
Registered before the plans router, with the other plan files.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, ApiError, error
from api.ids import PlanId
from api.params import only_query
from api.routers.plans import get_training_plan
from shared import names
from shared.documents import VersionedTrainingPlan
from shared.exports.registry import WORKOUT_FORMATS
from shared.exports.summary import is_session
from shared.exports.workouts import Reference, WorkoutFormat, file_name, zip_workouts
from shared.markers import Markers
from shared.planning import PlanDay

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)

_NAMES = ", ".join(WORKOUT_FORMATS)
_MEDIA: dict[str, Any] = {f.media_type: {} for f in WORKOUT_FORMATS.values()}


def _workout_format(name: str, what: str) -> WorkoutFormat:
    found = WORKOUT_FORMATS.get(name)
    if found is None:
        raise ApiError(422, f"no workout format {name!r}: use {_NAMES}", [f"{what}: unknown"])
    return found


# `_tenant`: the API key is checked before the extension (a 401 comes first).
def session_format(
    _tenant: TenantDep,
    extension: Annotated[str, Path(description=f"the file's extension: one of {_NAMES}")],
) -> WorkoutFormat:
    return _workout_format(extension, "path.extension")


def plan_format(
    _tenant: TenantDep,
    format: Annotated[str, Query(description=f"one of {_NAMES}")] = "fit",
) -> WorkoutFormat:
    return _workout_format(format, "query.format")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, f"{value!r} is not a date (use YYYY-MM-DD)", ["path.day: not a date"]
        ) from None


async def _plan_and_reference(
    db: DbDep, tenant: str, plan_id: str, version: int | None
) -> tuple[VersionedTrainingPlan, list[PlanDay], Reference]:
    plan = await get_training_plan(plan_id, db, tenant, None, version)
    runner = await db[names.RUNNERS].find_one(
        {"_id": plan.runner_id, "tenant_id": tenant}, {"markers": 1}
    )
    markers = Markers.model_validate(runner.get("markers") or {}) if runner else None
    days = [PlanDay.model_validate(d.model_dump()) for d in plan.days]
    return plan, days, Reference.of(markers)


def _session(days: list[PlanDay], on: date, slot: int | None, fmt: WorkoutFormat) -> PlanDay:
    """The session of `on` (its first slot unless `slot`); a 404 in words when there is none."""
    of_date = [d for d in days if d.date == on]
    if not of_date:
        span = f" (it runs from {days[0].date} to {days[-1].date})" if days else ""
        raise ApiError(404, f"the plan has no day {on}{span}")
    chosen = of_date[0] if slot is None else next((d for d in of_date if d.slot == slot), None)
    if chosen is None:
        slots = ", ".join(str(d.slot) for d in of_date)
        raise ApiError(404, f"{on} has no slot {slot} (its slots: {slots})")
    if not is_session(chosen):
        raise ApiError(404, f"{on} is a rest day: there is no workout to download")
    refusal = fmt.refusal(chosen)
    if refusal is not None:
        raise ApiError(404, f"no {fmt.name.upper()} workout for {on}: {refusal}")
    return chosen


@router.get(
    "/training-plans/{plan_id}/days/{day}/workout.{extension}",
    response_class=Response,
    responses={
        200: {"content": _MEDIA, "description": "the session as a device workout"},
        404: error("unknown plan or version; no such date or slot; a rest day"),
        422: error("unknown format, a bad date or slot"),
    },
    dependencies=[Depends(only_query("slot", "version"))],
)
async def session_workout(
    fmt: Annotated[WorkoutFormat, Depends(session_format)],
    plan_id: PlanId,
    day: Annotated[str, Path(description="the session's date, YYYY-MM-DD")],
    db: DbDep,
    tenant: TenantDep,
    slot: Annotated[int | None, Query(ge=0, le=9, description="default: the day's first")] = None,
    version: Annotated[int | None, Query(ge=1, description="default: the latest")] = None,
) -> Response:
    """One session as a file for the watch (`.fit`: Garmin FIT workout, steps with pace,
    heart-rate or power ranges) or for Zwift (`.zwo`: runs and rides)."""
    on = _day(day)
    _, days, reference = await _plan_and_reference(db, tenant, plan_id, version)
    session = _session(days, on, slot, fmt)
    return Response(
        content=fmt.render(session, reference),
        media_type=fmt.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file_name(session, fmt.extension)}"'
        },
    )


@router.get(
    "/training-plans/{plan_id}/workouts.zip",
    response_class=Response,
    responses={
        200: {"content": {"application/zip": {}}, "description": "one file per session"},
        404: error("unknown plan or version"),
        422: error("unknown format"),
    },
    dependencies=[Depends(only_query("format", "version"))],
)
async def plan_workouts(
    fmt: Annotated[WorkoutFormat, Depends(plan_format)],
    plan_id: PlanId,
    db: DbDep,
    tenant: TenantDep,
    version: Annotated[int | None, Query(ge=1, description="default: the latest")] = None,
) -> Response:
    """Every session of the plan as a workout file (`YYYY-MM-DD-<slot>-<CODE>.<format>`),
    in one zip; rest days have none, and `zwo` holds the runs and rides only."""
    plan, days, reference = await _plan_and_reference(db, tenant, plan_id, version)
    return Response(
        content=zip_workouts(days, fmt, reference),
        media_type="application/zip",
        headers={
            "Content-Disposition": (
                f'attachment; filename="training-plan-{plan.plan_id}-{fmt.name}.zip"'
            )
        },
    )
