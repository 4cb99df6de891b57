"""From a stored runner, a schema and a generate request to the engine's PlanRequest.

The API runs this to validate before enqueueing; the worker runs it again on the documents
it loads, so both see the same request. Both come here through `worker.plan_request`,
which first brings the runner's fitness up to date from their logged activities.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pydantic import ValidationError

from shared.documents import GenerateRequest, RunnerIn
from shared.markers import Markers
from shared.planning import Athlete, PlanRequest, PlanRules, Race, TrainingSchema
from shared.response import fitness_from_loads


class SubmissionError(ValueError):
    """The request cannot be turned into a plan request; `problems` say why, in words."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = list(problems)


def describe(exc: ValidationError, prefix: str = "") -> list[str]:
    """Pydantic errors as `field.path: message` lines a client can show."""
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"])
        lines.append(f"{prefix}{where}: {err['msg']}" if where else f"{prefix}{err['msg']}")
    return lines


def runner_markers(runner: RunnerIn) -> Markers | None:
    """The runner's markers for the plan's sessions (None: none that gives a zone)."""
    return runner.markers if runner.markers.zones().known else None


def build_plan_request(
    runner: RunnerIn,
    schema: TrainingSchema,
    body: GenerateRequest,
    *,
    default_time_limit_s: float,
    max_time_limit_s: float,
    workers: int,
) -> PlanRequest:
    problems: list[str] = []
    try:
        rules = PlanRules.model_validate(body.rules)
    except ValidationError as exc:
        problems += describe(exc, "rules.")
        rules = PlanRules()

    profile = runner.model_dump(include=set(Athlete.model_fields), exclude_none=True)
    if runner.recent_loads and (runner.ctl is None or runner.atl is None):
        ctl, atl = fitness_from_loads(runner.recent_loads, rules.ctl_tau_days, rules.atl_tau_days)
        profile.setdefault("ctl", ctl)
        profile.setdefault("atl", atl)
    try:
        athlete = Athlete.model_validate({**profile, **body.athlete})
    except ValidationError as exc:
        problems += describe(exc, "athlete.")
        athlete = Athlete()

    time_limit = body.time_limit_s or default_time_limit_s
    if time_limit > max_time_limit_s:
        problems.append(f"time_limit_s: at most {max_time_limit_s:g} seconds on this server")
    if problems:
        raise SubmissionError(problems)

    goal = Race(date=body.marathon_date, distance=body.distance or schema.distance, priority="A")
    try:
        return PlanRequest(
            races=[goal, *body.other_races],
            start=body.start,
            earliest_start=date.today(),
            athlete=athlete,
            schema_=schema,
            rules=rules,
            markers=runner_markers(runner),
            time_limit_s=time_limit,
            workers=workers,
            seed=body.seed,
            gap_limit=body.gap_limit
            if body.gap_limit is not None
            else PlanRequest.model_fields["gap_limit"].default,
        )
    except ValidationError as exc:
        raise SubmissionError(describe(exc)) from exc
