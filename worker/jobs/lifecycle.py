"""The job document (`background_jobs`) and its state machine: every read and write of it.

States and the transitions between them (the operation that performs each):

    (none)    -> queued     `queued_job` + insert: the API records a submitted job
    queued    -> (none)     `unsent`: the API forgets a job it could not enqueue
    queued    -> running    `claim`: an attempt takes the job under a fresh lease
    running   -> running    `claim` of an abandoned job (no heartbeat since the cutoff):
                            a new attempt takes it over under its own lease
    queued    -> cancelled  `cancel_queued`: `DELETE /jobs/{id}` before any attempt started
    running   -> succeeded  `finish`, by the attempt holding the lease
              |  failed     (a running job is cancelled by its attempt too: the API only
              |  cancelled   sets the cancel flag in Redis, which the attempt watches)
    running   -> queued     `release`: hand back (warm shutdown), a lost service, or the
                            recovery loop requeueing an abandoned job; no lease afterwards
    (any)     -> (none)     `of_runner` + `delete_all`: `DELETE /runners/{id}` erases the
                            runner's jobs once its `active_of_runner` ones are cancelled

`succeeded`, `failed` and `cancelled` are final: no filter below matches them for a
change of state. Writes while `running` (`beat`, `progress`, `keep_engine_request`) and the
check before saving days (`running_under`) match the attempt's lease only, so a
superseded attempt changes nothing.

Each operation is defined once, as a `Read` or a `Write` (filter, update, options); the
workers run them with sync pymongo (`Jobs`), the API with its `AsyncMongoClient`
(`AsyncJobs`). Generated plans' jobs have no `kind`; re-plans have `kind: "replan"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.database import Database

from shared import names
from shared.documents import JobState

Doc = dict[str, Any]
Finished = Literal["succeeded", "failed", "cancelled"]
JobKind = Literal["generate", "replan"]

REPLAN = "replan"


@dataclass(frozen=True)
class Read:
    filter: Doc
    projection: Doc | None = None
    sort: list[tuple[str, int]] | None = None
    limit: int = 0


@dataclass(frozen=True)
class Write:
    """An update of one document; `Jobs.apply` returns the document after it."""

    filter: Doc
    update: Doc
    projection: Doc | None = None


def kind_of(job: Doc) -> JobKind:
    return "replan" if job.get("kind") == REPLAN else "generate"


# -- creating and reading --------------------------------------------------------------


def queued_job(fields: Doc, *, max_attempts: int, now: datetime) -> Doc:
    """A new job document: the submission's `fields`, queued, no attempt yet."""
    return {
        **fields,
        "state": "queued",
        "attempts": 0,
        "max_attempts": max_attempts,
        "created_at": now,
        "updated_at": now,
    }


def unsent(job_id: str) -> Read:
    """The job just recorded whose message could not be published (deleted, so that a
    retry with the same Idempotency-Key starts afresh)."""
    return Read({"_id": job_id, "state": "queued"})


def by_id(job_id: str) -> Read:
    return Read({"_id": job_id})


def of_tenant(tenant: str, job_id: str) -> Read:
    """The API's reads: another tenant's job looks exactly like an unknown one."""
    return Read({"_id": job_id, "tenant_id": tenant})


def in_state(state: JobState) -> Read:
    return Read({"state": state})


# -- an attempt ------------------------------------------------------------------------


def stale_cutoff(timeout_s: float, now: datetime | None = None) -> datetime:
    return (now or datetime.now(UTC)) - timedelta(seconds=timeout_s)


def abandoned(cutoff: datetime) -> Doc:
    """`running` jobs whose attempt stopped beating before `cutoff` (documents written
    before heartbeats existed count from their start)."""
    return {
        "state": "running",
        "$or": [
            {"heartbeat_at": {"$lt": cutoff}},
            {"heartbeat_at": None, "started_at": {"$lt": cutoff}},
        ],
    }


def claim(job_id: str, lease: str, worker: str, cutoff: datetime) -> Write:
    """queued (or abandoned running) -> running under `lease`. A duplicate message for a
    job running with a live heartbeat matches nothing, so two workers never solve the
    same job at once."""
    now = datetime.now(UTC)
    return Write(
        {"_id": job_id, "$or": [{"state": "queued"}, abandoned(cutoff)]},
        {
            "$inc": {"attempts": 1},
            "$set": {
                "state": "running",
                "lease": lease,
                "worker": worker,
                "started_at": now,
                "heartbeat_at": now,
                "updated_at": now,
            },
        },
    )


