"""One attempt at one job: load inputs, solve with live progress, save the days, finish.

Every kind of job (`lifecycle.kind_of`) runs this lifecycle; its steps come from the
kind's module (`plan.py`, `replan.py`).

Safe under redelivery: the attempt takes a lease on the job document, the day documents
have deterministic ids (one per plan, date and slot), and every final transition is a
compare-and-set on the lease, so a job completes exactly once however often it is run.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any, TypeVar

import redis
from pymongo import UpdateOne
from pymongo.database import Database

from shared import names
from shared.documents import TERMINAL_STATES, JobState
from shared.indexes import day_doc_id
from shared.planning import PlanResult
from shared.settings import Settings
from worker.engine import InvalidRequest
from worker.jobs import lifecycle, plan, replan
from worker.jobs.cancel import CancelWatcher, HandBack
from worker.jobs.inputs import InputError, Inputs
from worker.jobs.lifecycle import Finished, JobKind, Jobs, stale_cutoff
from worker.jobs.persistence import retry_db
from worker.jobs.plan import Work
from worker.jobs.progress import ProgressReporter, make_event, publish
from worker.metrics import record_finished

log = logging.getLogger(__name__)

T = TypeVar("T")

# How each kind of job prepares its work (the job document's `kind`).
KINDS: dict[JobKind, Callable[[Inputs, dict[str, Any]], Work]] = {
    "generate": plan.prepare,
    "replan": replan.prepare,
}


class Attempt:
    def __init__(
        self,
        *,
        db: Database[dict[str, Any]],
        client: redis.Redis,
        settings: Settings,
        job_id: str,
        worker: str,
    ) -> None:
        self.db, self.redis, self.settings = db, client, settings
        self.job_id, self.worker = job_id, worker
        self.jobs = Jobs(db)
        self.inputs = Inputs(db, self.jobs, settings)
        self.lease = uuid.uuid4().hex
        self.attempt = 0

    # -- the attempt -------------------------------------------------------------------

    def run(self) -> None:
        job = self.jobs.find_one(lifecycle.by_id(self.job_id))
        if job is None:
            log.warning("job %s does not exist; dropping the message", self.job_id)
            return
        if job["state"] in TERMINAL_STATES:  # finished earlier, or cancelled while queued
            return
        job = self.jobs.apply(
            lifecycle.claim(
                self.job_id,
                self.lease,
                self.worker,
                stale_cutoff(self.settings.job_heartbeat_timeout_s),
            )
        )
        if job is None:
            log.info("job %s runs elsewhere (live heartbeat); dropping this message", self.job_id)
            return
        self.attempt = job["attempts"]
        # Attempts handed back by a worker shutting down cleanly do not count.
        counted = self.attempt - job.get("handbacks", 0)
        if counted > job["max_attempts"]:
            self.finish(
                "failed",
                error=f"gave up after {counted - 1} attempts: each ended without finishing "
                "the job (its worker was killed, ran out of memory or over its time limit, or "
                "could not reach MongoDB to save the plan)",
            )
            return
        self.emit("started", "running")
        cancel_flag = names.cancel_key(self.settings.redis_prefix, self.job_id)
        draining = names.draining_key(self.settings.redis_prefix, self.worker)
        with CancelWatcher(
            self.redis, cancel_flag, self.settings.cancel_poll_interval_s, draining
        ) as cw:
            if cw.requested():
                self.finish("cancelled", error="cancelled before the solve started")
                return
            try:
                work = KINDS[lifecycle.kind_of(job)](self.inputs, job)
            except InputError as exc:
                self.finish("failed", error=str(exc))
                return
            reporter = ProgressReporter(
                client=self.redis,
                jobs=self.jobs,
                prefix=self.settings.redis_prefix,
                ttl_s=self.settings.events_ttl_s,
                job_id=self.job_id,
                lease=self.lease,
                attempt=self.attempt,
                time_limit_s=work.request.time_limit_s,
                db_interval_s=self.settings.progress_db_interval_s,
            )
            try:
                result = work.solve(reporter, cw.event)
            except InvalidRequest as exc:
                self.finish("failed", error=f"the request cannot be planned: {exc}")
                return
            if cw.handing_back and result.cancelled:
                raise HandBack("the worker is shutting down")
            cancelled = result.cancelled or cw.reason == "cancel"
        if cancelled:
            self.finish("cancelled", error="cancelled while solving")
        elif result.status in ("INFEASIBLE", "MODEL_INVALID") or not result.days:
            self.finish(
                "failed",
                error=failure_message(result),
                conflicts=result.conflicts,
                result=work.summarise(result).model_dump(mode="json"),
            )
        elif self.persist("save the plan", lambda: self.save_days(job, work, result)):
            summary = work.summarise(result).model_dump(mode="json")
            self.persist("finish the job", lambda: self.finish("succeeded", result=summary))

    # -- steps -----------------------------------------------------------------------

    def save_days(self, job: dict[str, Any], work: Work, result: PlanResult) -> bool:
        """Upsert one document per day and slot; False if a newer attempt owns the job now."""
        if not self.jobs.exists(lifecycle.running_under(self.job_id, self.lease)):
            log.warning("job %s was taken over by a newer attempt; not saving", self.job_id)
            return False
        plan_id = job["plan_id"]
        version = job.get("version")  # re-plans: a new version beside the plan's days
        now = datetime.now(UTC)
        ops = []
        for day in result.days:
            fields = day.model_dump(exclude={"date"})
            fields.update(
                plan_id=plan_id,
                job_id=self.job_id,
                runner_id=job["runner_id"],
                tenant_id=job.get("tenant_id", ""),
                date=datetime.combine(day.date, time(), tzinfo=UTC),
                session_definition=day.session_definition,
                lease=self.lease,
                updated_at=now,
                **({"version": version} if version is not None else {}),
            )
            ops.append(
                UpdateOne(
                    {"_id": day_doc_id(plan_id, day.date.isoformat(), day.slot, version)},
                    {"$set": fields, "$setOnInsert": {"created_at": now}},
                    upsert=True,
                )
            )
        days = self.db[names.PLAN_DAYS]
        days.bulk_write(ops, ordered=False)
        # A killed earlier attempt may have written slots this plan does not have.
        days.delete_many({"plan_id": plan_id, "version": version, "lease": {"$ne": self.lease}})
        engine_request = work.engine_request()
        if engine_request is not None:
            self.jobs.update(lifecycle.keep_engine_request(self.job_id, self.lease, engine_request))
        return True

    def emit(self, event: Any, state: JobState, **fields: Any) -> None:
        # Best effort: the job document is the record, and SSE falls back to it. A solve
        # must not stop, nor a finished job look unfinished, because Redis is away.
        try:
            publish(
                self.redis,
                self.settings.redis_prefix,
                self.settings.events_ttl_s,
                make_event(event, self.job_id, state, attempt=self.attempt, **fields),
            )
        except redis.RedisError as exc:
            log.warning("job %s: could not publish its %s event: %s", self.job_id, event, exc)

    def persist(self, what: str, action: Callable[[], T]) -> T:
        """Retry a write of a solved job while MongoDB is unreachable (persistence.py)."""
        return retry_db(
            action, what=what, job_id=self.job_id, timeout_s=self.settings.job_persist_timeout_s
        )

    def finish(self, state: Finished, **fields: Any) -> None:
        """Compare-and-set on the lease; only the winning attempt emits the terminal event."""
        job = self.jobs.apply(lifecycle.finish(self.job_id, self.lease, state, fields))
        if job is None:
            log.info(
                "job %s already finished elsewhere; attempt %s ends quietly",
                self.job_id,
                self.attempt,
            )
            return
        record_finished(self.db, self.job_id, state, fields.get("result"))
        self.emit(
            state,
            state,
            plan_id=job["plan_id"] if state == "succeeded" else None,
            error=fields.get("error"),
            conflicts=fields.get("conflicts", []),
            progress=job.get("progress"),
        )


def failure_message(result: PlanResult) -> str:
    if result.status == "INFEASIBLE":
        reasons = "; ".join(result.conflicts) or "the constraints contradict each other"
        return f"no plan satisfies this request: {reasons}"
    if result.status == "MODEL_INVALID":
        return "the planning model was invalid (a bug): please report this request"
    return "no plan found within the time limit; allow more time (time_limit_s)"
