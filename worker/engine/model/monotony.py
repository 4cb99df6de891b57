"""Foster's monotony (a week's mean daily load over its standard deviation) as a small
penalty of the objective: weeks of the same load every day are what coaches avoid.

Mean over standard deviation is not linear. The mean absolute deviation (MAD) is at most
the standard deviation, so a week with mean/2 <= MAD has Foster monotony <= 2 (Foster's
line of concern). Each full training week pays for its shortfall max(0, mean/2 - MAD), in
daily load points, times `PlanRules.monotony_weight`. In integers (W the week's load,
L_d a day's): 98 x shortfall = max(0, 7W - 2 sum_d |7 L_d - W|).

The absolute values only reward spread, so the LP relaxation sets them to their upper
bounds: the penalty leaves the proven bound unchanged and costs only where a plan's week
really is monotonous. Race weeks are left out (a taper week is meant to be even and short),
and so are weeks already lived in a re-plan.
"""

from __future__ import annotations

from collections.abc import Mapping

from worker.engine.model.container import OBJECTIVE_SCALE, PlanModel, total

# 98 x (mean/2 - MAD) in the integers of the module docstring.
_SCALE = 98


def monotony_penalty(pm: PlanModel) -> None:
    weight = pm.request.rules.monotony_weight
    coefficient = round(weight * OBJECTIVE_SCALE / _SCALE)
    if coefficient <= 0:
        return
    m = pm.model
    top = 7 * pm.max_day_load * 7
    for week in pm.calendar.weeks:
        if not week.full or week.has_goal_race or all(pm.past(d) for d in week.days):
            continue
        w_load = pm.week_load[week.number]
        spreads = []
        for d in week.days:
            spread = m.new_int_var(0, top, f"spread_{d}")
            m.add_abs_equality(spread, 7 * pm.load[d] - w_load)
            spreads.append(spread)
        shortfall = m.new_int_var(0, 7 * top, f"monotony_{week.number}")
        # Exactly the shortfall (not only a bound on it): every solution's objective, not only
        # the optimum's, is the performance minus the penalty its days deserve.
        m.add_max_equality(shortfall, [0, 7 * w_load - 2 * total(spreads)])
        pm.penalties.append((coefficient, shortfall))
        pm.monotony_terms.append((week.days, spreads, shortfall))


def hint_monotony(pm: PlanModel, loads: Mapping[int, int]) -> None:
    """The penalty's variables from hinted daily loads (a hint CP-SAT need not repair)."""
    for days, spreads, shortfall in pm.monotony_terms:
        if not all(d in loads for d in days):
            continue
        week = sum(loads[d] for d in days)
        values = [abs(7 * loads[d] - week) for d in days]
        for var, value in zip(spreads, values, strict=True):
            pm.model.add_hint(var, value)
        pm.model.add_hint(shortfall, max(0, 7 * week - 2 * sum(values)))
