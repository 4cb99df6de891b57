"""The triathlon seed's constraints as one CP-SAT model over a span of whole weeks.

The same rows serve the whole season (span = every day, from the start fitness) and the
seed's own week-by-week method (span = one week, earlier days fixed, from the
fitness carried in). Semantics are the seed's as reproduced in `trischedule.py`; the
formulation is tightened where the rows are linear:

- fatigue: one variable per day and sport for what the day adds (its domain the largest
  the day's catalogue holds), the window rows over those (six terms a row, not one per
  workout);
- divergence: rows over the daily gain variables (one per day and sport, not per
  workout);
- tight domains from the catalogue (the largest gain and fatigue a day can hold);
- implied rows: cliques of workouts too heavy to share a few days under the sport cap;
- symmetry: workouts identical in every modelled figure (sport, minutes, fatigue, gain,
  phases; the CSV has "fast form 25s" and "toy sets") share one variable per day. A class
  of c such workouts used at most c times in any `variety_days` window can always be named
  so that each workout keeps its own spacing (a unit-interval graph of clique size c is
  c-colourable), which `name_classes` does greedily after the solve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from shared.reproduce import SPORTS
from worker.reproduce.trischedule_data import FAT_SCALE, TriData

FIT_SCALE = 1000  # retention coefficients in thousandths
GAIN_SCALE = 10  # the CSV's gains have one decimal
OBJ_SCALE = FIT_SCALE * GAIN_SCALE  # model fitness units per unit of fitness


def workout_classes(data: TriData, merge: bool) -> list[list[int]]:
    """Catalogue indices grouped by every figure the model reads (singletons if not merge)."""
    if not merge:
        return [[j] for j in range(len(data.catalogue))]
    groups: dict[tuple[object, ...], list[int]] = {}
    for j, w in enumerate(data.catalogue):
        key = (w.sport, w.duration_min, w.fatigue, w.fitness_gain, tuple(w.excluded_phases))
        groups.setdefault(key, []).append(j)
    return list(groups.values())


@dataclass(frozen=True)
class Span:
    """Days [first, end) to decide, the rows of days [0, horizon) (default: end); `fixed`
    holds the choices of the other days before the horizon (the weeks already planned, or
    both sides of a window being re-planned)."""

    first: int
    end: int
    fixed: dict[int, list[int]] = field(default_factory=dict)
    horizon: int | None = None

    @property
    def last_row(self) -> int:
        return self.end if self.horizon is None else self.horizon

    def decided(self, day: int) -> bool:
        return self.first <= day < self.end


Expr = cp_model.LinearExprT


@dataclass
class TriModel:
    model: cp_model.CpModel
    span: Span
    classes: list[list[int]]
    y: dict[tuple[int, int], cp_model.IntVar]  # (day, class index) -> chosen
    # (day, sport) -> what the day adds: a variable inside the span, a constant outside
    gain: dict[tuple[int, str], Expr] = field(default_factory=dict)
    fatigue: dict[tuple[int, str], Expr] = field(default_factory=dict)
    fitness_end: dict[str, cp_model.LinearExpr] = field(default_factory=dict)  # scaled


def _workout(data: TriData, m: TriModel, c: int) -> int:
    return m.classes[c][0]  # every member has the same figures


def _sport_of(data: TriData, m: TriModel, c: int) -> str:
    return data.catalogue[_workout(data, m, c)].sport


def _day_classes(m: TriModel, d: int) -> list[int]:
    return [c for (dd, c) in m.y if dd == d]


def per_day_limits(m: TriModel, data: TriData) -> None:
    """Constraint 1 and 1a: at most `max_per_day` workouts a day, one per sport."""
    for d in range(m.span.first, m.span.end):
        here = _day_classes(m, d)
        m.model.add(sum(m.y[d, c] for c in here) <= data.params.max_per_day)
        for sport in SPORTS:
            m.model.add_at_most_one(m.y[d, c] for c in here if _sport_of(data, m, c) == sport)


def weekly_hours_within_cap(m: TriModel, data: TriData) -> None:
    """Constraint 3: a week's minutes within its cap (fixed days' minutes as constants)."""
    for week in data.weeks:
        days = range(week.first_day, min(week.first_day + week.days, m.span.last_row))
        if not any(m.span.decided(d) for d in days):
            continue
        minutes = sum(
            data.catalogue[j].duration_min
            for d in days
            if not m.span.decided(d)
            for j in m.span.fixed.get(d, [])
        )
        chosen = sum(
            data.catalogue[_workout(data, m, c)].duration_min * m.y[d, c]
            for d in days
            if m.span.decided(d)
            for c in _day_classes(m, d)
        )
        m.model.add(chosen + minutes <= week.minutes_cap)


def daily_totals_per_sport(m: TriModel, data: TriData) -> None:
    """gain[d, s] and fatigue[d, s]: what day d's workout of sport s adds (domains: the
    largest the day's catalogue allows); constants on fixed days."""
    for d in range(m.span.last_row):
        for sport in SPORTS:
            if not m.span.decided(d):
                picked = [data.catalogue[j] for j in m.span.fixed.get(d, [])]
                mine = [w for w in picked if w.sport == sport]
                m.gain[d, sport] = sum(round(GAIN_SCALE * w.fitness_gain) for w in mine)
                m.fatigue[d, sport] = sum(round(w.fatigue) for w in mine)
                continue
            chosen = [c for c in _day_classes(m, d) if _sport_of(data, m, c) == sport]
            gains = [
                round(GAIN_SCALE * data.catalogue[_workout(data, m, c)].fitness_gain)
                for c in chosen
            ]
            fats = [round(data.catalogue[_workout(data, m, c)].fatigue) for c in chosen]
            g = m.model.new_int_var(0, max(gains, default=0), f"gain_{d}_{sport}")
            f = m.model.new_int_var(0, max(fats, default=0), f"fat_{d}_{sport}")
            m.model.add(g == sum(v * m.y[d, c] for v, c in zip(gains, chosen, strict=True)))
            m.model.add(f == sum(v * m.y[d, c] for v, c in zip(fats, chosen, strict=True)))
            m.gain[d, sport], m.fatigue[d, sport] = g, f


