"""The page remembers: one runner per person, updated by later plans; "My runners" from
`GET /runners`; a runner's latest plan a click away. Against the real stack."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
from playwright.sync_api import Page

from tests.browser.test_page import fill_form, load, short_race, submit_and_wait
from tests.service.stack import Stack


def listed(page: Page) -> list[list[str]]:
    rows: list[list[str]] = page.eval_on_selector_all(
        "#tp-runner-list li",
        "els => els.map(e => [e.dataset.runner, e.querySelector('button').textContent,"
        " e.querySelector('.meta').textContent])",
    )
    return rows


def test_two_plans_update_one_runner(page: Page, api: httpx.Client, stack: Stack) -> None:
    name = f"Runner {uuid.uuid4().hex[:8]}"  # the stack is shared: other tests' runners too
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="5k", start=start, name=name, weekly_hours=5)
    submit_and_wait(page)
    runner_id = page.evaluate("localStorage.getItem('trainplan.runnerId')")
    assert runner_id
    first_plan = page.get_attribute("#tp-result", "data-plan")

    # The second plan: other hours and a recent race; the same runner, changed.
    page.fill("#tp-hours", "7")
    page.select_option("#tp-rr-distance", "10000")
    page.fill("#tp-rr-time", "48:30")
    submit_and_wait(page)
    second_plan = page.get_attribute("#tp-result", "data-plan")
    assert second_plan and second_plan != first_plan
    assert page.evaluate("localStorage.getItem('trainplan.runnerId')") == runner_id

    everyone = api.get("/runners", params={"limit": 100}).json()["items"]
    mine = [r for r in everyone if r["name"] == name]
    assert [r["id"] for r in mine] == [runner_id]
    stored = mine[0]
    assert stored["weekly_hours"] == 7
    assert stored["markers"]["race_result"] == {"distance_m": 10000.0, "time_s": 2910.0}
    # "About 5.5 hours a week lately" (fill_form's) as fitness: 5.5 × 56.25 / 7.
    assert stored["ctl"] == stored["atl"] == round(5.5 * 56.25 / 7, 1)
    assert stored["latest_plan_id"] == second_plan

    page.wait_for_function(
        "id => document.querySelector(`#tp-runner-list li[data-runner='${id}'] .meta`)"
        "?.textContent.includes('weeks to go')",
        arg=runner_id,
    )
    rows = listed(page)
    assert [r[1] for r in rows].count(name) == 1
    meta = next(r[2] for r in rows if r[0] == runner_id)
    weeks = (race - date.today()).days // 7
    assert meta == f"5 km on {race:%a} {race.day} {race:%b %Y} · {weeks} weeks to go"
    assert [r[0] for r in rows] == [r["id"] for r in everyone[: len(rows)]]  # newest first

    # A new visit: the profile is back in the form, and a click shows the latest plan.
    other = page.context.new_page()
    other.goto("/")
    other.wait_for_selector("body[data-ready=true]", state="attached")
    assert other.input_value("#tp-name") == name
    assert other.input_value("#tp-hours") == "7"
    assert other.input_value("#tp-rr-time") == "48:30"
    # Back on the page: the remembered runner's latest plan, without a click...
    other.wait_for_selector(f"#tp-result[data-plan='{second_plan}'] #tp-chart svg")
    assert other.url.endswith(f"#plan={second_plan}")
    # ...and a click on a runner shows theirs: the first plan's runner is the same one, so
    # open the first plan by its address, then come back to the latest through the list.
    other.goto(f"/#plan={first_plan}")
    other.wait_for_selector(f"#tp-result[data-plan='{first_plan}'] #tp-chart svg")
    other.click(f"#tp-runner-list li[data-runner='{runner_id}'] button")
    other.wait_for_selector(f"#tp-result[data-plan='{second_plan}'] #tp-chart svg")
    assert other.url.endswith(f"#plan={second_plan}")
    other.close()

    # A bookmark in a browser that never saw this runner: the plan, and its runner's profile.
    fresh = page.context.browser.new_context(base_url=stack.base_url)  # type: ignore[union-attr]
    bookmark = fresh.new_page()
    bookmark.goto(f"/#key={stack.api_key}&plan={second_plan}")
    bookmark.wait_for_selector(f"#tp-result[data-plan='{second_plan}'] #tp-chart svg")
    assert bookmark.url.endswith(f"/#plan={second_plan}")  # the key left the address
    bookmark.wait_for_function(f"document.querySelector('#tp-name').value === '{name}'")
    assert bookmark.input_value("#tp-race-date") == race.isoformat()
    assert bookmark.evaluate("localStorage.getItem('trainplan.runnerId')") == runner_id
    fresh.close()
