"""Hostile or careless input: size limits, unknown fields, MongoDB operators, odd ids."""

from __future__ import annotations

import httpx
import pytest

from tests.service.helpers import create_runner, short_plan
from tests.service.stack import Stack


def test_oversized_bodies_are_refused_with_413(api: httpx.Client) -> None:
    big = {"name": "A", "recent_loads": [50.0] * 200_000}
    response = api.post("/runners", json=big)
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]

    def chunks() -> object:  # no Content-Length: the limit still holds while streaming
        for _ in range(40):
            yield b" " * 50_000

    streamed = api.post("/runners", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413


@pytest.mark.parametrize(
    "body",
    [
        {"name": "A", "role": "admin"},  # unknown field
        {"name": "A", "thresholds": {"$where": 1.0}},  # an operator as a key
        {"name": "A", "thresholds": {"a.b": 1.0}},  # a dotted path as a key
        {"name": "A", "sports": ["x" * 100]},
    ],
)
def test_strict_runner_bodies(api: httpx.Client, stack: Stack, body: dict[str, object]) -> None:
    before = stack.db["runner"].count_documents({})
    response = api.post("/runners", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"]
    assert stack.db["runner"].count_documents({}) == before


@pytest.mark.parametrize(
    "extra",
    [
        {"athlete": {"$set": {"ctl": 1}}},
        {"rules": {"min_tsb.x": 1}},
        {"rules": {"not_a_rule": 1}},
        {"athlete": {"weekly_hours": {"$gt": 0}}},
        {"owner": "someone"},
    ],
)
def test_generate_rejects_operators_and_unknown_fields(
    api: httpx.Client, stack: Stack, extra: dict[str, object]
) -> None:
    runner_id = create_runner(api)
    response = api.post(
        f"/runners/{runner_id}/training-plans/generate", json={**short_plan(), **extra}
    )
    assert response.status_code == 422, response.text
    assert stack.db["background_jobs"].count_documents({"runner_id": runner_id}) == 0


def test_plan_length_is_bounded(api: httpx.Client) -> None:
    runner_id = create_runner(api)
    body = {**short_plan(), "marathon_date": "2031-01-05"}
    response = api.post(f"/runners/{runner_id}/training-plans/generate", json=body)
    assert response.status_code == 422
    assert "two years" in response.json()["detail"]


@pytest.mark.parametrize("ident", ["a.b", "$where", "x" * 65, "%24gt"])
def test_ids_are_validated(api: httpx.Client, ident: str) -> None:
    for path in (f"/runners/{ident}", f"/jobs/{ident}", f"/training-plans/{ident}"):
        response = api.get(path)
        assert response.status_code == 422, (path, response.text)