def fatigue_within_caps(m: TriModel, data: TriData) -> None:
    """Constraints 2 and 2a: the decayed window per sport within the sport cap, the three
    windows' sum within the total cap; every day whose window reaches into the span.

    Plain rows over the daily fatigue variables: a variable per window (its domain the
    cap) reads more tightly but kept CP-SAT's LP from its bound (20 s on 2 shared cores,
    148-day season: bound 1116 with them, 503 without, the LP optimum)."""
    p = data.params
    weights = data.fatigue_weights()
    sport_cap = round(p.sport_fatigue_cap * FAT_SCALE)
    total_cap = round(p.total_fatigue_cap * FAT_SCALE)
    for d in range(m.span.first, min(m.span.last_row, m.span.end + len(weights) - 1)):
        rows = {
            sport: sum(
                wk * m.fatigue[d - k, sport] for k, wk in enumerate(weights) if d - k >= 0 and wk
            )
            for sport in SPORTS
        }
        for row in rows.values():
            m.model.add(row <= sport_cap)
        m.model.add(sum(rows.values()) <= total_cap)


def same_workout_spaced_out(m: TriModel, data: TriData) -> None:
    """Constraint 5: a workout at most once in any `variety_days` consecutive days (a class
    of c identical workouts: at most c times)."""
    span = data.params.variety_days
    last_start = min(m.span.end, m.span.last_row - span + 1)
    for c, members in enumerate(m.classes):
        for start in range(max(0, m.span.first - span + 1), last_start):
            days = range(start, start + span)
            used = sum(
                1
                for t in days
                if not m.span.decided(t)
                for j in m.span.fixed.get(t, [])
                if j in members
            )
            window = [m.y[t, c] for t in days if (t, c) in m.y]
            if len(window) + used > len(members):
                if len(members) == 1 and used == 0:
                    m.model.add_at_most_one(window)
                else:
                    m.model.add(sum(window) <= len(members) - used)


def _fitness_row(m: TriModel, data: TriData, sport: str, t: int) -> cp_model.LinearExpr:
    """Scaled fitness of `sport` on the morning of day t: start·ρ^t + Σ_{d<t} gain_d·ρ^(t-1-d),
    the same integer row whatever the span (fixed days enter as constants)."""
    rho = data.daily_retention
    const = round(OBJ_SCALE * data.params.start_fitness * rho**t)
    coefs = [round(FIT_SCALE * rho ** (t - 1 - d)) for d in range(t)]
    return cp_model.LinearExpr.weighted_sum([m.gain[d, sport] for d in range(t)], coefs) + const


def fitness_stays_balanced(m: TriModel, data: TriData) -> None:
    """Constraint 4: |F_a - F_b| <= max_divergence at every week end after the span's first
    day (race morning included).

    The rows stay dense in the daily gains: one fitness variable per week end and sport
    (two-term difference rows) was measured to slow CP-SAT's LP (10 units of deterministic
    time on the 148-day season: bound 1056 with them, 531 without)."""
    bound = round(OBJ_SCALE * data.params.max_divergence)
    for week in data.weeks:
        t = week.first_day + week.days
        if not m.span.first < t <= m.span.last_row:
            continue
        fit: dict[str, cp_model.LinearExpr] = {s: _fitness_row(m, data, s, t) for s in SPORTS}
        for i, a in enumerate(SPORTS):
            for b in SPORTS[i + 1 :]:
                m.model.add(fit[a] - fit[b] <= bound)
                m.model.add(fit[b] - fit[a] <= bound)
        if t == m.span.last_row:
            m.fitness_end = fit


