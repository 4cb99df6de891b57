"""`DELETE /runners/{id}`: the runner and every document kept for them.

Order matters. The runner is hidden first (every read then answers 404, so no new plan
or activity is made for it), its queued and running jobs are cancelled the way
`DELETE /jobs/{id}` does, running ones are given a moment to stop (an attempt saves no
days once its job is gone, but one saving at that very moment could), then its jobs
(its plans and all their versions), day documents and activities go, the runner last:
a deletion cut short by an outage is completed by the retried DELETE.
"""

from __future__ import annotations

import logging

import anyio
from redis.asyncio import Redis

from api.cancellation import cancel
from api.runners import store
from shared import names
from shared.documents import Job
from shared.settings import Settings
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs

log = logging.getLogger(__name__)

# A running attempt polls its cancel flag every `cancel_poll_interval_s` (at most 1 s);
# an attempt that does not stop by then has a dead worker, whose job is simply erased.
STOP_WAIT_S = 10.0
POLL_S = 0.2


async def delete_runner(
    db: store.Db, redis: Redis, settings: Settings, tenant: str, runner_id: str
) -> bool:
    """False if there is no such runner (of this tenant)."""
    if not await store.begin_deletion(db, tenant, runner_id):
        return False
    jobs = AsyncJobs(db)
    active = lifecycle.active_of_runner(tenant, runner_id)
    for doc in await jobs.find(active):
        await cancel(db, redis, settings, Job.model_validate(doc))
    with anyio.move_on_after(STOP_WAIT_S) as waited:
        while await jobs.count(active):
            await anyio.sleep(POLL_S)
    if waited.cancelled_caught:
        log.warning("runner %s: jobs still running after %.0f s; erased", runner_id, STOP_WAIT_S)
    owned = {"tenant_id": tenant, "runner_id": runner_id}
    removed = {
        "jobs": await jobs.delete_all(lifecycle.of_runner(tenant, runner_id)),
        "days": (await db[names.PLAN_DAYS].delete_many(owned)).deleted_count,
        "activities": (await db[names.ACTIVITIES].delete_many(owned)).deleted_count,
        "calendars": (await db[names.CALENDAR_SUBSCRIPTIONS].delete_many(owned)).deleted_count,
    }
    await store.delete(db, tenant, runner_id)
    log.info("runner %s deleted with %s", runner_id, removed, extra={"runner_id": runner_id})
    return True
