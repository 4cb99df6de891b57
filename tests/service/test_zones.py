"""A runner's performance markers over HTTP: validated on the way in (422 with a reason),
their zones at `GET /runners/{id}/zones` (recomputed here from Daniels' equations), the
zones on the plan, and the markers rating activities."""

from __future__ import annotations

import itertools
import json
import math
from datetime import date
from typing import Any

import httpx
import pytest

from shared import names
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack

MARKERS = {
    "race_result": {"distance_m": 10000, "time_s": 45 * 60},
    "lthr_bpm": 170,
    "max_hr_bpm": 190,
    "ftp_w": 250,
    "css_s_per_100m": 105,
}


def vdot(distance_m: float, time_s: float) -> float:
    t = time_s / 60
    v = distance_m / t
    cost = -4.6 + 0.182258 * v + 0.000104 * v * v
    return cost / (0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t))


def pace_for(vo2: float) -> float:
    """s/km whose oxygen cost is `vo2` (bisection on the velocity in m/min)."""
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if -4.6 + 0.182258 * mid + 0.000104 * mid * mid < vo2 else (lo, mid)
    return 60_000 / lo


def test_zones_of_a_runners_markers(api: httpx.Client) -> None:
    runner_id = create_runner(api, markers=MARKERS)
    assert api.get(f"/runners/{runner_id}").json()["markers"]["lthr_bpm"] == 170
    response = api.get(f"/runners/{runner_id}/zones")
    assert response.status_code == 200, response.text
    zones = response.json()
    expected = vdot(10000, 2700)
    assert zones["runner_id"] == runner_id and zones["hint"] is None
    assert zones["vdot"] == pytest.approx(expected, abs=0.05)
    paces = zones["paces"]
    assert paces["threshold"] == pytest.approx(
        [pace_for(0.89 * expected), pace_for(0.87 * expected)], abs=0.1
    )
    assert paces["easy"] == pytest.approx(
        [pace_for(0.70 * expected), pace_for(0.62 * expected)], abs=0.1
    )
    ordered = [paces[k] for k in ("easy", "marathon", "threshold", "interval", "repetition")]
    assert all(a[0] > b[1] for a, b in itertools.pairwise(ordered))
    assert zones["hr_basis"] == "lthr"
    assert zones["hr"]["z1"] == [None, 144] and zones["hr"]["z5a"] == [170, 175]
    assert zones["hr"]["z5c"] == [182, 190]  # up to the max HR
    assert zones["power"]["z1"] == [0, 137] and zones["power"]["z7"] == [376, None]
    assert zones["swim"]["z4"] == [104, 107]


def test_no_markers_null_zones_and_a_hint(api: httpx.Client) -> None:
    runner_id = create_runner(api)
    zones = api.get(f"/runners/{runner_id}/zones").json()
    assert {k: zones[k] for k in ("vdot", "paces", "hr", "power", "swim")} == dict.fromkeys(
        ("vdot", "paces", "hr", "power", "swim")
    )
    assert "markers.race_result" in zones["hint"]
    assert "markers.threshold_pace_s_per_km" in zones["hint"]
    max_hr_only = create_runner(api, markers={"max_hr_bpm": 200})
    zones = api.get(f"/runners/{max_hr_only}/zones").json()
    assert zones["hint"] is None and zones["paces"] is None
    assert zones["hr_basis"] == "max_hr" and zones["hr"]["z5"] == [180, 200]


def test_unknown_or_other_tenants_runner_is_404(api: httpx.Client, stack: Stack) -> None:
    missing = api.get("/runners/nobody/zones")
    assert missing.status_code == 404 and "runner" in missing.json()["detail"]
    runner_id = create_runner(api, markers=MARKERS)
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.new_api_key("zones-x")}
    ) as stranger:
        response = stranger.get(f"/runners/{runner_id}/zones")
    assert response.status_code == 404 and "runner" in response.json()["detail"]


