"""The CP-SAT model of a training plan, one function per constraint family.

Decision variables: for every day one primary session (REST included), an
optional strength session, and for athletes allowed doubles an optional second
easy run. Daily load is an integer variable; fitness (CTL), fatigue (ATL) and
form (TSB) are affine in the daily loads with closed-form coefficients
(see `response.py`), so no state is chained through the days.

Every user-facing family belongs to a named group. In diagnosis mode each group
is guarded by an assumption literal, so an infeasible request can be explained
by the groups in an infeasible core (see `explain.py`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from shared.planning import PlanRequest, SessionTemplate, TrainingSchema
from shared.response import Response
from worker.engine.calendar import Calendar, Day
from worker.engine.fixed import (
    FixedPast,
    fixed_day_variables,
    settle_constraints,
    settle_loads,
)
from worker.engine.templates import race_session

# Fixed-point scales: constraints on CTL/ATL/TSB are rounded conservatively at
# CONSTRAINT_SCALE so the real-valued inequality always holds on the output.
CONSTRAINT_SCALE = 100_000
OBJECTIVE_SCALE = 10_000

# Two long runs never fall within this many consecutive days (Sunday, then Thursday at the earliest).
LONG_RUN_SPACING = 4
HARD_INTENSITIES = frozenset({"moderate", "hard", "race"})

GROUPS = (
    "availability",
    "weekly_hours",
    "rest_days",
    "min_runs",
    "long_run",
    "intensity_mix",
    "no_back_to_back",
    "strength_spacing",
    "variety",
    "ctl_ramp",
    "tsb_floor",
    "recovery_weeks",
    "taper",
    "race_form",
    "race_fitness",
    "b_race_taper",
)


@dataclass
class Catalogue:
    rest: SessionTemplate
    runs: list[SessionTemplate]  # primary non-rest sessions (runs and long runs)
    strength: SessionTemplate | None

    @classmethod
    def of(cls, schema: TrainingSchema) -> Catalogue:
        rest = next((s for s in schema.sessions if s.kind == "rest"), None)
        if rest is None:
            rest = SessionTemplate(
                code="REST",
                session_type="Rest",
                kind="rest",
                intensity="rest",
                duration_min=0,
                load=0,
                definition="Rest day: no training.",
            )
        runs = [s for s in schema.sessions if s.kind in ("run", "long")]
        strength = next((s for s in schema.sessions if s.kind == "strength"), None)
        return cls(rest=rest, runs=runs, strength=strength)


@dataclass
class PlanModel:
    request: PlanRequest
    schema: TrainingSchema
    calendar: Calendar
    diagnose: bool = False
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    # primary[d][code] -> literal; doubles[d][code]; strength[d]
    primary: list[dict[str, cp_model.IntVar]] = field(default_factory=list)
    doubles: list[dict[str, cp_model.IntVar]] = field(default_factory=list)
    strength: list[cp_model.IntVar | None] = field(default_factory=list)
    load: list[cp_model.IntVar] = field(default_factory=list)
    week_load: dict[int, cp_model.IntVar] = field(default_factory=dict)
    sessions: dict[str, SessionTemplate] = field(default_factory=dict)
    guards: dict[str, cp_model.IntVar] = field(default_factory=dict)
    objective_offset: float = 0.0
    max_day_load: int = 0
    # Auxiliary variables, kept so the heuristic hint can be complete.
    true_rest: dict[int, cp_model.IntVar] = field(default_factory=dict)
    peak_week_load: cp_model.IntVar | None = None
    # Re-planning (fixed.py): days already lived, their variables, and objective penalties.
    fixed: FixedPast | None = None
    settled: set[int] = field(default_factory=set)
    fixed_lits: dict[int, list[tuple[SessionTemplate, cp_model.IntVar]]] = field(
        default_factory=dict
    )
    penalties: list[tuple[int, cp_model.LinearExprT]] = field(default_factory=list)
    constraint_groups: dict[int, str] = field(default_factory=dict)  # constraint index -> group
    catalogue: Catalogue = field(init=False)

    def __post_init__(self) -> None:
        self.catalogue = Catalogue.of(self.schema)

    @property
    def days(self) -> tuple[Day, ...]:
        return self.calendar.days

    @property
    def response(self) -> Response:
        r = self.request.rules
        return Response(
            ctl0=self.request.athlete.ctl,
            atl0=self.request.athlete.atl,
            ctl_tau=r.ctl_tau_days,
            atl_tau=r.atl_tau_days,
        )

    # -- guarded constraints -------------------------------------------------
    def guard(self, ct: cp_model.Constraint, group: str) -> None:
        """Make `ct` part of `group`: enforced by the group's literal when diagnosing."""
        self.constraint_groups[ct.index] = group
        if self.diagnose:
            if group not in self.guards:
                self.guards[group] = self.model.new_bool_var(f"group_{group}")
            ct.only_enforce_if(self.guards[group])

    def add(self, expr: cp_model.BoundedLinearExpression | bool | np.bool_, group: str) -> None:
        self.guard(self.model.add(expr), group)

    def add_affine_ge(self, const: float, coeffs: Sequence[float], rhs: float, group: str) -> None:
        """sum(coeffs[t]·load[t]) + const >= rhs, rounded so the real inequality holds."""
        s = CONSTRAINT_SCALE
        expr = _weighted([(math.floor(c * s), self.load[t]) for t, c in enumerate(coeffs)])
        self.add(expr >= math.ceil((rhs - const) * s), group)

    def add_affine_le(self, const: float, coeffs: Sequence[float], rhs: float, group: str) -> None:
        """sum(coeffs[t]·load[t]) + const <= rhs, rounded so the real inequality holds."""
        s = CONSTRAINT_SCALE
        expr = _weighted([(math.ceil(c * s), self.load[t]) for t, c in enumerate(coeffs)])
        self.add(expr <= math.floor((rhs - const) * s), group)

    # -- expressions ------------------------------------------------------------
    def session_lits(self, d: int) -> Iterable[tuple[SessionTemplate, cp_model.IntVar]]:
        if d in self.fixed_lits:  # a past day: every session exactly as done
            yield from self.fixed_lits[d]
            return
        for code, lit in self.primary[d].items():
            yield self.sessions[code], lit
        for code, lit in self.doubles[d].items():
            yield self.sessions[code], lit
        s = self.strength[d]
        if s is not None and self.catalogue.strength is not None:
            yield self.catalogue.strength, s

    def rest_lit(self, d: int) -> cp_model.IntVar | None:
        return self.primary[d].get(self.catalogue.rest.code)

    def hard_expr(self, d: int) -> cp_model.LinearExpr:
        return _sum(
            lit
            for code, lit in self.primary[d].items()
            if self.sessions[code].intensity in HARD_INTENSITIES
        )

    def long_expr(self, d: int) -> cp_model.LinearExpr:
        return _sum(
            lit for code, lit in self.primary[d].items() if self.sessions[code].kind == "long"
        )

    def training_minutes(self, d: int) -> cp_model.LinearExpr:
        """Minutes that count against hours caps: everything but a race."""
        return _weighted(
            (s.duration_min, lit) for s, lit in self.session_lits(d) if s.kind != "race"
        )