def running_under(job_id: str, lease: str) -> Read:
    """The job, if the attempt holding `lease` still runs it."""
    return Read({"_id": job_id, "lease": lease, "state": "running"})


def beat(job_id: str, lease: str) -> Write:
    # Matches nothing before the attempt claimed the job (the claim stamps it too) and
    # nothing once another attempt took it over.
    return Write(running_under(job_id, lease).filter, {"$set": {"heartbeat_at": datetime.now(UTC)}})


def progress(job_id: str, lease: str, figures: Doc) -> Write:
    return Write(
        {"_id": job_id, "lease": lease},
        {"$set": {"progress": figures, "updated_at": datetime.now(UTC)}},
    )


def keep_engine_request(job_id: str, lease: str, engine_request: Doc) -> Write:
    """A re-plan keeps the engine request its version was solved from (the next re-plan of
    that version starts from it)."""
    return Write({"_id": job_id, "lease": lease}, {"$set": {"engine_request": engine_request}})


def finish(job_id: str, lease: str, state: Finished, fields: Doc) -> Write:
    """running under `lease` -> a final state: a compare-and-set, so only one attempt
    finishes a job."""
    now = datetime.now(UTC)
    update: Doc = {"state": state, "finished_at": now, "updated_at": now, **fields}
    if state == "succeeded":
        update["progress.percent"] = 100.0
        # Progress is throttled: the last improving solution may not have been reported, so
        # the final figures are the result's own.
        result = fields.get("result") or {}
        update.update(
            {f"progress.{k}": result[k] for k in ("objective", "bound", "gap") if k in result}
        )
    return Write({"_id": job_id, "state": "running", "lease": lease}, {"$set": update})


def release(
    job_id: str,
    lease: str | None,
    reason: str,
    condition: Doc | None = None,
    handback: bool = False,
) -> Write:
    """running under `lease` (and `condition`) -> queued under no lease. A hand-back (clean
    shutdown) does not use up one of the job's `max_attempts`."""
    now = datetime.now(UTC)
    return Write(
        {"state": "running", **(condition or {}), "_id": job_id, "lease": lease},
        {
            "$set": {
                "state": "queued",
                "lease": None,
                "requeued_at": now,
                "requeue_reason": reason,
                "updated_at": now,
            },
            "$inc": {"requeues": 1, **({"handbacks": 1} if handback else {})},
        },
    )


def cancel_queued(job_id: str, error: str, now: datetime) -> Write:
    """queued -> cancelled (a running job is cancelled by its attempt, see `finish`)."""
    return Write(
        {"_id": job_id, "state": "queued"},
        {"$set": {"state": "cancelled", "error": error, "finished_at": now, "updated_at": now}},
    )


# -- the recovery loop -----------------------------------------------------------------


def abandoned_jobs(cutoff: datetime, limit: int) -> Read:
    return Read(abandoned(cutoff), {"lease": 1, "worker": 1}, limit=limit)


def waiting_since(cutoff: datetime, limit: int) -> Read:
    """Jobs queued, untouched since `cutoff`."""
    return Read({"state": "queued", "updated_at": {"$lt": cutoff}}, {"updated_at": 1}, limit=limit)


def touch_queued(job_id: str, seen: datetime) -> Write:
    """Stamp a queued job still as `seen`: one loop of several takes it in hand."""
    return Write(
        {"_id": job_id, "state": "queued", "updated_at": seen},
        {"$set": {"updated_at": datetime.now(UTC)}},
    )


def queued_among(job_ids: list[str], cutoff: datetime) -> Read:
    """Those of `job_ids` queued, untouched since `cutoff`."""
    return Read(
        {"_id": {"$in": job_ids}, "state": "queued", "updated_at": {"$lt": cutoff}}, {"_id": 1}
    )


# -- plan versions: a plan's succeeded jobs --------------------------------------------


def version_job(plan_id: str, version: int) -> Read:
    """The re-plan that made `version` of the plan (the worker, any tenant)."""
    return Read({"plan_id": plan_id, "version": version, "state": "succeeded"})