@pytest.mark.parametrize(
    ("markers", "words"),
    [
        ({"race_result": {"distance_m": 42195, "time_s": 5400}}, "VDOT 120.6"),
        ({"race_result": {"distance_m": 42195}}, "markers.race_result.time_s"),
        ({"race_result": {"distance_m": 100, "time_s": 12}}, "markers.race_result.distance_m"),
        ({"threshold_pace_s_per_km": 100}, "markers.threshold_pace_s_per_km"),
        ({"threshold_pace_s_per_km": 5e-324}, "markers.threshold_pace_s_per_km"),
        ({"race_result": {"distance_m": 42194, "time_s": 5e-324}}, "race_result.time_s"),
        ({"lthr_bpm": 190, "max_hr_bpm": 180}, "must be below max_hr_bpm"),
        ({"lthr_bpm": "170"}, "markers.lthr_bpm"),
        ({"ftp_w": -5}, "markers.ftp_w"),
        ({"css_s_per_100m": 3000}, "markers.css_s_per_100m"),
        ({"vo2max": 55}, "markers.vo2max"),
    ],
)
def test_impossible_markers_are_422_and_nothing_is_stored(
    api: httpx.Client, stack: Stack, markers: dict[str, Any], words: str
) -> None:
    name = f"bad markers {words}"
    response = api.post("/runners", json={"name": name, "markers": markers})
    assert response.status_code == 422, response.text
    assert words in response.json()["detail"]
    assert stack.db[names.RUNNERS].count_documents({"name": name}) == 0


def test_old_profiles_and_thresholds_still_work(api: httpx.Client) -> None:
    """A profile without markers, with the `thresholds` dict, rates activities as before."""
    runner_id = create_runner(api, thresholds={"threshold_pace_s_per_km": 270})
    assert api.get(f"/runners/{runner_id}").json()["markers"]["race_result"] is None
    load = activity_load(api, runner_id, avg_pace_s_per_km=300)
    assert load == pytest.approx(50 / 60 * (270 / 300) ** 2 * 100, abs=0.05)


def activity_load(api: httpx.Client, runner_id: str, **body: Any) -> float:
    response = api.post(
        f"/runners/{runner_id}/activities",
        json={"activity_id": "a1", "date": str(date(2026, 9, 7)), "duration_min": 50, **body},
    )
    assert response.status_code == 201, response.text
    load: float = response.json()["load"]
    return load


def test_markers_rate_activities(api: httpx.Client) -> None:
    given = create_runner(api, markers={"threshold_pace_s_per_km": 260, "lthr_bpm": 165})
    assert activity_load(api, given, avg_pace_s_per_km=300) == pytest.approx(
        50 / 60 * (260 / 300) ** 2 * 100, abs=0.05
    )
    by_hr = create_runner(api, markers={"lthr_bpm": 165})
    assert activity_load(api, by_hr, avg_hr=150) == pytest.approx(
        50 / 60 * (150 / 165) ** 2 * 100, abs=0.05
    )
    # A race result alone stands in with its Daniels threshold pace (88% of VDOT).
    raced = create_runner(api, markers={"race_result": {"distance_m": 10000, "time_s": 2700}})
    t_pace = pace_for(0.88 * vdot(10000, 2700))
    assert activity_load(api, raced, avg_pace_s_per_km=300) == pytest.approx(
        50 / 60 * (t_pace / 300) ** 2 * 100, abs=0.1
    )


def test_the_plan_shows_the_runners_zones(api: httpx.Client) -> None:
    runner_id = create_runner(api, markers={"threshold_pace_s_per_km": 270})
    events = events_until_terminal(api, generate(api, runner_id, short_plan()))
    assert events[-1].event == "succeeded", json.dumps(events[-1].data, default=str)
    plan = api.get(f"/training-plans/{events[-1].data['plan_id']}").json()
    assert plan["zones"] == {
        k: v for k, v in api.get(f"/runners/{runner_id}/zones").json().items()
        if k not in ("runner_id", "hint")
    }  # fmt: skip
    assert plan["zones"]["paces"]["threshold"][0] < 270 < plan["zones"]["paces"]["threshold"][1]
    bare = create_runner(api)
    events = events_until_terminal(api, generate(api, bare, short_plan()))
    assert api.get(f"/training-plans/{events[-1].data['plan_id']}").json()["zones"] is None
