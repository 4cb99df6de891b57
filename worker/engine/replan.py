"""Re-plan from an effective date: keep the past, re-solve the rest, warm-started.

The model covers the whole plan, start to race, so that every rule spanning the
effective date accounts for the days already lived: those days are fixed to what was
planned (or, with a record of activities, to what was done) and constraints over them
alone are dropped (see `model/settle.py`). Fitness and fatigue on the effective date follow
from the start state and the past loads through the same response model.

The previous plan's future days are given to CP-SAT as a solution hint, and every
future day whose sessions differ from them costs `change_penalty` in the objective, so
the runner's week does not reshuffle for a negligible gain in race-day form.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from ortools.sat.python import cp_model

from shared.planning import (
    PHASES,
    PlanDay,
    PlanRequest,
    Race,
    SessionKind,
    SessionTemplate,
    TrainingSchema,
)
from shared.replanning import STRENGTH_SPORTS, DoneActivity, ReplanRequest, ReplanResult
from shared.response import Response, simulate
from worker.engine.calendar import Calendar, build_calendar
from worker.engine.errors import InvalidRequest
from worker.engine.explain import explain_infeasibility
from worker.engine.history import fitness_after
from worker.engine.model import OBJECTIVE_SCALE, PlanModel, build_model
from worker.engine.model.warm_start import DayChoice, warm_start
from worker.engine.past import FixedPast
from worker.engine.solve import (
    ProgressCallback,
    chosen_sessions,
    lay_out_days,
    per_sport_states,
    search,
)
from worker.engine.validation import schema_for, validate

# -- the request after the changes --------------------------------------------------------


def with_race(races: Sequence[Race], race: Race | None) -> list[Race]:
    """An A race replaces the goal (moved); a B/C race replaces the race of the same name,
    else the race on its date, else it is added."""
    out = list(races)
    if race is None:
        return out
    if race.priority == "A":
        return [race, *(r for r in out if r.priority != "A" and r.date != race.date)]
    same = next(
        (r for r in out if r.priority != "A" and race.name and r.name == race.name), None
    ) or next((r for r in out if r.priority != "A" and r.date == race.date), None)
    if same is not None:
        out.remove(same)
    return [*out, race]


def updated_request(req: ReplanRequest) -> PlanRequest:
    """The original request with the changes applied and the start pinned to the plan's."""
    original = req.request
    athlete = original.athlete.model_dump()
    athlete["unavailable_dates"] = sorted(
        set(original.athlete.unavailable_dates) | set(req.unavailable_dates)
    )
    if req.weekly_hours is not None:
        athlete["weekly_hours"] = req.weekly_hours
    data = original.model_dump(by_alias=True)
    data.update(
        start=req.previous[0].date,
        earliest_start=None,
        athlete=athlete,
        races=[r.model_dump() for r in with_race(original.races, req.race)],
    )
    return PlanRequest.model_validate(data)


def replan_problems(req: ReplanRequest, request: PlanRequest) -> list[str]:
    problems: list[str] = []
    goal = request.goal.date
    if req.effective > goal:
        problems.append(f"The effective date {req.effective} is after the race on {goal}.")
    if req.race is not None and req.race.date < req.effective:
        problems.append(
            f"The race on {req.race.date} is before the effective date {req.effective}: "
            "a race can only be moved or added in the part still to plan."
        )
    last = req.previous[-1].date
    if min(req.effective, goal) > last + timedelta(days=1) and req.done is None:
        problems.append(
            f"The previous plan ends on {last}; the days from then to {req.effective} "
            "are unknown (give what was done)."
        )
    return problems


# -- the days already lived -------------------------------------------------------------


def _kind_of(day: PlanDay, schema: TrainingSchema) -> SessionKind:
    known = {s.code: s.kind for s in schema.sessions}
    if day.session_code in known:
        return known[day.session_code]
    fallback: dict[str, SessionKind] = {"race": "race", "strength": "strength", "rest": "rest"}
    return fallback.get(day.intensity, "run")


def template_of(
    day: PlanDay, kind: SessionKind, split: dict[str, int] | None = None
) -> SessionTemplate:
    """A planned (or logged) day entry as a session; not validated: logs may exceed the
    catalogue's ranges (an ultra). `split`: its load by sport (a brick, a race)."""
    return SessionTemplate.model_construct(
        code=day.session_code,
        session_type=day.session_type,
        kind=kind,
        intensity=day.intensity,
        sport=day.sport,
        duration_min=day.duration_min,
        load=day.load,
        phases=list(PHASES),
        definition=day.session_definition,
        load_by_sport=split,
    )


