"""A generated plan's sessions as device workouts over HTTP: every `.fit` decoded with
fitdecode and compared step by step with the day `GET /training-plans/{plan_id}` serves,
every `.zwo` parsed back; the plan's zip; and the errors, in words."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import httpx
import pytest

from shared.planning import PlanDay
from shared.steps import PaceTarget, flatten
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from tests.workout_files import expected_fit_steps, fit_step_facts, read_fit, read_zwo

MARKERS = {"race_result": {"distance_m": 10000, "time_s": 45 * 60}, "ftp_w": 250}


@pytest.fixture(scope="module")
def plan(stack: Stack) -> dict[str, Any]:
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as client:
        runner_id = create_runner(client, doubles=True, markers=MARKERS)
        job_id = generate(client, runner_id, short_plan(3))
        last = events_until_terminal(client, job_id)[-1]
        assert last.event == "succeeded", last.data
        response = client.get(f"/training-plans/{last.data['plan_id']}")
        assert response.status_code == 200, response.text
        doc: dict[str, Any] = response.json()
        return doc


def _days(plan: dict[str, Any]) -> list[PlanDay]:
    return [PlanDay.model_validate(d) for d in plan["days"]]


def _sessions(plan: dict[str, Any]) -> list[PlanDay]:
    return [d for d in _days(plan) if d.intensity != "rest"]


def _url(plan: dict[str, Any], day: PlanDay, ext: str) -> str:
    return f"/training-plans/{plan['plan_id']}/days/{day.date}/workout.{ext}?slot={day.slot}"


def _name(day: PlanDay, ext: str) -> str:
    return f"{day.date}-{day.slot}-{day.session_code}.{ext}"


def test_every_session_fit_decodes_to_its_steps(api: httpx.Client, plan: dict[str, Any]) -> None:
    sessions = _sessions(plan)
    # The runner's race result gives the catalogue's steps pace targets: real steps go out.
    paced = [s for d in sessions for s in flatten(d.steps) if isinstance(s.target, PaceTarget)]
    assert paced
    for day in sessions:
        response = api.get(_url(plan, day, "fit"))
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/vnd.ant.fit"
        assert f'filename="{_name(day, "fit")}"' in response.headers["content-disposition"]
        fit = read_fit(response.content)
        assert fit.file_id["type"][0] == "workout"
        name = f"{day.session_code} {day.session_type}".encode()[:39]  # 40 bytes with NUL
        assert fit.workout["wkt_name"][0] == name.decode(errors="ignore")
        assert fit.workout["num_valid_steps"][0] == len(fit.steps)
        assert [fit_step_facts(m) for m in fit.steps] == expected_fit_steps(day)


def test_every_run_zwo_parses_back(api: httpx.Client, plan: dict[str, Any]) -> None:
    runs = [d for d in _sessions(plan) if d.intensity != "strength"]
    assert runs
    for day in runs:
        response = api.get(_url(plan, day, "zwo"))
        assert response.status_code == 200, response.text
        zwo = read_zwo(response.content)
        assert zwo.sport == "run"
        assert zwo.description == day.session_definition
        assert zwo.name == f"{day.date} {day.session_code} {day.session_type}"
        seconds = 0
        for tag, attrs, _ in zwo.elements:
            assert tag in ("Warmup", "SteadyState", "IntervalsT", "Cooldown")
            assert attrs["pace"] == "1"  # fractions of the runner's 5 km pace
            if tag == "IntervalsT":
                seconds += int(attrs["Repeat"]) * (
                    int(attrs["OnDuration"]) + int(attrs["OffDuration"])
                )
            else:
                seconds += int(attrs["Duration"])
        assert seconds == pytest.approx(day.duration_min * 60, rel=0.02)


def test_the_default_slot_is_the_days_first(api: httpx.Client, plan: dict[str, Any]) -> None:
    day = _sessions(plan)[0]
    plain = api.get(f"/training-plans/{plan['plan_id']}/days/{day.date}/workout.fit")
    assert plain.status_code == 200, plain.text
    first_slot = min(d.slot for d in _days(plan) if d.date == day.date)
    assert f'filename="{day.date}-{first_slot}-' in plain.headers["content-disposition"]
    versioned = api.get(_url(plan, day, "fit") + f"&version={plan['version']}")
    assert versioned.status_code == 200, versioned.text


@pytest.mark.parametrize("fmt", ["fit", "zwo"])
def test_the_plan_zip_holds_one_file_per_session(
    api: httpx.Client, plan: dict[str, Any], fmt: str
) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}/workouts.zip", params={"format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    sessions = _sessions(plan)
    if fmt == "zwo":  # Zwift has runs and rides, not strength sessions
        sessions = [d for d in sessions if d.intensity != "strength"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [_name(d, fmt) for d in sessions]
        for day in sessions:
            content = archive.read(_name(day, fmt))
            if fmt == "fit":
                steps = read_fit(content).steps
                assert [fit_step_facts(m) for m in steps] == expected_fit_steps(day)
            else:
                assert read_zwo(content).description == day.session_definition


def test_missing_workouts_are_404s_in_words(api: httpx.Client, plan: dict[str, Any]) -> None:
    base = f"/training-plans/{plan['plan_id']}/days"
    days = _days(plan)
    rest = next(d for d in days if d.intensity == "rest")
    cases = {
        f"{base}/{rest.date}/workout.fit?slot={rest.slot}": "is a rest day",
        f"{base}/1999-01-01/workout.fit": "the plan has no day 1999-01-01 (it runs from",
        f"{base}/{days[0].date}/workout.fit?slot=9": f"{days[0].date} has no slot 9",
        f"{base}/{days[0].date}/workout.fit?version=99": "version",
        "/training-plans/no-such-plan/days/2027-01-01/workout.fit": "not found",
        "/training-plans/no-such-plan/workouts.zip": "not found",
    }
    for url, words in cases.items():
        response = api.get(url)
        assert response.status_code == 404, (url, response.text)
        assert words in response.json()["detail"], (url, response.text)


def test_bad_requests_are_422s_in_words(api: httpx.Client, plan: dict[str, Any]) -> None:
    day = _sessions(plan)[0]
    base = f"/training-plans/{plan['plan_id']}"
    cases = {
        f"{base}/days/2027-13-01/workout.fit": "'2027-13-01' is not a date (use YYYY-MM-DD)",
        f"{base}/days/tomorrow/workout.fit": "is not a date",
        f"{base}/days/{day.date}/workout.fit?slot=-1": "slot",
        f"{base}/days/{day.date}/workout.fit?slot=one": "slot",
        f"{base}/days/{day.date}/workout.tcx": "no workout format 'tcx': use fit, zwo",
        f"{base}/days/{day.date}/workout.fit?format=fit": "unknown query parameter(s) 'format'",
        f"{base}/workouts.zip?format=gpx": "no workout format 'gpx': use fit, zwo",
        f"{base}/workouts.zip?slot=1": "unknown query parameter(s) 'slot'",
    }
    for url, words in cases.items():
        response = api.get(url)
        assert response.status_code == 422, (url, response.text)
        body = response.json()
        assert words in body["detail"] + " ".join(body.get("errors", [])), (url, response.text)
        assert "Traceback" not in response.text


def test_workouts_need_the_api_key_of_the_plans_tenant(stack: Stack, plan: dict[str, Any]) -> None:
    day = _sessions(plan)[0]
    urls = (_url(plan, day, "fit"), f"/training-plans/{plan['plan_id']}/workouts.zip")
    with httpx.Client(base_url=stack.base_url, timeout=30) as anonymous:
        for url in urls:
            assert anonymous.get(url).status_code == 401
    other = {"X-API-Key": stack.new_api_key("another-club")}
    with httpx.Client(base_url=stack.base_url, timeout=30, headers=other) as stranger:
        for url in urls:
            response = stranger.get(url)
            assert response.status_code == 404, response.text  # not even that it exists
            assert "not found" in response.json()["detail"]


def test_a_strength_session_is_a_fit_workout_but_no_zwift_one(api: httpx.Client) -> None:
    # The 10k catalogue has a strength session a week in its base phase.
    runner_id = create_runner(api, markers=MARKERS)
    last = events_until_terminal(
        api, generate(api, runner_id, short_plan(4, schema_id="builtin-10k"))
    )[-1]
    assert last.event == "succeeded", last.data
    plan = api.get(f"/training-plans/{last.data['plan_id']}").json()
    strength = next(d for d in _sessions(plan) if d.intensity == "strength")
    fit = api.get(_url(plan, strength, "fit"))
    assert fit.status_code == 200, fit.text
    assert read_fit(fit.content).workout["sport"][0] == "training"
    zwo = api.get(_url(plan, strength, "zwo"))
    assert zwo.status_code == 404
    assert zwo.json()["detail"] == (
        f"no ZWO workout for {strength.date}: Zwift workouts are runs and rides; "
        "this session is strength"
    )
