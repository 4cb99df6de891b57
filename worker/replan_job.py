"""A re-plan job: the lifecycle of `PlanJob` (lease, progress, cancel, save, finish) with
its own steps: the inputs come from the plan's base version, the runner's activities and
the changes asked for; the engine's `replan` solves; the days are saved as a new version.

The job document (made by `api/routers/replans.py`) has `kind: "replan"`, the plan's
`plan_id`, its new `version`, the generating job's `request`, and `replan`: the body with
`effective` and `base_version` resolved. On success it also keeps `engine_request`, the
engine request the version was solved from, so a later re-plan can start from it.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from shared import names
from shared.documents import PlanSummary, ReplanBody
from shared.indexes import version_days
from shared.planning import PlanDay, PlanRequest, PlanResult
from shared.replanning import ReplanRequest, ReplanResult
from shared.response import Response
from worker.engine import replan
from worker.engine.history import start_state
from worker.engine.replan import updated_request
from worker.fitness import load_activities
from worker.plan_job import InputError, PlanJob
from worker.progress import ProgressReporter

# Day documents: PlanDay fields plus storage fields.
_DAY_FIELDS = set(PlanDay.model_fields)


class ReplanJob(PlanJob):
    replan_request: ReplanRequest | None = None
    version: int | None = None

    def build_request(self, job: dict[str, Any]) -> PlanRequest:
        try:
            spec = ReplanBody.model_validate(job["replan"])
        except ValidationError as exc:
            raise InputError(f"invalid re-plan request: {exc}") from exc
        assert spec.effective is not None and spec.base_version is not None
        self.version = job.get("version")
        previous = self.version_days(job["plan_id"], spec.base_version)
        if not previous:
            raise InputError(f"version {spec.base_version} of the plan has no days")
        base = self.base_request(job, spec.base_version, previous)
        overrides = {
            k: v
            for k, v in (("time_limit_s", spec.time_limit_s), ("gap_limit", spec.gap_limit))
            if v is not None
        }
        if overrides:
            base = base.model_validate({**base.model_dump(by_alias=True), **overrides})
        done, since = None, None
        if spec.use_activities:
            logged = load_activities(
                self.db,
                job.get("tenant_id", ""),
                job["runner_id"],
                since=previous[0].date,
                before=spec.effective,
            )
            if logged:  # the record is complete from the first activity in the plan
                done, since = logged, min(a.date for a in logged)
        data: dict[str, Any] = {
            "request": base,
            "previous": previous,
            "effective": spec.effective,
            "done": done,
            "done_since": since,
            "unavailable_dates": spec.unavailable_dates,
            "weekly_hours": spec.weekly_hours,
            "race": spec.race,
        }
        if spec.change_penalty is not None:
            data["change_penalty"] = spec.change_penalty
        try:
            self.replan_request = ReplanRequest.model_validate(data)
        except ValidationError as exc:
            raise InputError(f"invalid re-plan request: {exc}") from exc
        return base

    def base_request(
        self, job: dict[str, Any], version: int, previous: list[PlanDay]
    ) -> PlanRequest:
        """The engine request of the base version: stored by the re-plan that made it, or,
        for the generated plan, rebuilt from the generate request and the runner, starting
        from the fitness its first day shows (the profile may have changed since)."""
        if version > 1:
            made = self.jobs.find_one(
                {"plan_id": job["plan_id"], "version": version, "state": "succeeded"}
            )
            if made is None or "engine_request" not in made:
                raise InputError(f"version {version} of the plan is not available")
            return PlanRequest.model_validate(made["engine_request"])
        generated = super().build_request(job)
        rules = generated.rules
        response = Response(ctl0=0, atl0=0, ctl_tau=rules.ctl_tau_days, atl_tau=rules.atl_tau_days)
        first = [d for d in previous if d.date == previous[0].date]
        ctl, atl = start_state(sum(d.load for d in first), first[0].ctl, first[0].atl, response)
        athlete = generated.athlete.model_copy(
            update={"ctl": round(max(ctl, 0.0), 2), "atl": round(max(atl, 0.0), 2)}
        )
        return generated.model_copy(
            update={"athlete": athlete, "start": previous[0].date, "earliest_start": None}
        )

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

    def solve(
        self, request: PlanRequest, on_progress: ProgressReporter, cancel: threading.Event
    ) -> PlanResult:
        assert self.replan_request is not None
        return replan(self.replan_request, on_progress=on_progress, cancel=cancel)

    def summarise(self, result: PlanResult) -> PlanSummary:
        summary = super().summarise(result)
        if not isinstance(result, ReplanResult):
            return summary
        return summary.model_copy(
            update={
                "version": self.version,
                "effective": result.effective,
                "changed_days": result.changed_days,
                "changed_dates": result.changed_dates,
            }
        )

    def save_days(self, job: dict[str, Any], result: PlanResult) -> bool:
        if not super().save_days(job, result):
            return False
        assert self.replan_request is not None
        engine_request = updated_request(self.replan_request).model_dump(mode="json", by_alias=True)
        self.jobs.update_one(
            {"_id": self.job_id, "lease": self.lease},
            {"$set": {"engine_request": engine_request}},
        )
        return True


def _as_date(value: datetime | date) -> date:
    """Day documents store dates as UTC midnights."""
    return value.date() if isinstance(value, datetime) else value
