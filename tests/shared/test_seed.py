"""The search seed from each front door to the engine's request: the API's generate body
and the CLI's `--seed`; a bad seed is a plain message naming what the user typed."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from shared.documents import GenerateRequest, RunnerIn
from shared.planning import WALL_BACKSTOP, PlanRequest
from shared.settings import Settings
from shared.submission import build_plan_request
from worker.cli import build_parser
from worker.cli.plan import _request_or_problems
from worker.engine.templates import builtin_schema

LIMITS = {"default_time_limit_s": 10.0, "max_time_limit_s": 300.0, "workers": 2}


def _from_body(**body: object) -> PlanRequest:
    generate = GenerateRequest.model_validate(
        {"schema_id": "builtin-half", "marathon_date": "2030-04-14", **body}
    )
    return build_plan_request(RunnerIn(name="R"), builtin_schema("half"), generate, **LIMITS)


def test_the_generate_body_carries_the_seed_default_none() -> None:
    assert _from_body().seed is None
    assert _from_body(seed=42).seed == 42
    with pytest.raises(ValidationError, match="seed"):
        _from_body(seed=-1)


def _from_flags(*flags: str) -> tuple[PlanRequest | None, list[str]]:
    args = build_parser().parse_args(
        ["plan", "--race-date", "2030-04-14", "--distance", "half", *flags]
    )
    return _request_or_problems(args)


def test_the_cli_seed_flag() -> None:
    request, problems = _from_flags()
    assert problems == [] and request is not None and request.seed is None
    request, problems = _from_flags("--seed", "7")
    assert problems == [] and request is not None and request.seed == 7
    request, problems = _from_flags("--seed", "-3")
    assert request is None
    assert len(problems) == 1 and problems[0].startswith("--seed:")


def test_the_task_time_limit_covers_the_wall_backstop() -> None:
    """A repeatable search may run to WALL_BACKSTOP times its limit: the task must not be
    killed before the solver's own backstop stops it."""
    settings = Settings(solver_max_time_limit_s=100.0)
    request = PlanRequest.model_validate(
        {
            "races": [{"date": date(2030, 4, 14), "distance": "half"}],
            "time_limit_s": 100.0,
            "seed": 0,
        }
    )
    assert request.wall_limit_s == 100.0 * WALL_BACKSTOP
    assert settings.task_soft_time_limit_s > request.wall_limit_s
