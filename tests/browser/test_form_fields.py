"""The form says it all: B/C races as rows (added, removed), time per weekday. Each check
compares the request the page sent, the runner and plan the API stored, and the page."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.browser.test_page import field_messages, fill_form, load, short_race, submit_and_wait
from tests.service.stack import Stack


def generate_body(page: Page) -> dict[str, Any]:
    """Submits and waits for the plan; the body of the page's generate request."""
    with page.expect_request(
        lambda r: r.method == "POST" and r.url.endswith("/training-plans/generate")
    ) as request:
        submit_and_wait(page)
    body: dict[str, Any] = json.loads(request.value.post_data or "{}")
    return body


def add_race(page: Page, when: date, distance: str, priority: str, name: str = "") -> None:
    page.click("#tp-add-race")
    row = page.locator("#tp-race-rows li").last
    row.locator(".race-date").fill(when.isoformat())
    row.locator(".race-distance").select_option(distance)
    row.locator(".race-priority").select_option(priority)
    row.locator(".race-name").fill(name)


def test_a_b_race_row_reaches_the_plan(page: Page, api: httpx.Client, stack: Stack) -> None:
    load(page, stack.api_key)
    start, race = short_race(6)
    fill_form(page, race=race, distance="10k", start=start)
    b_race = start + timedelta(days=19)  # a Saturday, three weeks in
    add_race(page, start + timedelta(days=5), "5k", "C", "dropped")
    add_race(page, b_race, "5k", "B", "Parkrun")
    assert page.eval_on_selector_all("#tp-race-rows li", "els => els.length") == 2
    page.click("#tp-race-rows li:first-child .remove")  # the first row goes...
    rows = page.eval_on_selector_all(
        "#tp-race-rows li", "els => els.map(e => e.querySelector('.race-date').id)"
    )
    assert rows == ["tp-race-0-date"]  # ...and the other one is row 0 now

    body = generate_body(page)
    assert body["other_races"] == [
        {"date": b_race.isoformat(), "distance": "5k", "priority": "B", "name": "Parkrun"}
    ]
    plan_id = page.get_attribute("#tp-result", "data-plan")
    plan = api.get(f"/training-plans/{plan_id}").json()
    race_days = sorted({d["date"] for d in plan["days"] if d["intensity"] == "race"})
    assert race_days == [b_race.isoformat(), race.isoformat()]
    shown = page.eval_on_selector_all(
        ".calendar .day.other-race", "els => els.map(e => e.dataset.date)"
    )
    assert shown == [b_race.isoformat()]

    page.reload()  # the form follows the plan shown: its races and first day come back
    page.wait_for_selector("#tp-chart svg")
    page.wait_for_function("document.querySelectorAll('#tp-race-rows li').length === 1")
    row = page.locator("#tp-race-rows li")
    assert [
        row.locator(".race-date").input_value(),
        row.locator(".race-distance").input_value(),
        row.locator(".race-priority").input_value(),
        row.locator(".race-name").input_value(),
    ] == [b_race.isoformat(), "5k", "B", "Parkrun"]
    assert page.input_value("#tp-race-date") == race.isoformat()
    assert page.input_value("#tp-start") == start.isoformat()


def test_a_race_row_is_checked_by_its_field(page: Page, stack: Stack) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method != "GET" else None)
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="10k", start=start)
    add_race(page, start + timedelta(days=6), "5k", "B")
    add_race(page, race + timedelta(days=7), "5k", "C")
    page.click("#tp-submit")
    assert field_messages(page) == [
        ["tp-race-1-date", "This race is after your goal race: the plan ends on race day."]
    ]
    assert requests == []


def test_time_per_weekday(page: Page, api: httpx.Client, stack: Stack) -> None:
    load(page, stack.api_key)
    name = f"Runner {uuid.uuid4().hex[:8]}"
    start, race = short_race(5)
    fill_form(page, race=race, distance="10k", start=start, name=name, weekly_hours=5)
    page.select_option("#tp-avail-1", "0")  # Tuesday off
    page.select_option("#tp-avail-3", "30")  # Thursday at most 30 minutes
    wanted = [None, 0, None, 30, None, None, None]
    submit_and_wait(page)

    runner_id = page.evaluate("localStorage.getItem('trainplan.runnerId')")
    runner = api.get(f"/runners/{runner_id}").json()
    assert runner["name"] == name and runner["availability_min"] == wanted
    plan = api.get(f"/training-plans/{page.get_attribute('#tp-result', 'data-plan')}").json()
    minutes: dict[str, int] = {}
    for d in plan["days"]:
        minutes[d["date"]] = minutes.get(d["date"], 0) + d["duration_min"]
    weekday = {d["date"]: d["day_of_week"] for d in plan["days"]}
    assert all(minutes[when] == 0 for when in minutes if weekday[when] == 1)
    assert all(minutes[when] <= 30 for when in minutes if weekday[when] == 3)
    assert any(minutes[when] > 30 for when in minutes if weekday[when] not in (1, 3))

    page.reload()  # the profile comes back into the form
    page.wait_for_selector("body[data-ready=true]", state="attached")
    shown = page.eval_on_selector_all("#tp-avail-days select", "els => els.map(e => e.value)")
    assert shown == ["" if m is None else str(m) for m in wanted]

    for i in range(7):
        page.select_option(f"#tp-avail-{i}", "0")
    page.click("#tp-submit")
    assert field_messages(page) == [
        ["tp-avail-0", "Every day is off: leave at least one day to train on."]
    ]
