"""Structural families: what a day is, always hard (never guarded, never explained)."""

from __future__ import annotations

from worker.engine.model.container import PlanModel, Rows, strength_may_join, total, weighted


def one_primary_session_per_day(pm: PlanModel, rows: Rows) -> None:
    for d in range(len(pm.days)):
        pm.model.add_exactly_one(pm.primary[d].values())


def second_session_only_alongside_easy_running(pm: PlanModel, rows: Rows) -> None:
    """A double is a second easy run on a running day; strength joins rest or easy days."""
    rest = pm.catalogue.rest.code
    for d in range(len(pm.days)):
        dbl = list(pm.doubles[d].values())
        if dbl:
            running = total(lit for c, lit in pm.primary[d].items() if c != rest)
            rows.add(total(dbl) <= running)
        s = pm.strength[d]
        if s is not None:
            partners = [
                lit for c, lit in pm.primary[d].items() if strength_may_join(pm.sessions[c])
            ]
            rows.add(s <= total(partners))
            if dbl:
                rows.add(total([s, *dbl]) <= 1)


def daily_load_definition(pm: PlanModel, rows: Rows) -> None:
    for d in range(len(pm.days)):
        rows.add(pm.load[d] == weighted((s.load, lit) for s, lit in pm.session_lits(d)))
    for week in pm.calendar.weeks:
        rows.add(pm.week_load[week.number] == total(pm.load[d] for d in week.days))
