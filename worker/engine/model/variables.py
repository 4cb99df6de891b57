"""The plan model's decision variables: each day's session options, loads, week loads."""

from __future__ import annotations

from ortools.sat.python import cp_model

from shared.planning import SessionTemplate
from worker.engine.calendar import Day
from worker.engine.model.container import PlanModel
from worker.engine.model.settle import fixed_day_variables, settle_loads
from worker.engine.templates import race_session


def _race_template(pm: PlanModel, day: Day) -> SessionTemplate:
    assert day.race is not None
    if day.race.priority == "A" and day.race.distance == pm.schema.distance:
        base = race_session(day.race.distance)
        return base.model_copy(
            update={"duration_min": pm.schema.race_duration_min, "load": pm.schema.race_load}
        )
    return race_session(day.race.distance)


def create_variables(pm: PlanModel) -> None:
    """Options a day cannot hold are left out, except when diagnosing: then availability
    excludes them (its rows can be blamed)."""
    m, cat = pm.model, pm.catalogue
    pm.sessions = {s.code: s for s in [cat.rest, *cat.runs]}
    if cat.strength is not None:
        pm.sessions[cat.strength.code] = cat.strength
    # A triathlete trains two sports on some days: a second (easy) session of another sport.
    doubles_ok = pm.request.athlete.doubles or pm.multisport
    max_load = 0
    for day in pm.days:
        d = day.index
        prim: dict[str, cp_model.IntVar] = {}
        dbl: dict[str, cp_model.IntVar] = {}
        strength: cp_model.IntVar | None = None
        if pm.past(d):
            prim, dbl, strength = fixed_day_variables(pm, day)
        elif day.race is not None:
            race = _race_template(pm, day)
            pm.sessions[race.code] = race
            prim[race.code] = m.new_constant(1)
        else:
            prim[cat.rest.code] = m.new_bool_var(f"rest_{d}")
            for s in cat.runs:
                if day.phase not in s.phases:
                    continue
                if not day.fits(s.duration_min) and not pm.diagnose:
                    continue
                prim[s.code] = m.new_bool_var(f"{s.code}_{d}")
            usable = day.available_min is None or day.available_min > 0 or pm.diagnose
            if usable and cat.strength is not None and day.phase in cat.strength.phases:
                strength = m.new_bool_var(f"strength_{d}")
            if doubles_ok and usable:
                for s in cat.runs:
                    if s.kind == "run" and s.intensity == "easy" and day.phase in s.phases:
                        dbl[s.code] = m.new_bool_var(f"double_{s.code}_{d}")
        pm.primary.append(prim)
        pm.doubles.append(dbl)
        pm.strength.append(strength)
        day_max = sum(pm.sessions[c].load for c in prim) + sum(pm.sessions[c].load for c in dbl)
        day_max += cat.strength.load if strength is not None and cat.strength else 0
        max_load = max(max_load, day_max)
    pm.max_day_load = max_load
    for d in range(len(pm.days)):
        pm.load.append(m.new_int_var(0, max_load, f"load_{d}"))
    for week in pm.calendar.weeks:
        pm.week_load[week.number] = m.new_int_var(0, max_load * 7, f"week_load_{week.number}")
    if pm.fixed is not None:
        settle_loads(pm)
