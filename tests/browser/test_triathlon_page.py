"""A triathlete's plan on the web page: an olympic plan asked for through the form, its
sessions coloured and named by sport (the colour legend's), the chart's fitness per sport;
a swim's paces per 100 m and a ride's watts from the numbers given in the form. Every check against the plan's days as the API gives them."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import DESKTOP
from tests.browser.test_page import (
    api_labels,
    fill_form,
    load,
    no_horizontal_overflow,
    short_race,
    submit_and_wait,
)
from tests.service.stack import Stack
from tests.shared.exports.chart_checks import check_svg_chart

WORDS = {"swim": "Swim", "bike": "Bike", "run": "Run", "brick": "Brick: bike then run"}
WORDS["strength"] = "Strength"


def sport(day: dict[str, Any]) -> str | None:
    """The sport a session is shown under; None for rest and race days (coloured as ever)."""
    if day["intensity"] in ("rest", "race"):
        return None
    return "strength" if day["intensity"] == "strength" else str(day["sport"])


def named(day: dict[str, Any]) -> str:
    """The session's name led by its sport's word unless it starts with it."""
    name = sport(day)
    word = WORDS[name].split(":")[0] if name else ""
    kind = str(day["session_type"])
    return kind if not word or kind.lower().startswith(word.lower()) else f"{word}: {kind}"


def pace(seconds: float) -> str:
    whole = int(seconds + 0.5)  # halves up, as the page rounds
    return f"{whole // 60}:{whole % 60:02d}"


def target(step: dict[str, Any], name: str) -> str:
    """A step's target as the page writes it: a swim's pace per 100 m, a ride's watts."""
    t = step["target"]
    if t["kind"] == "power":
        return f"{t['low_w']}–{t['high_w']} W"
    assert t["kind"] == "pace" and name == "swim", t
    return f"{pace(t['low_s_per_km'] / 10)}–{pace(t['high_s_per_km'] / 10)}/100 m"


