"""Weekly families: hours, rest days, the number of runs, the long run."""

from __future__ import annotations

from worker.engine.model.container import PlanModel, Rows, total

# Two long runs never fall within this many consecutive days (Sunday, then Thursday at the earliest).
LONG_RUN_SPACING = 4


def weekly_hours_cap(pm: PlanModel, rows: Rows) -> None:
    cap = round(pm.request.athlete.weekly_hours * 60)
    for week in pm.calendar.weeks:
        rows.add(total(pm.training_minutes(d) for d in week.days) <= cap)


def rest_days_per_week(pm: PlanModel, rows: Rows) -> None:
    """At least `rest_days` days without any session per calendar week (pro rata if partial)."""
    need_full = pm.request.athlete.rest_days
    m = pm.model
    for week in pm.calendar.weeks:
        need = need_full if week.full else (need_full * len(week.days)) // 7
        if need == 0:
            continue
        rests = []
        for d in week.days:
            rest = pm.rest_lit(d)
            if rest is None:
                continue
            s = pm.strength[d]
            if s is None:
                rests.append(rest)
            else:
                r = pm.true_rest.setdefault(d, m.new_bool_var(f"true_rest_{d}"))
                m.add_implication(r, rest)
                m.add_implication(r, ~s)
                rests.append(r)
        rows.add(total(rests) >= need)


def minimum_runs_per_week(pm: PlanModel, rows: Rows) -> None:
    need_full = pm.request.rules.min_runs_per_week
    for week in pm.calendar.weeks:
        need = need_full if week.full else (need_full * len(week.days)) // 7
        if need == 0:
            continue
        rests = [r for r in (pm.rest_lit(d) for d in week.days) if r is not None]
        rows.add(len(week.days) - total(rests) >= need)


def long_run_each_training_week(pm: PlanModel, rows: Rows) -> None:
    """Exactly one long run per full non-taper week (a B race's week may drop it: the race
    is its long effort), at most one in any other week, and long runs at least
    `LONG_RUN_SPACING` days apart across week boundaries."""
    rules = pm.request.rules
    for week in pm.calendar.weeks:
        longs = total(pm.long_expr(d) for d in week.days)
        b_race = any((r := pm.days[d].race) is not None and r.priority == "B" for d in week.days)
        if rules.long_run_every_week and week.full and not week.has_taper and not b_race:
            rows.add(longs == 1)
        else:
            pm.model.add(longs <= 1)  # hard: never a conflict to name
    n = len(pm.days)
    for d in range(n - LONG_RUN_SPACING + 1):
        rows.add(total(pm.long_expr(t) for t in range(d, d + LONG_RUN_SPACING)) <= 1)
