"""The plan model's container: its variables, the rows a family adds, shared expressions.

Decision variables: for every day one primary session (REST included), an optional
strength session, and for athletes allowed doubles an optional second easy run. Daily
load is an integer variable; fitness (CTL), fatigue (ATL) and form (TSB) are affine in
the daily loads with closed-form coefficients (see `shared/response.py`), so no state is
chained through the days.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from shared.planning import SPORTS_OF, PlanRequest, SessionTemplate, TrainingSchema
from shared.response import Response
from worker.engine.calendar import Calendar, Day
from worker.engine.past import FixedPast

# Fixed-point scales: constraints on CTL/ATL/TSB are rounded conservatively at
# CONSTRAINT_SCALE so the real-valued inequality always holds on the output.
CONSTRAINT_SCALE = 100_000
OBJECTIVE_SCALE = 10_000

HARD_INTENSITIES = frozenset({"moderate", "hard", "race"})


def strength_may_join(session: SessionTemplate) -> bool:
    """Strength shares a day only with rest or an easy run (never with quality or a long run)."""
    return session.kind == "rest" or (session.kind == "run" and session.intensity == "easy")


def sports_of(session: SessionTemplate) -> tuple[str, ...]:
    """The sports a session trains: its own, both of a brick's (bike, run)."""
    return SPORTS_OF.get(session.sport, (session.sport,))


def is_multisport(schema: TrainingSchema) -> bool:
    """A catalogue of more than one training sport (strength aside): a triathlete's."""
    sports = {sport for s in schema.sessions if s.kind in ("run", "long") for sport in sports_of(s)}
    return len(sports) > 1


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
    # Implied rows that tighten the LP (model/cuts.py); off only to measure what they bring.
    lp_cuts: bool = True
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
    # Auxiliary variables of families, kept so a warm start can hint every variable.
    true_rest: dict[int, cp_model.IntVar] = field(default_factory=dict)
    peak_week_load: cp_model.IntVar | None = None
    peak_week_minutes: cp_model.IntVar | None = None
    peak_long: dict[str, cp_model.IntVar] = field(default_factory=dict)  # sport -> longest
    # Taper caps max(pct x peak, 100 x floor): (cap, pct, "load" | "minutes", floor).
    # Recovery caps max(pct x week before, 100 x floor): (cap, week before, pct, floor).
    recovery_caps: list[tuple[cp_model.IntVar, int, int, int]] = field(default_factory=list)
    allowances: dict[int, float] = field(default_factory=dict)  # week -> load bound (quality.py)
    taper_caps: list[tuple[cp_model.IntVar, int, str, int]] = field(default_factory=list)
    # (sport, week) -> M(w): the longest long session of the sport before the week.
    longest_before: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    # Multi-sport: each training sport's daily load (families/multisport.py).
    sport_load: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)
    # The fitness-share family's daily excess per sport, 100 x its load - pct x the load.
    sport_excess: tuple[int, dict[str, list[cp_model.IntVar]]] | None = None
    # Recovery-week rows with the week each is measured against and that week's coefficient
    # (settled against the days already lived, see families/load.py).
    recovery_rows: list[tuple[cp_model.Constraint, int, int]] = field(default_factory=list)  # max
    # Load-growth rows likewise: (row, reference week, the reference's coefficient).
    growth_rows: list[tuple[cp_model.Constraint, int, int]] = field(default_factory=list)
    # Re-planning (settle.py): days already lived, their variables, and objective penalties.
    fixed: FixedPast | None = None
    settled: set[int] = field(default_factory=set)
    fixed_lits: dict[int, list[tuple[SessionTemplate, cp_model.IntVar]]] = field(
        default_factory=dict
    )
    penalties: list[tuple[int, cp_model.LinearExprT]] = field(default_factory=list)
    # The monotony penalty's variables (monotony.py): (week's days, |7 L_d - W| each, shortfall).
    monotony_terms: list[tuple[tuple[int, ...], list[cp_model.IntVar], cp_model.IntVar]] = field(
        default_factory=list
    )
    constraint_groups: dict[int, str] = field(default_factory=dict)  # constraint index -> family
    catalogue: Catalogue = field(init=False)
    multisport: bool = field(init=False)

    def __post_init__(self) -> None:
        self.catalogue = Catalogue.of(self.schema)
        self.multisport = is_multisport(self.schema)

    def is_long_run(self, session: SessionTemplate) -> bool:
        """A long run; in a multi-sport plan a long session of sport run only (not a ride)."""
        return session.kind == "long" and (not self.multisport or session.sport == "run")

    def is_long(self, session: SessionTemplate, sport: str) -> bool:
        """The long session of `sport`: the long run, or in a multi-sport plan the long ride."""
        if sport == "run":
            return self.is_long_run(session)
        return self.multisport and session.kind == "long" and session.sport == sport

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

    def past(self, d: int) -> bool:
        """Day `d` was already lived (a re-plan): its variables are facts."""
        return self.fixed is not None and self.fixed.covers(d)

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
        return total(
            lit
            for code, lit in self.primary[d].items()
            if self.sessions[code].intensity in HARD_INTENSITIES
        )

    def race_load(self, days: Iterable[int]) -> int:
        """The load of the races among `days` (constants: a race day's session is fixed)."""
        return sum(
            self.sessions[c].load
            for d in days
            if self.days[d].race is not None
            for c in self.primary[d]
        )

    def long_expr(self, d: int) -> cp_model.LinearExpr:
        return total(
            lit for code, lit in self.primary[d].items() if self.is_long_run(self.sessions[code])
        )

    def training_minutes(self, d: int) -> cp_model.LinearExpr:
        """Minutes that count against hours caps: everything but a race."""
        return weighted(
            (s.duration_min, lit) for s, lit in self.session_lits(d) if s.kind != "race"
        )


