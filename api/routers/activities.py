"""Completed activities: what a runner actually did (`activity` collection).

A POST is idempotent per activity id: the same id with the same body answers the stored
activity again (200), a different body is a 409 (delete it first to replace it). Once a
runner has activities, their current CTL/ATL come from them (`worker.fitness`), for
`GET /runners/{id}/fitness`, new plans and re-plans.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pymongo.errors import DuplicateKeyError

from api import store
from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, ApiError, error, not_found
from api.history import logged_activities
from api.ids import RunnerId
from api.params import ISO_DATE, only_query, query_date
from shared import names
from shared.documents import Activity, ActivityIn, Fitness, LoadSource, RunnerIn
from shared.planning import Intensity
from shared.replanning import STRENGTH_SPORTS, DoneActivity, derive_load
from shared.zone_intensity import zone_intensity
from shared.zones import Zones
from worker.fitness import activity_query, logged_fitness, rules_of

router = APIRouter(prefix="/runners/{runner_id}", tags=["activities"], responses=COMMON_ERRORS)

ActivityIdPath = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}$", description="the client's id")
]
LIST_LIMIT = 1000
PACE_KEY, HR_KEY = "threshold_pace_s_per_km", "threshold_hr"


def resolve_load(body: ActivityIn, thresholds: dict[str, float]) -> tuple[float, LoadSource]:
    """The given load, else from pace, else from heart rate (TSS-like, shared.replanning)."""
    if body.load is not None:
        return body.load, "given"
    if body.avg_pace_s_per_km is not None and thresholds.get(PACE_KEY):
        load = derive_load(
            body.duration_min,
            avg_pace_s_per_km=body.avg_pace_s_per_km,
            threshold_pace_s_per_km=thresholds[PACE_KEY],
        )
        return load, "pace"
    if body.avg_hr is not None and thresholds.get(HR_KEY):
        load = derive_load(body.duration_min, avg_hr=body.avg_hr, threshold_hr=thresholds[HR_KEY])
        return load, "heart_rate"
    problems = []
    if body.avg_pace_s_per_km is not None:
        problems.append(
            "avg_pace_s_per_km needs the runner's markers.threshold_pace_s_per_km or "
            f"markers.race_result (or thresholds.{PACE_KEY})"
        )
    if body.avg_hr is not None:
        problems.append(f"avg_hr needs the runner's markers.lthr_bpm (or thresholds.{HR_KEY})")
    if not problems:
        problems.append("give `load`, or `avg_pace_s_per_km` or `avg_hr`")
    raise ApiError(422, "cannot derive the activity's load: " + "; ".join(problems), problems)


def _stored_precision(moment: datetime) -> datetime:
    """MongoDB keeps milliseconds: answer the first POST as a replay will."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def fingerprint(body: ActivityIn) -> str:
    return hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()


