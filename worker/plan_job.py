"""One attempt at one job: load inputs, solve with live progress, save the days, finish.

Safe under redelivery: the attempt takes a lease on the job document, the day documents
have deterministic ids (one per plan, date and slot), and every final transition is a
compare-and-set on the lease, so a job completes exactly once however often it is run.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time
from typing import Any, TypeVar

import redis
from pymongo import ReturnDocument, UpdateOne
from pymongo.database import Database

from shared import names
from shared.documents import (
    TERMINAL_STATES,
    GenerateRequest,
    JobState,
    PlanSummary,
    RunnerIn,
)
from shared.indexes import day_doc_id
from shared.planning import PlanRequest, PlanResult, TrainingSchema
from shared.settings import Settings
from shared.submission import SubmissionError, build_plan_request
from worker.builtin_schemas import find_builtin
from worker.cancel import CancelWatcher, HandBack
from worker.engine import InvalidRequest, solve
from worker.fitness import load_activities, with_logged_fitness
from worker.heartbeat import claimable, stale_cutoff
from worker.metrics import record_finished
from worker.persistence import retry_db
from worker.progress import ProgressReporter, make_event, publish

log = logging.getLogger(__name__)

T = TypeVar("T")


class InputError(Exception):
    """The job's inputs cannot be planned (deleted runner, invalid request): fail the job."""


class PlanJob:
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
        self.jobs = db[names.JOBS]
        self.lease = uuid.uuid4().hex
        self.attempt = 0

    # -- the attempt -------------------------------------------------------------------

    def run(self) -> None:
        job = self.jobs.find_one({"_id": self.job_id})
        if job is None:
            log.warning("job %s does not exist; dropping the message", self.job_id)
            return
        if job.get("kind") == "replan" and type(self) is PlanJob:
            # A re-plan: this same lifecycle, with its own steps (replan_job.py).
            from worker.replan_job import ReplanJob

            self.__class__ = ReplanJob
        if job["state"] in TERMINAL_STATES:  # finished earlier, or cancelled while queued
            return
        now = datetime.now(UTC)
        job = self.jobs.find_one_and_update(
            {"_id": self.job_id, **claimable(stale_cutoff(self.settings.job_heartbeat_timeout_s))},
            {
                "$inc": {"attempts": 1},
                "$set": {
                    "state": "running",
                    "lease": self.lease,
                    "worker": self.worker,
                    "started_at": now,
                    "heartbeat_at": now,
                    "updated_at": now,
                },
            },
            return_document=ReturnDocument.AFTER,
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
                request = self.build_request(job)
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
                time_limit_s=request.time_limit_s,
                db_interval_s=self.settings.progress_db_interval_s,
            )
            try:
                result = self.solve(request, reporter, cw.event)
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
                result=self.summarise(result).model_dump(mode="json"),
            )
        elif self.persist("save the plan", lambda: self.save_days(job, result)):
            summary = self.summarise(result).model_dump(mode="json")
            self.persist("finish the job", lambda: self.finish("succeeded", result=summary))

    # -- steps -----------------------------------------------------------------------

    def build_request(self, job: dict[str, Any]) -> PlanRequest:
        runner_doc = self.db[names.RUNNERS].find_one({"_id": job["runner_id"]})
        if runner_doc is None:
            raise InputError(f"runner {job['runner_id']} no longer exists")
        schema = self.load_schema(job["schema_id"])
        body = GenerateRequest.model_validate(job["request"])
        runner = RunnerIn.model_validate(
            {k: v for k, v in runner_doc.items() if k in RunnerIn.model_fields}
        )
        # Logged activities, when there are any, give the current CTL/ATL (fitness.py).
        logged = load_activities(self.db, job.get("tenant_id", ""), job["runner_id"])
        runner = with_logged_fitness(runner, logged, datetime.now(UTC).date(), body.rules)
        try:
            return build_plan_request(
                runner,
                schema,
                body,
                default_time_limit_s=self.settings.solver_time_limit_s,
                max_time_limit_s=self.settings.solver_max_time_limit_s,
                workers=self.settings.threads_per_solve,
            )
        except SubmissionError as exc:
            raise InputError("; ".join(exc.problems)) from exc

    def load_schema(self, schema_id: str) -> TrainingSchema:
        builtin = find_builtin(schema_id)
        if builtin is not None:
            return TrainingSchema.model_validate(
                builtin.model_dump(include=set(TrainingSchema.model_fields))
            )
        doc = self.db[names.SCHEMAS].find_one({"_id": schema_id})
        if doc is None:
            raise InputError(f"training-plan schema {schema_id} no longer exists")
        return TrainingSchema.model_validate(
            {k: v for k, v in doc.items() if k in TrainingSchema.model_fields}
        )

    def solve(
        self, request: PlanRequest, on_progress: ProgressReporter, cancel: threading.Event
    ) -> PlanResult:
        return solve(request, on_progress=on_progress, cancel=cancel)

    def summarise(self, result: PlanResult) -> PlanSummary:
        return summarise(result)

    def save_days(self, job: dict[str, Any], result: PlanResult) -> bool:
        """Upsert one document per day and slot; False if a newer attempt owns the job now."""
        if (
            self.jobs.count_documents({"_id": self.job_id, "lease": self.lease, "state": "running"})
            == 0
        ):
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

    def finish(self, state: JobState, **fields: Any) -> None:
        """Compare-and-set on the lease; only the winning attempt emits the terminal event."""
        now = datetime.now(UTC)
        update: dict[str, Any] = {"state": state, "finished_at": now, "updated_at": now, **fields}
        if state == "succeeded":
            update["progress.percent"] = 100.0
        job = self.jobs.find_one_and_update(
            {"_id": self.job_id, "state": "running", "lease": self.lease},
            {"$set": update},
            return_document=ReturnDocument.AFTER,
        )
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


def summarise(result: PlanResult) -> PlanSummary:
    return PlanSummary(
        status=result.status,
        objective=result.objective,
        bound=result.bound,
        gap=result.gap,
        solve_seconds=result.solve_seconds,
        start=result.start,
        race_date=result.race_date,
        days=len(result.days),
        training_days=len({d.date for d in result.days if d.is_training_day}),
        total_load=sum(d.load for d in result.days),
        total_minutes=sum(d.duration_min for d in result.days),
    )


def failure_message(result: PlanResult) -> str:
    if result.status == "INFEASIBLE":
        reasons = "; ".join(result.conflicts) or "the constraints contradict each other"
        return f"no plan satisfies this request: {reasons}"
    if result.status == "MODEL_INVALID":
        return "the planning model was invalid (a bug): please report this request"
    return "no plan found within the time limit; allow more time (time_limit_s)"
