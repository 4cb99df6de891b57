"""Multi-sport families: a triathlete's day, week and bricks. Each one adds nothing to a
catalogue of one sport (a running plan is untouched).

Hard sessions of every sport already count together: `no_back_to_back` reads the day's
primary session whatever its sport, and a second session of the day is always easy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ortools.sat.python import cp_model

from shared.planning import TRI_SPORTS, sport_time_shares
from shared.sport_loads import loads_by_sport
from worker.engine.calendar import Week
from worker.engine.model.container import (
    CONSTRAINT_SCALE,
    PlanModel,
    Rows,
    sports_of,
    total,
    weighted,
)
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
    shares = sport_time_shares(pm.request.rules, pm.schema.distance)
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


def swims_on_pool_days(pm: PlanModel, rows: Rows) -> None:
    """No swim on a weekday that is not one of the athlete's pool days."""
    pool = set(pm.request.athlete.swim_days)
    if not pm.multisport or len(pool) == 7:
        return
    for day in pm.days:
        if day.day_of_week not in pool and not pm.past(day.index):
            for lit in sport_lits(pm, day.index, "swim"):
                rows.add(lit == 0)


def long_ride_on_its_day(pm: PlanModel, rows: Rows) -> None:
    """In a week whose long-ride day can hold a long ride, no long ride on another day.

    A hard rule, unlike the long run's preferred day (a penalty): an athlete names a ride
    day because it is the one day with hours for it (a weekend, a group ride), so a coach
    moves it only when that day is gone (a race, a date off, the taper), not to gain a
    little fitness. With `long_ride` (one a training week) the ride falls on that day."""
    weekday = pm.request.athlete.long_ride_day
    if not pm.multisport or weekday is None:
        return
    rides = [s for s in pm.catalogue.runs if pm.is_long(s, "bike")]
    if not rides:
        return
    for week in pm.calendar.weeks:
        own = [d for d in week.days if pm.days[d].day_of_week == weekday]
        if not own or pm.past(own[0]):
            continue  # the week's ride day is not in the plan, or already lived
        day = pm.days[own[0]]
        if day.race is not None or not any(
            day.phase in s.phases and day.fits(s.duration_min) for s in rides
        ):
            continue
        others = [long_ride_expr(pm, d) for d in week.days if d != own[0]]
        rows.add(total(others) <= 0)


def sport_loads(pm: PlanModel) -> dict[str, list[cp_model.IntVar]]:
    """Each training sport's daily load as a variable (a brick's and a race's split by
    `load_by_sport`), made once; a lived day's is its constant."""
    if pm.sport_load:
        return pm.sport_load
    m = pm.model
    for sport in TRI_SPORTS:
        pm.sport_load[sport] = []
    for d in range(len(pm.days)):
        if pm.past(d):
            done = loads_by_sport(s for s, _ in pm.session_lits(d))
            for sport in TRI_SPORTS:
                var = m.new_constant(done.get(sport, 0))
                pm.settled.add(var.index)
                pm.sport_load[sport].append(var)
            continue
        terms: dict[str, list[tuple[int, cp_model.IntVar]]] = {sp: [] for sp in TRI_SPORTS}
        for s, lit in pm.session_lits(d):
            for sport, load in loads_by_sport([s]).items():
                if sport in terms:
                    terms[sport].append((load, lit))
        for sport in TRI_SPORTS:
            top = sum(k for k, _ in terms[sport])
            var = m.new_int_var(0, top, f"load_{sport}_{d}")
            m.add(var == weighted(terms[sport]))
            pm.sport_load[sport].append(var)
    return pm.sport_load


def no_sport_dominates_fitness(pm: PlanModel, rows: Rows) -> None:
    """Bounded divergence of per-sport fitness: on every base, build and peak day from week
    `sport_ctl_share_from_week` on, no sport's CTL above `max_sport_ctl_share` percent of
    the total CTL (each sport from an even split of the start's, as `ctl_by_sport`).

    A share, not a gap in points: it reads the same at CTL 30 and at CTL 90. The first
    weeks are free (the even split of the start is an assumption the plan may correct),
    and so are the same weeks after a re-plan's lived days (a past that tipped the balance
    is brought back over weeks, not in a day)."""
    pct = pm.request.rules.max_sport_ctl_share
    if not pm.multisport or pct >= 100:
        return
    loads = sport_loads(pm)
    m, resp = pm.model, pm.response
    from_week = pm.request.rules.sport_ctl_share_from_week
    free = 7 * (from_week - 1) + (pm.fixed.until if pm.fixed is not None else 0)
    days = [
        day.index
        for day in pm.days
        if day.week_number >= from_week
        and (pm.fixed is None or day.index >= free)
        and day.phase in TRAINING_PHASES
        and day.index < pm.calendar.race_index
    ]
    if not days:
        return
    # Each sport's excess of a day: 100 x its load - pct x the day's load (CTL is linear in
    # the loads, so 100 x CTL_sport - pct x CTL is the response to the excesses).
    excess: dict[str, list[cp_model.IntVar]] = {sport: [] for sport in TRI_SPORTS}
    for t in range(days[-1] + 1):
        for sport in TRI_SPORTS:
            if pm.past(t):  # a lived day's excess is a fact
                done = 100 * _upper(pm, loads[sport][t]) - pct * _upper(pm, pm.load[t])
                x = m.new_constant(done)
                pm.settled.add(x.index)
            else:
                top = 100 * _upper(pm, loads[sport][t])
                x = m.new_int_var(-pct * _upper(pm, pm.load[t]), top, f"excess_{sport}_{t}")
                m.add(x == 100 * loads[sport][t] - pct * pm.load[t])
            excess[sport].append(x)
    pm.sport_excess = (pct, excess)
    scale = _SHARE_SCALE
    share = 1 / len(TRI_SPORTS)
    for d in days:
        const, coeffs = resp.ctl_at_end(d)
        rhs = math.floor((pct - 100 * share) * const * scale)
        for sport in TRI_SPORTS:
            xs = excess[sport][: d + 1]
            # Rounded to the nearest; the rounding's worst case comes off the bound.
            margin = math.ceil(sum(0.5 * _magnitude(pm, x) for x in xs))
            terms = [(round(c * scale), x) for c, x in zip(coeffs, xs, strict=True)]
            rows.add(weighted(terms) <= rhs - margin)


_SHARE_SCALE = 10 * CONSTRAINT_SCALE  # the rounding margin under 0.03 CTL points


def _upper(pm: PlanModel, var: cp_model.IntVar) -> int:
    domain = pm.model.proto.variables[var.index].domain
    return int(domain[len(domain) - 1])


def _magnitude(pm: PlanModel, var: cp_model.IntVar) -> int:
    domain = pm.model.proto.variables[var.index].domain
    return max(abs(int(domain[0])), abs(int(domain[len(domain) - 1])))
