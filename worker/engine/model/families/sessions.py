"""Families over the sequence of sessions: the intensity mix, spacing, variety."""

from __future__ import annotations

from worker.engine.model.container import PlanModel, Rows, total, weighted


def intensity_mix(pm: PlanModel, rows: Rows) -> None:
    """At least `min_easy_share` of running time (races excluded) is easy."""
    p = round(pm.request.rules.min_easy_share * 100)
    terms = []
    for d in range(len(pm.days)):
        for s, lit in pm.session_lits(d):
            if s.kind in ("run", "long"):
                k = s.duration_min * (100 - p) if s.intensity == "easy" else -s.duration_min * p
                terms.append((k, lit))
    if terms:
        rows.add(weighted(terms) >= 0)


def no_hard_days_back_to_back(pm: PlanModel, rows: Rows) -> None:
    for d in range(len(pm.days) - 1):
        rows.add(pm.hard_expr(d) + pm.hard_expr(d + 1) <= 1)


def strength_spacing(pm: PlanModel, rows: Rows) -> None:
    window = pm.request.rules.strength_window_days
    n = len(pm.days)
    for d in range(n - window + 1):
        lits = [s for s in pm.strength[d : d + window] if s is not None]
        if len(lits) > 1:
            rows.add(total(lits) <= 1)


def variety(pm: PlanModel, rows: Rows) -> None:
    """The same moderate/hard session code never twice within `variety_window_days` days."""
    gap = pm.request.rules.variety_window_days
    if gap == 0:
        return
    n = len(pm.days)
    codes = [s.code for s in pm.catalogue.runs if s.intensity in ("moderate", "hard")]
    for code in codes:
        for d in range(n - gap):
            lits = [pm.primary[t][code] for t in range(d, d + gap + 1) if code in pm.primary[t]]
            if len(lits) > 1:
                rows.add(total(lits) <= 1)
