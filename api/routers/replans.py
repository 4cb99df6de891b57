"""Re-plans: `POST /training-plans/{plan_id}/replan` enqueues a job like generation.

The job (`worker/jobs/replan.py`) keeps every day before the effective date (as planned,
or as the runner's activities say), re-solves the rest from the fitness they leave,
warm-started from the base version, and stores the result as the plan's next version.
Progress streams like any job's; the job's summary says how many future days changed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from api import store
from api.deps import CeleryDep, DbDep, RedisDep, SettingsDep, TenantDep
from api.errors import COMMON_ERRORS, ApiError, error
from api.ids import PlanId
from api.submission import accepted, job_id_for, record_and_enqueue
from api.versions import PlanVersions, next_version, plan_versions
from shared.documents import JobAccepted, ReplanBody
from worker.jobs import lifecycle
from worker.jobs.lifecycle import REPLAN, AsyncJobs

router = APIRouter(tags=["training plans"], responses=COMMON_ERRORS)


def check_dates(body: ReplanBody, versions: PlanVersions, base: int, today: date) -> list[str]:
    """What the API can tell at once; the engine checks the rest (the job then fails)."""
    summary = versions.jobs[base].result
    assert summary is not None  # a succeeded job always has its summary
    effective = body.effective or today
    goal = body.race.date if body.race is not None and body.race.priority == "A" else None
    race_date = goal or summary.race_date
    problems = []
    if race_date < today:
        problems.append(f"the race on {race_date} is over (today is {today})")
    elif effective > race_date:
        problems.append(f"the effective date {effective} is after the race on {race_date}")
    if body.race is not None and body.race.date < effective:
        problems.append(
            f"the race on {body.race.date} is before the effective date {effective}: races "
            "can be moved or added only in the part still to plan"
        )
    if race_date in set(body.unavailable_dates):
        problems.append(f"the race date {race_date} is listed as unavailable")
    return problems


@router.post(
    "/training-plans/{plan_id}/replan",
    status_code=status.HTTP_202_ACCEPTED,
    responses={
        404: error("unknown plan, runner or version"),
        409: error("Idempotency-Key reused for a different request"),
        422: error("the re-plan cannot be made (the message says why)"),
    },
)
async def replan_training_plan(
    plan_id: PlanId,
    body: ReplanBody,
    response: Response,
    db: DbDep,
    tenant: TenantDep,
    redis: RedisDep,
    celery: CeleryDep,
    settings: SettingsDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JobAccepted:
    """Re-plan from `effective` (default today) with the changes given; the new version is
    made in the background. Follow `links`; the plan's latest version is the new one."""
    versions = await plan_versions(db, tenant, plan_id)
    base, _ = versions.job(body.base_version)
    generated = versions.generated
    await store.get_runner(db, tenant, generated.runner_id)  # deleted runner: 404
    if body.time_limit_s is not None and body.time_limit_s > settings.solver_max_time_limit_s:
        raise ApiError(
            422, f"time_limit_s: at most {settings.solver_max_time_limit_s:g} seconds here"
        )
    today = datetime.now(UTC).date()
    problems = check_dates(body, versions, base, today)
    if problems:
        raise ApiError(422, "this re-plan cannot be made: " + "; ".join(problems), problems)

    fingerprint = hashlib.sha256(
        json.dumps([plan_id, body.model_dump(mode="json")], sort_keys=True).encode()
    ).hexdigest()
    job_id = job_id_for(tenant, f"replan:{plan_id}", idempotency_key)
    existing = await AsyncJobs(db).find_one(lifecycle.of_tenant(tenant, job_id))
    # A replay reuses its version; a new re-plan takes the next number.
    version = existing.get("version", 0) if existing else await next_version(db, tenant, plan_id)
    spec = body.model_copy(update={"effective": body.effective or today, "base_version": base})
    doc = lifecycle.queued_job(
        {
            "_id": job_id,
            "tenant_id": tenant,
            "runner_id": generated.runner_id,
            "schema_id": generated.schema_id,
            "kind": REPLAN,
            "plan_id": plan_id,
            "version": version,
            "request": generated.request.model_dump(mode="json"),
            "replan": spec.model_dump(mode="json"),
            "request_fingerprint": fingerprint,
            "idempotency_key": idempotency_key,
        },
        max_attempts=settings.job_max_attempts,
        now=datetime.now(UTC),
    )
    job, created = await record_and_enqueue(
        db=db, redis=redis, celery=celery, settings=settings, doc=doc
    )
    return accepted(job, f"/training-plans/{plan_id}?version={version}", created, response)
