"""Families over the training load and the fitness response: ramp, form floor, recovery
weeks, taper."""

from __future__ import annotations

from worker.engine.model.container import PlanModel, Rows, total


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
    """A recovery week's load is at most `recovery_load_ratio` of the week before's; each
    row is recorded with that week (see `credit_missed_training`)."""
    pct = round(pm.request.rules.recovery_load_ratio * 100)
    weeks = {w.number: w for w in pm.calendar.weeks}
    for week in pm.calendar.weeks:
        prev = weeks.get(week.number - 1)
        if week.is_recovery and prev is not None:
            ct = rows.add(100 * pm.week_load[week.number] <= pct * pm.week_load[prev.number])
            pm.recovery_rows.append((ct, prev.number))


def credit_missed_training(pm: PlanModel) -> None:
    """A recovery week stays light relative to the training week before it as planned: the
    week before counts its lived days at the greater of their planned and done loads, so
    load missed (illness, skipped sessions) does not make the recovery week lighter still."""
    fixed = pm.fixed
    assert fixed is not None
    weeks = {w.number: w for w in pm.calendar.weeks}
    pct = round(pm.request.rules.recovery_load_ratio * 100)
    for ct, before in pm.recovery_rows:
        lived = [d for d in weeks[before].days if fixed.covers(d)]
        missed = sum(fixed.planned_load(d) - fixed.load(d) for d in lived)
        if missed > 0:
            ct.proto.linear.domain[1] += pct * missed


def taper(pm: PlanModel, rows: Rows) -> None:
    """Last 7 days before the race at most `taper_load_ratio` of the peak week; some intensity."""
    m, cal = pm.model, pm.calendar
    race = cal.race_index
    training = [w for w in cal.weeks if w.full and not w.has_taper]
    if training and race - cal.taper_start >= 7:
        peak = m.new_int_var(0, 7 * pm.max_day_load, "peak")
        m.add_max_equality(peak, [pm.week_load[w.number] for w in training])
        pm.peak_week_load = peak
        pct = round(pm.request.rules.taper_load_ratio * 100)
        last = total(pm.load[d] for d in range(race - 7, race))
        rows.add(100 * last <= pct * peak)
    # Keep some intensity: each week holding 4+ taper days before the race has a quality day.
    for week in cal.weeks:
        taper_days = [d for d in week.days if cal.taper_start <= d < race]
        if len(taper_days) >= 4:
            rows.add(total(pm.hard_expr(d) for d in taper_days) >= 1)
