"""Loaded documents to the engine's PlanRequest: the one path the API and the workers share.

The API runs it on the documents it reads (async) to validate a submission before
enqueueing it; every attempt of the job runs it again on the documents it reads (sync), so
both see the same request: the runner's fitness from their logged activities
(`worker.fitness`), then `shared.submission.build_plan_request`.
"""

from __future__ import annotations

from datetime import date

from shared.documents import GenerateRequest, RunnerIn
from shared.planning import PlanRequest, TrainingSchema
from shared.replanning import DoneActivity
from shared.settings import Settings
from shared.submission import build_plan_request
from worker.fitness import with_logged_fitness


def plan_request(
    runner: RunnerIn,
    schema: TrainingSchema,
    activities: list[DoneActivity],
    body: GenerateRequest,
    settings: Settings,
    today: date,
) -> PlanRequest:
    """Raises `SubmissionError` (its problems in words) if the request cannot be planned."""
    profile = with_logged_fitness(runner, activities, today, body.rules)
    return build_plan_request(
        profile,
        # A stored schema carries its id and timestamps too: the engine takes the template.
        TrainingSchema.model_validate(schema.model_dump(include=set(TrainingSchema.model_fields))),
        body,
        default_time_limit_s=settings.solver_time_limit_s,
        max_time_limit_s=settings.solver_max_time_limit_s,
        workers=settings.threads_per_solve,
    )
