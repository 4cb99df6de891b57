"""A session as the runner uses it: the form takes a threshold pace and heart rates, the zones
panel shows the paces they give, a session opens to its steps in the runner's own numbers, and
its FIT file downloads and decodes back to the same steps. Every figure shown is recomputed here
from what the API answers."""

from __future__ import annotations

import io
import json
import math
from typing import Any

import fitdecode
import httpx
from playwright.sync_api import Page

from tests.browser.test_page import field_messages, fill_form, load, short_race, submit_and_wait
from tests.service.helpers import events_until_terminal, generate, short_plan
from tests.service.stack import Stack


def pace(s_per_km: float) -> str:
    whole = math.floor(s_per_km + 0.5)  # halves up, as the page rounds
    return f"{whole // 60}:{whole % 60:02d}"


def test_threshold_pace_reaches_the_runner_and_the_zones_panel(
    page: Page, api: httpx.Client, stack: Stack
) -> None:
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="10k", start=start)
    page.fill("#tp-threshold-pace", "4:35")
    page.fill("#tp-lthr", "168")
    with page.expect_request(
        lambda r: r.method in ("POST", "PATCH") and "/runners" in r.url and "training" not in r.url
    ) as request:
        submit_and_wait(page)
    sent = json.loads(request.value.post_data or "{}")["markers"]
    assert sent["threshold_pace_s_per_km"] == 4 * 60 + 35
    assert sent["lthr_bpm"] == 168
    plan_id = page.get_attribute("#tp-result", "data-plan")
    runner_id = api.get(f"/training-plans/{plan_id}").json()["runner_id"]
    zones = api.get(f"/runners/{runner_id}/zones").json()
    page.click("#tp-zones summary")
    rows = dict(
        page.eval_on_selector_all(
            "#tp-zones table.zones tr",
            "els => els.map(e => [e.querySelector('th').textContent, e.querySelector('td').textContent])",
        )
    )
    fast, slow = zones["paces"]["threshold"]
    assert rows["Threshold"] == f"{pace(fast)}–{pace(slow)} per km"
    assert abs(fast - 275) < 10 and fast <= 275 <= slow + 1  # the pace given is threshold pace
    low, high = zones["hr"]["z2"]
    assert rows["Heart rate Z2"] == f"{low}–{high} bpm"
    low, high = zones["hr"]["z1"]
    assert rows["Heart rate Z1"] == (f"up to {high} bpm" if low is None else f"{low}–{high} bpm")
    # A reload brings the markers back into the form.
    page.reload()
    page.wait_for_selector("#tp-chart svg")
    assert page.input_value("#tp-threshold-pace") == "4:35"
    assert page.input_value("#tp-lthr") == "168"


def test_a_bad_threshold_pace_is_named_by_its_field(page: Page, stack: Stack) -> None:
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="10k", start=start)
    page.fill("#tp-threshold-pace", "four thirty")
    page.fill("#tp-lthr", "190")
    page.fill("#tp-max-hr", "185")
    page.click("#tp-submit")
    messages = dict(field_messages(page))
    assert messages["tp-threshold-pace"] == "Write the pace per km as M:SS, e.g. 4:35."
    assert "below your maximum" in messages["tp-lthr"]


def flat_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for step in steps:
        out.extend(step["steps"] * step["count"] if step["type"] == "repeat" else [step])
    return out


def test_a_session_opens_to_its_steps_and_its_fit_file_downloads(
    page: Page, api: httpx.Client, stack: Stack
) -> None:
    race_result = {"distance_m": 10000, "time_s": 45 * 60}
    runner = api.post(
        "/runners",
        json={
            "name": "Pace Runner",
            "ctl": 40,
            "atl": 40,
            "weekly_hours": 6,
            "markers": {"race_result": race_result},
        },
    )
    assert runner.status_code == 201, runner.text
    job_id = generate(api, runner.json()["id"], short_plan(6, schema_id="builtin-10k"))
    done = events_until_terminal(api, job_id)[-1]
    assert done.event == "succeeded", done.data
    plan = api.get(f"/training-plans/{done.data['plan_id']}").json()
    # A session with a repeat and pace targets: intervals or threshold work.
    day = next(
        d
        for d in plan["days"]
        if any(s["type"] == "repeat" for s in d["steps"])
        and any((s.get("target") or {}).get("kind") == "pace" for s in flat_steps(d["steps"]))
    )
    page.goto(f"/#key={stack.api_key}&plan={plan['plan_id']}")
    page.wait_for_selector("#tp-chart svg")
    page.evaluate(
        "date => document.querySelector(`#tp-calendar .day[data-date='${date}']`)"
        ".closest('section.week').querySelector('.week-head[aria-expanded=false]')?.click()",
        day["date"],
    )
    session = page.locator(f"#tp-calendar .day[data-date='{day['date']}'] .session").nth(
        day["slot"]
    )
    session.click()
    items = session.locator("ol.steps > li")
    assert items.count() == len(day["steps"])
    shown = session.locator("ol.steps").inner_text()
    for step in flat_steps(day["steps"]):
        target = step.get("target")
        if target and target["kind"] == "pace":
            assert f"{pace(target['low_s_per_km'])}–{pace(target['high_s_per_km'])}/km" in shown

    with page.expect_download() as download:
        session.locator("a[data-file=fit]").click()
    assert (
        download.value.suggested_filename
        == f"{day['date']}-{day['slot']}-{day['session_code']}.fit"
    )
    data = download.value.path().read_bytes()
    steps = []
    with fitdecode.FitReader(io.BytesIO(data)) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                steps.append(frame)
    # One FIT step per plan step, plus one "repeat" step per repeat block.
    expected = sum(len(s["steps"]) + 1 if s["type"] == "repeat" else 1 for s in day["steps"])
    assert len(steps) == expected
    # Zwift takes runs and rides: a strength session offers the FIT file only.
    strength = page.eval_on_selector_all(
        "#tp-calendar .session[data-intensity=strength]",
        "els => els.map(e => [!!e.querySelector('a[data-file=fit]'), !!e.querySelector('a[data-file=zwo]')])",
    )
    assert strength and all(fit and not zwo for fit, zwo in strength), strength