def _split_of(day: PlanDay, schema: TrainingSchema) -> dict[str, int] | None:
    """The catalogue's load split of a multi-sport session done as planned (its load)."""
    same = next((s for s in schema.sessions if s.code == day.session_code), None)
    if same is None or same.load_by_sport is None or same.load != day.load:
        return None
    return same.load_by_sport


def _done_kind(a: DoneActivity, schema: TrainingSchema) -> SessionKind:
    """Given, else the planned session's (by code), else from the sport, duration and
    effort: an easy run as long as the catalogue's shortest long run is a long run; a hard or
    steady hour (a tempo) is a run, whatever its length."""
    if a.kind is not None:
        return a.kind
    planned = next((s.kind for s in schema.sessions if s.code == a.session_code), None)
    if planned is not None and planned != "rest":
        return planned
    if a.sport in STRENGTH_SPORTS or a.intensity == "strength":
        return "strength"
    shortest_long = min((s.duration_min for s in schema.sessions if s.kind == "long"), default=0)
    long_enough = bool(shortest_long) and a.duration_min >= shortest_long
    return "long" if long_enough and a.resolved_intensity() == "easy" else "run"


def done_day(
    when: date,
    activities: list[DoneActivity],
    planned: list[PlanDay],
    calendar_day: PlanDay,
    schema: TrainingSchema,
) -> list[tuple[PlanDay, SessionKind]]:
    """The entries of a day as done; nothing recorded means a rest day."""
    plan_text = ", ".join(f"{p.session_type} {p.duration_min} min" for p in planned if p.load)
    if not activities:
        note = "Nothing recorded" + (f" (planned: {plan_text})." if plan_text else ".")
        rest_code = next((s.code for s in schema.sessions if s.kind == "rest"), "REST")
        return [
            (
                calendar_day.model_copy(
                    update={
                        "session_code": rest_code,
                        "session_type": "Rest (missed)" if plan_text else "Rest",
                        "session_definition": note,
                        "intensity": "rest",
                        "sport": "run",
                        "duration_min": 0,
                        "load": 0,
                        "is_training_day": False,
                        "steps": [],
                    }
                ),
                "rest",
            )
        ]
    # Endurance first (the day's primary), then strength.
    ordered = sorted(activities, key=lambda a: _done_kind(a, schema) == "strength")
    out: list[tuple[PlanDay, SessionKind]] = []
    for slot, a in enumerate(ordered):
        kind = _done_kind(a, schema)
        # The planned session, done: it keeps its name, description and intensity class.
        same = next(
            (p for p in planned if a.session_code and p.session_code == a.session_code), None
        )
        intensity = "strength" if kind == "strength" else a.resolved_intensity()
        if same is not None and a.intensity is None:
            intensity = same.intensity
        label = {"run": "run", "long": "long run", "strength": "strength session"}.get(kind, kind)
        entry = calendar_day.model_copy(
            update={
                "slot": slot,
                "session_code": a.session_code or f"DONE_{kind.upper()}",
                "session_type": a.name or (same.session_type if same else f"Logged {label}"),
                "session_definition": same.session_definition
                if same is not None
                else f"Done: {a.sport}, {a.duration_min} min, load {a.load:g}"
                + (f" (planned: {plan_text})." if plan_text and slot == 0 else "."),
                "intensity": intensity,
                "sport": a.sport,
                "duration_min": a.duration_min,
                "load": round(a.load),
                "is_training_day": True,
                # The planned session's steps where it was the one done; none for others.
                "steps": same.steps if same is not None else [],
            }
        )
        out.append((entry, kind))
    return out


def past_days(
    req: ReplanRequest, request: PlanRequest, schema: TrainingSchema, calendar: Calendar, until: int
) -> list[list[tuple[PlanDay, SessionKind]]]:
    """Each day before the effective date: as planned, or as done when recorded (a day
    not lived yet, after `req.today`, only when activities were logged for it)."""
    planned: dict[date, list[PlanDay]] = defaultdict(list)
    for p in req.previous:
        planned[p.date].append(p)
    done: dict[date, list[DoneActivity]] = defaultdict(list)
    for a in req.done or []:
        done[a.date].append(a)
    since = req.done_since or calendar.start
    out: list[list[tuple[PlanDay, SessionKind]]] = []
    for day in calendar.days[:until]:
        entries = sorted(planned.get(day.date, []), key=lambda p: p.slot)
        lived = req.today is None or day.date <= req.today or day.date in done
        if req.done is not None and day.date >= since and lived:
            shell = entries[0] if entries else _shell(day.date, calendar, day.index)
            shell = shell.model_copy(update={"slot": 0})
            out.append(done_day(day.date, done.get(day.date, []), entries, shell, schema))
        elif entries:
            out.append([(p, _kind_of(p, schema)) for p in entries])
        else:
            raise InvalidRequest(
                f"The previous plan has no entry for {day.date}, before the effective date."
            )
    return out


