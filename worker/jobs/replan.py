"""The steps of a re-plan job: its inputs come from the plan's base version, the runner's
activities and the changes asked for; the engine's `replan` solves; the attempt saves the
days as a new version (the lifecycle is every job's, `attempt.py`).

The job document (made by `api/routers/replans.py`) has `kind: "replan"`, the plan's
`plan_id`, its new `version`, the generating job's `request`, and `replan`: the body with
`effective` and `base_version` resolved. On success it also keeps `engine_request`, the
engine request the version was solved from, so a later re-plan can start from it.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from shared.documents import PlanSummary, ReplanBody
from shared.plan_diff import changed_dates
from shared.planning import PlanDay, PlanRequest, PlanResult
from shared.replanning import ReplanRequest, ReplanResult
from shared.response import Response
from shared.submission import runner_markers
from worker.engine import replan
from worker.engine.history import start_state
from worker.engine.replan import updated_request
from worker.engine.solve import ProgressCallback
from worker.jobs.inputs import InputError, Inputs
from worker.jobs.plan import generated_request, summarise


@dataclass(frozen=True)
class ReplanWork:
    request: PlanRequest  # the base version's, with the body's solver overrides
    replan_request: ReplanRequest
    version: int | None

    def solve(self, on_progress: ProgressCallback, cancel: threading.Event) -> PlanResult:
        return replan(self.replan_request, on_progress=on_progress, cancel=cancel)

    def summarise(self, result: PlanResult) -> PlanSummary:
        summary = summarise(result)
        if not isinstance(result, ReplanResult):
            return summary
        # The engine counts the future days only; the job compares the whole plan (days
        # done differently before the effective date, and days added or dropped, too).
        moved = changed_dates(result.days, self.replan_request.previous) if result.days else []
        return summary.model_copy(
            update={
                "version": self.version,
                "effective": result.effective,
                "changed_days": len(moved),
                "changed_dates": moved,
            }
        )

    def engine_request(self) -> dict[str, Any] | None:
        return updated_request(self.replan_request).model_dump(mode="json", by_alias=True)


def prepare(inputs: Inputs, job: dict[str, Any]) -> ReplanWork:
    try:
        spec = ReplanBody.model_validate(job["replan"])
    except ValidationError as exc:
        raise InputError(f"invalid re-plan request: {exc}") from exc
    assert spec.effective is not None and spec.base_version is not None
    previous = inputs.version_days(job["plan_id"], spec.base_version)
    if not previous:
        raise InputError(f"version {spec.base_version} of the plan has no days")
    base = base_request(inputs, job, spec.base_version, previous)
    # The runner's markers as they are now: the new days in today's paces.
    base = base.model_copy(update={"markers": runner_markers(inputs.runner(job["runner_id"]))})
    overrides = {
        k: v
        for k, v in (("time_limit_s", spec.time_limit_s), ("gap_limit", spec.gap_limit))
        if v is not None
    }
    if overrides:
        base = base.model_validate({**base.model_dump(by_alias=True), **overrides})
    done, since = None, None
    if spec.use_activities:
        logged = inputs.activities(
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
        # Submitted today: the days after it have not happened yet (kept unless logged).
        "today": job["created_at"].date(),
        "unavailable_dates": spec.unavailable_dates,
        "weekly_hours": spec.weekly_hours,
        "race": spec.race,
    }
    if spec.change_penalty is not None:
        data["change_penalty"] = spec.change_penalty
    try:
        replan_request = ReplanRequest.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"invalid re-plan request: {exc}") from exc
    return ReplanWork(base, replan_request, job.get("version"))


def base_request(
    inputs: Inputs, job: dict[str, Any], version: int, previous: list[PlanDay]
) -> PlanRequest:
    """The engine request of the base version: stored by the re-plan that made it, or,
    for the generated plan, rebuilt from the generate request and the runner, starting
    from the fitness its first day shows (the profile may have changed since)."""
    if version > 1:
        return inputs.version_request(job["plan_id"], version)
    generated = generated_request(inputs, job)
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
