"""What an attempt reads besides its job: the runner, the schema, the logged activities and,
for a re-plan, the plan's base version. A document gone since the submission fails the job.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pymongo.database import Database

from shared import names
from shared.documents import RunnerIn
from shared.indexes import version_days
from shared.planning import PlanDay, PlanRequest, TrainingSchema
from shared.replanning import DoneActivity
from shared.settings import Settings
from worker.builtin_schemas import find_builtin
from worker.fitness import MAX_ACTIVITIES, activity_query, as_done
from worker.jobs import lifecycle
from worker.jobs.lifecycle import Jobs

# Day documents: PlanDay fields plus storage fields.
_DAY_FIELDS = set(PlanDay.model_fields)


class InputError(Exception):
    """The job's inputs cannot be planned (deleted runner, invalid request): fail the job."""


class Inputs:
    def __init__(self, db: Database[dict[str, Any]], jobs: Jobs, settings: Settings) -> None:
        self.db, self.jobs, self.settings = db, jobs, settings

    def runner(self, runner_id: str) -> RunnerIn:
        doc = self.db[names.RUNNERS].find_one({"_id": runner_id})
        if doc is None:
            raise InputError(f"runner {runner_id} no longer exists")
        return RunnerIn.model_validate({k: v for k, v in doc.items() if k in RunnerIn.model_fields})

    def schema(self, schema_id: str) -> TrainingSchema:
        builtin = find_builtin(schema_id)
        if builtin is not None:
            return builtin
        doc = self.db[names.SCHEMAS].find_one({"_id": schema_id})
        if doc is None:
            raise InputError(f"training-plan schema {schema_id} no longer exists")
        return TrainingSchema.model_validate(
            {k: v for k, v in doc.items() if k in TrainingSchema.model_fields}
        )

    def activities(
        self, tenant: str, runner_id: str, since: date | None = None, before: date | None = None
    ) -> list[DoneActivity]:
        """A runner's latest activities (up to MAX_ACTIVITIES), oldest first."""
        docs = (
            self.db[names.ACTIVITIES]
            .find(activity_query(tenant, runner_id, since, before))
            .sort("date", -1)
            .limit(MAX_ACTIVITIES)
        )
        return [as_done(d) for d in reversed(list(docs))]

    def version_days(self, plan_id: str, version: int) -> list[PlanDay]:
        docs = (
            self.db[names.PLAN_DAYS]
            .find(version_days(plan_id, version))
            .sort([("date", 1), ("slot", 1)])
        )
        return [
            PlanDay.model_validate(
                {k: v for k, v in d.items() if k in _DAY_FIELDS} | {"date": _as_date(d["date"])}
            )
            for d in docs
        ]

    def version_request(self, plan_id: str, version: int) -> PlanRequest:
        """The engine request a re-plan stored with the version it made."""
        made = self.jobs.find_one(lifecycle.version_job(plan_id, version))
        if made is None or "engine_request" not in made:
            raise InputError(f"version {version} of the plan is not available")
        return PlanRequest.model_validate(made["engine_request"])


def _as_date(value: datetime | date) -> date:
    """Day documents store dates as UTC midnights."""
    return value.date() if isinstance(value, datetime) else value
