"""`GET /training-plans/{plan_id}/diff?from=N&to=M`: what changed between two versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import DbDep, TenantDep
from api.errors import COMMON_ERRORS, error
from api.ids import PlanId
from api.params import only_query
from api.store import Db
from api.versions import plan_versions
from shared import names
from shared.documents import DayDiff, PlanDayDocument, PlanDiff
from shared.indexes import version_days
from shared.plan_diff import by_date, changed_dates

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)


async def version_entries(db: Db, plan_id: str, version: int) -> list[PlanDayDocument]:
    days = db[names.PLAN_DAYS].find(version_days(plan_id, version))
    return [PlanDayDocument.model_validate(d) async for d in days]


@router.get(
    "/training-plans/{plan_id}/diff",
    dependencies=[Depends(only_query("from", "to"))],
    responses={404: error("unknown plan or version")},
)
async def diff_training_plan(
    plan_id: PlanId,
    db: DbDep,
    tenant: TenantDep,
    from_version: Annotated[int, Query(alias="from", ge=1, description="the earlier version")],
    to_version: Annotated[int, Query(alias="to", ge=1, description="the later version")],
) -> PlanDiff:
    """One entry per date whose sessions differ between versions `from` and `to` (a
    re-plan's `changed_dates`), with each version's entries of that date."""
    versions = await plan_versions(db, tenant, plan_id)
    before_version, _ = versions.job(from_version)
    after_version, _ = versions.job(to_version)
    old = await version_entries(db, plan_id, before_version)
    new = await version_entries(db, plan_id, after_version)
    before, after = by_date(old), by_date(new)
    return PlanDiff(
        from_version=before_version,
        to_version=after_version,
        days=[
            DayDiff(date=d, before=before.get(d, []), after=after.get(d, []))
            for d in changed_dates(new, old)
        ],
    )