def _shell(when: date, calendar: Calendar, index: int) -> PlanDay:
    day = calendar.days[index]
    return PlanDay(
        date=when,
        week_number=day.week_number,
        day_of_week=day.day_of_week,
        phase=day.phase,
        is_recovery_week=day.is_recovery_week,
        is_training_day=False,
        session_code="REST",
        session_type="Rest",
        session_definition="",
        intensity="rest",
        sport="run",
        duration_min=0,
        load=0,
        ctl=0.0,
        atl=0.0,
        tsb=0.0,
    )


def fixed_past(
    past: list[list[tuple[PlanDay, SessionKind]]],
    response: Response,
    planned: dict[date, list[PlanDay]],
    schema: TrainingSchema,
) -> FixedPast:
    sessions = tuple(
        tuple(template_of(p, kind, _split_of(p, schema)) for p, kind in entries if kind != "rest")
        for entries in past
    )
    loads = [float(sum(s.load for s in day)) for day in sessions]
    ctl, atl = fitness_after(loads, response)
    dates = [entries[0][0].date for entries in past]
    return FixedPast(
        until=len(past),
        sessions=sessions,
        ctl=ctl,
        atl=atl,
        planned=tuple(
            sum(p.load for p in planned[d]) if d in planned else round(load)
            for d, load in zip(dates, loads, strict=True)
        ),
    )


# -- the previous plan's future: a hint and a penalty ---------------------------------------


def previous_choice(pm: PlanModel, entries: list[PlanDay]) -> DayChoice:
    rest = pm.catalogue.rest.code
    kinds = [
        pm.sessions[p.session_code].kind if p.session_code in pm.sessions else p.intensity
        for p in entries
    ]
    endurance = [p.session_code for p, k in zip(entries, kinds, strict=True) if k != "strength"]
    primary = endurance[0] if endurance else rest
    return DayChoice(primary, tuple(endurance[1:]), "strength" in kinds)


def add_change_penalty(
    pm: PlanModel, previous: dict[int, DayChoice], weight: float
) -> dict[int, cp_model.IntVar]:
    """`changed_d` is 1 when day d's sessions differ from the previous plan's (the objective
    pushes it to 0 otherwise); each costs `weight` in race-day form units."""
    m = pm.model
    scaled = round(weight * OBJECTIVE_SCALE)
    changed: dict[int, cp_model.IntVar] = {}
    if scaled == 0:
        return changed
    for d, choice in previous.items():
        if pm.days[d].race is not None:
            continue  # fixed either way
        c = m.new_bool_var(f"changed_{d}")
        lit = pm.primary[d].get(choice.primary)
        if lit is None:
            m.add(c == 1)
        else:
            m.add(c + lit >= 1)
        for code, dl in pm.doubles[d].items():
            if code in choice.doubles:
                m.add(c + dl >= 1)
            else:
                m.add(c >= dl)
        if any(code not in pm.doubles[d] for code in choice.doubles):
            m.add(c == 1)
        s = pm.strength[d]
        if s is None:
            if choice.strength:
                m.add(c == 1)
        elif choice.strength:
            m.add(c + s >= 1)
        else:
            m.add(c >= s)
        changed[d] = c
        pm.penalties.append((scaled, c))
    return changed


def add_previous_hint(
    pm: PlanModel, previous: dict[int, DayChoice], changed: dict[int, cp_model.IntVar]
) -> None:
    """The previous plan's future days as a solution hint, repaired where a session no
    longer exists on that day (then rest); days the previous plan did not have stay free.
    A day's change indicator is hinted from the repaired choice."""
    hinted = warm_start(pm, previous)
    for d, c in changed.items():
        if d in hinted:
            pm.model.add_hint(c, hinted[d] != previous[d])


# -- the result -----------------------------------------------------------------------


def _codes(entries: list[PlanDay]) -> list[str]:
    return sorted(p.session_code for p in entries)


