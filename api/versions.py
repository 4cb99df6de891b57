"""Plan versions: a generated plan is version 1; each successful re-plan adds one.

All versions share the plan's id. Their jobs are the plan's succeeded jobs (the re-plans
carry `kind: "replan"` and `version`); their days are the day documents with that
`version` (none on the generated plan's days).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from api.errors import ApiError, not_found
from api.store import Db
from shared.documents import Job
from worker.jobs import lifecycle
from worker.jobs.lifecycle import AsyncJobs


@dataclass(frozen=True)
class PlanVersions:
    generated: Job  # the job that generated the plan (its request, schema and runner)
    jobs: dict[int, Job]  # version -> the succeeded job that made it

    @property
    def latest(self) -> int:
        return max(self.jobs)

    def job(self, version: int | None) -> tuple[int, Job]:
        """The version asked for (default the latest) and its job; 404 if it has no days."""
        chosen = self.latest if version is None else version
        if chosen not in self.jobs:
            raise ApiError(
                404,
                f"training plan {self.generated.plan_id!r} has no version {chosen} "
                f"(versions: {', '.join(map(str, sorted(self.jobs)))})",
            )
        return chosen, self.jobs[chosen]


def version_of(doc: dict[str, Any]) -> int:
    return int(doc.get("version") or 1) if lifecycle.kind_of(doc) == "replan" else 1


async def plan_versions(db: Db, tenant: str, plan_id: str) -> PlanVersions:
    docs = await AsyncJobs(db).find(lifecycle.plan_jobs(tenant, plan_id))
    generated = next((d for d in docs if lifecycle.kind_of(d) == "generate"), None)
    if generated is None:
        raise not_found("training plan", plan_id)
    return PlanVersions(
        generated=Job.model_validate(generated),
        jobs={version_of(d): Job.model_validate(d) for d in docs},
    )


async def latest_versions(db: Db, tenant: str, plan_ids: list[str]) -> dict[str, tuple[int, Job]]:
    """For each plan that was re-planned, its latest version and that version's job."""
    latest: dict[str, tuple[int, Job]] = {}
    for doc in await AsyncJobs(db).find(lifecycle.replanned(tenant, plan_ids)):
        version = version_of(doc)
        if version > latest.get(doc["plan_id"], (1, None))[0]:
            latest[doc["plan_id"]] = (version, Job.model_validate(doc))
    return latest


async def next_version(db: Db, tenant: str, plan_id: str) -> int:
    """A new version number, atomically (a counter on the generating job): concurrent
    re-plans never share one; a failed re-plan leaves a gap."""
    doc = await AsyncJobs(db).apply(lifecycle.next_version(tenant, plan_id))
    if doc is None:
        raise not_found("training plan", plan_id)
    return 1 + int(doc["replans"])