def activity_doc(
    tenant: str,
    runner_id: str,
    body: ActivityIn,
    load: float,
    source: LoadSource,
    fingerprint: str,
    zones: Zones | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The stored document of an activity (typed in or read from a file). Its intensity:
    given, else by its pace or heart rate against the runner's zones (the plan's), else
    from its load."""
    by_zones = zone_intensity(
        zones,
        sport=body.sport,
        avg_pace_s_per_km=body.avg_pace_s_per_km,
        avg_hr=body.avg_hr,
        avg_power_w=extra.get("avg_power_w"),
    )
    intensity: Intensity = DoneActivity(
        date=body.date,
        sport=body.sport,
        duration_min=round(body.duration_min),
        load=load,
        intensity=body.intensity or by_zones,
        kind=body.kind,
    ).resolved_intensity()
    if body.kind == "strength" or (body.intensity is None and body.sport in STRENGTH_SPORTS):
        intensity = "strength"
    return {
        **body.model_dump(mode="json"),
        **extra,
        "_id": f"{runner_id}:{body.activity_id}",
        "tenant_id": tenant,
        "runner_id": runner_id,
        "load": load,
        "load_source": source,
        "intensity": intensity,
        "fingerprint": fingerprint,
        "created_at": _stored_precision(datetime.now(UTC)),
    }


@router.post(
    "/activities",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": Activity, "description": "already recorded with this body (a replay)"},
        404: error("unknown runner"),
        409: error("this activity id was recorded with a different body"),
    },
)
async def record_activity(
    runner_id: RunnerId, body: ActivityIn, response: Response, db: DbDep, tenant: TenantDep
) -> Activity:
    """Record an activity done; its load is given or derived from pace or heart rate."""
    runner = await store.get_runner(db, tenant, runner_id)
    load, source = resolve_load(body, runner.activity_thresholds())
    doc = activity_doc(
        tenant, runner_id, body, load, source, fingerprint(body), runner.markers.zones()
    )
    activities = db[names.ACTIVITIES]
    try:
        await activities.insert_one(doc)
    except DuplicateKeyError:
        existing = await activities.find_one({"_id": doc["_id"], "tenant_id": tenant})
        if existing is None or existing.get("fingerprint") != doc["fingerprint"]:
            raise ApiError(
                409,
                f"activity {body.activity_id!r} was already recorded with different values; "
                "delete it first to replace it",
            ) from None
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
        return Activity.model_validate(existing)
    return Activity.model_validate(doc)


@router.get(
    "/activities",
    responses={404: error("unknown runner")},
    dependencies=[Depends(only_query("from", "to", "limit"))],
)
async def list_activities(
    runner_id: RunnerId,
    db: DbDep,
    tenant: TenantDep,
    start: Annotated[
        str | None, Query(alias="from", pattern=ISO_DATE, description="first date, inclusive")
    ] = None,
    end: Annotated[
        str | None, Query(alias="to", pattern=ISO_DATE, description="last date, inclusive")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=LIST_LIMIT)] = LIST_LIMIT,
) -> list[Activity]:
    """The runner's activities in a date range, oldest first."""
    since, until = query_date(start, "from"), query_date(end, "to")
    await store.get_runner(db, tenant, runner_id)
    if since is not None and until is not None and until < since:
        raise ApiError(422, f"`to` ({until}) is before `from` ({since})")
    query = activity_query(tenant, runner_id, since)
    if until is not None:
        query.setdefault("date", {})["$lte"] = until.isoformat()
    cursor = db[names.ACTIVITIES].find(query).sort([("date", 1), ("activity_id", 1)]).limit(limit)
    return [Activity.model_validate(d) async for d in cursor]


@router.delete(
    "/activities/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: error("unknown runner or activity")},
)
async def delete_activity(
    runner_id: RunnerId, activity_id: ActivityIdPath, db: DbDep, tenant: TenantDep
) -> None:
    await store.get_runner(db, tenant, runner_id)
    deleted = await db[names.ACTIVITIES].delete_one(
        {"_id": f"{runner_id}:{activity_id}", "tenant_id": tenant}
    )
    if deleted.deleted_count == 0:
        raise not_found("activity", activity_id)


@router.get(
    "/fitness",
    responses={404: error("unknown runner")},
    dependencies=[Depends(only_query("on"))],
)
async def get_fitness(
    runner_id: RunnerId,
    db: DbDep,
    tenant: TenantDep,
    on: Annotated[
        str | None, Query(pattern=ISO_DATE, description="the morning of this day; default today")
    ] = None,
) -> Fitness:
    """CTL, ATL and TSB on a morning: from the logged activities when there are any before
    it (the profile's values on the first one's morning), else the profile's."""
    runner = await store.get_runner(db, tenant, runner_id)
    day = query_date(on, "on") or datetime.now(UTC).date()
    logged = await logged_activities(db, tenant, runner_id, before=day)
    profile = RunnerIn.model_validate(runner.model_dump(include=set(RunnerIn.model_fields)))
    ctl, atl = logged_fitness(profile, logged, day, rules_of({}))
    return Fitness(
        runner_id=runner_id,
        on=day,
        ctl=ctl,
        atl=atl,
        tsb=round(ctl - atl, 2),
        source="activities" if logged else "profile",
        activities=len(logged),
    )
