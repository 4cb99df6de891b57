"""The web page in a real browser against the real stack: a person's path through it.

Every check compares what the page shows with what the API says (the plan's days, the job's
events and conflicts, the error detail), not with fixed text.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import icalendar
from playwright.sync_api import Page, Route, expect

from tests.service.helpers import events_until_terminal, next_monday
from tests.service.stack import Stack
from tests.shared.exports.chart_checks import check_svg_chart

DONE = "#tp-chart svg, #tp-conflicts:not([hidden]), #tp-error:not([hidden])"


def load(page: Page, key: str) -> None:
    page.goto(f"/#key={key}")
    page.wait_for_selector("body[data-ready=true]", state="attached")


def fill_form(
    page: Page,
    *,
    race: date,
    distance: str,
    start: date | None = None,
    weekly_hours: float = 6,
    long_run_day: int = 6,
    unavailable: tuple[date, ...] = (),
    time_limit: int | None = None,
    name: str = "",
    recent_hours: float = 5.5,
    ctl: float | None = None,
) -> None:
    page.fill("#tp-race-date", race.isoformat())
    page.select_option("#tp-distance", distance)
    page.fill("#tp-start", start.isoformat() if start else "")
    page.fill("#tp-name", name)
    page.fill("#tp-recent-hours", str(recent_hours))
    if ctl is not None:  # the advanced way: fitness and fatigue as numbers
        open_advanced(page)
        page.fill("#tp-ctl", str(ctl))
        page.fill("#tp-atl", str(ctl))
    page.fill("#tp-hours", str(weekly_hours))
    page.fill("#tp-rest", "1")
    page.select_option("#tp-long-day", str(long_run_day))
    page.fill("#tp-unavailable", ", ".join(d.isoformat() for d in unavailable))
    if time_limit:
        open_advanced(page)
        page.fill("#tp-time-limit", str(time_limit))


def open_advanced(page: Page) -> None:
    page.eval_on_selector("#tp-advanced", "d => { d.open = true; }")


def submit_and_wait(page: Page) -> str:
    """Submits the form; the job's id once it has finished (plan or conflicts shown)."""
    page.click("#tp-submit")
    page.wait_for_selector("#tp-events li", state="attached")  # events arrive while solving
    page.wait_for_selector(DONE)
    job_id = page.get_attribute("#tp-progress", "data-job")
    assert job_id
    return job_id


def page_event_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all("#tp-events li", "els => els.map(e => e.dataset.id)")
    return ids


def no_horizontal_overflow(page: Page) -> bool:
    return bool(
        page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"),
    )


# The chart's labels as the page shows them, and as the API draws them (the abbreviations
# stay in a <title>): mapped back, the shown chart must pass the API chart's checks.
SHOWN_LABELS = {
    "Fitness": "fitness (CTL)",
    "Fatigue": "fatigue (ATL)",
    "Form": "form (TSB)",
    "fitness, fatigue, form": "CTL / ATL / TSB",
    "daily training load": "daily load (TSS)",
    "Swim fitness": "swim fitness (CTL)",
    "Bike fitness": "bike fitness (CTL)",
    "Run fitness": "run fitness (CTL)",
}


def api_labels(svg: str) -> str:
    for shown, drawn in SHOWN_LABELS.items():
        svg = re.sub(
            rf">{re.escape(shown)}<title[^>]*>{re.escape(drawn)}</title>", f">{drawn}", svg
        )
    return svg


def short_race(weeks: int = 4) -> tuple[date, date]:
    start = next_monday()
    return start, start + timedelta(days=7 * weeks - 1)  # a Sunday


