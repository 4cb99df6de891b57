"""Training plans: the seed's three routes (generate, list a runner's plans, one plan)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from api import store
from api.deps import CeleryDep, DbDep, RedisDep, SettingsDep, TenantDep
from api.errors import COMMON_ERRORS, error
from api.ids import PlanId, RunnerId
from api.submission import submit
from shared import names
from shared.documents import (
    GenerateRequest,
    JobAccepted,
    PlanDayDocument,
    PlanListItem,
    TrainingPlan,
)

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
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return JobAccepted(
        job_id=job.id,
        state=job.state,
        links={
            "job": f"/jobs/{job.id}",
            "events": f"/jobs/{job.id}/events",
            "websocket": f"/jobs/{job.id}/ws",
            "plan": f"/training-plans/{job.plan_id}",
        },
    )


@router.get("/runners/{runner_id}/training-plans")
async def list_training_plans(
    runner_id: RunnerId, db: DbDep, tenant: TenantDep
) -> list[PlanListItem]:
    """The runner's generated plans, newest first (summaries; fetch one for its days)."""
    await store.get_runner(db, tenant, runner_id)
    jobs = (
        db[names.JOBS]
        .find({"runner_id": runner_id, "state": "succeeded", "tenant_id": tenant})
        .sort("created_at", -1)
        .limit(LIST_LIMIT)
    )
    return [
        PlanListItem(
            plan_id=j["plan_id"],
            job_id=j["_id"],
            schema_id=j["schema_id"],
            created_at=j["created_at"],
            summary=j["result"],
        )
        async for j in jobs
    ]


@router.get("/training-plans/{plan_id}", responses={404: error("unknown plan")})
async def get_training_plan(plan_id: PlanId, db: DbDep, tenant: TenantDep) -> TrainingPlan:
    """The plan's summary and its days (one entry per date and slot, in date order)."""
    job = await store.get_plan_job(db, tenant, plan_id)
    assert job.result is not None  # a succeeded job always has its summary
    days = db[names.PLAN_DAYS].find({"plan_id": plan_id}).sort([("date", 1), ("slot", 1)])
    return TrainingPlan(
        plan_id=plan_id,
        job_id=job.id,
        runner_id=job.runner_id,
        schema_id=job.schema_id,
        summary=job.result,
        days=[PlanDayDocument.model_validate(d) async for d in days],
    )