def _sum(exprs: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExpr:
    """A flat sum (Python's sum() nests one node per term, deep enough to crash)."""
    return cp_model.LinearExpr.sum(list(exprs))


def _weighted(terms: Iterable[tuple[int, cp_model.LinearExprT]]) -> cp_model.LinearExpr:
    pairs = [(k, v) for k, v in terms if k != 0]
    return cp_model.LinearExpr.weighted_sum([v for _, v in pairs], [k for k, _ in pairs])


# -- variables ------------------------------------------------------------------


def _race_template(pm: PlanModel, day: Day) -> SessionTemplate:
    assert day.race is not None
    if day.race.priority == "A" and day.race.distance == pm.schema.distance:
        base = race_session(day.race.distance)
        return base.model_copy(
            update={"duration_min": pm.schema.race_duration_min, "load": pm.schema.race_load}
        )
    return race_session(day.race.distance)


def create_variables(pm: PlanModel) -> None:
    m, cat = pm.model, pm.catalogue
    pm.sessions = {s.code: s for s in [cat.rest, *cat.runs]}
    if cat.strength is not None:
        pm.sessions[cat.strength.code] = cat.strength
    doubles_ok = pm.request.athlete.doubles
    max_load = 0
    for day in pm.days:
        d = day.index
        prim: dict[str, cp_model.IntVar] = {}
        dbl: dict[str, cp_model.IntVar] = {}
        strength: cp_model.IntVar | None = None
        if pm.fixed is not None and pm.fixed.covers(d):
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
                lit = m.new_bool_var(f"{s.code}_{d}")
                prim[s.code] = lit
                if not day.fits(s.duration_min):
                    pm.add(lit == 0, "availability")
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


# -- structural families (always hard) -------------------------------------------


def one_primary_session_per_day(pm: PlanModel) -> None:
    for d in range(len(pm.days)):
        pm.model.add_exactly_one(pm.primary[d].values())


def second_session_only_alongside_easy_running(pm: PlanModel) -> None:
    """A double is a second easy run on a running day; strength joins rest or easy days."""
    m, cat = pm.model, pm.catalogue
    for d in range(len(pm.days)):
        dbl = list(pm.doubles[d].values())
        if dbl:
            running = _sum(lit for c, lit in pm.primary[d].items() if c != cat.rest.code)
            m.add(_sum(dbl) <= running)
        s = pm.strength[d]
        if s is not None:
            easy_or_rest = [
                lit
                for c, lit in pm.primary[d].items()
                if pm.sessions[c].kind == "rest"
                or (pm.sessions[c].kind == "run" and pm.sessions[c].intensity == "easy")
            ]
            m.add(s <= _sum(easy_or_rest))
            if dbl:
                m.add(_sum([s, *dbl]) <= 1)


def daily_load_definition(pm: PlanModel) -> None:
    for d in range(len(pm.days)):
        pm.model.add(pm.load[d] == _weighted((s.load, lit) for s, lit in pm.session_lits(d)))
    for week in pm.calendar.weeks:
        pm.model.add(pm.week_load[week.number] == _sum(pm.load[d] for d in week.days))


# -- user-facing families -----------------------------------------------------


def daily_minutes_within_availability(pm: PlanModel) -> None:
    for day in pm.days:
        if day.race is not None:
            continue
        d = day.index
        if day.available_min == 0:
            rest = pm.rest_lit(d)
            assert rest is not None
            pm.add(rest == 1, "availability")
            if pm.strength[d] is not None:
                pm.add(pm.strength[d] == 0, "availability")
        elif day.available_min is not None and (pm.doubles[d] or pm.strength[d] is not None):
            pm.add(pm.training_minutes(d) <= day.available_min, "availability")


def weekly_hours_cap(pm: PlanModel) -> None:
    cap = round(pm.request.athlete.weekly_hours * 60)
    for week in pm.calendar.weeks:
        pm.add(_sum(pm.training_minutes(d) for d in week.days) <= cap, "weekly_hours")


def rest_days_per_week(pm: PlanModel) -> None:
    """At least `rest_days` days without any session per calendar week (pro rata if partial)."""
    need_full = pm.request.athlete.rest_days
    m = pm.model
    for week in pm.calendar.weeks:
        need = need_full if week.full else (need_full * len(week.days)) // 7
        if need == 0:
            continue
        rests = []
        for d in week.days:
            rest = pm.rest_lit(d)
            if rest is None:
                continue
            s = pm.strength[d]
            if s is None:
                rests.append(rest)
            else:
                r = pm.true_rest.setdefault(d, m.new_bool_var(f"true_rest_{d}"))
                m.add_implication(r, rest)
                m.add_implication(r, ~s)
                rests.append(r)
        pm.add(_sum(rests) >= need, "rest_days")


def minimum_runs_per_week(pm: PlanModel) -> None:
    need_full = pm.request.rules.min_runs_per_week
    for week in pm.calendar.weeks:
        need = need_full if week.full else (need_full * len(week.days)) // 7
        if need == 0:
            continue
        rests = [r for r in (pm.rest_lit(d) for d in week.days) if r is not None]
        pm.add(len(week.days) - _sum(rests) >= need, "min_runs")


def long_run_each_training_week(pm: PlanModel) -> None:
    """Exactly one long run per full non-taper week, at most one in any other week,
    and long runs at least `LONG_RUN_SPACING` days apart across week boundaries."""
    rules = pm.request.rules
    for week in pm.calendar.weeks:
        longs = _sum(pm.long_expr(d) for d in week.days)
        if rules.long_run_every_week and week.full and not week.has_taper:
            pm.add(longs == 1, "long_run")
        else:
            pm.model.add(longs <= 1)
    n = len(pm.days)
    for d in range(n - LONG_RUN_SPACING + 1):
        pm.add(_sum(pm.long_expr(t) for t in range(d, d + LONG_RUN_SPACING)) <= 1, "long_run")


def intensity_mix(pm: PlanModel) -> None:
    """At least `min_easy_share` of running time (races excluded) is easy."""
    p = round(pm.request.rules.min_easy_share * 100)
    terms = []
    for d in range(len(pm.days)):
        for s, lit in pm.session_lits(d):
            if s.kind in ("run", "long"):
                k = s.duration_min * (100 - p) if s.intensity == "easy" else -s.duration_min * p
                terms.append((k, lit))
    if terms:
        pm.add(_weighted(terms) >= 0, "intensity_mix")


def no_hard_days_back_to_back(pm: PlanModel) -> None:
    for d in range(len(pm.days) - 1):
        pm.add(pm.hard_expr(d) + pm.hard_expr(d + 1) <= 1, "no_back_to_back")


def strength_spacing(pm: PlanModel) -> None:
    window = pm.request.rules.strength_window_days
    n = len(pm.days)
    for d in range(n - window + 1):
        lits = [s for s in pm.strength[d : d + window] if s is not None]
        if len(lits) > 1:
            pm.add(_sum(lits) <= 1, "strength_spacing")


def variety(pm: PlanModel) -> None:
    """The same moderate/hard session code never twice within `variety_window_days` days."""
    gap = pm.request.rules.variety_window_days
    if gap == 0:
        return
    n = len(pm.days)
    codes = [s.code for s in pm.catalogue.runs if s.intensity in ("moderate", "hard")]
    for code in codes:
        for d in range(n - gap):
            lits = [pm.primary[t][code] for t in range(d, d + gap + 1) if code in pm.primary[t]]
            if len(lits) > 1:
                pm.add(_sum(lits) <= 1, "variety")


def ctl_ramp(pm: PlanModel) -> None:
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
        pm.add_affine_le(c1 - c0, coeffs, ramp, "ctl_ramp")
        prev_end = end


def tsb_floor(pm: PlanModel) -> None:
    floor = pm.request.rules.min_tsb
    resp = pm.response
    for d in range(1, len(pm.days)):
        const, coeffs = resp.tsb_morning(d)
        pm.add_affine_ge(const, coeffs, floor, "tsb_floor")


def recovery_week_load(pm: PlanModel) -> None:
    pct = round(pm.request.rules.recovery_load_ratio * 100)
    weeks = {w.number: w for w in pm.calendar.weeks}
    for week in pm.calendar.weeks:
        prev = weeks.get(week.number - 1)
        if week.is_recovery and prev is not None:
            pm.add(
                100 * pm.week_load[week.number] <= pct * pm.week_load[prev.number],
                "recovery_weeks",
            )


def taper(pm: PlanModel) -> None:
    """Last 7 days before the race at most `taper_load_ratio` of the peak week; some intensity."""
    m, cal = pm.model, pm.calendar
    race = cal.race_index
    training = [w for w in cal.weeks if w.full and not w.has_taper]
    if training and race - cal.taper_start >= 7:
        peak = m.new_int_var(0, 7 * pm.max_day_load, "peak")
        m.add_max_equality(peak, [pm.week_load[w.number] for w in training])
        pm.peak_week_load = peak
        pct = round(pm.request.rules.taper_load_ratio * 100)
        last = _sum(pm.load[d] for d in range(race - 7, race))
        pm.add(100 * last <= pct * peak, "taper")
    # Keep some intensity: each week holding 4+ taper days before the race has a quality day.
    for week in cal.weeks:
        taper_days = [d for d in week.days if cal.taper_start <= d < race]
        if len(taper_days) >= 4:
            pm.add(_sum(pm.hard_expr(d) for d in taper_days) >= 1, "taper")


def race_day_targets(pm: PlanModel) -> None:
    """A race: form in its window; fitness floors; B race: a short mini-taper."""
    rules, resp = pm.request.rules, pm.response
    for day in pm.days:
        race = day.race
        if race is None:
            continue
        d = day.index
        if race.priority == "A":
            const, coeffs = resp.tsb_morning(d)
            pm.add_affine_ge(const, coeffs, rules.race_tsb_min, "race_form")
            pm.add_affine_le(const, coeffs, rules.race_tsb_max, "race_form")
        if race.fitness_floor is not None and d > 0:
            const, coeffs = resp.ctl_at_end(d - 1)
            pm.add_affine_ge(const, coeffs, race.fitness_floor, "race_fitness")
        if race.priority == "B":
            for t in range(max(0, d - 2), d):
                pm.add(pm.hard_expr(t) == 0, "b_race_taper")
            for t in range(max(0, d - 3), d):
                pm.add(pm.long_expr(t) == 0, "b_race_taper")


CONSTRAINT_FAMILIES = (
    one_primary_session_per_day,
    second_session_only_alongside_easy_running,
    daily_load_definition,
    daily_minutes_within_availability,
    weekly_hours_cap,
    rest_days_per_week,
    minimum_runs_per_week,
    long_run_each_training_week,
    intensity_mix,
    no_hard_days_back_to_back,
    strength_spacing,
    variety,
    ctl_ramp,
    tsb_floor,
    recovery_week_load,
    taper,
    race_day_targets,
)


def race_performance_objective(pm: PlanModel) -> None:
    """Maximise CTL - w·ATL on the race morning, minus small preference penalties."""
    rules, resp = pm.request.rules, pm.response
    race = pm.calendar.race_index
    w = rules.fatigue_weight
    c_const, c_coef = resp.ctl_at_end(race - 1)
    a_const, a_coef = resp.atl_at_end(race - 1)
    s = OBJECTIVE_SCALE
    expr = _weighted(
        (round((c - w * a) * s), pm.load[t])
        for t, (c, a) in enumerate(zip(c_coef, a_coef, strict=True))
    )
    pm.objective_offset = c_const - w * a_const
    penalty = round(rules.long_run_day_penalty * s)
    moved = [
        pm.long_expr(day.index)
        for day in pm.days
        if day.day_of_week != pm.request.athlete.long_run_day and day.race is None
    ]
    pm.model.maximize(
        expr - penalty * _sum(moved) - _weighted(pm.penalties) + round(pm.objective_offset * s)
    )


def build_model(
    request: PlanRequest,
    schema: TrainingSchema,
    calendar: Calendar,
    diagnose: bool = False,
    fixed: FixedPast | None = None,
    extend: Callable[[PlanModel], None] | None = None,
) -> PlanModel:
    """`fixed`: days already lived (a re-plan); `extend` adds to the model (e.g. penalties)
    before the objective is set."""
    pm = PlanModel(
        request=request, schema=schema, calendar=calendar, diagnose=diagnose, fixed=fixed
    )
    create_variables(pm)
    for family in CONSTRAINT_FAMILIES:
        family(pm)
    if extend is not None:
        extend(pm)
    race_performance_objective(pm)
    if fixed is not None:
        settle_constraints(pm)
    return pm