def check_calendar(page: Page, plan: dict[str, Any]) -> None:
    days = plan["days"]
    weeks = sorted({d["week_number"] for d in days})
    shown = page.eval_on_selector_all("section.week", "els => els.map(e => Number(e.dataset.week))")
    assert shown == weeks
    recovery = sorted({d["week_number"] for d in days if d["is_recovery_week"]})
    assert (
        page.eval_on_selector_all(
            "section.week.recovery", "els => els.map(e => Number(e.dataset.week))"
        )
        == recovery
    )
    phases = page.eval_on_selector_all(
        "section.week",
        "els => els.map(e => [...e.querySelectorAll('.week-head .tag[class*=phase-]')]"
        ".map(t => t.textContent))",
    )
    for week, tags in zip(weeks, phases, strict=True):
        expected: list[str] = []
        for d in days:
            if d["week_number"] == week and d["phase"] not in expected:
                expected.append(d["phase"])
        assert tags == expected, week

    by_date: dict[str, list[list[Any]]] = defaultdict(list)
    for d in sorted(days, key=lambda d: (d["date"], d["slot"])):
        by_date[d["date"]].append([d["session_code"], d["duration_min"], d["intensity"]])
    cells = page.eval_on_selector_all(
        ".day[data-date]",
        """els => els.map(e => ({
            date: e.dataset.date,
            race: e.classList.contains('race-day'),
            sessions: [...e.querySelectorAll('.session')].map(
                s => [s.dataset.code, Number(s.dataset.minutes), s.dataset.intensity]),
        }))""",
    )
    assert [c["date"] for c in cells] == sorted(by_date)
    for cell in cells:
        assert cell["sessions"] == by_date[cell["date"]], cell["date"]
    assert [c["date"] for c in cells if c["race"]] == [plan["summary"]["race_date"]]

    # One colour per intensity, and different intensities look different.
    colours = page.eval_on_selector_all(
        ".calendar .session",
        "els => els.map(s => [s.dataset.intensity, getComputedStyle(s).borderLeftColor])",
    )
    per_intensity: dict[str, set[str]] = defaultdict(set)
    for intensity, colour in colours:
        per_intensity[intensity].add(colour)
    assert all(len(c) == 1 for c in per_intensity.values())
    assert len({next(iter(c)) for c in per_intensity.values()}) == len(per_intensity) >= 2


def main_text(page: Page) -> str:
    """What a person sees of the main view: innerText leaves out closed <details>."""
    assert page.eval_on_selector_all("main details[open]", "els => els.length") == 0
    return page.inner_text("main")


def first_sessions(page: Page, count: int = 5) -> list[list[str]]:
    cells: list[list[str]] = page.eval_on_selector_all(
        ".calendar .day[data-date]",
        f"els => els.slice(0, {count}).map(e => [e.dataset.date, e.innerText])",
    )
    return cells


def test_plan_from_the_form(page: Page, api: httpx.Client, stack: Stack, artifacts: Path) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    load(page, stack.api_key)
    assert failed == []  # the page, its files and its icon: nothing missing
    assert "#key=" not in page.url  # the key leaves the address bar...
    assert page.evaluate("localStorage.getItem('trainplan.apiKey')") == stack.api_key
    page.goto("/")  # ...and is remembered
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert page.input_value("#tp-key") == stack.api_key

    start, race = short_race(4)
    day_off = start + timedelta(days=9)  # a Wednesday
    fill_form(page, race=race, distance="5k", start=start, long_run_day=5, unavailable=(day_off,))
    job_id = submit_and_wait(page)

    # Every event of the job, once, in order: what the stream replays from the start.
    server_events = events_until_terminal(api, job_id)
    assert page_event_ids(page) == [e.id for e in server_events]
    assert server_events[-1].event == "succeeded"
    assert page.text_content("#tp-state") == "succeeded"
    assert page.get_attribute("#tp-bar", "aria-valuenow") == "100"
    plan = api.get(f"/training-plans/{server_events[-1].data['plan_id']}").json()
    summary = plan["summary"]
    assert page.text_content("#tp-objective") == f"{summary['objective']:.2f}"
    assert page.text_content("#tp-gap") == f"{summary['gap'] * 100:.2f}%"
    assert page.text_content("#tp-elapsed") == f"{summary['solve_seconds']:.1f} s"
    assert not page.is_visible("#tp-cancel")  # nothing left to cancel
    assert plan["summary"]["race_date"] == race.isoformat()
    check_calendar(page, plan)
    off = page.eval_on_selector_all(
        f".day[data-date='{day_off}'] .session", "els => els.map(s => s.dataset.intensity)"
    )
    assert off == ["rest"]  # the unavailable date reached the plan and the page
    assert page.text_content("#tp-summary").startswith(
        f"{len({d['week_number'] for d in plan['days']})} weeks, "
        f"{sum(d['intensity'] != 'rest' for d in plan['days'])} sessions"
    )

    svg = page.eval_on_selector("#tp-chart svg", "e => new XMLSerializer().serializeToString(e)")
    check_svg_chart(api_labels(svg).encode(), plan["days"], race)
    labels = page.eval_on_selector_all(
        "#tp-chart svg text", "els => els.map(t => t.firstChild ? t.firstChild.textContent : '')"
    )
    assert {"Fitness", "Fatigue", "Form"} <= set(labels)
    assert not [t for t in labels if "CTL" in t or "TSB" in t]  # only in the <title> tooltips

    with page.expect_download() as download:
        page.click("#tp-ics")
    assert download.value.suggested_filename == "training-plan.ics"
    cal = icalendar.Calendar.from_ical(Path(download.value.path()).read_bytes())
    sessions = [d for d in plan["days"] if d["intensity"] != "rest"]
    assert [e.decoded("DTSTART").isoformat() for e in cal.walk("VEVENT")] == [
        d["date"] for d in sessions
    ]

    # A runner's words in the main view; the solver's figures only under "Details".
    shown = main_text(page)
    for word in ("OPTIMAL", "FEASIBLE", "Objective", "Gap", "CTL", "ATL", "TSB", "Bound"):
        assert word not in shown, word
    for word in ("Fitness", "Fatigue", "Form", "This week"):
        assert word in shown, word
    gap = summary["gap"] * 100
    closeness = page.text_content("#tp-closeness") or ""
    assert re.fullmatch(r"Within (\d+(?:\.\d)?)% of the best plan\.", closeness) or (
        gap < 0.005 and closeness == "The best plan there is for you."
    ), closeness
    if closeness.startswith("Within"):
        assert gap <= float(closeness.split()[1][:-1]) < gap + 1  # rounded up, not down
    assert page.text_content("#tp-plan-status") == summary["status"]  # still there, folded

    # The plan has its own address: a reload shows the same plan.
    plan_id = plan["plan_id"]
    assert page.url.endswith(f"/#plan={plan_id}")
    before = first_sessions(page)
    failed.clear()
    page.reload()
    page.wait_for_selector("#tp-chart svg")
    assert page.get_attribute("#tp-result", "data-plan") == plan_id
    assert first_sessions(page) == before
    assert [c[0] for c in before] == sorted({d["date"] for d in plan["days"]})[:5]
    assert failed == []

    page.screenshot(path=str(artifacts / "plan-desktop.png"), full_page=True)
    page.locator("#tp-chart").screenshot(path=str(artifacts / "chart-in-page.png"))
    assert no_horizontal_overflow(page)


