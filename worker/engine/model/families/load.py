"""Families over the training load and the fitness response: ramp, form floor, recovery
weeks, taper, smooth growth (docs/COACH_RULES.md, section 4)."""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from worker.engine.model.container import PlanModel, Rows, total
from worker.engine.model.cuts import cap_under_chord, tightening, week_load_upper
from worker.engine.model.families.taper import race_week_floor


def ctl_ramp(pm: PlanModel, rows: Rows) -> None:
    """CTL rises by at most `max_ctl_ramp` per calendar week (goal race excluded)."""
    ramp = pm.request.rules.max_ctl_ramp
    resp = pm.response
    race = pm.calendar.race_index
    prev_end = -1
    for week in pm.calendar.weeks:
        end = min(week.days[-1], race - 1)
        if end <= prev_end:
            continue
        c1, k1 = resp.ctl_at_end(end)
        if prev_end < 0:
            c0, k0 = resp.ctl0, list[float]()
        else:
            c0, k0 = resp.ctl_at_end(prev_end)
        coeffs = [k1[t] - (k0[t] if t < len(k0) else 0.0) for t in range(len(k1))]
        rows.affine_le(c1 - c0, coeffs, ramp)
        prev_end = end


def tsb_floor(pm: PlanModel, rows: Rows) -> None:
    floor = pm.request.rules.min_tsb
    resp = pm.response
    for d in range(1, len(pm.days)):
        const, coeffs = resp.tsb_morning(d)
        rows.affine_ge(const, coeffs, floor)


def recovery_week_load(pm: PlanModel, rows: Rows) -> None:
    """A recovery week's load is at most `recovery_load_ratio` of the week before's, or the
    lightest week the rules ask for when that is more; each row is recorded with that week
    (see `credit_missed_training`)."""
    pct = round(pm.request.rules.recovery_load_ratio * 100)
    weeks = {w.number: w for w in pm.calendar.weeks}
    floor = smallest_week_load(pm)
    for week in pm.calendar.weeks:
        prev = weeks.get(week.number - 1)
        if week.is_recovery and prev is not None:
            # Never below the lightest week the rules ask for (a beginner's small base).
            cap = pm.model.new_int_var(0, 100 * 7 * pm.max_day_load, f"recovery_cap_{week.number}")
            mx = pm.model.add_max_equality(cap, [pct * pm.week_load[prev.number], 100 * floor])
            pm.recovery_caps.append((cap, prev.number, pct, floor))
            rows.add(100 * pm.week_load[week.number] <= cap)
            if tightening(pm):
                upper = week_load_upper(pm, prev)
                cap_under_chord(rows, cap, pct, pm.week_load[prev.number], upper, 100 * floor)
            pm.recovery_rows.append((mx, prev.number, pct))


def _credit(pm: PlanModel, credited: list[tuple[cp_model.Constraint, int, int]]) -> None:
    """Rows bounded by a reference week (load growth): its lived days count at the greater
    of their planned and done loads, so load missed (illness, skipped sessions) does not
    tighten the bound still further."""
    fixed = pm.fixed
    assert fixed is not None
    weeks = {w.number: w for w in pm.calendar.weeks}
    for ct, before, coefficient in credited:
        lived = [d for d in weeks[before].days if fixed.covers(d)]
        missed = sum(fixed.planned_load(d) - fixed.load(d) for d in lived)
        if missed > 0:
            ct.proto.linear.domain[1] += coefficient * missed


def credit_missed_training(pm: PlanModel) -> None:
    """A recovery week stays light relative to the training week before it as planned: the
    credit goes into the cap's ratio term (the floor of the lightest week is not raised)."""
    fixed = pm.fixed
    assert fixed is not None
    weeks = {w.number: w for w in pm.calendar.weeks}
    for mx, before, pct in pm.recovery_rows:
        lived = [d for d in weeks[before].days if fixed.covers(d)]
        missed = sum(fixed.planned_load(d) - fixed.load(d) for d in lived)
        if missed > 0:
            mx.proto.lin_max.exprs[0].offset += pct * missed


def credit_missed_growth(pm: PlanModel) -> None:
    """A week after missed training may grow from the week as it was planned."""
    _credit(pm, pm.growth_rows)


def smallest_week_load(pm: PlanModel) -> int:
    """The load of the lightest week the rules ask for: the shortest long run and the
    lightest runs (a race-week shake-out aside) making up the minimum number of runs; a
    triathlete's, each sport's minimum of sessions (the lightest long ride and long run
    among them)."""
    if pm.multisport:
        return smallest_multisport_week_load(pm)
    runs = [s.load for s in pm.catalogue.runs if s.kind == "run" and s.role != "shakeout"]
    longs = [s.load for s in pm.catalogue.runs if s.kind == "long"]
    n = pm.request.rules.min_runs_per_week
    if longs and pm.request.rules.long_run_every_week:
        return min(longs) + max(n - 1, 0) * min(runs, default=0)
    return n * min(runs, default=0)


