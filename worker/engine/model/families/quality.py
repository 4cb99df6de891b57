"""Quality by phase and spacing: how many hard days a week holds, where, and of what kind
(docs/COACH_RULES.md, section 3)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from worker.engine.calendar import Week
from worker.engine.model.container import PlanModel, Rows, total
from worker.engine.model.families.load import first_week_load_cap, smallest_week_load
from worker.engine.model.families.taper import open_day
from worker.engine.past import COMEBACK_DAYS

HARD = ("moderate", "hard")


def week_phase(pm: PlanModel, week: Week) -> str:
    """A week's phase: taper when any of its days is in the taper or is race day."""
    phases = {pm.days[d].phase for d in week.days}
    return "taper" if phases & {"taper", "race"} else pm.days[week.days[0]].phase


def holds_race(pm: PlanModel, week: Week) -> bool:
    return any(pm.days[d].race is not None for d in week.days)


def weekly_minimum(pm: PlanModel, week: Week, wanted: int) -> int:
    """`wanted` for a full, non-recovery week without a race, lowered to what its open
    days leave room for; 0 for any other week."""
    if not week.full or week.is_recovery or holds_race(pm, week) or comeback(pm, week):
        return 0
    opened = sum(1 for d in week.days if open_day(pm, pm.days[d]) and d not in b_race_easy(pm))
    need = max(0, min(wanted, (opened - 2) // 2))
    while need > 0 and lightest_week(pm, week, need) > load_allowance(pm, week):
        need -= 1
    return need


def comeback(pm: PlanModel, week: Week) -> bool:
    """A re-plan after a gap in training: the weeks starting in the COMEBACK_DAYS after
    the effective date rebuild (the acute:chronic ratio paces them) without a quality
    minimum."""
    fixed = pm.fixed
    if fixed is None:
        return False
    if week.days[0] < fixed.until <= week.days[-1]:
        return True  # the week the re-plan starts in: its lived days already spent it
    return fixed.missed_training() and fixed.until - 7 < week.days[0] < fixed.until + COMEBACK_DAYS


def load_allowance(pm: PlanModel, week: Week) -> float:
    """An upper bound on the load (races left out) the week can hold: the first-week cap
    grown by max_week_load_growth along the weeks, a recovery week's share of the week
    before, and the acute:chronic ratio over the 21 days before it. Days lived (a re-plan)
    count as done (the growth reference at the greater of planned and done), days before
    the plan at the runner's steady load, days to come at their weeks' bounds."""
    return _allowances(pm)[week.number]


def _allowances(pm: PlanModel) -> dict[int, float]:
    cached = pm.allowances
    if cached:
        return cached
    rules, fixed = pm.request.rules, pm.fixed
    before = max(pm.request.athlete.ctl, smallest_week_load(pm) / 7)
    k = rules.max_acwr / 4  # acute <= k x (acute + the 21 days before): acute <= k/(1-k) x those
    ratio = k / (1 - k) if k < 1 else float("inf")

    def raced(d: int) -> bool:
        return pm.days[d].race is not None

    def lived(d: int, credit: bool) -> float:
        assert fixed is not None
        done = 0.0 if raced(d) else float(fixed.load(d))
        return max(done, float(fixed.planned_load(d))) if credit and not raced(d) else done

    def week_load(w: Week, credit: bool) -> float | None:
        if fixed is None or not all(fixed.covers(d) for d in w.days):
            return None
        return sum(lived(d, credit) for d in w.days)

    per_day: dict[int, float] = {}
    out: dict[int, float] = {}
    weeks = pm.calendar.weeks
    for i, w in enumerate(weeks):
        bound = float("inf")
        if i == 0:
            bound = first_week_load_cap(pm) * len(w.days) / 7
        else:
            ref = next((v for v in reversed(weeks[:i]) if not v.is_recovery), None)
            if ref is not None:
                base = week_load(ref, credit=True)
                base = out[ref.number] if base is None else base
                bound = rules.max_week_load_growth * base * 7 / len(ref.days)
            if w.is_recovery:
                prev = week_load(weeks[i - 1], credit=True)
                prev = out[weeks[i - 1].number] if prev is None else prev
                bound = min(bound, rules.recovery_load_ratio * prev)
        first = w.days[0]
        window = [
            before if t < 0 else lived(t, False) if fixed and fixed.covers(t) else per_day[t]
            for t in range(first - 21, first)
        ]
        bound = min(bound, ratio * sum(window) * len(w.days) / 7)
        out[w.number] = bound
        for d in w.days:
            per_day[d] = 0.0 if raced(d) else bound / len(w.days)
    pm.allowances.update(out)
    return out


def lightest_week(pm: PlanModel, week: Week, quality: int) -> int:
    """The load of the lightest week holding `quality` quality days, its long run and the
    minimum number of runs; in a week partly lived, its lived days as done plus the
    lightest days to come that complete what the lived ones lack."""
    phase = week_phase(pm, week)
    runs = [s for s in pm.catalogue.runs if phase in s.phases]
    hard = [s.load for s in runs if s.kind == "run" and s.intensity in ("moderate", "hard")]
    easy = [s.load for s in runs if s.kind == "run" and s.intensity == "easy"]
    longs = [s.load for s in runs if s.kind == "long"]
    long_run = pm.request.rules.long_run_every_week and not week.has_taper and bool(longs)
    lived = [
        [s for s in pm.fixed.sessions[d] if s.kind != "race"]
        for d in week.days
        if pm.fixed is not None and pm.fixed.covers(d)
    ]
    lived_load = sum(s.load for day in lived for s in day)
    lived_quality = sum(1 for day in lived if any(s.intensity in HARD for s in day))
    lived_runs = sum(1 for day in lived if any(s.kind in ("run", "long") for s in day))
    long_left = long_run and not any(s.kind == "long" for day in lived for s in day)
    quality_left = max(0, quality - lived_quality)
    fill = max(0, pm.request.rules.min_runs_per_week - lived_runs - quality_left - long_left)
    return (
        lived_load
        + quality_left * min(hard, default=0)
        + (min(longs) if long_left else 0)
        + fill * min(easy, default=0)
    )


def b_race_easy(pm: PlanModel) -> set[int]:
    """The days kept easy around B races: the two before and the two after each."""
    out: set[int] = set()
    for day in pm.days:
        if day.race is not None and day.race.priority == "B":
            out |= {day.index + k for k in (-2, -1, 1, 2)}
    return out


def quality_days(pm: PlanModel, week: Week) -> list[cp_model.LinearExpr]:
    return [pm.hard_expr(d) for d in week.days if pm.days[d].race is None]


def quality_sessions_by_phase(pm: PlanModel, rows: Rows) -> None:
    """Quality days per week within the phase's [min, max] (quality_per_week)."""
    bounds = pm.request.rules.quality_per_week
    for week in pm.calendar.weeks:
        lo, hi = bounds.of(week_phase(pm, week))
        count = total(quality_days(pm, week))
        rows.add(count <= hi)
        need = weekly_minimum(pm, week, lo)
        if need > 0:
            rows.add(count >= need)


def no_quality_next_to_the_long_run(pm: PlanModel, rows: Rows) -> None:
    for d in range(len(pm.days) - 1):
        if pm.days[d].race is None and pm.days[d + 1].race is None:
            rows.add(pm.hard_expr(d) + pm.long_expr(d + 1) <= 1)
            rows.add(pm.long_expr(d) + pm.hard_expr(d + 1) <= 1)


def race_specific_work(pm: PlanModel, rows: Rows) -> None:
    """Goal-pace sessions in every full training week of the build and the peak."""
    wanted = pm.request.rules.race_specific_per_week
    if wanted == 0:
        return
    for week in pm.calendar.weeks:
        if week_phase(pm, week) not in ("build", "peak"):
            continue
        need = weekly_minimum(pm, week, wanted)
        lits = [
            lit
            for d in week.days
            for code, lit in pm.primary[d].items()
            if pm.sessions[code].role == "race_specific"
        ]
        if need > 0 and lits:
            rows.add(total(lits) >= need)
