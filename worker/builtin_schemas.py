"""Built-in training-plan schemas, addressable as `builtin-<distance>` without any database."""

from __future__ import annotations

from shared.documents import StoredSchema
from shared.names import BUILTIN_SCHEMA_PREFIX
from shared.planning import DISTANCES
from worker.engine.templates import builtin_schema


def builtin_schemas() -> list[StoredSchema]:
    return [
        StoredSchema(
            id=f"{BUILTIN_SCHEMA_PREFIX}{distance}",
            builtin=True,
            **builtin_schema(distance).model_dump(),
        )
        for distance in DISTANCES
    ]


def find_builtin(schema_id: str) -> StoredSchema | None:
    return next((s for s in builtin_schemas() if s.id == schema_id), None)
