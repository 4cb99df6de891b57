"""Reads shared by several routers: the caller's own documents, or a 404.

Every query carries the tenant: another tenant's ids look exactly like unknown ones.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from api.errors import not_found
from api.runners.store import get_runner
from shared import names
from shared.documents import Job, StoredSchema
from shared.planning import Distance
from worker.builtin_schemas import find_builtin
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs

Db = AsyncDatabase[dict[str, Any]]

# The runner collection has its own module; routers read a runner through here as well.
__all__ = ["Db", "get_job", "get_plan_job", "get_runner", "get_schema", "schema_distances"]


async def get_schema(db: Db, tenant: str, schema_id: str) -> StoredSchema:
    builtin = find_builtin(schema_id)
    if builtin is not None:
        return builtin
    doc = await db[names.SCHEMAS].find_one({"_id": schema_id, "tenant_id": tenant})
    if doc is None:
        raise not_found("training-plan schema", schema_id)
    return StoredSchema.model_validate(doc)


async def schema_distances(db: Db, tenant: str, schema_ids: set[str]) -> dict[str, Distance]:
    """The distance of each schema found among `schema_ids` (built-in or the tenant's)."""
    found = {i: b.distance for i in schema_ids if (b := find_builtin(i)) is not None}
    stored = schema_ids - set(found)
    if stored:
        cursor = db[names.SCHEMAS].find(
            {"_id": {"$in": sorted(stored)}, "tenant_id": tenant}, {"distance": 1}
        )
        found.update({d["_id"]: d["distance"] async for d in cursor})
    return found


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
