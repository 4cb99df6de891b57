"""Runners: the athletes plans are made for (`runner` collection)."""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from fastapi import APIRouter, status

from api import store
from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, error
from api.ids import RunnerId
from shared import names
from shared.documents import Runner, RunnerIn

router = APIRouter(prefix="/runners", tags=["runners"], responses=COMMON_ERRORS)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_runner(body: RunnerIn, db: DbDep, tenant: TenantDep) -> Runner:
    doc = {
        "_id": str(ObjectId()),
        **body.model_dump(mode="json"),
        "tenant_id": tenant,
        "created_at": datetime.now(UTC),
    }
    await db[names.RUNNERS].insert_one(doc)
    return Runner.model_validate(doc)


@router.get("/{runner_id}", responses={404: error("unknown runner")})
async def get_runner(runner_id: RunnerId, db: DbDep, tenant: TenantDep) -> Runner:
    return await store.get_runner(db, tenant, runner_id)