def test_dropped_stream_resumes_without_losing_or_repeating_events(
    page: Page, api: httpx.Client, stack: Stack
) -> None:
    """The first connection ends after two events and half of a third (as when a proxy or
    the network cuts it); the page reconnects with Last-Event-ID and shows every event once."""
    sent_ids: list[str | None] = []
    cut_after: list[str] = []

    def cut_first_stream(route: Route) -> None:
        sent_ids.append(route.request.headers.get("last-event-id"))
        if len(sent_ids) > 1:
            route.continue_()
            return
        whole = route.fetch().text()  # the stream to its terminal event
        frames = [f for f in whole.split("\n\n") if "\ndata:" in f"\n{f}"]
        assert len(frames) >= 3, whole
        cut_after.append(
            next(line[3:].strip() for line in frames[1].split("\n") if line[:3] == "id:")
        )
        body = f"{frames[0]}\n\n{frames[1]}\n\n{frames[2][: len(frames[2]) // 2]}"
        route.fulfill(status=200, headers={"Content-Type": "text/event-stream"}, body=body)

    page.route("**/jobs/*/events", cut_first_stream)
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="10k", start=start)
    job_id = submit_and_wait(page)

    assert sent_ids == [None, cut_after[0]]  # resumed after the last whole event
    assert page.get_attribute("#tp-progress", "data-connections") == "2"
    ids = page_event_ids(page)
    assert ids == [e.id for e in events_until_terminal(api, job_id)]
    assert len(set(ids)) == len(ids)
    page.wait_for_selector("#tp-chart svg")


def test_infeasible_request_shows_its_conflicts(
    page: Page, api: httpx.Client, stack: Stack
) -> None:
    load(page, stack.api_key)
    start, race = short_race(8)
    fill_form(page, race=race, distance="marathon", start=start, weekly_hours=1)
    job_id = submit_and_wait(page)

    job = api.get(f"/jobs/{job_id}").json()
    assert job["state"] == "failed" and job["conflicts"]
    assert page.is_visible("#tp-conflicts") and not page.is_visible("#tp-result")
    assert page.text_content("#tp-failure") == job["error"]
    shown = page.eval_on_selector_all("#tp-conflict-list li", "els => els.map(e => e.textContent)")
    assert shown == job["conflicts"]


