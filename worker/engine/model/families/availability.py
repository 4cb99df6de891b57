"""Availability: what each day leaves room for (blocked weekdays, daily limits, dates off)."""

from __future__ import annotations

from worker.engine.model.container import PlanModel, Rows
from worker.engine.model.family import Limits

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def daily_minutes_within_availability(pm: PlanModel, rows: Rows) -> None:
    """No session longer than the day allows (such options exist only when diagnosing), a
    blocked day is a rest day, and a day's sessions together fit its minutes."""
    for day in pm.days:
        if day.race is not None:
            continue
        d = day.index
        if not pm.past(d):  # a lived day's options are facts already
            for s in pm.catalogue.runs:
                lit = pm.primary[d].get(s.code)
                if lit is not None and not day.fits(s.duration_min):
                    rows.add(lit == 0)
        if day.available_min == 0:
            rest = pm.rest_lit(d)
            assert rest is not None
            rows.add(rest == 1)
            if pm.strength[d] is not None:
                rows.add(pm.strength[d] == 0)
        elif day.available_min is not None and (pm.doubles[d] or pm.strength[d] is not None):
            rows.add(pm.training_minutes(d) <= day.available_min)


def availability_text(limits: Limits) -> str:
    a = limits.athlete
    blocked = [WEEKDAYS[i] for i, m in enumerate(a.availability_min) if m == 0]
    limited = [f"{m} min" for m in a.availability_min if m]
    parts = []
    if blocked:
        parts.append(f"no training on {', '.join(blocked)}")
    if limited:
        parts.append(f"daily limits of {', '.join(sorted(set(limited)))}")
    if a.unavailable_dates:
        parts.append(f"{len(a.unavailable_dates)} unavailable date(s)")
    return "your availability (" + ("; ".join(parts) or "as given") + ")"
