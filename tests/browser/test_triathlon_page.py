"""A triathlete's plan on the web page: an olympic plan asked for through the form, its
sessions coloured and named by sport (the colour legend's), the chart's fitness per sport;
a swimmer's paces per 100 m. Every check against the plan's days as the API gives them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import DESKTOP
from tests.browser.test_page import api_labels, fill_form, load, short_race, submit_and_wait
from tests.browser.test_plan_view import open_plan
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from tests.shared.exports.chart_checks import check_svg_chart

WORDS = {"swim": "Swim", "bike": "Bike", "run": "Run", "brick": "Brick: bike then run"}
WORDS["strength"] = "Strength"


def sport(day: dict[str, Any]) -> str | None:
    """The sport a session is shown under; None for rest and race days (coloured as ever)."""
    if day["intensity"] in ("rest", "race"):
        return None
    return "strength" if day["intensity"] == "strength" else str(day["sport"])


def shown_sessions(page: Page) -> list[list[Any]]:
    """Each session of the week view: date, its sport, its sport word, its colour."""
    rows: list[list[Any]] = page.eval_on_selector_all(
        "#tp-calendar .session",
        """els => els.map(s => [s.closest('.day').dataset.date, s.dataset.sport || null,
            s.querySelector('.sport-tag')?.textContent ?? null,
            getComputedStyle(s).borderLeftColor])""",
    )
    return rows


def legend_colours(page: Page) -> dict[str, str]:
    found: list[list[str]] = page.eval_on_selector_all(
        "#tp-sport-legend li",
        "els => els.map(l => [l.textContent, getComputedStyle(l, '::before').backgroundColor])",
    )
    return dict((text, colour) for text, colour in found)


def test_an_olympic_plan_from_the_form_is_coloured_by_sport(
    page: Page, api: httpx.Client, stack: Stack, artifacts: Path
) -> None:
    load(page, stack.api_key)
    start, race = short_race(12)
    fill_form(page, race=race, distance="olympic", start=start, weekly_hours=10, time_limit=8)
    submit_and_wait(page)
    plan_id = page.get_attribute("#tp-result", "data-plan")
    plan = api.get(f"/training-plans/{plan_id}").json()
    assert plan["summary"]["race_date"] == race.isoformat()
    days = sorted(plan["days"], key=lambda d: (d["date"], d["slot"]))

    # Each session shown under its day's sport, in the sport's words.
    shown = shown_sessions(page)
    assert [[d["date"], sport(d), WORDS[s] if (s := sport(d)) else None] for d in days] == [
        row[:3] for row in shown
    ]
    sports = {row[1] for row in shown if row[1]}
    assert {"swim", "bike", "run", "brick"} <= sports
    # One colour per sport, the legend's; sports told apart (a brick is the bike's, then
    # the run's: its left edge is drawn as a gradient, the bike's colour underneath).
    colours: dict[str, set[str]] = defaultdict(set)
    for _, shown_sport, _, colour in shown:
        if shown_sport:
            colours[shown_sport].add(colour)
    assert all(len(c) == 1 for c in colours.values()), colours
    legend = legend_colours(page)
    assert page.is_visible("#tp-sport-legend") and not page.is_visible("#tp-intensity-legend")
    for name in ("swim", "bike", "run"):
        assert colours[name] == {legend[WORDS[name]]}, name
    assert len({legend[WORDS[s]] for s in ("swim", "bike", "run", "strength")}) == 4

    # The month view: one bar per session, in its sport's colour.
    bars = page.eval_on_selector_all(
        "#tp-month .mday .bar", "els => els.map(b => b.dataset.sport || null)"
    )
    assert bars == [sport(d) for d in days]

    # The chart: fitness per sport, drawn from the days, in words without abbreviations.
    svg = page.eval_on_selector("#tp-chart svg", "e => new XMLSerializer().serializeToString(e)")
    check_svg_chart(api_labels(svg).encode(), plan["days"], race)
    labels = page.eval_on_selector_all(
        "#tp-chart svg text", "els => els.map(t => t.firstChild ? t.firstChild.textContent : '')"
    )
    assert {"Swim fitness", "Bike fitness", "Run fitness"} <= set(labels)
    assert page.is_visible("#tp-chart-sports")

    page.locator("#tp-result").screenshot(path=str(artifacts / "web-tri-full.png"))
    # The chart, the legend and the first build weeks (bricks): docs/web-tri.png.
    # Page coordinates (a bounding box is the viewport's, which has scrolled).
    top, bottom = (
        page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + window.scrollY")
        for selector in ("#tp-chart", "section.week[data-week='6']")
    )
    clip = {"x": 0, "y": top - 70, "width": DESKTOP["width"], "height": bottom - top + 70}
    page.screenshot(path=str(artifacts / "web-tri.png"), full_page=True, clip=clip)


def test_a_swim_opens_to_its_paces_per_100_m(page: Page, api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api, weekly_hours=10, markers={"css_s_per_100m": 105})
    job = generate(api, runner_id, short_plan(12, schema_id="builtin-olympic", time_limit_s=8))
    done = events_until_terminal(api, job)[-1]
    assert done.event == "succeeded", done.data
    plan = api.get(f"/training-plans/{done.data['plan_id']}").json()
    start = plan["summary"]["start"]
    open_plan(page, stack, plan["plan_id"])
    swim = next(
        d for d in plan["days"] if d["sport"] == "swim" and d["steps"] and d["date"] >= start
    )
    target = next(s["target"] for s in swim["steps"] if s["type"] != "repeat")
    assert target["kind"] == "pace"
    session = page.locator(
        f"#tp-calendar .day[data-date='{swim['date']}'] .session[data-sport=swim]"
    )
    session.click()
    first = session.locator(".steps > li .target").first.text_content() or ""

    def per_100(s_per_km: float) -> str:
        whole = int(s_per_km / 10 + 0.5)
        return f"{whole // 60}:{whole % 60:02d}"

    want = f"{per_100(target['low_s_per_km'])}–{per_100(target['high_s_per_km'])}/100 m"
    assert first.strip() == want