@dataclass
class Rows:
    """The constraints one family adds to a model, under the family's name.

    A user-facing family's rows are enforced by the family's literal when diagnosing (so an
    infeasible core names families) and are looked up by re-planning for the family's
    policy; a structural family (`family=None`) adds plain hard rows."""

    pm: PlanModel
    family: str | None

    def add(self, expr: cp_model.BoundedLinearExpression | bool | np.bool_) -> cp_model.Constraint:
        ct = self.pm.model.add(expr)
        if self.family is not None:
            pm = self.pm
            pm.constraint_groups[ct.index] = self.family
            if pm.diagnose:
                if self.family not in pm.guards:
                    pm.guards[self.family] = pm.model.new_bool_var(f"group_{self.family}")
                ct.only_enforce_if(pm.guards[self.family])
        return ct

    def affine_ge(self, const: float, coeffs: Sequence[float], rhs: float) -> None:
        """sum(coeffs[t]·load[t]) + const >= rhs, rounded so the real inequality holds."""
        s = CONSTRAINT_SCALE
        expr = weighted([(math.floor(c * s), self.pm.load[t]) for t, c in enumerate(coeffs)])
        self.add(expr >= math.ceil((rhs - const) * s))

    def affine_le(self, const: float, coeffs: Sequence[float], rhs: float) -> None:
        """sum(coeffs[t]·load[t]) + const <= rhs, rounded so the real inequality holds."""
        s = CONSTRAINT_SCALE
        expr = weighted([(math.ceil(c * s), self.pm.load[t]) for t, c in enumerate(coeffs)])
        self.add(expr <= math.floor((rhs - const) * s))


def total(exprs: Iterable[cp_model.LinearExprT]) -> cp_model.LinearExpr:
    """A flat sum (Python's sum() nests one node per term, deep enough to crash)."""
    return cp_model.LinearExpr.sum(list(exprs))


def weighted(terms: Iterable[tuple[int, cp_model.LinearExprT]]) -> cp_model.LinearExpr:
    """A flat weighted sum of (coefficient, expression) pairs, zero coefficients left out."""
    pairs = [(k, v) for k, v in terms if k != 0]
    return cp_model.LinearExpr.weighted_sum([v for _, v in pairs], [k for k, _ in pairs])
