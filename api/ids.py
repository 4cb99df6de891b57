"""Path ids, validated before any query: ours are hex ObjectIds or short slugs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

ID_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"

RunnerId = Annotated[str, Path(pattern=ID_PATTERN, description="a runner's id")]
SchemaId = Annotated[str, Path(pattern=ID_PATTERN, description="a schema's id (or builtin-*)")]
JobId = Annotated[str, Path(pattern=ID_PATTERN, description="a job's id")]
PlanId = Annotated[str, Path(pattern=ID_PATTERN, description="a training plan's id")]
