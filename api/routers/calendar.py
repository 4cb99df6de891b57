"""A live calendar subscription of a plan: `POST|DELETE /training-plans/{plan_id}/calendar`
(with the API key) hand out and revoke a secret URL; `GET /calendar/{token}.ics` (no
header: calendar apps send none) serves the plan's latest version, re-planned days
updating the same events (`shared.exports.ics.render_subscription`).

The token is the only credential of its URL: only its hash is stored (`api/calendar_store`),
and the access log shows `/calendar/<redacted>` (`RedactCalendarTokens`).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from datetime import UTC, datetime

from fastapi import APIRouter, FastAPI, Request, Response, status
from pydantic import BaseModel, Field

from api import calendar_store, store
from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, ApiError, error
from api.ids import PlanId
from api.versions import plan_versions
from shared import names
from shared.documents import PlanDayDocument
from shared.exports.ics import PlanVersion, render_subscription
from shared.planning import PlanDay

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)
feed = APIRouter(tags=["calendar"])

FEED_ROUTE = "calendar_feed"
# The same answer for a malformed, unknown or revoked token, and for a deleted plan.
UNKNOWN_CALENDAR = "no such calendar (unknown or revoked link)"


class CalendarSubscription(BaseModel):
    url: str = Field(description="the calendar's address (keep it secret: it is the key)")
    webcal: str = Field(description="the same for calendar apps (`webcal://`)")


@router.post(
    "/training-plans/{plan_id}/calendar",
    status_code=status.HTTP_201_CREATED,
    responses={404: error("unknown plan")},
)
async def subscribe_calendar(
    plan_id: PlanId, request: Request, response: Response, db: DbDep, tenant: TenantDep
) -> CalendarSubscription:
    """A secret address serving the plan's latest version as a calendar, without an API
    key; calendar apps subscribed to it follow re-plans. Asking again gives a new address
    and the old one stops working."""
    versions = await plan_versions(db, tenant, plan_id)
    runner_id = versions.generated.runner_id
    await store.get_runner(db, tenant, runner_id)  # a runner being deleted: 404
    token = await calendar_store.subscribe(db, tenant, runner_id, plan_id)
    url = str(request.url_for(FEED_ROUTE, token=token))
    response.headers["Cache-Control"] = "no-store"
    return CalendarSubscription(url=url, webcal="webcal://" + url.split("://", 1)[1])


@router.delete(
    "/training-plans/{plan_id}/calendar",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: error("unknown plan, or no calendar subscription")},
)
async def revoke_calendar(plan_id: PlanId, db: DbDep, tenant: TenantDep) -> Response:
    """Revoke the plan's calendar address: it then answers 404."""
    if not await calendar_store.revoke(db, tenant, plan_id):
        raise ApiError(404, f"training plan {plan_id!r} has no calendar subscription")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@feed.get(
    "/calendar/{token}.ics",
    name=FEED_ROUTE,
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}, "description": "the plan's latest version"},
        404: error("unknown or revoked calendar"),
        503: error("MongoDB unreachable; retry shortly"),
    },
)
async def calendar_feed(token: str, db: DbDep) -> Response:
    """The subscribed plan as iCalendar (no API key: the address is the secret)."""
    found = await calendar_store.find(db, token)
    if found is None:
        raise ApiError(404, UNKNOWN_CALENDAR)
    try:
        versions = await plan_versions(db, found.tenant_id, found.plan_id)
    except ApiError as exc:  # the plan is gone (its runner deleted): as if revoked
        raise ApiError(404, UNKNOWN_CALENDAR) from exc
    days: dict[int, list[PlanDay]] = defaultdict(list)
    cursor = (
        db[names.PLAN_DAYS]
        .find({"plan_id": found.plan_id, "tenant_id": found.tenant_id})
        .sort([("date", 1), ("slot", 1)])
    )
    async for doc in cursor:
        day = PlanDayDocument.model_validate(doc)
        days[int(doc.get("version") or 1)].append(PlanDay.model_validate(day.model_dump()))
    history = []
    for number in sorted(versions.jobs):  # only succeeded versions: a failed one has no job
        job = versions.jobs[number]
        history.append(PlanVersion(days[number], job.finished_at or job.updated_at))
    summary = versions.jobs[versions.latest].result
    assert summary is not None  # a succeeded job always has its summary
    text = render_subscription(history, found.plan_id, summary.race_date, datetime.now(UTC))
    return Response(content=text, media_type="text/calendar")


# The token in a logged request line: `/calendar/<token>.ics` and anything malformed alike.
_TOKEN_IN_PATH = re.compile(r"/calendar/[^/\s\"?#]+")


def redact(text: str) -> str:
    return _TOKEN_IN_PATH.sub("/calendar/<redacted>", text)


class RedactCalendarTokens(logging.Filter):
    """uvicorn's access log writes the path of every request: not a calendar's token."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install(app: FastAPI) -> None:
    """The routes, and the redaction on the access log (once per process)."""
    app.include_router(router)
    app.include_router(feed)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactCalendarTokens) for f in access.filters):
        access.addFilter(RedactCalendarTokens())
