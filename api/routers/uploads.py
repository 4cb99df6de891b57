"""`POST /runners/{runner_id}/activities/upload`: activities from watch files (FIT, GPX,
TCX), read by `shared.activity_files`.

All the files are read and rated before anything is stored: one bad file (corrupt, not
an activity, no way to derive its load) is a 422 naming it and the reason, and no file
of the request is stored. A file's identity is its SHA-256: the same file again answers
the stored activity (200 when every file was already stored).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Response, UploadFile, status
from pydantic import ValidationError
from pymongo.errors import DuplicateKeyError
from starlette.concurrency import run_in_threadpool

from api import store
from api.deps import DbDep, SettingsDep, TenantDep
from api.errors import COMMON_ERRORS, ApiError, error
from api.ids import RunnerId
from api.routers.activities import activity_doc
from shared import names
from shared.activity_files import ActivityFileError, FileActivity, summarise
from shared.documents import Activity, ActivityFile, ActivityIn, UploadedActivities
from shared.submission import describe

router = APIRouter(prefix="/runners/{runner_id}", tags=["activities"], responses=COMMON_ERRORS)

NAME_MAX = 120


def file_activity_in(found: FileActivity) -> ActivityIn:
    """The activity as if typed in (same ranges); ActivityFileError when out of them."""
    try:
        return ActivityIn.model_validate(
            {
                "activity_id": f"file-{found.sha256}",
                "date": found.date.isoformat(),
                "sport": found.sport,
                "duration_min": found.duration_min,
                "load": found.load,
                "avg_pace_s_per_km": found.avg_pace_s_per_km,
                "avg_hr": found.avg_hr,
                "name": found.file_name[:NAME_MAX] or None,
            }
        )
    except ValidationError as exc:
        raise ActivityFileError(found.file_name, "; ".join(describe(exc))) from None


@router.post(
    "/activities/upload",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": UploadedActivities, "description": "every file was already stored"},
        404: error("unknown runner"),
        413: error("the files are larger than the upload limit"),
        422: error("a file cannot be read as an activity (the message names it); none stored"),
    },
)
async def upload_activities(
    runner_id: RunnerId,
    response: Response,
    db: DbDep,
    tenant: TenantDep,
    settings: SettingsDep,
    files: Annotated[
        list[UploadFile], File(description="FIT, GPX or TCX activity files (one or more)")
    ],
) -> UploadedActivities:
    """Store the activities recorded in the files: date, sport, duration, distance,
    average pace, heart rate and power, and the load (from power with the runner's FTP,
    else the heart-rate stream with their LTHR, else the pace with their threshold pace)."""
    runner = await store.get_runner(db, tenant, runner_id)
    if len(files) > settings.max_upload_files:
        raise ApiError(
            422, f"{len(files)} files: at most {settings.max_upload_files} in one upload"
        )
    thresholds = runner.activity_thresholds()
    found: list[tuple[ActivityIn, FileActivity]] = []
    problems: list[str] = []
    for index, upload in enumerate(files, start=1):
        name = (upload.filename or "").strip() or f"file {index}"
        data = await upload.read()
        try:
            summary = await run_in_threadpool(summarise, name, data, thresholds)
            found.append((file_activity_in(summary), summary))
        except ActivityFileError as exc:
            problems.append(str(exc))
    if problems:
        raise ApiError(
            422, "no activity stored: " + "; ".join(problems), [f"files: {p}" for p in problems]
        )

    activities = db[names.ACTIVITIES]
    out: list[Activity] = []
    inserted: list[str] = []
    try:
        for body, summary in found:
            doc = activity_doc(
                tenant,
                runner_id,
                body,
                summary.load,
                summary.load_source,
                summary.sha256,
                runner.markers.zones(),
                **file_fields(summary),
            )
            try:
                await activities.insert_one(doc)
            except DuplicateKeyError:  # this file again (or twice in this request)
                existing = await activities.find_one({"_id": doc["_id"], "tenant_id": tenant})
                if existing is None:
                    raise
                out.append(Activity.model_validate(existing))
                continue
            inserted.append(doc["_id"])
            out.append(Activity.model_validate(doc))
    except Exception:
        if inserted:  # nothing partial: the request stores all its files or none
            await activities.delete_many({"_id": {"$in": inserted}, "tenant_id": tenant})
        raise
    if not inserted:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return UploadedActivities(activities=out)


def file_fields(found: FileActivity) -> dict[str, Any]:
    return {
        "distance_km": found.distance_km,
        "avg_power_w": found.avg_power_w,
        "normalized_power_w": found.normalized_power_w,
        "file": ActivityFile(
            name=found.file_name,
            format=found.format,
            sha256=found.sha256,
            size_bytes=found.size_bytes,
        ).model_dump(),
    }