def heavy_sessions_spaced(m: TriModel, data: TriData) -> None:
    """Implied rows (cliques of the sport cap): two workouts of one sport, each adding more
    than cap / (1 + w_(L-1)), cannot both fall within L days, since the later day's window
    would then hold more than the cap. Cut fractional spreads off the LP (a single build
    week proved in 2.6 s instead of 8.8 s)."""
    weights = [w / FAT_SCALE for w in data.fatigue_weights()]
    cap = data.params.sport_fatigue_cap
    for length in range(2, len(weights) + 1):
        floor = cap / (1 + weights[length - 1])
        heavy = [
            c for c in range(len(m.classes)) if data.catalogue[_workout(data, m, c)].fatigue > floor
        ]
        for sport in SPORTS:
            mine = [c for c in heavy if _sport_of(data, m, c) == sport]
            for t in range(m.span.first, m.span.end - length + 1):
                lits = [m.y[d, c] for d in range(t, t + length) for c in mine if (d, c) in m.y]
                if len(lits) > 1:
                    m.model.add_at_most_one(lits)


CONSTRAINT_FAMILIES = (
    daily_totals_per_sport,
    per_day_limits,
    weekly_hours_within_cap,
    fatigue_within_caps,
    same_workout_spaced_out,
    heavy_sessions_spaced,
    fitness_stays_balanced,
)


def build_model(data: TriData, span: Span, merge_identical: bool = True) -> TriModel:
    """Every family over `span`; no objective (the caller's)."""
    model = cp_model.CpModel()
    classes = workout_classes(data, merge_identical)
    y: dict[tuple[int, int], cp_model.IntVar] = {}
    for d in range(span.first, span.end):
        allowed = set(data.allowed(d))
        for c, members in enumerate(classes):
            if members[0] in allowed:
                y[d, c] = model.new_bool_var(f"y_{d}_{c}")
    m = TriModel(model, span, classes, y)
    for family in CONSTRAINT_FAMILIES:
        family(m, data)
    return m


def name_classes(m: TriModel, data: TriData, used: dict[int, list[int]]) -> dict[int, list[int]]:
    """Chosen classes per day -> catalogue workouts: each use of a class takes the member
    used longest ago (never within `variety_days`), so every workout keeps its spacing."""
    span = data.params.variety_days
    last: dict[int, int] = {}
    for day in sorted(m.span.fixed):
        if day < m.span.first:
            for j in m.span.fixed[day]:
                last[j] = day
    out: dict[int, list[int]] = {}
    for d in sorted(used):
        for c in used[d]:
            members = m.classes[c]
            j = min(members, key=lambda j: last.get(j, -(10**9)))
            if d - last.get(j, -(10**9)) < span:
                raise AssertionError(f"class {members} over-used near day {d}")
            last[j] = d
            out.setdefault(d, []).append(j)
    return out


def chosen_classes(m: TriModel, solver: cp_model.CpSolver) -> dict[int, list[int]]:
    used: dict[int, list[int]] = {}
    for (d, c), v in m.y.items():
        if solver.value(v):
            used.setdefault(d, []).append(c)
    return used


def class_plan(m: TriModel, plan: dict[int, list[int]]) -> dict[tuple[int, int], int] | None:
    """A plan by catalogue index as values of the span's class variables (its days in the
    span; None when it uses a workout on a day the model has no variable for)."""
    owner = {j: c for c, members in enumerate(m.classes) for j in members}
    picked = {(d, owner[j]) for d, js in plan.items() if m.span.decided(d) for j in js}
    if not picked <= m.y.keys():
        return None
    return {key: int(key in picked) for key in m.y}


def complete_hint(m: TriModel, plan: dict[int, list[int]]) -> bool:
    """Hint every variable from `plan` (the auxiliary ones by propagating it in a copy of
    the model); False, and no hint, when the plan breaks a constraint of this model."""
    values = class_plan(m, plan)
    if values is None:
        return False
    copy = m.model.clone()
    index = {key: v.index for key, v in m.y.items()}
    for key, value in values.items():
        copy.add(copy.get_int_var_from_proto_index(index[key]) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 30.0
    if solver.solve(copy) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    for i in range(len(m.model.proto.variables)):
        m.model.add_hint(
            m.model.get_int_var_from_proto_index(i),
            solver.value(copy.get_int_var_from_proto_index(i)),
        )
    return True
