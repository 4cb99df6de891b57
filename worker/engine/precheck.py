"""Conflicts that the request's arithmetic proves, before any model is solved.

Some requests cannot hold for reasons a sum shows: five rest days leave two days for three
runs; two hours do not hold the shortest long run and a peak week's quality sessions; a
starting fatigue far above fitness breaks the form floor the first morning. Each check
here is a lower bound that holds for every plan the named families allow (the structural
rows and those families alone), so a conflict it finds is a real one; the families named
are a smallest set the checks find (one limit, then two, then three). A request they pass
may still be infeasible: then the explanation searches (explain.py).

Re-plans (days already lived) are left to the search: the past changes what the rows mean.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from shared.planning import PlanRequest, SessionTemplate, TrainingSchema
from worker.engine.calendar import Calendar, Week
from worker.engine.model.container import HARD_INTENSITIES, PlanModel
from worker.engine.model.families.load import first_week_load_cap
from worker.engine.model.families.quality import week_phase, weekly_minimum
from worker.engine.model.families.taper import open_day
from worker.engine.model.registry import FAMILIES
from worker.engine.templates import race_session

# The weekly families whose minimum time a week's hours must hold, in registry order.
_WEEKLY = ("min_runs", "long_run", "quality_by_phase")


def arithmetic_conflict(
    request: PlanRequest, schema: TrainingSchema, calendar: Calendar
) -> list[str] | None:
    """The families (registry names, registry order) a sum proves cannot all hold, or None
    when no check here finds a conflict."""
    pm = PlanModel(request=request, schema=schema, calendar=calendar)
    checks = (
        _form_floor_first_morning,
        _race_fitness_against_ramp,
        _race_fitness_against_week_loads,
        _rest_days_against_runs,
        _rest_days_against_race_week,
        _availability,
        _pool_days_against_swims,
        _hours,
    )
    for check in checks:
        found = check(pm)
        if found is not None:
            order = [f.name for f in FAMILIES]
            return sorted(found, key=order.index)
    return None


def _form_floor_first_morning(pm: PlanModel) -> list[str] | None:
    """The form (TSB) of the second morning at its highest: a first day's load only lowers
    it (fatigue reacts faster than fitness), so a first day at rest is the best case."""
    if len(pm.days) < 2 or pm.days[0].race is not None:
        return None
    const, coeffs = pm.response.tsb_morning(1)
    if coeffs[0] <= 0 and const < pm.request.rules.min_tsb:
        return ["tsb_floor"]
    return None


def _race_fitness_against_ramp(pm: PlanModel) -> list[str] | None:
    """Fitness (CTL) rises by at most max_ctl_ramp in each calendar week before the race,
    so the race eve's is at most the start's plus that much a week."""
    goal = pm.days[pm.calendar.race_index].race
    if goal is None or goal.fitness_floor is None or pm.calendar.race_index == 0:
        return None
    race = pm.calendar.race_index
    weeks = sum(1 for w in pm.calendar.weeks if w.days[0] < race)
    highest = pm.request.athlete.ctl + pm.request.rules.max_ctl_ramp * weeks
    return ["ctl_ramp", "race_fitness"] if goal.fitness_floor > highest else None


def _race_fitness_against_week_loads(pm: PlanModel) -> list[str] | None:
    """The race eve's fitness (CTL) at most what the heaviest weeks give, each week's load
    on its day that counts most (later days weigh more): weeks bounded by the hours (load
    per minute at most the catalogue's densest session), or by the growth from the first
    week's cap (max_week_load_growth a week), or by both."""
    race = pm.calendar.race_index
    goal = pm.days[race].race
    if goal is None or goal.fitness_floor is None or race == 0:
        return None
    hours = ["weekly_hours"]
    growth = ["load_growth", "first_week"]
    for families in (hours, growth, hours + growth):
        if goal.fitness_floor > _highest_race_fitness(pm, families):
            order = [f.name for f in FAMILIES]
            return sorted(["race_fitness", *families], key=order.index)
    return None


def _highest_race_fitness(pm: PlanModel, families: list[str]) -> float:
    race = pm.calendar.race_index
    const, coeffs = pm.response.ctl_at_end(race - 1)
    rules = pm.request.rules
    sessions = [*pm.catalogue.runs, *([pm.catalogue.strength] if pm.catalogue.strength else [])]
    density = max((s.load / s.duration_min for s in sessions if s.duration_min), default=0.0)
    minutes = round(pm.request.athlete.weekly_hours * 60)
    day_max = max((s.load for s in pm.catalogue.runs), default=0)
    day_max += day_max if pm.request.athlete.doubles else 0
    day_max += pm.catalogue.strength.load if pm.catalogue.strength else 0
    caps: dict[int, float] = {}
    highest = const
    weeks = pm.calendar.weeks
    for i, week in enumerate(weeks):
        cap = float(day_max * len(week.days))
        if "weekly_hours" in families:
            cap = min(cap, density * minutes)
        if "load_growth" in families:
            ref = next((w for w in reversed(weeks[:i]) if not w.is_recovery), None)
            if i == 0:
                cap = min(cap, first_week_load_cap(pm) * len(week.days) // 7)
            elif week.full and ref is not None:
                cap = min(cap, rules.max_week_load_growth * caps[ref.number] * 7 / len(ref.days))
        caps[week.number] = cap
        before = [d for d in week.days if d < race]
        if before:
            highest += cap * max(coeffs[d] for d in before)
            raced = [d for d in before if pm.days[d].race is not None]
            highest += sum(coeffs[d] * _race_load(pm, d) for d in raced)
    return highest


def _race_load(pm: PlanModel, d: int) -> int:
    """A race day's load, as the model's race session has it (model/variables.py)."""
    race = pm.days[d].race
    assert race is not None
    if race.priority == "A" and race.distance == pm.schema.distance:
        return pm.schema.race_load
    return race_session(race.distance).load


def _availability(pm: PlanModel) -> list[str] | None:
    """A full week whose days leave room for fewer runs than it asks for, or for no long
    run in a week that must hold one."""
    rules = pm.request.rules
    for week in pm.calendar.weeks:
        if not week.full or _holds_race(pm, week):
            continue
        days = [pm.days[d] for d in week.days]
        runs = [
            day for day in days if any(day.fits(s.duration_min) for s in _options(pm, day.index))
        ]
        if len(runs) < rules.min_runs_per_week:
            return ["availability", "min_runs"]
        longs = [s for d in week.days for s in _options(pm, d) if s.kind == "long"]
        must = rules.long_run_every_week and not week.has_taper and longs
        if must and not any(day.fits(s.duration_min) for day in days for s in longs):
            return ["availability", "long_run"]
    return None


def _pool_days_against_swims(pm: PlanModel) -> list[str] | None:
    """A triathlete swims once a day at most, on pool days only: a full base, build or peak
    week holds no more swims than pool days."""
    need = pm.request.rules.min_sessions_per_sport.get("swim", 0)
    pool = len(pm.request.athlete.swim_days)
    if not pm.multisport or need <= pool:
        return None
    for week in pm.calendar.weeks:
        training = week.full and not week.has_taper and not _holds_race(pm, week)
        if training and week_phase(pm, week) in ("base", "build", "peak"):
            return ["sessions_per_day", "sessions_per_sport", "pool_days"]
    return None


def _rest_days_against_runs(pm: PlanModel) -> list[str] | None:
    """A full week holds its rest days and its runs on separate days (a run day is no rest
    day), so together they need no more than its seven days."""
    rest, runs = pm.request.athlete.rest_days, pm.request.rules.min_runs_per_week
    if rest > 0 and runs > 0 and rest + runs > 7 and any(w.full for w in pm.calendar.weeks):
        return ["rest_days", "min_runs"]
    return None


def _rest_days_against_race_week(pm: PlanModel) -> list[str] | None:
    """The race's week holds its rest days on its days before the race; those that fall in
    the 6 days before the race leave fewer days for the race week's short runs."""
    rules, cal = pm.request.rules, pm.calendar
    race = cal.race_index
    week = next(w for w in cal.weeks if race in w.days)
    rest = pm.request.athlete.rest_days
    if not week.full or rest == 0 or any(pm.days[d].race for d in week.days if d != race):
        return None
    before = [d for d in week.days if d < race]
    window = [d for d in range(max(0, race - 6), race)]
    opened = sum(1 for d in window if open_day(pm, pm.days[d]))
    need = min(rules.race_week_short_runs, opened)
    inside = [d for d in before if d in window]
    rests_inside = max(0, rest - (len(before) - len(inside)))
    if need > len(inside) - rests_inside + (len(window) - len(inside)):
        return ["rest_days", "race_week"]
    return None


def _hours(pm: PlanModel) -> list[str] | None:
    """The weekly hours against the least time a week's long run, quality minimum and runs
    take (each at the shortest session its days' phases offer, availability aside)."""
    cap = round(pm.request.athlete.weekly_hours * 60)
    weeks = [w for w in pm.calendar.weeks if w.full and not _holds_race(pm, w)]
    floors = [dict(_week_floors(pm, w)) for w in weeks]
    for size in range(1, len(_WEEKLY) + 1):
        for families in combinations(_WEEKLY, size):
            if any(floor.get(families, 0) > cap for floor in floors):
                return ["weekly_hours", *families]
    return None


def _week_floors(pm: PlanModel, week: Week) -> Iterator[tuple[tuple[str, ...], int]]:
    """(families, the least minutes those families ask of the week)."""
    rules = pm.request.rules
    options = [s for d in week.days for s in _options(pm, d)]
    shortest = min((s.duration_min for s in options), default=None)
    longs = [s for s in options if s.kind == "long"]
    hard = [s for s in options if s.intensity in HARD_INTENSITIES]
    if shortest is None:
        return
    runs = rules.min_runs_per_week
    long_run = int(rules.long_run_every_week and not week.has_taper and bool(longs))
    long_min = min((s.duration_min for s in longs), default=0) if long_run else 0
    quality = weekly_minimum(pm, week, rules.quality_per_week.of(week_phase(pm, week))[0])
    quality_min = min((s.duration_min for s in hard), default=0) if hard else 0
    quality = quality if hard else 0
    # A long run that is itself a quality session would count twice: no joint floor then.
    separate = not any(s.intensity in HARD_INTENSITIES for s in longs)
    yield ("min_runs",), runs * shortest
    yield ("long_run",), long_min
    yield ("quality_by_phase",), quality * quality_min
    yield ("min_runs", "long_run"), long_min + max(0, runs - long_run) * shortest
    yield (
        ("min_runs", "quality_by_phase"),
        quality * quality_min + max(0, runs - quality) * shortest,
    )
    if separate:
        yield ("long_run", "quality_by_phase"), long_min + quality * quality_min
        rest = max(0, runs - long_run - quality)
        yield _WEEKLY, long_min + quality * quality_min + rest * shortest


def _holds_race(pm: PlanModel, week: Week) -> bool:
    return any(pm.days[d].race is not None for d in week.days)


def _options(pm: PlanModel, d: int) -> list[SessionTemplate]:
    """The non-rest sessions day d's phase offers, availability aside (the availability
    family is not among those these checks name)."""
    day = pm.days[d]
    return [s for s in pm.catalogue.runs if day.phase in s.phases]
