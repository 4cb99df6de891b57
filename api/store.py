"""Reads shared by several routers: the caller's own documents, or a 404.

Every query carries the tenant: another tenant's ids look exactly like unknown ones.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from api.errors import not_found
from shared import names
from shared.documents import Job, Runner, StoredSchema
from worker.builtin_schemas import find_builtin
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs

Db = AsyncDatabase[dict[str, Any]]


async def get_runner(db: Db, tenant: str, runner_id: str) -> Runner:
    doc = await db[names.RUNNERS].find_one({"_id": runner_id, "tenant_id": tenant})
    if doc is None:
        raise not_found("runner", runner_id)
    return Runner.model_validate(doc)


async def get_schema(db: Db, tenant: str, schema_id: str) -> StoredSchema:
    builtin = find_builtin(schema_id)
    if builtin is not None:
        return builtin
    doc = await db[names.SCHEMAS].find_one({"_id": schema_id, "tenant_id": tenant})
    if doc is None:
        raise not_found("training-plan schema", schema_id)
    return StoredSchema.model_validate(doc)


async def get_job(db: Db, tenant: str, job_id: str) -> Job:
    doc = await AsyncJobs(db).find_one(lifecycle.of_tenant(tenant, job_id))
    if doc is None:
        raise not_found("job", job_id)
    return Job.model_validate(doc)


async def get_plan_job(db: Db, tenant: str, plan_id: str) -> Job:
    """The succeeded job that made the plan (its summary, runner and schema); re-plans
    (api/versions.py) share the plan's id but are not that job."""
    doc = await AsyncJobs(db).find_one(lifecycle.generating_job(tenant, plan_id))
    if doc is None:
        raise not_found("training plan", plan_id)
    return Job.model_validate(doc)