def flat(day: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps as the page lists them: a repeat's steps once, inside it."""
    out: list[dict[str, Any]] = []
    for step in day["steps"]:
        out += step["steps"] if step["type"] == "repeat" else [step]
    return out


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
    page: Page, phone: Page, api: httpx.Client, stack: Stack, artifacts: Path
) -> None:
    load(page, stack.api_key)
    start, race = short_race(12)
    fill_form(page, race=race, distance="olympic", start=start, weekly_hours=10, time_limit=8)
    page.fill("#tp-ftp", "250")
    page.fill("#tp-css", "1:45")
    # The pool opens Tuesday, Thursday and Saturday; Saturday has time for the long ride.
    for weekday in (0, 2, 4, 6):
        page.uncheck(f"#tp-swim-{weekday}")
    page.select_option("#tp-long-ride-day", "5")
    with page.expect_request(
        lambda r: r.method in ("POST", "PATCH") and "/runners" in r.url and "training" not in r.url
    ) as request:
        submit_and_wait(page)
    sent = json.loads(request.value.post_data or "{}")
    markers = sent["markers"]
    assert (markers["ftp_w"], markers["css_s_per_100m"]) == (250, 105)
    assert (sent["swim_days"], sent["long_ride_day"]) == ([1, 3, 5], 5)
    plan_id = page.get_attribute("#tp-result", "data-plan")
    plan = api.get(f"/training-plans/{plan_id}").json()
    assert plan["summary"]["race_date"] == race.isoformat()
    days = sorted(plan["days"], key=lambda d: (d["date"], d["slot"]))
    # Swims on pool days only; the long ride on Saturday, unless that week's Saturday is a
    # taper day (the taper is not held to it).
    weekday = {d["date"]: date.fromisoformat(d["date"]).weekday() for d in days}
    phase = {d["date"]: d["phase"] for d in days}
    assert {weekday[d["date"]] for d in days if d["sport"] == "swim"} <= {1, 3, 5}
    long_rides = [
        d for d in days if d["sport"] == "bike" and d["session_code"].startswith("LONGRIDE")
    ]

    def saturday_of(day: str) -> str:
        return (date.fromisoformat(day) + timedelta(days=5 - weekday[day])).isoformat()

    off_day = [
        d["date"]
        for d in long_rides
        if weekday[d["date"]] != 5 and phase.get(saturday_of(d["date"])) != "taper"
    ]
    assert long_rides and off_day == []

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
    # Each month cell names its sessions led by their sport, as the calendar file does.
    labels_by_date = dict(
        page.eval_on_selector_all(
            "#tp-month .mday[data-date]", "els => els.map(e => [e.dataset.date, e.title])"
        )
    )
    for d in days:
        if d["intensity"] != "rest":
            assert f"{named(d)}, {d['duration_min']} min" in labels_by_date[d["date"]], d

    # The chart: fitness per sport, drawn from the days, in words without abbreviations.
    svg = page.eval_on_selector("#tp-chart svg", "e => new XMLSerializer().serializeToString(e)")
    check_svg_chart(api_labels(svg).encode(), plan["days"], race)
    labels = page.eval_on_selector_all(
        "#tp-chart svg text", "els => els.map(t => t.firstChild ? t.firstChild.textContent : '')"
    )
    assert {"Swim fitness", "Bike fitness", "Run fitness"} <= set(labels)
    assert page.is_visible("#tp-chart-sports")

    # A swim opens to its paces per 100 m, a ride to the athlete's watts.
    for name, unit in (("swim", "/100 m"), ("bike", " W")):
        day = next(d for d in days if sport(d) == name and d["steps"])
        session = page.locator(
            f"#tp-calendar .day[data-date='{day['date']}'] .session[data-sport={name}]"
        )
        session.click()
        shown_targets = session.locator(".steps .target").all_text_contents()
        assert [t.strip() for t in shown_targets] == [target(s, name) for s in flat(day)]
        assert all(t.endswith(unit) for t in shown_targets)
    page.locator("#tp-result").screenshot(path=str(artifacts / "web-tri-full.png"))
    # The chart, the legend and the first build weeks (bricks): docs/web-tri.png.
    # Page coordinates (a bounding box is the viewport's, which has scrolled).
    top, bottom = (
        page.eval_on_selector(selector, "e => e.getBoundingClientRect().top + window.scrollY")
        for selector in ("#tp-chart", "section.week[data-week='6']")
    )
    clip = {"x": 0, "y": top - 70, "width": DESKTOP["width"], "height": bottom - top + 70}
    page.screenshot(path=str(artifacts / "web-tri.png"), full_page=True, clip=clip)

    # The plan is listed as a triathlon; a reload brings the triathlon and its numbers back.
    page.wait_for_selector("#tp-plan-list li.current")
    listed = page.text_content("#tp-plan-list li.current a") or ""
    assert listed.startswith("Olympic triathlon on ")
    page.reload()
    page.wait_for_selector("#tp-chart svg")
    assert page.input_value("#tp-distance") == "olympic"
    assert (page.input_value("#tp-ftp"), page.input_value("#tp-css")) == ("250", "1:45")
    ticked = [page.is_checked(f"#tp-swim-{i}") for i in range(7)]
    assert ticked == [i in (1, 3, 5) for i in range(7)]
    assert page.input_value("#tp-long-ride-day") == "5"

    # On a phone: the sport words fit, nothing wider than the screen.
    phone.goto(f"/#key={stack.api_key}&plan={plan_id}")
    phone.wait_for_selector("#tp-chart svg")
    assert phone.locator("#tp-calendar .sport-tag").count() == sum(1 for d in days if sport(d))
    assert no_horizontal_overflow(phone)
    phone.locator("section.week[data-week='5']").screenshot(
        path=str(artifacts / "web-tri-phone.png")
    )