def field_messages(page: Page) -> list[list[str]]:
    """Each message shown next to a field: [the field's id, the words]."""
    found: list[list[str]] = page.eval_on_selector_all(
        "#tp-form .field-error",
        "els => els.map(e => [e.closest('label').querySelector('input, select').id,"
        " e.textContent])",
    )
    return found


def test_a_bad_date_is_shown_once_next_to_its_field(page: Page, stack: Stack) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.method != "GET" else None)
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="10k", start=start)
    page.fill("#tp-unavailable", f"{start + timedelta(days=2)}, 2027-02-30")
    page.click("#tp-submit")
    page.click("#tp-submit")  # twice: still one message
    assert field_messages(page) == [
        ["tp-unavailable", '"2027-02-30" is not a date: write YYYY-MM-DD, e.g. 2027-02-14.']
    ]
    assert page.get_attribute("#tp-unavailable", "aria-invalid") == "true"
    assert requests == []  # caught in the browser: nothing sent
    assert not page.is_visible("#tp-error")

    # A race date before the first training day: the message sits by the start date.
    page.fill("#tp-unavailable", "")
    page.fill("#tp-start", (race + timedelta(days=1)).isoformat())
    page.click("#tp-submit")
    assert field_messages(page) == [["tp-start", "The first training day must be before the race."]]
    page.fill("#tp-start", start.isoformat())  # corrected: the message goes
    assert field_messages(page) == []


def test_rejected_requests_show_the_api_problem_by_its_field(
    page: Page, api: httpx.Client, stack: Stack
) -> None:
    """What only the API knows (a race result no human runs) comes back as a 422; the page
    puts each of its problems next to the field, in plain words, once."""
    load(page, stack.api_key)
    start, race = short_race(4)
    fill_form(page, race=race, distance="10k", start=start)
    page.select_option("#tp-rr-distance", "10000")
    page.fill("#tp-rr-time", "12:00")
    with page.expect_response(lambda r: r.request.method in ("POST", "PATCH")) as answer:
        page.click("#tp-submit")
    assert answer.value.status == 422
    errors = answer.value.json()["errors"]
    assert len(errors) == 1 and errors[0].startswith("markers.race_result")
    page.wait_for_selector(".field-error")
    messages = field_messages(page)
    assert len(messages) == 1 and messages[0][0] == "tp-rr-time"
    words = messages[0][1]
    assert words == errors[0].split(": ", 1)[1].removeprefix("Value error, ") + "."
    assert ".;" not in words and "markers" not in words
    assert not page.is_visible("#tp-progress")

    assert page.is_hidden("#tp-key")  # a saved key folds away...
    page.click("#tp-key-change")  # ...until asked for
    page.fill("#tp-key", "not-a-key")
    page.click("#tp-submit")
    expect(page.locator("#tp-error strong")).to_have_text(
        "This API key is not valid: paste the key trainplan gave you above."
    )


def test_phone_width(phone: Page, stack: Stack, artifacts: Path) -> None:
    load(phone, stack.api_key)
    width = phone.viewport_size["width"]
    assert no_horizontal_overflow(phone)
    controls = phone.eval_on_selector_all(
        "#tp-form input, #tp-form select, #tp-submit",
        "els => els.filter(e => e.getClientRects().length).map(e => {"
        " const r = e.getBoundingClientRect();"
        " return [e.id, r.left, r.right, r.height]; })",
    )
    assert len(controls) >= 10
    for ident, left, right, height in controls:
        assert left >= 0 and right <= width, ident  # usable without sideways scrolling
        assert height >= 40, ident  # a finger-sized target

    start, race = short_race(3)
    fill_form(phone, race=race, distance="5k", start=start)
    phone.locator("#tp-submit").tap()
    phone.wait_for_selector("#tp-events li", state="attached")
    phone.wait_for_selector("#tp-chart svg")
    assert no_horizontal_overflow(phone)
    boxes = json.loads(
        phone.evaluate(
            "JSON.stringify([...document.querySelectorAll('section.week')[0]"
            ".querySelectorAll('.day[data-date]')].map(d => d.getBoundingClientRect()))"
        )
    )
    assert len(boxes) >= 7
    assert len({round(b["left"]) for b in boxes}) == 1  # one day per row on a phone
    assert all(b["width"] > width * 0.8 for b in boxes)
    chart = phone.locator("#tp-chart").bounding_box()
    assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= width
    assert phone.eval_on_selector("#tp-this-week", "e => e.getBoundingClientRect().right") <= width
    phone.screenshot(path=str(artifacts / "plan-phone.png"), full_page=True)
