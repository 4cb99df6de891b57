"""Runners: the athletes plans are made for (`runner` collection, `api/runners/`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from api.deps import DbDep, RedisDep, SettingsDep, TenantDep
from api.errors import COMMON_ERRORS, error, not_found
from api.ids import RunnerId
from api.params import only_query
from api.runners import deletion, overview, store
from api.runners.changes import merged
from shared.documents import Runner, RunnerIn, RunnerPage, RunnerPatch

router = APIRouter(prefix="/runners", tags=["runners"], responses=COMMON_ERRORS)

PAGE_DEFAULT, PAGE_MAX = 20, 100


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_runner(body: RunnerIn, db: DbDep, tenant: TenantDep) -> Runner:
    return await store.insert(db, tenant, body)


@router.get(
    "",
    responses={422: error("bad `limit` or `cursor`, or an unknown query parameter")},
    dependencies=[Depends(only_query("limit", "cursor"))],
)
async def list_runners(
    db: DbDep,
    tenant: TenantDep,
    limit: Annotated[int, Query(ge=1, le=PAGE_MAX)] = PAGE_DEFAULT,
    cursor: Annotated[
        str | None,
        Query(max_length=400, description="from a page's `next` link; omit for the first page"),
    ] = None,
) -> RunnerPage:
    """Your runners, newest first, `limit` a page; follow `next` for the following page
    (null on the last). Each with their latest plan, its goal race and today's form."""
    after = store.Position.parse(cursor) if cursor is not None else None
    runners, more = await store.page(db, tenant, limit, after)
    return RunnerPage(
        items=await overview.list_items(db, tenant, runners),
        total=await store.count(db, tenant),
        limit=limit,
        next=f"/runners?limit={limit}&cursor={more.token()}" if more else None,
    )


@router.get("/{runner_id}", responses={404: error("unknown runner")})
async def get_runner(runner_id: RunnerId, db: DbDep, tenant: TenantDep) -> Runner:
    return await store.get_runner(db, tenant, runner_id)


@router.patch(
    "/{runner_id}",
    responses={
        404: error("unknown runner"),
        409: error("changed concurrently by other requests; retry"),
        422: error("an unknown field, or the changed profile is invalid (nothing is stored)"),
    },
)
async def update_runner(
    runner_id: RunnerId, body: RunnerPatch, db: DbDep, tenant: TenantDep
) -> Runner:
    """Change the fields given; the others keep their values. Plans made already keep
    the profile they were made from."""
    return await store.update(db, tenant, runner_id, lambda profile: merged(profile, body))


@router.delete(
    "/{runner_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: error("unknown runner")},
)
async def delete_runner(
    runner_id: RunnerId, db: DbDep, tenant: TenantDep, redis: RedisDep, settings: SettingsDep
) -> None:
    """Delete the runner with their plans (every version and day), activities and jobs;
    their queued and running jobs are cancelled first."""
    if not await deletion.delete_runner(db, redis, settings, tenant, runner_id):
        raise not_found("runner", runner_id)
