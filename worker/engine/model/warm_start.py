"""A complete solution hint from the sessions chosen for each day.

CP-SAT's LP-heavy workers are slow to find a first plan on their own; a full hint (every
decision and every auxiliary variable: loads, week loads, true rest days, the peak week)
gives them one at once. The heuristic plan (hint.py) and a re-plan's previous plan
(replan.py) both warm-start through `warm_start`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shared.planning import SessionTemplate
from shared.sport_loads import loads_by_sport
from worker.engine.model.container import PlanModel, strength_may_join
from worker.engine.model.families.long_runs import long_start, peak_window
from worker.engine.model.monotony import hint_monotony


@dataclass(frozen=True)
class DayChoice:
    """A day's sessions as the model sees them: primary code, extra easy runs, strength."""

    primary: str
    doubles: tuple[str, ...] = ()
    strength: bool = False


def warm_start(pm: PlanModel, choices: Mapping[int, DayChoice]) -> dict[int, DayChoice]:
    """Hint every variable of the days in `choices`, and the aggregates they complete.

    A choice the day cannot hold is repaired: a session no longer offered that day becomes
    rest, a double not offered is dropped, strength stays only beside a partner it may
    join. Lived days (a re-plan) are facts and race days constants: neither is hinted, but
    their loads count in the week loads. Returns the choices as hinted."""
    m = pm.model
    rest = pm.catalogue.rest.code
    strength_load = pm.catalogue.strength.load if pm.catalogue.strength else 0
    loads: dict[int, int] = {}
    hinted: dict[int, DayChoice] = {}
    for day in pm.days:
        d = day.index
        if pm.fixed is not None and pm.fixed.covers(d):
            loads[d] = pm.fixed.load(d)
            continue
        if day.race is not None:  # the race is a shared constant: hint its load only
            loads[d] = sum(pm.sessions[c].load for c in pm.primary[d])
            m.add_hint(pm.load[d], loads[d])
            continue
        if d not in choices:
            continue
        choice = choices[d]
        primary = choice.primary if choice.primary in pm.primary[d] else rest
        doubles = tuple(c for c in choice.doubles if c in pm.doubles[d])
        s = pm.strength[d]
        strength = s is not None and choice.strength and strength_may_join(pm.sessions[primary])
        for code, lit in pm.primary[d].items():
            m.add_hint(lit, code == primary)
        for code, lit in pm.doubles[d].items():
            m.add_hint(lit, code in doubles)
        if s is not None:
            m.add_hint(s, strength)
        loads[d] = pm.sessions[primary].load + sum(pm.sessions[c].load for c in doubles)
        loads[d] += strength_load if strength else 0
        m.add_hint(pm.load[d], loads[d])
        hinted[d] = DayChoice(primary, doubles, strength)
    week_loads: dict[int, int] = {}
    for week in pm.calendar.weeks:
        if all(d in loads for d in week.days):
            week_loads[week.number] = sum(loads[d] for d in week.days)
            if pm.week_load[week.number].index not in pm.settled:
                m.add_hint(pm.week_load[week.number], week_loads[week.number])
    hint_monotony(pm, loads)
    _hint_sport_loads(pm, hinted)
    for d, var in pm.true_rest.items():
        if d in hinted:
            m.add_hint(var, hinted[d].primary == rest and not hinted[d].strength)
    training = [w.number for w in pm.calendar.weeks if w.full and not w.has_taper]
    peaks: dict[str, int] = {}
    if pm.peak_week_load is not None and all(w in week_loads for w in training):
        peaks["load"] = max(week_loads[w] for w in training)
        m.add_hint(pm.peak_week_load, peaks["load"])
    if len(hinted) + len(loads) >= len(pm.days):  # every day known: the aggregates too
        _hint_aggregates(pm, hinted, training, peaks, week_loads)
    return hinted


def _hint_sport_loads(pm: PlanModel, hinted: Mapping[int, DayChoice]) -> None:
    """Each sport's daily load (multi-sport plans), on the hinted days and race days."""
    if not pm.sport_load:
        return
    for d, day in enumerate(pm.days):
        if d in hinted:
            c = hinted[d]
            codes = [c.primary, *c.doubles]
        elif day.race is not None and not pm.past(d):
            codes = list(pm.primary[d])
        else:
            continue
        split = loads_by_sport(pm.sessions[code] for code in codes)
        for sport, variables in pm.sport_load.items():
            pm.model.add_hint(variables[d], split.get(sport, 0))
        if pm.sport_excess is not None:
            pct, excess = pm.sport_excess
            day_load = sum(pm.sessions[code].load for code in codes)
            if d in hinted and hinted[d].strength and pm.catalogue.strength is not None:
                day_load += pm.catalogue.strength.load
            for sport, xs in excess.items():
                if d < len(xs):
                    pm.model.add_hint(xs[d], 100 * split.get(sport, 0) - pct * day_load)


def _hint_aggregates(
    pm: PlanModel,
    hinted: Mapping[int, DayChoice],
    training: list[int],
    peaks: dict[str, int],
    week_loads: dict[int, int],
) -> None:
    """The families' auxiliaries: peak week minutes, taper caps, the long-run maxima."""
    m = pm.model

    def sessions(d: int) -> list[SessionTemplate]:
        if d in hinted:
            c = hinted[d]
            out = [pm.sessions[c.primary], *(pm.sessions[x] for x in c.doubles)]
            if c.strength and pm.catalogue.strength is not None:
                out.append(pm.catalogue.strength)
            return out
        if pm.fixed is not None and pm.fixed.covers(d):
            return list(pm.fixed.sessions[d])
        return [pm.sessions[c] for c in pm.primary[d]]  # a race day: its constant

    weeks = {w.number: w for w in pm.calendar.weeks}
    minutes = {
        n: sum(s.duration_min for d in w.days for s in sessions(d) if s.kind != "race")
        for n, w in weeks.items()
    }
    if pm.peak_week_minutes is not None and training:
        peaks["minutes"] = max(minutes[w] for w in training)
        m.add_hint(pm.peak_week_minutes, peaks["minutes"])
    for cap, before, pct, floor in pm.recovery_caps:
        if before in week_loads:
            m.add_hint(cap, max(pct * week_loads[before], 100 * floor))
    for cap, pct, source, floor in pm.taper_caps:
        if source in peaks:
            m.add_hint(cap, max(pct * peaks[source], 100 * floor))
    for sport in ("run", "bike"):
        longs = {
            n: sum(s.duration_min for d in w.days for s in sessions(d) if pm.is_long(s, sport))
            for n, w in weeks.items()
        }
        running = long_start(pm.request.athlete, pm.request.rules, pm.schema, sport)
        for number in sorted(weeks):
            running = max(running, longs[number])
            var = pm.longest_before.get((sport, number + 1))
            if var is not None:
                m.add_hint(var, running)
        if sport in pm.peak_long:
            window = peak_window(pm.calendar, pm.request.rules)
            m.add_hint(pm.peak_long[sport], max(longs[w.number] for w in window))
