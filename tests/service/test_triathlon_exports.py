"""An olympic-triathlon plan's files over HTTP: its calendar names each session's sport,
its FIT zip holds every session under its sport (swims as pool swims, rides in the
runner's watts), its Zwift zip the rides and runs only, and a swim's .zwo is a 404 in words."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from typing import Any

import httpx
import icalendar
import pytest

from shared.planning import PlanDay
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from tests.workout_files import expected_fit_steps, fit_step_facts, read_fit, read_zwo

MARKERS = {"ftp_w": 250, "css_s_per_100m": 105, "threshold_pace_s_per_km": 270}
FIT_SPORT = {"swim": "swimming", "bike": "cycling", "run": "running", "strength": "training"}


@pytest.fixture(scope="module")
def plan(stack: Stack) -> dict[str, Any]:
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as client:
        runner_id = create_runner(client, weekly_hours=10, markers=MARKERS)
        body = short_plan(12, schema_id="builtin-olympic", time_limit_s=8)
        last = events_until_terminal(client, generate(client, runner_id, body))[-1]
        assert last.event == "succeeded", last.data
        doc: dict[str, Any] = client.get(f"/training-plans/{last.data['plan_id']}").json()
        return doc


def sessions(plan: dict[str, Any]) -> list[PlanDay]:
    days = [PlanDay.model_validate(d) for d in plan["days"]]
    return [d for d in days if d.intensity != "rest"]


def sport(day: PlanDay) -> str:
    return "strength" if day.intensity == "strength" else day.sport


def name(day: PlanDay, ext: str) -> str:
    return f"{day.date}-{day.slot}-{day.session_code}.{ext}"


def test_the_calendar_names_each_sessions_sport(api: httpx.Client, plan: dict[str, Any]) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}.ics")
    assert response.status_code == 200, response.text
    events = list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))
    days = sessions(plan)
    assert len(events) == len(days)
    for event, day in zip(events, days, strict=True):
        assert [str(c) for c in event["CATEGORIES"].cats] == [sport(day), day.intensity]
    words = Counter(str(e["SUMMARY"]).split(":")[0] for e in events)
    assert words["Swim"] and words["Bike"] and words["Run"]


def test_the_fit_zip_files_every_session_under_its_sport(
    api: httpx.Client, plan: dict[str, Any]
) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}/workouts.zip", params={"format": "fit"})
    assert response.status_code == 200, response.text
    days = sessions(plan)
    filed: Counter[str] = Counter()
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == [name(d, "fit") for d in days]
        for day in days:
            fit = read_fit(archive.read(name(day, "fit")))
            assert fit.workout["sport"][0] == FIT_SPORT.get(sport(day), "generic")
            steps = [fit_step_facts(m) for m in fit.steps]
            assert steps == expected_fit_steps(day), day.session_code
            if sport(day) == "swim":
                assert fit.workout["sub_sport"][0] == "lap_swimming"
            if sport(day) == "bike":  # the runner's FTP: watts on every step
                assert {s["target_type"] for s in steps if "target_type" in s} == {"power"}
            filed[fit.workout["sport"][0]] += 1
    assert {"swimming", "cycling", "running"} <= set(filed)


def test_zwift_takes_the_rides_and_runs_not_the_swims(
    api: httpx.Client, plan: dict[str, Any]
) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}/workouts.zip", params={"format": "zwo"})
    assert response.status_code == 200, response.text
    days = sessions(plan)
    zwift = [d for d in days if sport(d) in ("bike", "run")]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.namelist() == [name(d, "zwo") for d in zwift]
        for day in zwift:
            assert read_zwo(archive.read(name(day, "zwo"))).sport == sport(day)
    swim = next(d for d in days if sport(d) == "swim")
    url = f"/training-plans/{plan['plan_id']}/days/{swim.date}/workout.zwo?slot={swim.slot}"
    refused = api.get(url)
    assert refused.status_code == 404, refused.text
    assert "this session is swim" in refused.text
