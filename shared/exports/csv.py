"""A plan as CSV: a header, then one row per date and slot, the JSON day's fields as columns."""

from __future__ import annotations

import csv
import io
from datetime import date

from shared.exports.json import DAY_FIELDS
from shared.planning import PlanResult


def _csv_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    return value


def render_csv(result: PlanResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(DAY_FIELDS)
    for day in result.days:
        writer.writerow([_csv_value(getattr(day, f)) for f in DAY_FIELDS])
    return buf.getvalue()
