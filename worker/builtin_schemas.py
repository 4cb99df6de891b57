"""Built-in training-plan schemas, addressable as `builtin-<distance>` without any database."""

from __future__ import annotations

from functools import cache

from shared.documents import StoredSchema
from shared.names import BUILTIN_SCHEMA_PREFIX
from shared.planning import ALL_DISTANCES
from worker.engine.templates import builtin_schema


@cache
def _by_id() -> dict[str, StoredSchema]:
    # Built once per process: every submission looks its schema up (building all of them
    # cost milliseconds of CPU per request). Shared instances: callers must not mutate them.
    schemas = (
        StoredSchema(
            id=f"{BUILTIN_SCHEMA_PREFIX}{distance}",
            builtin=True,
            **builtin_schema(distance).model_dump(),
        )
        for distance in ALL_DISTANCES
    )
    return {s.id: s for s in schemas}


def builtin_schemas() -> list[StoredSchema]:
    return list(_by_id().values())


def find_builtin(schema_id: str) -> StoredSchema | None:
    return _by_id().get(schema_id)
