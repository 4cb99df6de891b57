"""Training plans: the seed's three routes (generate, list a runner's plans, one plan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status

from api import store
from api.deps import CeleryDep, DbDep, RedisDep, SettingsDep, TenantDep
from api.errors import COMMON_ERRORS, error
from api.ids import PlanId, RunnerId
from api.params import only_query
from api.submission import accepted, submit
from api.versions import latest_versions, plan_versions
from shared import names
from shared.documents import (
    GenerateRequest,
    JobAccepted,
    PlanDayDocument,
    VersionedPlanListItem,
    VersionedTrainingPlan,
)
from shared.indexes import version_days
from shared.markers import Markers
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)

LIST_LIMIT = 200


@router.post(
    "/runners/{runner_id}/training-plans/generate",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        404: error("unknown runner or schema"),
        409: error("Idempotency-Key reused for a different request"),
        422: error("the request cannot be planned (the message says why)"),
        503: error("Redis or MongoDB unreachable"),
    },
)
async def generate_training_plan(
    runner_id: RunnerId,
    body: GenerateRequest,
    response: Response,
    db: DbDep,
    tenant: TenantDep,
    redis: RedisDep,
    celery: CeleryDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JobAccepted:
    """Validate and enqueue; the plan is generated in the background. Follow `links`."""
    job, created = await submit(
        db=db,
        redis=redis,
        celery=celery,
        settings=settings,
        tenant=tenant,
        runner_id=runner_id,
        body=body,
        idempotency_key=idempotency_key,
    )
    return accepted(job, f"/training-plans/{job.plan_id}", created, response)


@router.get("/runners/{runner_id}/training-plans", responses={404: error("unknown runner")})
async def list_training_plans(
    runner_id: RunnerId, db: DbDep, tenant: TenantDep
) -> list[VersionedPlanListItem]:
    """The runner's generated plans, newest first, each with its latest version's summary
    (fetch one for its days)."""
    await store.get_runner(db, tenant, runner_id)
    generated = await AsyncJobs(db).find(lifecycle.runner_plans(tenant, runner_id, LIST_LIMIT))
    latest = await latest_versions(db, tenant, [j["plan_id"] for j in generated])
    items = []
    for j in generated:
        version, job = latest.get(j["plan_id"], (1, None))
        items.append(
            VersionedPlanListItem(
                plan_id=j["plan_id"],
                job_id=job.id if job else j["_id"],
                schema_id=j["schema_id"],
                created_at=j["created_at"],
                summary=job.result if job else j["result"],
                version=version,
            )
        )
    return items


@router.get("/training-plans/{plan_id}", responses={404: error("unknown plan or version")})
async def get_training_plan(
    plan_id: PlanId,
    db: DbDep,
    tenant: TenantDep,
    # A parameter, not a route dependency: routes reusing this one (exports) check too.
    _known: Annotated[None, Depends(only_query("version"))],
    version: Annotated[int | None, Query(ge=1, description="default: the latest")] = None,
) -> VersionedTrainingPlan:
    """The plan's summary and its days (one entry per date and slot, in date order), of
    its latest version (re-plans add versions) or of `version`."""
    versions = await plan_versions(db, tenant, plan_id)
    shown, job = versions.job(version)
    assert job.result is not None  # a succeeded job always has its summary
    days = db[names.PLAN_DAYS].find(version_days(plan_id, shown)).sort([("date", 1), ("slot", 1)])
    runner = await db[names.RUNNERS].find_one(
        {"_id": job.runner_id, "tenant_id": tenant}, {"markers": 1}
    )
    zones = Markers.model_validate(runner.get("markers") or {}).zones() if runner else None
    return VersionedTrainingPlan(
        plan_id=plan_id,
        job_id=job.id,
        runner_id=job.runner_id,
        schema_id=job.schema_id,
        summary=job.result,
        days=[PlanDayDocument.model_validate(d) async for d in days],
        version=shown,
        latest_version=versions.latest,
        versions=sorted(versions.jobs),
        zones=zones if zones is not None and zones.known else None,
    )
