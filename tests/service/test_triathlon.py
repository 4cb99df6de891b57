"""A triathlon plan over HTTP: the built-in olympic schema, a plan whose days swim, ride,
run and brick, each date carrying its per-sport fitness."""

from __future__ import annotations

from collections import Counter

import httpx
import pytest

from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack


def test_an_olympic_plan_over_http(api: httpx.Client, stack: Stack) -> None:
    schema = api.get("/training-plan-schemas/builtin-olympic")
    assert schema.status_code == 200, schema.text
    assert {s["sport"] for s in schema.json()["sessions"]} >= {"swim", "bike", "run", "brick"}
    runner_id = create_runner(api, weekly_hours=10)
    body = short_plan(12, schema_id="builtin-olympic", time_limit_s=8)
    events = events_until_terminal(api, generate(api, runner_id, body))
    assert events[-1].event == "succeeded", events[-1].data
    plan = api.get(f"/training-plans/{events[-1].data['plan_id']}").json()
    days = plan["days"]
    sports = Counter(d["sport"] for d in days if d["intensity"] not in ("rest", "strength"))
    assert {"swim", "bike", "run", "brick", "triathlon"} <= set(sports)
    for day in days:
        assert sum(day["ctl_by_sport"].values()) == pytest.approx(day["ctl"], abs=0.05)
        assert sum(day["atl_by_sport"].values()) == pytest.approx(day["atl"], abs=0.05)


def test_a_running_plan_over_http_has_no_per_sport_fitness(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    events = events_until_terminal(api, generate(api, runner_id, short_plan(3)))
    assert events[-1].event == "succeeded", events[-1].data
    plan = api.get(f"/training-plans/{events[-1].data['plan_id']}").json()
    assert plan["days"] and all(d.get("ctl_by_sport") is None for d in plan["days"])
