"""Reads shared by several routers: existing documents or a 404."""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from api.errors import not_found
from shared import names
from shared.documents import Job, Runner, StoredSchema
from worker.builtin_schemas import find_builtin

Db = AsyncDatabase[dict[str, Any]]


async def get_runner(db: Db, runner_id: str) -> Runner:
    doc = await db[names.RUNNERS].find_one({"_id": runner_id})
    if doc is None:
        raise not_found("runner", runner_id)
    return Runner.model_validate(doc)


async def get_schema(db: Db, schema_id: str) -> StoredSchema:
    builtin = find_builtin(schema_id)
    if builtin is not None:
        return builtin
    doc = await db[names.SCHEMAS].find_one({"_id": schema_id})
    if doc is None:
        raise not_found("training-plan schema", schema_id)
    return StoredSchema.model_validate(doc)


async def get_job(db: Db, job_id: str) -> Job:
    doc = await db[names.JOBS].find_one({"_id": job_id})
    if doc is None:
        raise not_found("job", job_id)
    return Job.model_validate(doc)
