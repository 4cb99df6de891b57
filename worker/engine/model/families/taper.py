"""Families that keep a taper running: days off, taper frequency, race week, taper time.

Research on tapering (Bosquet et al. 2007; Mujika & Padilla 2003) cuts volume, keeps
intensity and keeps frequency; left alone, the objective would rest through the last days
(every load there costs more fatigue than it brings fitness by race morning).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from worker.engine.calendar import Day
from worker.engine.model.container import PlanModel, Rows, total
from worker.engine.model.cuts import cap_under_chord, tightening, weekly_minutes_cap

SHORT_RUN_MAX_MIN = 50  # a race-week run of at most this long is a "short run"


def shortest_run(pm: PlanModel, day: Day) -> int | None:
    """Minutes of the shortest non-long run the day's phase offers (None: none offered)."""
    minutes = [
        s.duration_min for s in pm.catalogue.runs if s.kind == "run" and day.phase in s.phases
    ]
    return min(minutes, default=None)


def open_day(pm: PlanModel, day: Day) -> bool:
    """The runner left the day open for a run: not blocked, not a race, room for a run."""
    if day.race is not None or day.available_min == 0:
        return False
    shortest = shortest_run(pm, day)
    return shortest is not None and day.fits(shortest)


def run_expr(pm: PlanModel, d: int) -> cp_model.LinearExpr:
    """1 on a day with a run (a long run or a race included), else 0."""
    return total(
        lit
        for code, lit in pm.primary[d].items()
        if pm.sessions[code].kind in ("run", "long", "race")
    )


def race_week_floor(pm: PlanModel) -> tuple[int, int]:
    """(load, minutes) of the lightest race week the race-week family asks for: a
    shake-out, the quality touch and easy short runs making up the short runs. A taper
    cut is never asked to go below it (a beginner's small base)."""
    rules = pm.request.rules
    runs = [s for s in pm.catalogue.runs if s.kind == "run" and s.duration_min <= SHORT_RUN_MAX_MIN]
    shakeouts = [s for s in runs if s.role == "shakeout"]
    quality = [s for s in runs if s.intensity in ("moderate", "hard")]
    easy = [s for s in runs if s.intensity == "easy" and s.role != "shakeout"]
    left = rules.race_week_short_runs
    week = []
    if rules.shakeout and shakeouts:
        week.append(min(shakeouts, key=lambda s: s.load))
        left -= 1
    if rules.race_week_quality and quality:
        week += [min(quality, key=lambda s: s.load)] * rules.race_week_quality
        left -= rules.race_week_quality
    if easy:
        week += [min(easy, key=lambda s: s.load)] * max(left, 0)
    return sum(s.load for s in week), sum(s.duration_min for s in week)


def no_long_stretch_without_running(pm: PlanModel, rows: Rows) -> None:
    """In any `max_days_off + 1` consecutive open days, at least one run."""
    span = pm.request.rules.max_days_off + 1
    days = pm.days
    for start in range(len(days) - span + 1):
        window = days[start : start + span]
        if all(open_day(pm, day) for day in window):
            rows.add(total(run_expr(pm, day.index) for day in window) >= 1)


def run_days_kept_in_taper(pm: PlanModel, rows: Rows) -> None:
    """Run days in the final 14 (blocked days counted as kept) >= ratio x the 14 before."""
    ratio = pm.request.rules.taper_run_days_ratio
    race = pm.calendar.race_index
    if ratio <= 0 or race < 28:
        return
    final = range(race - 14, race)
    before = range(race - 28, race - 14)
    blocked = sum(1 for d in final if not open_day(pm, pm.days[d]))
    pct = round(ratio * 100)
    rows.add(
        100 * (total(run_expr(pm, d) for d in final) + blocked)
        >= pct * total(run_expr(pm, d) for d in before)
    )


def race_week_opens_up(pm: PlanModel, rows: Rows) -> None:
    """The 6 days before the goal race: short runs, a shake-out in the last 2, a quality touch."""
    rules = pm.request.rules
    race = pm.calendar.race_index
    week = [pm.days[d] for d in range(max(0, race - 6), race)]
    opened = [day for day in week if open_day(pm, day)]
    need = min(rules.race_week_short_runs, len(opened))
    if need > 0:
        short = [
            lit
            for day in week
            for code, lit in pm.primary[day.index].items()
            if pm.sessions[code].kind == "run"
            and pm.sessions[code].duration_min <= SHORT_RUN_MAX_MIN
        ]
        rows.add(total(short) >= need)
    shakeouts = [
        lit
        for day in week[-2:]
        if open_day(pm, day)
        for code, lit in pm.primary[day.index].items()
        if pm.sessions[code].role == "shakeout"
    ]
    if rules.shakeout and shakeouts:
        rows.add(total(shakeouts) >= 1)
    if rules.race_week_quality > 0 and len(opened) >= 3:
        rows.add(total(pm.hard_expr(day.index) for day in week) >= rules.race_week_quality)


def taper_time_cut(pm: PlanModel, rows: Rows) -> None:
    """The last 7 days' minutes <= taper_time_ratio x the peak week's; a taper of 14 days or
    more also cuts the 7 days before them to taper_early_time_ratio."""
    rules, cal, m = pm.request.rules, pm.calendar, pm.model
    race = cal.race_index
    training = [w for w in cal.weeks if w.full and not w.has_taper]
    if not training or race < 7:
        return
    peak = m.new_int_var(0, 7 * 24 * 60, "peak_week_minutes")
    m.add_max_equality(peak, [total(pm.training_minutes(d) for d in w.days) for w in training])
    pm.peak_week_minutes = peak
    last = total(pm.training_minutes(d) for d in range(race - 7, race))
    pct = round(rules.taper_time_ratio * 100)
    cap = m.new_int_var(0, 100 * 7 * 24 * 60, "taper_minutes_cap")
    floor = race_week_floor(pm)[1]
    m.add_max_equality(cap, [pct * peak, 100 * floor])
    pm.taper_caps.append((cap, pct, "minutes", floor))
    rows.add(100 * last <= cap)
    if tightening(pm):
        # The peak week's minutes are a week's: within the weekly hours cap.
        upper = weekly_minutes_cap(pm)
        rows.add(peak <= upper)
        cap_under_chord(rows, cap, pct, peak, upper, 100 * floor)
    if race - cal.taper_start >= 14 and race >= 14:
        early = total(pm.training_minutes(d) for d in range(race - 14, race - 7))
        rows.add(100 * early <= round(rules.taper_early_time_ratio * 100) * peak)
