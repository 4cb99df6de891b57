"""Rows that tighten the LP relaxation and change no plan.

A cap written `cap = max(pct * x, floor)` (a recovery week after its training week, a taper
after the peak week) is exact for CP-SAT's propagation, but its LP relaxation keeps only
`cap >= pct * x` and `cap >= floor`: the LP raises the cap to its domain's top and the rule
vanishes from the bound. On the 20-week marathon that left the root bound at 41.2 against
plans of 38-39 (the LP filled every recovery week like a training week). The concave
envelope of the max over `x in [0, upper]` is the chord from `(0, floor)` to
`(upper, pct * upper)`; the cap lies under it for every `x` in that range, so the row holds
in every plan and the LP sees most of the rule.

The uppers come from the weekly hours cap (minutes times the catalogue's highest load per
minute, races added), which holds for every fresh plan. Re-plans (lived days are whatever
was done) and diagnosis (a family's rows may be switched off to name a conflict) get no
cuts: they are never needed for a correct plan, only for a faster proof.
"""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from worker.engine.calendar import Week
from worker.engine.model.container import PlanModel, Rows


def tightening(pm: PlanModel) -> bool:
    """Whether implied rows may be added: a fresh plan, not a diagnosis."""
    return pm.lp_cuts and pm.fixed is None and not pm.diagnose


def weekly_minutes_cap(pm: PlanModel) -> int:
    """The weekly hours cap in minutes (the weekly-hours family's right-hand side)."""
    return round(pm.request.athlete.weekly_hours * 60)


def week_load_upper(pm: PlanModel, week: Week) -> int:
    """An upper bound on a week's load: its training minutes (at most the weekly cap and the
    days' availability) at the catalogue's highest load per minute, plus its races' loads."""
    sessions = list(pm.catalogue.runs)
    if pm.catalogue.strength is not None:
        sessions.append(pm.catalogue.strength)
    rate = max((s.load / s.duration_min for s in sessions if s.duration_min > 0), default=0.0)
    minutes = weekly_minutes_cap(pm)
    open_minutes = [pm.days[d].available_min for d in week.days]
    if all(m is not None for m in open_minutes):
        minutes = min(minutes, sum(m for m in open_minutes if m is not None))
    return math.floor(minutes * rate) + pm.race_load(week.days)


def cap_under_chord(
    rows: Rows, cap: cp_model.IntVar, pct: int, x: cp_model.LinearExprT, upper: int, floor: int
) -> None:
    """For `cap = max(pct * x, floor)` with `0 <= x <= upper`: `cap` under the chord from
    `(0, floor)` to `(upper, pct * upper)`, i.e. `upper * cap <= floor * upper + (pct *
    upper - floor) * x`; when `pct * upper <= floor` the cap is the floor."""
    if upper <= 0:
        return
    top = pct * upper
    if top <= floor:
        rows.add(cap <= floor)
        return
    rows.add(upper * cap <= floor * upper + (top - floor) * x)
