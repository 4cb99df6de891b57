"""Training-plan schemas: session catalogues and phase rules (`trainingplanschema`).

Built-in schemas (`builtin-5k`, `builtin-10k`, `builtin-half`, `builtin-marathon`) come
from the engine and need no database entry.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bson import ObjectId
from fastapi import APIRouter, status

from api import store
from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, error
from api.ids import SchemaId
from shared import names
from shared.documents import StoredSchema
from shared.planning import TrainingSchema
from worker.builtin_schemas import builtin_schemas

router = APIRouter(
    prefix="/training-plan-schemas", tags=["training-plan schemas"], responses=COMMON_ERRORS
)

LIST_LIMIT = 500


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_schema(body: TrainingSchema, db: DbDep, tenant: TenantDep) -> StoredSchema:
    doc = {
        "_id": str(ObjectId()),
        **body.model_dump(mode="json"),
        "tenant_id": tenant,
        "created_at": datetime.now(UTC),
    }
    await db[names.SCHEMAS].insert_one(doc)
    return StoredSchema.model_validate(doc)


@router.get("")
async def list_schemas(db: DbDep, tenant: TenantDep) -> list[StoredSchema]:
    stored = db[names.SCHEMAS].find({"tenant_id": tenant}).sort("created_at", 1).limit(LIST_LIMIT)
    return [*builtin_schemas(), *[StoredSchema.model_validate(d) async for d in stored]]


@router.get("/{schema_id}", responses={404: error("unknown schema")})
async def get_schema(schema_id: SchemaId, db: DbDep, tenant: TenantDep) -> StoredSchema:
    return await store.get_schema(db, tenant, schema_id)
