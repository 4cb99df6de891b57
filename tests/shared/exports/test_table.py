"""The table renderer on a hand-built plan: one block per week."""

from __future__ import annotations

from shared.exports.table import render_table
from shared.planning import PlanResult


def test_table_groups_by_week(handmade_plan: PlanResult) -> None:
    text = render_table(handmade_plan)
    headers = [line for line in text.splitlines() if line.startswith("Week ")]
    assert len(headers) == 2
    assert "RECOVERY" in headers[1] and "RECOVERY" not in headers[0]
    assert "base" in headers[0] and "taper" in headers[1]
    week1_minutes = sum(d.duration_min for d in handmade_plan.days if d.week_number == 1)
    assert f"{week1_minutes / 60:.1f} h" in headers[0]
    # One line per date (a double adds a continuation line without the date).
    for day in handmade_plan.days:
        if day.slot == 0:
            assert f"{day.date:%Y-%m-%d}" in text
    day_lines = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(day_lines) == len(handmade_plan.days)
    assert text.rstrip().splitlines()[-1].startswith("OPTIMAL")
    assert "gap 0.24%" in text
