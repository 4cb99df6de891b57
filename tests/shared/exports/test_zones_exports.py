"""The athlete's zones in the JSON object and the table (hand-built plan, no solver)."""

from __future__ import annotations

import json

from shared.exports.json import render_json, to_json_dict
from shared.exports.registry import render
from shared.exports.table import render_table
from shared.planning import PlanResult
from shared.zones import Zones, derive_zones

HINT = "Add a race result to see your paces."


def test_json_zones_only_when_known(handmade_plan: PlanResult) -> None:
    zones = derive_zones(race_distance_m=10000, race_time_s=2700, ftp_w=250)
    doc = json.loads(render_json(handmade_plan, zones))
    assert doc["zones"] == json.loads(zones.model_dump_json())
    assert doc["zones"]["vdot"] == 45.3 and doc["zones"]["hr"] is None
    assert doc["zones"]["paces"]["threshold"] == zones.paces["threshold"]  # type: ignore[index]
    assert doc["zones"]["power"]["z4"] == [226, 262]
    # No markers, or none given: no `zones` key, and the registry's JSON is unchanged.
    assert "zones" not in to_json_dict(handmade_plan, Zones())
    assert "zones" not in to_json_dict(handmade_plan)
    assert render(handmade_plan, "json") == render_json(handmade_plan)


def test_table_zones_before_the_summary(handmade_plan: PlanResult) -> None:
    zones = derive_zones(threshold_pace_s_per_km=270, max_hr_bpm=190, css_s_per_100m=100)
    lines = render_table(handmade_plan, zones, hint=HINT).splitlines()
    head = lines.index("Zones (VDOT 46.6)")
    assert lines[head + 1].startswith("  Pace per km:") and "threshold 4:28-4:32" in lines[head + 1]
    assert "Z1 95-113" in lines[head + 2] and "(max HR)" in lines[head + 2]
    assert "Z4 1:39-1:42" in lines[head + 3]  # CSS 1:40 within its threshold band
    assert HINT not in lines
    assert lines[-1].startswith("OPTIMAL")  # the summary stays last


def test_table_hint_when_no_paces(handmade_plan: PlanResult) -> None:
    assert render_table(handmade_plan, Zones(), hint=HINT).splitlines().count(HINT) == 1
    # HR known but no paces: the zones, and still how to get paces.
    text = render_table(handmade_plan, derive_zones(lthr_bpm=170), hint=HINT)
    assert "Zones\n" in text and "Z5a 170-175" in text and HINT in text
    # The API's table (no hint given) says nothing of flags.
    assert "Add " not in render_table(handmade_plan)
