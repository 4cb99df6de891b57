"""A runner's plans and a plan's versions, each with its own address; a re-plan's changed
days highlighted. Plans and re-plans are made through the API; the page is compared with
what the API says of each version."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_page import fill_form, load, short_race, submit_and_wait
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack


def finished(client: httpx.Client, job_id: str) -> dict[str, Any]:
    done = events_until_terminal(client, job_id)[-1]
    assert done.event == "succeeded", done.data
    job: dict[str, Any] = client.get(f"/jobs/{job_id}").json()
    return job


@pytest.fixture(scope="module")
def replanned(stack: Stack) -> Iterator[dict[str, Any]]:
    """A runner with two plans; the newer one re-planned once (two days made unavailable)."""
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as client:
        runner_id = create_runner(client)
        older = finished(client, generate(client, runner_id, short_plan(4)))["plan_id"]
        body = short_plan(6, schema_id="builtin-10k")
        plan_id = finished(client, generate(client, runner_id, body))["plan_id"]
        v1 = client.get(f"/training-plans/{plan_id}").json()
        week3 = date.fromisoformat(body["start"]) + timedelta(days=14)
        off = sorted(
            {
                d["date"]
                for d in v1["days"]
                if d["intensity"] not in ("rest", "race") and week3.isoformat() <= d["date"]
            }
        )[:2]
        accepted = client.post(
            f"/training-plans/{plan_id}/replan",
            json={"effective": body["start"], "unavailable_dates": off, "use_activities": False},
        )
        assert accepted.status_code == 202, accepted.text
        job = finished(client, accepted.json()["job_id"])
        assert job["result"]["version"] == 2 and job["result"]["changed_dates"]
        yield {
            "runner_id": runner_id,
            "plan_id": plan_id,
            "older": older,
            "v1": v1,
            "v2": client.get(f"/training-plans/{plan_id}").json(),
            "listed": client.get(f"/runners/{runner_id}/training-plans").json(),
        }


def shown_days(page: Page) -> dict[str, list[str]]:
    cells = page.eval_on_selector_all(
        "#tp-calendar .day[data-date]",
        "els => els.map(e => [e.dataset.date,"
        " [...e.querySelectorAll('.session')].map(s => s.dataset.code)])",
    )
    return {when: codes for when, codes in cells}


def api_days(plan: dict[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for d in sorted(plan["days"], key=lambda d: (d["date"], d["slot"])):
        out[d["date"]].append(d["session_code"])
    return dict(out)


def changed_shown(page: Page) -> tuple[list[str], list[str]]:
    weeks = page.eval_on_selector_all(
        "#tp-calendar .day.changed", "els => els.map(e => e.dataset.date)"
    )
    months = page.eval_on_selector_all(
        "#tp-month .mday.changed", "els => els.map(e => e.dataset.date)"
    )
    return weeks, months


def wait_version(page: Page, version: int) -> None:
    page.wait_for_selector(f"#tp-result[data-version='{version}'] #tp-chart svg")


def test_replanned_days_are_marked(page: Page, stack: Stack, replanned: dict[str, Any]) -> None:
    page.goto(f"/#key={stack.api_key}&plan={replanned['plan_id']}")
    wait_version(page, 2)  # the latest
    v2 = replanned["v2"]
    changed = sorted(v2["summary"]["changed_dates"])
    assert shown_days(page) == api_days(v2)
    assert changed_shown(page) == (changed, changed)
    # What changed is what differs from version 1.
    v1_days = api_days(replanned["v1"])
    assert changed == sorted(d for d, codes in api_days(v2).items() if v1_days.get(d) != codes)
    note = page.inner_text("#tp-changes")
    effective = date.fromisoformat(v2["summary"]["effective"])
    assert f"re-planned from {effective:%a} {effective.day} {effective:%b}" in note
    assert f"{len(changed)} days changed" in note


def test_plans_and_versions_are_listed_and_linked(
    page: Page, stack: Stack, replanned: dict[str, Any]
) -> None:
    plan_id = replanned["plan_id"]
    page.goto(f"/#key={stack.api_key}&plan={plan_id}")
    wait_version(page, 2)
    page.wait_for_selector("#tp-plan-list li")
    listed = page.eval_on_selector_all(
        "#tp-plan-list li", "els => els.map(e => [e.dataset.plan, e.classList.contains('current')])"
    )
    assert listed == [[p["plan_id"], p["plan_id"] == plan_id] for p in replanned["listed"]]
    assert [p["plan_id"] for p in replanned["listed"]] == [plan_id, replanned["older"]]
    versions = page.eval_on_selector_all(
        "#tp-plan-list li.current .versions a",
        "els => els.map(e => [Number(e.dataset.version), e.getAttribute('aria-current')])",
    )
    assert versions == [[1, None], [2, "page"]]

    page.click("#tp-plan-list li.current .versions a[data-version='1']")
    wait_version(page, 1)
    assert page.url.endswith(f"#plan={plan_id}&version=1")
    assert shown_days(page) == api_days(replanned["v1"])
    assert changed_shown(page) == ([], [])  # version 1 is no re-plan
    assert "An older version" in page.inner_text("#tp-changes")
    page.reload()  # an older version's address works as well
    wait_version(page, 1)
    assert shown_days(page) == api_days(replanned["v1"])
    page.click("#tp-changes a")  # back to the latest
    wait_version(page, 2)
    assert page.url.endswith(f"#plan={plan_id}")

    page.click(f"#tp-plan-list li[data-plan='{replanned['older']}'] a")
    page.wait_for_selector(f"#tp-result[data-plan='{replanned['older']}'] #tp-chart svg")
    page.wait_for_selector(f"#tp-plan-list li.current[data-plan='{replanned['older']}']")
    assert page.eval_on_selector_all("#tp-plan-list li.current", "els => els.length") == 1
    assert shown_days(page) == api_days(
        httpx.get(
            f"{stack.base_url}/training-plans/{replanned['older']}",
            headers={"X-API-Key": stack.api_key},
        ).json()
    )


def test_a_replan_from_the_page_marks_what_changed(
    page: Page, api: httpx.Client, stack: Stack
) -> None:
    load(page, stack.api_key)
    start, race = short_race(5)
    fill_form(page, race=race, distance="10k", start=start)
    submit_and_wait(page)
    plan_id = page.get_attribute("#tp-result", "data-plan")
    v1 = api.get(f"/training-plans/{plan_id}").json()
    off = sorted({d["date"] for d in v1["days"] if d["intensity"] not in ("rest", "race")})[3:5]

    page.click("#tp-replan summary")
    assert page.input_value("#tp-rp-from") == start.isoformat()  # the plan has not begun
    page.fill("#tp-rp-off", "2027-02-30")  # checked in the browser first
    page.click("#tp-rp-submit")
    expect(page.locator("#tp-rp-error")).to_contain_text('"2027-02-30" is not a date')
    assert page.is_visible("#tp-calendar")  # the plan stays

    page.fill("#tp-rp-off", ", ".join(off))
    page.fill("#tp-rp-hours", "5")
    with page.expect_request(lambda r: r.method == "POST" and r.url.endswith("/replan")) as sent:
        page.click("#tp-rp-submit")
    assert json.loads(sent.value.post_data or "{}") == {
        "effective": start.isoformat(),
        "unavailable_dates": off,
        "weekly_hours": 5,
    }
    wait_version(page, 2)
    v2 = api.get(f"/training-plans/{plan_id}").json()
    assert v2["version"] == 2 and page.url.endswith(f"#plan={plan_id}")
    assert shown_days(page) == api_days(v2)
    changed = sorted(v2["summary"]["changed_dates"])
    assert set(off) <= set(changed)  # a day off is a change
    assert changed_shown(page) == (changed, changed)
    v1_days = api_days(v1)
    assert changed == sorted(d for d, codes in api_days(v2).items() if v1_days.get(d) != codes)
    assert not page.is_visible("#tp-rp-submit")  # the form folded away with the new version
