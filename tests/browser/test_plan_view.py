"""Scanning a plan: weeks fold (past ones folded), a session's whole text on a click or a
key, a compact month view. The plan is made through the API; what the page shows is
compared with the plan's days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack


@pytest.fixture(scope="module")
def plan(stack: Stack) -> Iterator[dict[str, Any]]:
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as client:
        job_id = generate(client, create_runner(client), short_plan(6, schema_id="builtin-10k"))
        done = events_until_terminal(client, job_id)[-1]
        assert done.event == "succeeded", done.data
        yield client.get(f"/training-plans/{done.data['plan_id']}").json()


def open_plan(page: Page, stack: Stack, plan_id: str, today: date | None = None) -> None:
    if today is not None:  # the browser's today: weeks before it are the past
        page.clock.set_fixed_time(datetime(today.year, today.month, today.day, 12))
    page.goto(f"/#key={stack.api_key}&plan={plan_id}")
    page.wait_for_selector("#tp-chart svg")


def week_states(page: Page) -> dict[int, list[Any]]:
    """Week number -> [aria-expanded, its days visible]."""
    rows = page.eval_on_selector_all(
        "section.week",
        """els => els.map(e => [Number(e.dataset.week),
            e.querySelector('.week-head').getAttribute('aria-expanded'),
            e.querySelector('.days').checkVisibility()])""",
    )
    return {week: [expanded, visible] for week, expanded, visible in rows}


def clamped_sessions(page: Page) -> list[str]:
    """The sessions (date/slot index) whose text is cut: drawn smaller than it is."""
    found: list[str] = page.eval_on_selector_all(
        "#tp-calendar .session[aria-expanded]",
        """els => els.filter(s => s.checkVisibility()).map(s => {
            const def = s.querySelector('.def');
            const idx = [...s.parentElement.children].indexOf(s);
            return def && def.scrollHeight > def.clientHeight + 1
                ? `${s.closest('.day').dataset.date}/${idx}` : null; }).filter(Boolean)""",
    )
    return found


def session_at(page: Page, key: str) -> str:
    when, index = key.split("/")
    return f"#tp-calendar .day[data-date='{when}'] .session:nth-child({int(index) + 1})"


def test_past_weeks_fold_and_a_session_opens(
    page: Page, stack: Stack, plan: dict[str, Any]
) -> None:
    start = date.fromisoformat(plan["summary"]["start"])
    today = start + timedelta(days=16)  # in week 3
    open_plan(page, stack, plan["plan_id"], today)
    last_day: dict[int, str] = {}
    for d in plan["days"]:
        last_day[d["week_number"]] = max(last_day.get(d["week_number"], ""), d["date"])
    past = {w for w, last in last_day.items() if last < today.isoformat()}
    assert len(past) == 2 and len(last_day) - len(past) >= 3
    states = week_states(page)
    assert states == {w: ["false", False] if w in past else ["true", True] for w in last_day}

    page.click("section.week[data-week='1'] .week-head")  # unfolds...
    assert week_states(page)[1] == ["true", True]
    page.click("section.week[data-week='4'] .week-head")  # ...and folds
    assert week_states(page)[4] == ["false", False]

    # A session's whole text, on a click: the cut text is drawn whole.
    definitions = {(d["date"], d["slot"]): d["session_definition"] for d in plan["days"]}
    cut = clamped_sessions(page)
    assert len(cut) >= 2, "the week view cuts no session's text: nothing to open"
    first = session_at(page, cut[0])
    page.click(first)
    assert page.get_attribute(first, "aria-expanded") == "true"
    assert cut[0] not in clamped_sessions(page)
    when, index = cut[0].split("/")
    slots = sorted(s for (d, s) in definitions if d == when)
    assert page.inner_text(f"{first} .def") == definitions[(when, slots[int(index)])]
    # ...or with the keyboard.
    page.focus(session_at(page, cut[1]))
    page.keyboard.press("Enter")
    assert page.get_attribute(session_at(page, cut[1]), "aria-expanded") == "true"
    page.click(first)  # closed again
    assert page.get_attribute(first, "aria-expanded") == "false"


def test_month_view(page: Page, stack: Stack, plan: dict[str, Any]) -> None:
    open_plan(page, stack, plan["plan_id"])
    weeks_height = page.eval_on_selector("#tp-calendar", "e => e.offsetHeight")
    assert not page.is_visible("#tp-month")
    page.click("#tp-view-month")
    assert page.is_visible("#tp-month") and not page.is_visible("#tp-calendar")
    assert page.get_attribute("#tp-view-month", "aria-pressed") == "true"

    by_date: dict[str, list[str]] = defaultdict(list)
    for d in sorted(plan["days"], key=lambda d: (d["date"], d["slot"])):
        by_date[d["date"]].append(d["intensity"])
    months = page.eval_on_selector_all("section.month", "els => els.map(e => e.dataset.month)")
    assert months == sorted({when[:7] for when in by_date})
    cells = page.eval_on_selector_all(
        "#tp-month .mday[data-date]",
        """els => els.map(e => [e.dataset.date, e.classList.contains('race-day'),
            [...e.querySelectorAll('.bar')].map(b => b.dataset.intensity)])""",
    )
    assert [c[0] for c in cells] == sorted(by_date)
    for when, race, bars in cells:
        assert bars == by_date[when], when
        assert race == (when == plan["summary"]["race_date"])
    # Each cell's column is its weekday.
    columns = page.eval_on_selector_all(
        "#tp-month section.month:first-child .mday[data-date]",
        "els => els.map(e => [e.dataset.date, Math.round(e.getBoundingClientRect().left)])",
    )
    lefts: dict[int, set[int]] = defaultdict(set)
    for when, left in columns:
        lefts[date.fromisoformat(when).weekday()].add(left)
    assert all(len(x) == 1 for x in lefts.values()) and len(
        {min(x) for x in lefts.values()}
    ) == len(lefts)
    assert page.eval_on_selector("#tp-month", "e => e.offsetHeight") < weeks_height / 2  # compact

    # A day of the month view opens its week, unfolded, with the day in sight.
    target = sorted(by_date)[20]
    page.click(f"#tp-month .mday[data-date='{target}']")
    assert page.is_visible("#tp-calendar") and not page.is_visible("#tp-month")
    assert page.is_visible(f"#tp-calendar .day[data-date='{target}']")
    box = page.locator(f"#tp-calendar .day[data-date='{target}']").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 900


def test_phone_chart_shows_race_day(phone: Page, stack: Stack, plan: dict[str, Any]) -> None:
    open_plan(phone, stack, plan["plan_id"])
    width = phone.viewport_size["width"]
    frame = phone.locator("#tp-chart").bounding_box()
    assert frame is not None and frame["x"] >= 0 and frame["x"] + frame["width"] <= width
    # The chart is wider than the phone: its frame is scrolled to race day.
    assert phone.eval_on_selector("#tp-chart", "e => e.scrollWidth > e.clientWidth")
    line = phone.locator("#tp-chart #race-day").bounding_box()
    assert line is not None
    assert frame["x"] <= line["x"] and line["x"] + line["width"] <= frame["x"] + frame["width"]
    race_label = phone.locator("#tp-chart text", has_text="race ").first.bounding_box()
    assert race_label is not None and race_label["x"] >= frame["x"]
    assert race_label["x"] + race_label["width"] <= frame["x"] + frame["width"]

    phone.click("#tp-view-month")  # the month view fits a phone, seven days a row
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    right = phone.eval_on_selector_all(
        "#tp-month .mday", "els => Math.max(...els.map(e => e.getBoundingClientRect().right))"
    )
    assert right <= width
