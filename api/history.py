"""A runner's logged activities, read for fitness (the async side of `worker.jobs.inputs`)."""

from __future__ import annotations

from datetime import date

from api.store import Db
from shared import names
from shared.replanning import DoneActivity
from worker.fitness import MAX_ACTIVITIES, activity_query, as_done


async def logged_activities(
    db: Db, tenant: str, runner_id: str, since: date | None = None, before: date | None = None
) -> list[DoneActivity]:
    """The runner's latest activities in [since, before) (up to MAX_ACTIVITIES), oldest first."""
    cursor = (
        db[names.ACTIVITIES]
        .find(activity_query(tenant, runner_id, since, before))
        .sort("date", -1)
        .limit(MAX_ACTIVITIES)
    )
    docs = [d async for d in cursor]
    return [as_done(d) for d in reversed(docs)]
