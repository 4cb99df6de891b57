"""Property-based fuzz of the whole OpenAPI spec (schemathesis) against the real stack.

Every operation gets generated valid and invalid requests; the answers must never be a
5xx, must use a documented status code and content type, must match the documented
schema, and invalid input must be refused. Path ids point at real documents of the fuzz
tenant (a runner, a finished job and its plan), so the deep paths run, not only 404s.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from shared.settings import Settings
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack

CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


STATUSES: Counter[int] = Counter()


@pytest.fixture(scope="module", autouse=True)
def status_tally() -> Iterator[None]:
    """Prints how many answers of each status the fuzz saw (`pytest -s` shows it)."""
    yield
    print(f"\nfuzz: {sum(STATUSES.values())} requests, by status: {dict(sorted(STATUSES.items()))}")


@pytest.fixture(scope="module")
def fuzz_ids(stack: Stack) -> dict[str, str]:
    """Real ids owned by the fuzzing tenant, substituted into generated paths."""
    key = stack.new_api_key("fuzz")
    with httpx.Client(base_url=stack.base_url, timeout=30, headers={"X-API-Key": key}) as client:
        runner_id = create_runner(client)
        job_id = generate(client, runner_id, short_plan())
        final = events_until_terminal(client, job_id)[-1]
        assert final.event == "succeeded"
    return {"key": key, "runner_id": runner_id, "job_id": job_id, "plan_id": final.data["plan_id"]}


# The spec of the very app the stack serves (built here without starting it: the lazy
# fixture loader of schemathesis does not run on pytest 9); requests go to the real server.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(mongodb_url="mongodb://spec-only")).openapi()
)


@schema.parametrize()
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same requests every run: a failure here is reproducible
)
def test_no_5xx_and_every_answer_matches_the_spec(
    case: Any, fuzz_ids: dict[str, str], stack: Stack
) -> None:
    for name in ("runner_id", "job_id", "plan_id"):
        if case.path_parameters and name in case.path_parameters and _valid_id(case, name):
            case.path_parameters[name] = fuzz_ids[name]
            if name == "runner_id" and (case.method.upper(), case.path) == RUNNER_DELETE:
                # Deleting the shared runner would leave the later operations only 404s.
                case.path_parameters[name] = _throwaway_runner(stack, fuzz_ids["key"])
    with requests.Session() as session:
        response = case.call_and_validate(
            base_url=stack.base_url,
            session=session,
            headers={"X-API-Key": fuzz_ids["key"]},
            checks=CHECKS,
            timeout=60,
        )
        STATUSES[response.status_code] += 1
        if response.status_code == 202 and "job_id" in response.json():
            # A fuzzed plan that was accepted: cancel it, the workers serve other tests.
            job_id = response.json()["job_id"]
            session.delete(
                f"{stack.base_url}/jobs/{job_id}", headers={"X-API-Key": fuzz_ids["key"]}
            )


RUNNER_DELETE = ("DELETE", "/runners/{runner_id}")


def _throwaway_runner(stack: Stack, key: str) -> str:
    with httpx.Client(base_url=stack.base_url, timeout=30, headers={"X-API-Key": key}) as client:
        return create_runner(client, name="to delete")


def _valid_id(case: Any, name: str) -> bool:
    """Keep the generated value when it is meant to be invalid (negative testing)."""
    value = case.path_parameters[name]
    return isinstance(value, str) and value.replace("-", "").replace("_", "").isalnum()
