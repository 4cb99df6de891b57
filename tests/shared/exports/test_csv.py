"""The CSV renderer on a hand-built plan: a header, one row per date and slot."""

from __future__ import annotations

import csv
import io

from shared.exports.csv import render_csv
from shared.exports.json import DAY_FIELDS
from shared.planning import PlanResult


def test_csv_has_header_and_one_row_per_day_and_slot(handmade_plan: PlanResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(handmade_plan))))
    assert len(rows) == len(handmade_plan.days)
    assert list(rows[0].keys()) == list(DAY_FIELDS)
    for row, src in zip(rows, handmade_plan.days, strict=True):
        assert row["date"] == src.date.isoformat()
        assert int(row["slot"]) == src.slot
        assert int(row["duration_min"]) == src.duration_min
        assert row["is_recovery_week"] in ("true", "false")
        assert abs(float(row["ctl"]) - src.ctl) < 1e-3
        assert row["session_definition"] == src.session_definition  # commas survive quoting