def smallest_multisport_week_load(pm: PlanModel) -> int:
    """Per sport its weekly minimum of the lightest sessions of that sport (a shake-out
    aside), one of them the lightest long session where the week must hold one (the long
    run, the long ride)."""
    total_load = 0
    for sport, need in pm.request.rules.min_sessions_per_sport.items():
        if need <= 0:
            continue
        own = [s for s in pm.catalogue.runs if s.sport == sport and s.role != "shakeout"]
        light = min((s.load for s in own if s.kind == "run"), default=0)
        longs = [s.load for s in own if s.kind == "long"]
        if longs and pm.request.rules.long_run_every_week:
            total_load += min(longs) + (need - 1) * light
        else:
            total_load += need * light
    return total_load


def weekly_load_grows_gradually(pm: PlanModel, rows: Rows) -> None:
    """A full week's load (races left out) <= max_week_load_growth x that of the latest
    earlier week that is not a recovery week (per day, when that one is partial)."""
    pct = round(pm.request.rules.max_week_load_growth * 100)
    weeks = pm.calendar.weeks
    for i, week in enumerate(weeks):
        if i == 0 or not week.full:
            continue
        ref = next((w for w in reversed(weeks[:i]) if not w.is_recovery), None)
        if ref is None:
            continue
        k_ref = pct * 7
        k_week = 100 * len(ref.days)
        ct = rows.add(
            k_week * pm.week_load[week.number] - k_ref * pm.week_load[ref.number]
            <= k_week * pm.race_load(week.days) - k_ref * pm.race_load(ref.days)
        )
        pm.growth_rows.append((ct, ref.number, k_ref))


def first_week_load_cap(pm: PlanModel) -> int:
    """The first full-week equivalent load: first_week_load_ratio x the runner's current
    week (7 x CTL), or x the lightest week the rules ask for when that is more."""
    ratio = pm.request.rules.first_week_load_ratio
    return math.floor(ratio * max(7 * pm.request.athlete.ctl, smallest_week_load(pm)))


def first_week_from_current_load(pm: PlanModel, rows: Rows) -> None:
    week = pm.calendar.weeks[0]
    cap = first_week_load_cap(pm) * len(week.days) // 7
    rows.add(pm.week_load[week.number] - pm.race_load(week.days) <= cap)


def acute_load_within_chronic(pm: PlanModel, rows: Rows) -> None:
    """On every day but race day, the 7-day mean load <= max_acwr x the 28-day mean (races
    left out); days before the plan count at the runner's steady load (CTL, at least the
    lightest week's)."""
    pct = round(pm.request.rules.max_acwr * 100)
    before = max(pm.request.athlete.ctl, smallest_week_load(pm) / 7)
    race = pm.calendar.race_index
    raced = {day.index for day in pm.days if day.race is not None}  # a race is no training
    for d in range(race):
        acute = [pm.load[t] for t in range(max(0, d - 6), d + 1) if t not in raced]
        chronic = [pm.load[t] for t in range(max(0, d - 27), d + 1) if t not in raced]
        acute_before = before * max(0, 6 - d)
        chronic_before = before * max(0, 27 - d)
        # 28 x acute / 7 <= ratio x chronic: 400 x acute <= pct x chronic.
        rhs = math.floor(pct * chronic_before - 400 * acute_before)
        rows.add(400 * total(acute) - pct * total(chronic) <= rhs)


def taper(pm: PlanModel, rows: Rows) -> None:
    """Last 7 days before the race at most `taper_load_ratio` of the peak week (never below
    the lightest race week the race-week family asks for); some intensity kept."""
    m, cal = pm.model, pm.calendar
    race = cal.race_index
    training = [w for w in cal.weeks if w.full and not w.has_taper]
    if training and race - cal.taper_start >= 7:
        peak = m.new_int_var(0, 7 * pm.max_day_load, "peak")
        m.add_max_equality(peak, [pm.week_load[w.number] for w in training])
        pm.peak_week_load = peak
        pct = round(pm.request.rules.taper_load_ratio * 100)
        last = total(pm.load[d] for d in range(race - 7, race))
        cap = m.new_int_var(0, 100 * 7 * pm.max_day_load, "taper_load_cap")
        floor = race_week_floor(pm)[0]
        m.add_max_equality(cap, [pct * peak, 100 * floor])
        pm.taper_caps.append((cap, pct, "load", floor))
        rows.add(100 * last <= cap)
        if tightening(pm):
            upper = max(week_load_upper(pm, w) for w in training)
            rows.add(peak <= upper)
            cap_under_chord(rows, cap, pct, peak, upper, 100 * floor)
    # Keep some intensity: each week holding 4+ taper days before the race has a quality day.
    for week in cal.weeks:
        taper_days = [d for d in week.days if cal.taper_start <= d < race]
        if len(taper_days) >= 4:
            rows.add(total(pm.hard_expr(d) for d in taper_days) >= 1)
