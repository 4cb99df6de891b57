"""A generated plan as files (calendar, csv, json, table, chart) and the web page's static
files, over HTTP. Each file is read back by an independent reader and compared to the days
that `GET /training-plans/{plan_id}` serves."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from typing import Any

import httpx
import icalendar
import pytest
from PIL import Image

from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from tests.shared.exports.chart_checks import check_svg_chart, png_size

# Every file of a plan: its formats and its charts.
SUFFIXES = [".ics", ".csv", ".json", ".txt", "/chart.svg", "/chart.png"]
# The fields of a day in the csv columns and the JSON days (the CLI's --format json).
DAY_FIELDS = [
    *("date", "slot", "week_number", "day_of_week", "phase", "is_recovery_week"),
    *("is_training_day", "session_code", "session_type", "intensity", "sport"),
    *("duration_min", "load", "ctl", "atl", "tsb", "session_definition"),
]


@pytest.fixture(scope="module")
def plan(stack: Stack) -> dict[str, Any]:
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as client:
        runner_id = create_runner(client, doubles=True)
        job_id = generate(client, runner_id, short_plan(4))
        last = events_until_terminal(client, job_id)[-1]
        assert last.event == "succeeded", last.data
        response = client.get(f"/training-plans/{last.data['plan_id']}")
        assert response.status_code == 200, response.text
        doc: dict[str, Any] = response.json()
        return doc


def test_ics_has_one_event_per_session(api: httpx.Client, plan: dict[str, Any]) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}.ics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.endswith(b"\r\n")

    cal = icalendar.Calendar.from_ical(response.content)
    assert str(cal["VERSION"]) == "2.0" and cal.get("PRODID")
    events = list(cal.walk("VEVENT"))
    sessions = [d for d in plan["days"] if d["intensity"] != "rest"]
    assert len(events) == len(sessions) > 0
    by_uid = {str(e["UID"]): e for e in events}
    assert len(by_uid) == len(events)
    for day, event in zip(sessions, events, strict=True):
        when = date.fromisoformat(day["date"])
        assert event.decoded("DTSTART") == when  # an all-day event on the session's date
        assert event.decoded("DTEND") == when + timedelta(days=1)
        assert str(event["SUMMARY"]) == f"{day['session_type']} ({day['duration_min']} min)"
        description = str(event["DESCRIPTION"])
        assert description.startswith(day["session_definition"].strip() or day["session_type"])
        assert f"{day['duration_min']} min" in description
        assert plan["plan_id"] in str(event["UID"])
    race = plan["summary"]["race_date"]
    assert any(e.decoded("DTSTART") == date.fromisoformat(race) for e in events)


def test_chart_svg_draws_the_plan_days(api: httpx.Client, plan: dict[str, Any]) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}/chart.svg")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("image/svg+xml")
    check_svg_chart(
        response.content, plan["days"], date.fromisoformat(plan["summary"]["race_date"])
    )


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_exports_are_tenant_scoped(
    api: httpx.Client, stack: Stack, plan: dict[str, Any], suffix: str
) -> None:
    url = f"/training-plans/{plan['plan_id']}{suffix}"
    assert httpx.get(stack.base_url + url).status_code == 401
    other = {"X-API-Key": stack.new_api_key("tenant-exports-other")}
    response = httpx.get(stack.base_url + url, headers=other)
    assert response.status_code == 404 and "plan" in response.json()["detail"]
    missing = api.get(f"/training-plans/000000000000000000000000{suffix}")
    assert missing.status_code == 404 and missing.json()["detail"]
    bad = api.get(f"/training-plans/not%20an%20id{suffix}")
    assert bad.status_code == 422 and bad.json()["detail"]


def test_page_and_static_files_need_no_key(stack: Stack) -> None:
    page = httpx.get(stack.base_url + "/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name, media in (("app.js", "text/javascript"), ("style.css", "text/css")):
        response = httpx.get(f"{stack.base_url}/static/{name}")
        assert response.status_code == 200 and response.headers["content-type"].startswith(media)
        assert f"/static/{name}" in page.text  # the page loads it
    for name in ("nope.js", "..%2Fmain.py", "%2E%2E"):
        response = httpx.get(f"{stack.base_url}/static/{name}")
        assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_exports_take_the_plan_routes_version(
    api: httpx.Client, plan: dict[str, Any], suffix: str
) -> None:
    url = f"/training-plans/{plan['plan_id']}{suffix}"
    assert api.get(url, params={"version": 1}).status_code == 200  # a new plan is version 1
    missing = api.get(url, params={"version": 9})
    assert missing.status_code == 404 and "version" in missing.json()["detail"]
    unknown = api.get(url, params={"format": "pdf"})
    assert unknown.status_code == 422 and "format" in unknown.json()["detail"]


def _file(api: httpx.Client, plan: dict[str, Any], suffix: str, media: str) -> httpx.Response:
    response = api.get(f"/training-plans/{plan['plan_id']}{suffix}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    return response


def test_csv_has_one_row_per_plan_day(api: httpx.Client, plan: dict[str, Any]) -> None:
    response = _file(api, plan, ".csv", "text/csv")
    assert f"training-plan-{plan['plan_id']}.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == DAY_FIELDS
    assert len(rows) == len(plan["days"]) > 0
    for row, day in zip(rows, plan["days"], strict=True):
        for field in DAY_FIELDS:
            value = day[field]
            if isinstance(value, bool):
                assert row[field] == str(value).lower(), field
            elif isinstance(value, float):
                assert abs(float(row[field]) - value) < 1e-3, field
            elif isinstance(value, int):
                assert int(row[field]) == value, field
            else:
                assert row[field] == value, field


def test_json_is_the_cli_object_of_the_plan_days(api: httpx.Client, plan: dict[str, Any]) -> None:
    doc = json.loads(_file(api, plan, ".json", "application/json").content)
    summary = plan["summary"]
    for key in ("status", "objective", "bound", "gap", "solve_seconds", "start", "race_date"):
        assert doc[key] == summary[key], key
    assert doc["model"] == "banister" and doc["conflicts"] == []
    # The JSON day: the csv columns and the session's steps.
    fields = [*DAY_FIELDS, "steps"]
    assert [list(d) for d in doc["days"]] == [fields] * len(plan["days"])
    assert doc["days"] == [{f: d[f] for f in fields} for d in plan["days"]]
    assert any(d["steps"] for d in doc["days"])


def test_txt_is_the_cli_table_of_the_plan_days(api: httpx.Client, plan: dict[str, Any]) -> None:
    text = _file(api, plan, ".txt", "text/plain").text
    lines = text.splitlines()
    summary = plan["summary"]
    assert lines[0].startswith(f"Plan {summary['start']} to {summary['race_date']}")
    weeks = {d["week_number"] for d in plan["days"]}
    assert sum(1 for line in lines if line.startswith("Week ")) == len(weeks)
    assert sum(1 for line in lines if line.startswith("  ")) == len(plan["days"])
    for day in plan["days"]:
        if day["slot"] == 0:
            assert day["date"] in text
    assert lines[-1].startswith(summary["status"])


def test_chart_png_is_an_image_of_the_lines(api: httpx.Client, plan: dict[str, Any]) -> None:
    data = _file(api, plan, "/chart.png", "image/png").content
    width, height = png_size(data)
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.size == (width, height) and width > height > 0


@pytest.mark.parametrize("suffix", [".pdf", ".ICS", "/chart.pdf", "/chart.csv"])
def test_an_unknown_format_is_a_422(
    api: httpx.Client, stack: Stack, plan: dict[str, Any], suffix: str
) -> None:
    url = f"/training-plans/{plan['plan_id']}{suffix}"
    response = api.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/json")
    assert "format" in response.json()["detail"]
    assert httpx.get(stack.base_url + url).status_code == 401  # the key is checked first


def test_the_plan_route_still_answers_beside_the_files(
    api: httpx.Client, plan: dict[str, Any]
) -> None:
    response = api.get(f"/training-plans/{plan['plan_id']}")
    assert response.status_code == 200 and response.json()["days"] == plan["days"]
