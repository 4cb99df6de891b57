"""Race-day families: the goal race's form window, fitness floors, a B race's mini-taper."""

from __future__ import annotations

from collections.abc import Iterator

from shared.planning import Race
from worker.engine.model.container import PlanModel, Rows


def _races(pm: PlanModel) -> Iterator[tuple[int, Race]]:
    for day in pm.days:
        if day.race is not None:
            yield day.index, day.race


def a_race_form_window(pm: PlanModel, rows: Rows) -> None:
    """An A race's morning form (TSB) within [race_tsb_min, race_tsb_max]."""
    rules, resp = pm.request.rules, pm.response
    for d, race in _races(pm):
        if race.priority == "A":
            const, coeffs = resp.tsb_morning(d)
            rows.affine_ge(const, coeffs, rules.race_tsb_min)
            rows.affine_le(const, coeffs, rules.race_tsb_max)


def race_fitness_floor(pm: PlanModel, rows: Rows) -> None:
    """Fitness (CTL) the evening before a race at least the race's `fitness_floor`."""
    resp = pm.response
    for d, race in _races(pm):
        if race.fitness_floor is not None and d > 0:
            const, coeffs = resp.ctl_at_end(d - 1)
            rows.affine_ge(const, coeffs, race.fitness_floor)


def b_race_easy_days(pm: PlanModel, rows: Rows) -> None:
    """No hard day in the two days before a B race, no long run in the three before nor
    earlier in its week, and two easy days after it (no hard session, no long run)."""
    n = len(pm.days)
    for d, race in _races(pm):
        if race.priority == "B":
            for t in range(max(0, d - 2), d):
                rows.add(pm.hard_expr(t) == 0)
            # The race is its week's long effort: no long run in that week before it.
            monday = d - pm.days[d].day_of_week
            for t in range(max(0, min(monday, d - 3)), d):
                rows.add(pm.long_expr(t) == 0)
            for t in range(d + 1, min(n - 1, d + 3)):
                rows.add(pm.hard_expr(t) + pm.long_expr(t) == 0)
