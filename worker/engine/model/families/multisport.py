"""Multi-sport families: a triathlete's day, week and bricks. Each one adds nothing to a
catalogue of one sport (a running plan is untouched).

Hard sessions of every sport already count together: `no_back_to_back` reads the day's
primary session whatever its sport, and a second session of the day is always easy.
"""

from __future__ import annotations

from collections.abc import Iterable

from ortools.sat.python import cp_model

from worker.engine.calendar import Week
from worker.engine.model.container import PlanModel, Rows, sports_of, total, weighted
from worker.engine.model.families.quality import week_phase
from worker.engine.model.families.taper import open_day

MAX_SESSIONS_PER_DAY = 2
TRAINING_PHASES = ("base", "build", "peak")


def sport_lits(pm: PlanModel, d: int, sport: str) -> list[cp_model.IntVar]:
    """The day's session literals that train `sport` (a brick trains bike and run; strength
    is no run, whatever its sport field says)."""
    return [
        lit
        for s, lit in pm.session_lits(d)
        if s.kind not in ("rest", "race", "strength") and sport in sports_of(s)
    ]


def plan_sports(pm: PlanModel) -> list[str]:
    """The training sports of the catalogue, in a stable order."""
    found = {sport for s in pm.catalogue.runs for sport in sports_of(s)}
    return sorted(found)


def _training_weeks(pm: PlanModel) -> Iterable[tuple[Week, str]]:
    for week in pm.calendar.weeks:
        phase = week_phase(pm, week)
        if week.full and not week.has_taper and not week.has_goal_race:
            yield week, phase


def two_sessions_a_day_one_per_sport(pm: PlanModel, rows: Rows) -> None:
    """At most 2 sessions a day (strength included) and at most one of each sport."""
    if not pm.multisport:
        return
    sports = plan_sports(pm)
    for d in range(len(pm.days)):
        if pm.past(d):
            continue
        sessions = [lit for s, lit in pm.session_lits(d) if s.kind != "rest"]
        if len(sessions) > MAX_SESSIONS_PER_DAY:
            rows.add(total(sessions) <= MAX_SESSIONS_PER_DAY)
        for sport in sports:
            lits = sport_lits(pm, d, sport)
            if len(lits) > 1:
                rows.add(total(lits) <= 1)


def weekly_sessions_per_sport(pm: PlanModel, rows: Rows) -> None:
    """In every full base, build and peak week, at least the minimum sessions of each sport."""
    if not pm.multisport:
        return
    minima = pm.request.rules.min_sessions_per_sport
    for week, phase in _training_weeks(pm):
        if phase not in TRAINING_PHASES:
            continue
        for sport, need in minima.items():
            lits = [lit for d in week.days for lit in sport_lits(pm, d, sport)]
            if need > 0 and lits:
                rows.add(total(lits) >= need)


def long_ride_expr(pm: PlanModel, d: int) -> cp_model.LinearExpr:
    return total(
        lit
        for code, lit in pm.primary[d].items()
        if pm.sessions[code].kind == "long" and pm.sessions[code].sport == "bike"
    )


def long_ride_each_training_week(pm: PlanModel, rows: Rows) -> None:
    """A long ride in every full training week before the taper (at most one a week), never
    the day before or after the long run."""
    if not pm.multisport:
        return
    if not any(s.kind == "long" and s.sport == "bike" for s in pm.catalogue.runs):
        return
    for week in pm.calendar.weeks:
        rides = total(long_ride_expr(pm, d) for d in week.days)
        b_race = any((r := pm.days[d].race) is not None and r.priority == "B" for d in week.days)
        if pm.request.rules.long_run_every_week and week.full and not week.has_taper and not b_race:
            rows.add(rides == 1)
        else:
            pm.model.add(rides <= 1)
    for d in range(len(pm.days) - 1):
        rows.add(long_ride_expr(pm, d) + pm.long_expr(d + 1) <= 1)
        rows.add(pm.long_expr(d) + long_ride_expr(pm, d + 1) <= 1)
        rows.add(long_ride_expr(pm, d) + pm.long_expr(d) <= 1)


def bricks_in_build_and_peak(pm: PlanModel, rows: Rows) -> None:
    """A brick in any `brick_every_weeks` consecutive full build/peak weeks."""
    every = pm.request.rules.brick_every_weeks
    if not pm.multisport or every == 0:
        return
    weeks = [w for w, phase in _training_weeks(pm) if phase in ("build", "peak")]
    for i in range(len(weeks) - every + 1):
        span = weeks[i : i + every]
        if span[-1].number - span[0].number != every - 1:
            continue  # not consecutive (a race or a taper week between)
        lits = [
            lit
            for w in span
            for d in w.days
            for code, lit in pm.primary[d].items()
            if pm.sessions[code].sport == "brick"
        ]
        if lits:
            rows.add(total(lits) >= 1)


def every_sport_kept_in_taper(pm: PlanModel, rows: Rows) -> None:
    """Each sport at least once in every taper week before the race (frequency kept in
    every sport: the taper cuts volume, not the sports), where the week has open days."""
    if not pm.multisport:
        return
    race = pm.calendar.race_index
    for week in pm.calendar.weeks:
        if not week.has_taper:
            continue
        days = [d for d in week.days if d < race and pm.days[d].race is None]
        if sum(1 for d in days if open_day(pm, pm.days[d])) < 4:
            continue
        for sport in plan_sports(pm):
            lits = [lit for d in days for lit in sport_lits(pm, d, sport)]
            if lits:
                rows.add(total(lits) >= 1)


def weekly_time_share_per_sport(pm: PlanModel, rows: Rows) -> None:
    """Each sport's minutes within its [min, max] percent of a full base/build/peak week's
    single-sport training minutes (a brick, whose minutes are not split, and strength left
    out of both sides)."""
    if not pm.multisport:
        return
    shares = pm.request.rules.sport_time_share
    for week, phase in _training_weeks(pm):
        if phase not in TRAINING_PHASES:
            continue
        by_sport: dict[str, list[tuple[int, cp_model.IntVar]]] = {}
        for d in week.days:
            for s, lit in pm.session_lits(d):
                if s.kind in ("rest", "race", "strength") or s.sport not in shares:
                    continue
                by_sport.setdefault(s.sport, []).append((s.duration_min, lit))
        every = [term for terms in by_sport.values() for term in terms]
        for sport, (lo, hi) in shares.items():
            own = by_sport.get(sport, [])
            if not own:
                continue
            if lo > 0:
                rows.add(100 * weighted(own) >= lo * weighted(every))
            if hi < 100:
                rows.add(100 * weighted(own) <= hi * weighted(every))