def changed_dates(days: list[PlanDay], previous: list[PlanDay], effective: date) -> list[date]:
    """Dates from `effective` on whose sessions differ from the previous plan's (or that
    the previous plan did not have)."""
    new: dict[date, list[PlanDay]] = defaultdict(list)
    old: dict[date, list[PlanDay]] = defaultdict(list)
    for p in days:
        if p.date >= effective:
            new[p.date].append(p)
    for p in previous:
        old[p.date].append(p)
    return [d for d in sorted(new) if d not in old or _codes(new[d]) != _codes(old[d])]


def assemble(
    pm: PlanModel,
    solver: cp_model.CpSolver,
    past: list[list[tuple[PlanDay, SessionKind]]],
) -> list[PlanDay]:
    """Past days as kept (or done), future days as solved; CTL/ATL/TSB through both."""
    fixed = pm.fixed
    assert fixed is not None
    laid = lay_out_days(pm, chosen_sessions(pm, solver))
    first_future = pm.days[fixed.until].date
    future = [p for p in laid if p.date >= first_future]
    days = [p for entries in past for p, _ in entries] + future
    loads = [0.0] * len(pm.days)
    for p in days:
        loads[(p.date - pm.calendar.start).days] += p.load
    states = simulate(loads, pm.response)
    by_sport = None
    if pm.multisport:  # through the lived sessions (doubles and splits too) and the solved
        chosen = chosen_sessions(pm, solver)
        by_sport = per_sport_states(
            pm,
            [
                list(fixed.sessions[d]) if d < fixed.until else [pm.sessions[c] for c in codes]
                for d, codes in enumerate(chosen)
            ],
        )
    out = []
    for p in days:
        index = (p.date - pm.calendar.start).days
        state = states[index]
        update: dict[str, object] = {
            "ctl": round(state.ctl, 2),
            "atl": round(state.atl, 2),
            "tsb": round(state.tsb, 2),
        }
        if by_sport is not None:
            update["ctl_by_sport"], update["atl_by_sport"] = by_sport[index]
        out.append(p.model_copy(update=update))
    return out


def replan(
    req: ReplanRequest,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    throttle_s: float = 0.25,
) -> ReplanResult:
    """Keep the days before `req.effective`, re-solve the rest; see the module docstring."""
    try:
        request = updated_request(req)
    except ValueError as exc:
        raise InvalidRequest(f"The changed request is invalid: {exc}") from exc
    problems = validate(request) + replan_problems(req, request)
    if problems:
        raise InvalidRequest(" ".join(problems))
    schema = schema_for(request)
    calendar = build_calendar(request, schema)
    started = time.perf_counter()
    until = min(max((req.effective - calendar.start).days, 0), len(calendar.days) - 1)
    effective = calendar.days[until].date
    past = past_days(req, request, schema, calendar, until)
    response = Response(
        ctl0=request.athlete.ctl,
        atl0=request.athlete.atl,
        ctl_tau=request.rules.ctl_tau_days,
        atl_tau=request.rules.atl_tau_days,
    )
    by_date: dict[date, list[PlanDay]] = defaultdict(list)
    for p in req.previous:
        by_date[p.date].append(p)
    fixed = fixed_past(past, response, by_date, schema)
    changed: dict[int, cp_model.IntVar] = {}
    previous: dict[int, DayChoice] = {}

    def extend(pm: PlanModel) -> None:
        for day in pm.days[until:]:
            if day.date in by_date:
                entries = sorted(by_date[day.date], key=lambda p: p.slot)
                previous[day.index] = previous_choice(pm, entries)
        changed.update(add_change_penalty(pm, previous, req.change_penalty))

    pm = build_model(request, schema, calendar, fixed=fixed, extend=extend)
    if req.hint_previous:
        add_previous_hint(pm, previous, changed)
    outcome = search(pm, on_progress, cancel, throttle_s, started=started)
    base = outcome.fields(request, calendar) | {
        "effective": effective,
        "kept_days": until,
        "ctl_at_effective": round(fixed.ctl, 2),
        "atl_at_effective": round(fixed.atl, 2),
    }
    if outcome.found:
        days = assemble(pm, outcome.solver, past)
        moved = changed_dates(days, req.previous, effective)
        return ReplanResult(**base, days=days, changed_days=len(moved), changed_dates=moved)
    if outcome.code == cp_model.INFEASIBLE:
        conflicts = explain_infeasibility(request, schema, calendar, fixed)
        return ReplanResult(**base, conflicts=conflicts)
    return ReplanResult(**base)
