"""The plan model's objective: race-day performance, minus small preference penalties."""

from __future__ import annotations

from worker.engine.model.container import OBJECTIVE_SCALE, PlanModel, total, weighted


def race_performance_objective(pm: PlanModel) -> None:
    """Maximise CTL - w·ATL on the race morning, minus small preference penalties."""
    rules, resp = pm.request.rules, pm.response
    race = pm.calendar.race_index
    w = rules.fatigue_weight
    c_const, c_coef = resp.ctl_at_end(race - 1)
    a_const, a_coef = resp.atl_at_end(race - 1)
    s = OBJECTIVE_SCALE
    expr = weighted(
        (round((c - w * a) * s), pm.load[t])
        for t, (c, a) in enumerate(zip(c_coef, a_coef, strict=True))
    )
    pm.objective_offset = c_const - w * a_const
    penalty = round(rules.long_run_day_penalty * s)
    moved = [
        pm.long_expr(day.index)
        for day in pm.days
        if day.day_of_week != pm.request.athlete.long_run_day and day.race is None
    ]
    pm.model.maximize(
        expr - penalty * total(moved) - weighted(pm.penalties) + round(pm.objective_offset * s)
    )
