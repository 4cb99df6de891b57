"""The steps of a generate job (and what every kind of job provides to the attempt).

An attempt (`attempt.py`) runs the same lifecycle for every kind of job; the kind gives
it a `Work`: the engine request, how to solve it, how to summarise the result, and what
to keep on the job once the days are saved. A generate job's request is rebuilt from the
stored documents by the same path the API validated it with (`worker.plan_request`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from shared.documents import GenerateRequest, PlanSummary
from shared.planning import PlanRequest, PlanResult
from shared.submission import SubmissionError
from worker.engine import solve
from worker.engine.solve import ProgressCallback
from worker.jobs.inputs import InputError, Inputs
from worker.plan_request import plan_request


class Work(Protocol):
    @property
    def request(self) -> PlanRequest: ...

    def solve(self, on_progress: ProgressCallback, cancel: threading.Event) -> PlanResult: ...

    def summarise(self, result: PlanResult) -> PlanSummary: ...

    def engine_request(self) -> dict[str, Any] | None:
        """Kept on the job once its days are saved (None: nothing to keep)."""


@dataclass(frozen=True)
class PlanWork:
    request: PlanRequest

    def solve(self, on_progress: ProgressCallback, cancel: threading.Event) -> PlanResult:
        return solve(self.request, on_progress=on_progress, cancel=cancel)

    def summarise(self, result: PlanResult) -> PlanSummary:
        # A generated plan is version 1 (its day documents carry no `version`).
        return summarise(result).model_copy(update={"version": 1})

    def engine_request(self) -> dict[str, Any] | None:
        return None


def generated_request(inputs: Inputs, job: dict[str, Any]) -> PlanRequest:
    """The engine request of the job's generate request, from today's documents."""
    runner = inputs.runner(job["runner_id"])
    schema = inputs.schema(job["schema_id"])
    body = GenerateRequest.model_validate(job["request"])
    logged = inputs.activities(job.get("tenant_id", ""), job["runner_id"])
    try:
        return plan_request(runner, schema, logged, body, inputs.settings, datetime.now(UTC).date())
    except SubmissionError as exc:
        raise InputError("; ".join(exc.problems)) from exc


def prepare(inputs: Inputs, job: dict[str, Any]) -> PlanWork:
    return PlanWork(generated_request(inputs, job))


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