def plan_jobs(tenant: str, plan_id: str) -> Read:
    """Every version's job: the generating one and the succeeded re-plans."""
    return Read({"plan_id": plan_id, "state": "succeeded", "tenant_id": tenant})


def generating_job(tenant: str, plan_id: str) -> Read:
    return Read(_generated(tenant, plan_id=plan_id))


def replanned(tenant: str, plan_ids: list[str]) -> Read:
    return Read(
        {"plan_id": {"$in": plan_ids}, "kind": REPLAN, "state": "succeeded", "tenant_id": tenant}
    )


def runner_plans(tenant: str, runner_id: str, limit: int) -> Read:
    """The generating jobs of a runner's plans, newest first."""
    return Read(_generated(tenant, runner_id=runner_id), sort=[("created_at", -1)], limit=limit)


def next_version(tenant: str, plan_id: str) -> Write:
    """A counter on the generating job: concurrent re-plans never share a number."""
    return Write(_generated(tenant, plan_id=plan_id), {"$inc": {"replans": 1}}, {"replans": 1})


def _generated(tenant: str, **match: str) -> Doc:
    return {**match, "state": "succeeded", "tenant_id": tenant, "kind": {"$ne": REPLAN}}


# -- a runner's jobs -------------------------------------------------------------------


def of_runner(tenant: str, runner_id: str) -> Read:
    return Read({"runner_id": runner_id, "tenant_id": tenant})


def active_of_runner(tenant: str, runner_id: str) -> Read:
    """The runner's jobs still queued or running (to cancel before the runner goes)."""
    return Read({**of_runner(tenant, runner_id).filter, "state": {"$in": ["queued", "running"]}})


def runners_plans(tenant: str, runner_ids: list[str], fields: list[str]) -> Read:
    """The succeeded jobs of these runners, generated plans and re-plans alike (`fields`
    only): every version of every plan they have."""
    return Read(
        {"runner_id": {"$in": runner_ids}, "state": "succeeded", "tenant_id": tenant},
        dict.fromkeys(fields, 1),
    )


# -- executors -------------------------------------------------------------------------


class Jobs:
    """Runs the operations above with sync pymongo (the workers)."""

    def __init__(self, db: Database[Doc]) -> None:
        self._jobs = db[names.JOBS]

    def find_one(self, read: Read) -> Doc | None:
        return self._jobs.find_one(read.filter, read.projection)

    def find(self, read: Read) -> list[Doc]:
        return list(self._jobs.find(read.filter, read.projection, sort=read.sort, limit=read.limit))

    def exists(self, read: Read) -> bool:
        return self._jobs.count_documents(read.filter) > 0

    def apply(self, write: Write) -> Doc | None:
        """The document after the write; None if the filter matched none."""
        return self._jobs.find_one_and_update(
            write.filter,
            write.update,
            projection=write.projection,
            return_document=ReturnDocument.AFTER,
        )

    def update(self, write: Write) -> bool:
        """Whether a document changed."""
        return self._jobs.update_one(write.filter, write.update).modified_count > 0


class AsyncJobs:
    """Runs the operations above with pymongo's async client (the API)."""

    def __init__(self, db: AsyncDatabase[Doc]) -> None:
        self._jobs = db[names.JOBS]

    async def find_one(self, read: Read) -> Doc | None:
        return await self._jobs.find_one(read.filter, read.projection)

    async def find(self, read: Read) -> list[Doc]:
        cursor = self._jobs.find(read.filter, read.projection, sort=read.sort, limit=read.limit)
        return await cursor.to_list()

    async def count(self, read: Read) -> int:
        return await self._jobs.count_documents(read.filter)

    async def apply(self, write: Write) -> Doc | None:
        return await self._jobs.find_one_and_update(
            write.filter,
            write.update,
            projection=write.projection,
            return_document=ReturnDocument.AFTER,
        )

    async def insert(self, doc: Doc) -> None:
        """Raises DuplicateKeyError if a job of this id exists."""
        await self._jobs.insert_one(doc)

    async def delete(self, read: Read) -> None:
        await self._jobs.delete_one(read.filter)

    async def delete_all(self, read: Read) -> int:
        """How many were deleted."""
        return (await self._jobs.delete_many(read.filter)).deleted_count
