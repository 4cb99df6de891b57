"""A plan as files: its calendar (`.ics`) and its fitness/fatigue/form chart (`chart.svg`).

Registered before the plans router: `/training-plans/{plan_id}` would otherwise take
`/training-plans/<id>.ics` as a plan id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from starlette.concurrency import run_in_threadpool

from api.errors import COMMON_ERRORS, error
from api.routers.plans import get_training_plan
from shared.documents import TrainingPlan
from shared.ics import render_ics
from shared.planning import PlanDay

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)

# The plan as `GET /training-plans/{plan_id}` answers it (same tenant check, same days).
Plan = Annotated[TrainingPlan, Depends(get_training_plan)]


def _days(plan: TrainingPlan) -> list[PlanDay]:
    return [PlanDay.model_validate(d.model_dump()) for d in plan.days]


@router.get(
    "/training-plans/{plan_id}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "one event per session"},
        404: error("unknown plan"),
    },
)
async def training_plan_calendar(plan: Plan) -> Response:
    """The plan as an iCalendar file: one all-day event per session, with its definition
    and duration. Re-downloading updates the same events (stable UIDs)."""
    text = render_ics(_days(plan), race_date=plan.summary.race_date, plan_key=plan.plan_id)
    return Response(
        content=text,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="training-plan-{plan.plan_id}.ics"'},
    )


@router.get(
    "/training-plans/{plan_id}/chart.svg",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "CTL, ATL, TSB and daily load"},
        404: error("unknown plan"),
    },
)
async def training_plan_chart(plan: Plan) -> Response:
    """Fitness (CTL), fatigue (ATL) and form (TSB) by day over the daily load, race day
    marked (SVG)."""
    from shared.chart import MEDIA_TYPES, render_chart  # matplotlib: loaded on first use

    svg = await run_in_threadpool(
        render_chart, _days(plan), race_date=plan.summary.race_date, fmt="svg"
    )
    return Response(content=svg, media_type=MEDIA_TYPES["svg"])
