"""A plan as files, in every format of `shared.exports.registry`: the plan itself at
`/training-plans/{plan_id}.{extension}` (`.ics`, `.csv`, `.json`, `.txt`) and its
fitness/fatigue/form chart at `/training-plans/{plan_id}/chart.{extension}` (`.svg`, `.png`).

Registered before the plans router: `/training-plans/{plan_id}` would otherwise take
`/training-plans/<id>.ics` as a plan id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from starlette.concurrency import run_in_threadpool

from api.deps import TenantDep
from api.errors import COMMON_ERRORS, ApiError, error
from api.routers.plans import get_training_plan
from shared.documents import TrainingPlan
from shared.exports.registry import (
    CHART_FORMATS,
    PLAN_FORMATS,
    Content,
    ExportFormat,
    by_extension,
    extensions,
)
from shared.planning import PlanDay, PlanResult

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)

# The plan as `GET /training-plans/{plan_id}` answers it (same tenant check, same days,
# same `?version=`).
Plan = Annotated[TrainingPlan, Depends(get_training_plan)]

# What a stored summary tells of its solve, as the renderers read it.
_SOLVE_FIELDS = {"status", "objective", "bound", "gap", "solve_seconds", "start", "race_date"}


def _result(plan: TrainingPlan) -> PlanResult:
    """The stored plan as the renderers take it (a succeeded solve: no conflicts)."""
    solve = plan.summary.model_dump(include=_SOLVE_FIELDS)
    return PlanResult(**solve, days=[PlanDay.model_validate(d.model_dump()) for d in plan.days])


def _format(formats: Mapping[str, ExportFormat[Content]], extension: str) -> ExportFormat[Content]:
    """A 422 for an unknown extension, before the plan is looked up: `/training-plans/a.b`
    stays what it was before these routes existed, an invalid plan id, not a missing plan."""
    found = by_extension(formats, extension)
    if found is None:
        raise ApiError(422, f"no export format {extension!r}: use {extensions(formats)}")
    return found


# `_tenant`: the API key is checked before the extension (a 401 comes first).
def plan_format(_tenant: TenantDep, extension: Annotated[str, Path()]) -> ExportFormat[Any]:
    return _format(PLAN_FORMATS, extension)


def chart_format(_tenant: TenantDep, extension: Annotated[str, Path()]) -> ExportFormat[Any]:
    return _format(CHART_FORMATS, extension)


def _responses(formats: Mapping[str, ExportFormat[Any]], what: str) -> dict[int | str, Any]:
    content: dict[str, Any] = {f.media_type: {} for f in formats.values()}
    return {
        200: {"content": content, "description": what},
        404: error("unknown plan or version"),
        422: error("unknown format"),
    }


def _extension(formats: Mapping[str, ExportFormat[Any]]) -> Any:
    names = ", ".join(f.extension for f in formats.values())
    return Path(description=f"the file's extension, without the dot: one of {names}")


@router.get(
    "/training-plans/{plan_id}.{extension}",
    response_class=Response,
    responses=_responses(PLAN_FORMATS, "the plan as a file"),
)
async def training_plan_file(
    fmt: Annotated[ExportFormat[Any], Depends(plan_format)],
    plan: Plan,
    extension: Annotated[str, _extension(PLAN_FORMATS)],
) -> Response:
    """The plan as a file: `.ics` (one all-day event per session, with its definition and
    duration; re-downloading updates the same events), `.csv` (one row per date and slot),
    `.json` (the CLI's `--format json` object), `.txt` (the CLI's table)."""
    return Response(
        content=fmt.render(_result(plan), plan.plan_id),
        media_type=fmt.media_type,
        headers={
            "Content-Disposition": (
                f'attachment; filename="training-plan-{plan.plan_id}.{fmt.extension}"'
            )
        },
    )


@router.get(
    "/training-plans/{plan_id}/chart.{extension}",
    response_class=Response,
    responses=_responses(CHART_FORMATS, "CTL, ATL, TSB and daily load"),
)
async def training_plan_chart(
    fmt: Annotated[ExportFormat[Any], Depends(chart_format)],
    plan: Plan,
    extension: Annotated[str, _extension(CHART_FORMATS)],
) -> Response:
    """Fitness (CTL), fatigue (ATL) and form (TSB) by day over the daily load, race day
    marked (`.svg` or `.png`)."""
    # Drawing takes a moment (and a lock): off the event loop.
    content = await run_in_threadpool(fmt.render, _result(plan), plan.plan_id)
    return Response(content=content, media_type=fmt.media_type)
