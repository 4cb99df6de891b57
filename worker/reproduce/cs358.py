"""The CS358 seed's investment-return model (`model: investment`), reproduced exactly.

Every session costs fitness on its day and returns more a fixed number of days later
(easy: cost 1, +2 after 1 day; medium: 3, +6 after 2; hard: 5, +12 after 3; strength: 2,
plus a 30-point bonus for 5 sessions in a 5-week window); `f_0 = B`, `f_i >= 0`, maximise
`f_N`. The formulation is the one spelled out in issue 4, section 1.

Layout, kept apart on purpose:

* data — `InvestmentData`: the instance (days, races, bonus days) derived from the request;
* model — `build_formulation`: a solver-neutral list of linear rows over 0/1 variables,
  one small function per constraint family, named for what it enforces; the same rows feed
  CP-SAT (`to_cp_model`) and the MIP file the benchmark hands to HiGHS and GLPK (`to_lp`);
* params — `solver_parameters`: the CP-SAT parameters;
* result — `solve_cs358` returns a `Cs358Result` whose fitness column is recomputed from
  the chosen sessions by the recursion itself (`replay_fitness`), not read off the model.

Fitness is never a variable: `f_i` is an affine expression of the decisions (a session on day
t adds a known coefficient to every later f_i), so `f_i >= 0` is one linear row. All fitness
arithmetic is scaled by 4 (`SCALE`) so that the races' `1.25·i` stays integral.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from shared.reproduce import Cs358Day, Cs358Request, Cs358Result
from worker.engine.parameters import LP_SUBSOLVERS, configure_base
from worker.engine.progress import ProgressCallback
from worker.reproduce.outcome import solve_model

SCALE = 4  # fitness units per model unit: 1.25·i·SCALE is an integer
KINDS = ("easy", "medium", "hard", "strength", "off")
COST = {"easy": 1, "medium": 3, "hard": 5, "strength": 2}
RETURN = {"easy": (2, 1), "medium": (6, 2), "hard": (12, 3)}  # (amount, after days)
BONUS = 30
BONUS_STRENGTH_SESSIONS = 5
MAX_RUNS_PER_7_DAYS = 10
STRENGTH_WINDOW = 4

# ------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class InvestmentData:
    """One instance. Days are 1-based; `race_adjust[i]` is race_i scaled by SCALE."""

    days: int
    rest_days: int
    baseline: int
    max_runs_per_day: int
    race_days: tuple[int, ...]
    race_adjust: dict[int, int]
    bonus_days: tuple[int, ...]  # bonus_days[k-1] = the day b_k pays on

    @classmethod
    def from_request(cls, req: Cs358Request) -> InvestmentData:
        n, base = req.days, req.baseline
        if req.races is None:
            races: tuple[int, ...] = (n // 2,) if n >= 60 else ()
        else:
            races = tuple((n // (req.races + 1)) * j for j in range(1, req.races + 1))
        adjust: dict[int, int] = {}
        for r in races:  # the give-back four days later, unless that day is itself a race day
            if r + 4 <= n and r + 4 not in races:
                adjust[r + 4] = 5 * r + SCALE * base
        for r in races:
            adjust[r] = -(5 * r + SCALE * base)
        weeks = n // 7
        bonus_days = tuple(35 + 7 * (k - 1) for k in range(1, weeks - 4 + 1))
        return cls(n, req.rest_days, base, req.max_runs_per_day, races, adjust, bonus_days)

    @property
    def day_range(self) -> range:
        return range(1, self.days + 1)


def var(kind: str, i: int) -> str:
    """Variable names, shared by the CP-SAT model and the LP file: easy3, off12, b2."""
    return f"{kind}{i}"


# ------------------------------------------------------------------------------ model


@dataclass(frozen=True)
class Row:
    """lo <= sum(coef·var) <= hi over 0/1 variables; None = unbounded side."""

    name: str
    terms: tuple[tuple[str, int], ...]
    lo: int | None = None
    hi: int | None = None


@dataclass
class Formulation:
    variables: list[str]  # 0/1
    rows: list[Row]
    objective: dict[str, int]  # SCALE·f_N = sum(objective) + objective_constant
    objective_constant: int
    scale: int = SCALE
    families: dict[str, int] = field(default_factory=dict)  # family -> row count
    integers: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> bounds


def _runs(i: int) -> list[tuple[str, int]]:
    return [(var("easy", i), 1), (var("medium", i), 1), (var("hard", i), 1)]


def fitness_terms(data: InvestmentData, i: int) -> tuple[dict[str, int], int]:
    """SCALE·f_i as (coefficients, constant): the recursion unrolled from f_0 = B."""
    terms: dict[str, int] = {}
    for t in range(1, i + 1):
        for kind, cost in COST.items():
            coef = -SCALE * cost
            if kind in RETURN:
                amount, after = RETURN[kind]
                if t + after <= i:
                    coef += SCALE * amount
            terms[var(kind, t)] = coef
    for k, day in enumerate(data.bonus_days, start=1):
        if day <= i:
            terms[var("b", k)] = SCALE * BONUS
    constant = SCALE * data.baseline + sum(a for d, a in data.race_adjust.items() if d <= i)
    return terms, constant


def fitness_never_negative(data: InvestmentData) -> list[Row]:
    """f_i >= 0 for every day; race days carry -(1.25·i + B), which makes them floors."""
    rows = []
    for i in data.day_range:
        terms, constant = fitness_terms(data, i)
        rows.append(Row(f"fitness_{i}", tuple(terms.items()), lo=-constant))
    return rows


def _strength_is_fixed_off(data: InvestmentData) -> range:
    """Days whose strength variable the bonus rows force to 0 (see `strength_bonus_...`)."""
    return range(1, 7 * (data.days // 7) + 1) if len(data.bonus_days) >= 2 else range(0)


def _lowest_possible(data: InvestmentData, terms: dict[str, int]) -> int:
    """A lower bound of sum(terms) over plans obeying the per-day and strength rules."""
    fixed_off = set(_strength_is_fixed_off(data))
    low, strength_days = 0, 0
    for i in data.day_range:
        c = {k: terms.get(var(k, i), 0) for k in ("easy", "medium", "hard")}
        combos = [
            c["easy"] * e + c["medium"] * m + c["hard"] * h
            for e in (0, 1)
            for m in (0, 1)
            for h in (0, 1)
            if m + h <= 1 and e + m + h <= data.max_runs_per_day
        ]
        low += min(combos)
        cs = terms.get(var("strength", i), 0)
        if cs < 0 and i not in fixed_off:
            strength_days += 1
            strength_coef = cs
        elif cs > 0:
            raise AssertionError("strength only ever costs fitness")
    if strength_days:  # at most one strength session in any 4 consecutive days
        low += strength_coef * -(-strength_days // STRENGTH_WINDOW)
    return low + sum(min(c, 0) for n, c in terms.items() if n.startswith("b"))


def fitness_never_negative_where_it_can_bind(data: InvestmentData) -> list[Row]:
    """f_i >= 0, leaving out the days where no plan obeying the other rules can go below 0.

    Same feasible set as `fitness_never_negative` (a row is dropped only when its lowest
    possible value under the per-day and strength rules is already >= 0), far fewer
    nonzeros: with a sizeable baseline only the days around races remain.
    """
    rows = []
    for i in data.day_range:
        terms, constant = fitness_terms(data, i)
        if constant + _lowest_possible(data, terms) < 0:
            rows.append(Row(f"fitness_{i}", tuple(terms.items()), lo=-constant))
    return rows


def fitness_chain(data: InvestmentData) -> list[Row]:
    """Alternative form: integer F_i = SCALE·f_i, F_i = F_{i-1} + day i's terms, F_i >= 0."""
    rows = []
    for i in data.day_range:
        today, _ = fitness_terms(data, i)
        before, _ = fitness_terms(data, i - 1) if i > 1 else ({}, 0)
        delta = [(n, c - before.get(n, 0)) for n, c in today.items() if c != before.get(n, 0)]
        terms = [(var("F", i), 1), *((n, -c) for n, c in delta)]
        rhs = data.race_adjust.get(i, 0) + (SCALE * data.baseline if i == 1 else 0)
        if i > 1:
            terms.append((var("F", i - 1), -1))
        rows.append(Row(f"fitness_{i}", tuple(terms), lo=rhs, hi=rhs))
    return rows


def fitness_upper_bound(data: InvestmentData) -> int:
    """A safe upper bound on SCALE·f_i (every positive coefficient taken)."""
    terms, constant = fitness_terms(data, data.days)
    return (
        constant
        + sum(max(c, 0) for c in terms.values())
        + sum(max(a, 0) for a in data.race_adjust.values())
        + SCALE * 12 * data.days
    )


def runs_per_day_at_most_limit(data: InvestmentData) -> list[Row]:
    return [Row(f"runs_{i}", tuple(_runs(i)), hi=data.max_runs_per_day) for i in data.day_range]


def one_quality_run_per_day(data: InvestmentData) -> list[Row]:
    return [
        Row(f"quality_{i}", ((var("medium", i), 1), (var("hard", i), 1)), hi=1)
        for i in data.day_range
    ]


def off_day_holds_no_run(data: InvestmentData) -> list[Row]:
    return [Row(f"offday_{i}", (*_runs(i), (var("off", i), 3)), hi=3) for i in data.day_range]


def rest_days_in_every_week(data: InvestmentData) -> list[Row]:
    """For i = 1..N-7: off_i + ... + off_{i+6} = R exactly."""
    return [
        Row(
            f"rest_{i}",
            tuple((var("off", d), 1) for d in range(i, i + 7)),
            lo=data.rest_days,
            hi=data.rest_days,
        )
        for i in range(1, data.days - 7 + 1)
    ]


def runs_in_7_days_at_most_10(data: InvestmentData) -> list[Row]:
    return [
        Row(
            f"volume_{end}",
            tuple(t for d in range(end - 6, end + 1) for t in _runs(d)),
            hi=MAX_RUNS_PER_7_DAYS,
        )
        for end in range(7, data.days + 1)
    ]


def no_back_to_back_quality(data: InvestmentData) -> list[Row]:
    rows = []
    for i in range(2, data.days + 1):
        for a in ("medium", "hard"):
            for b in ("medium", "hard"):
                rows.append(
                    Row(f"b2b_{a[0]}{i}_{b[0]}{i - 1}", ((var(a, i), 1), (var(b, i - 1), 1)), hi=1)
                )
    return rows


def strength_spaced_out(data: InvestmentData) -> list[Row]:
    """At most one strength session in any 4 consecutive days (i = 1..N-3)."""
    return [
        Row(
            f"strength_{i}",
            tuple((var("strength", d), 1) for d in range(i, i + STRENGTH_WINDOW)),
            hi=1,
        )
        for i in range(1, data.days - STRENGTH_WINDOW + 2)
    ]


def strength_bonus_windows(data: InvestmentData) -> list[Row]:
    """Weeks w-4..w hold exactly 5·b_{w-4} strength sessions, for w = 5..N//7."""
    rows = []
    for k in range(1, len(data.bonus_days) + 1):
        w = k + 4
        days = range(7 * (w - 4) - 6, 7 * w + 1)
        terms = [(var("strength", d), 1) for d in days]
        terms.append((var("b", k), -BONUS_STRENGTH_SESSIONS))
        rows.append(Row(f"bonus_window_{k}", tuple(terms), lo=0, hi=0))
    return rows


def strength_bonus_at_most_once_in_5_weeks(data: InvestmentData) -> list[Row]:
    count = len(data.bonus_days)
    if count == 0:
        return []
    if count <= 4:
        return [Row("bonus_once", tuple((var("b", k), 1) for k in range(1, count + 1)), hi=1)]
    return [
        Row(f"bonus_once_{k}", tuple((var("b", j), 1) for j in range(k, k + 5)), hi=1)
        for k in range(1, count - 4 + 1)
    ]


def intensity_mix_70_20_10(data: InvestmentData) -> list[Row]:
    """easy >= 70%, medium = 20%, hard <= 10% of all runs, in integers (x10)."""
    easy = [(var("easy", i), 1) for i in data.day_range]
    med = [(var("medium", i), 1) for i in data.day_range]
    hard = [(var("hard", i), 1) for i in data.day_range]

    def scaled(e: int, m: int, h: int) -> tuple[tuple[str, int], ...]:
        return tuple(
            [(n, c * e) for n, c in easy]
            + [(n, c * m) for n, c in med]
            + [(n, c * h) for n, c in hard]
        )

    return [
        Row("mix_easy", scaled(3, -7, -7), lo=0),  # 10E >= 7T
        Row("mix_medium", scaled(-2, 8, -2), lo=0, hi=0),  # 10M = 2T
        Row("mix_hard", scaled(-1, -1, 9), hi=0),  # 10H <= T
    ]


def strength_bonus_unreachable_when_windows_overlap(data: InvestmentData) -> list[Row]:
    """Implied, valid when there are W >= 2 bonus windows: every b_k = 0, no strength in them.

    Proof: for k < W, b_k + b_{k+1} <= 1. If b_k = 1 then window k+1 (weeks k+1..k+5) is
    empty, so all 5 sessions of window k fall in week k — but spacing allows at most 2 a week.
    If b_W = 1 then b_{W-1} = 0 empties weeks W-1..W+3 and puts 5 sessions in week W+4:
    impossible too. So every window holds 5·0 = 0 sessions; the windows cover weeks 1..N//7.
    """
    if len(data.bonus_days) < 2:
        return []
    rows = [
        Row(f"no_bonus_{k}", ((var("b", k), 1),), hi=0) for k in range(1, len(data.bonus_days) + 1)
    ]
    rows += [
        Row(f"no_strength_{i}", ((var("strength", i), 1),), hi=0)
        for i in _strength_is_fixed_off(data)
    ]
    return rows


def rest_pattern_repeats_weekly(data: InvestmentData) -> list[Row]:
    """Implied, valid: two overlapping windows both sum to R, so off_{i+7} = off_i."""
    return [
        Row(f"rest_period_{i}", ((var("off", i), 1), (var("off", i + 7), -1)), lo=0, hi=0)
        for i in range(1, data.days - 8 + 1)
    ]


def run_totals_obey_the_mix(data: InvestmentData) -> list[Row]:
    """Implied, valid: integer totals E, M, H with E + H = 4M and 2H <= M (the mix restated).

    The per-day rows already imply it; stated on three integer variables it lets the LP
    derive integer rounding cuts on the totals, which closes the last gap of long plans.
    """
    rows = []
    for kind, total in (("easy", "E"), ("medium", "M"), ("hard", "H")):
        terms = [(var(kind, i), 1) for i in data.day_range]
        rows.append(Row(f"total_{kind}", (*terms, (total, -1)), lo=0, hi=0))
    rows.append(Row("total_mix_medium", (("E", 1), ("H", 1), ("M", -4)), lo=0, hi=0))
    rows.append(Row("total_mix_hard", (("H", 2), ("M", -1)), hi=0))
    return rows


TOTALS = ("E", "M", "H")


CONSTRAINT_FAMILIES: tuple[Callable[[InvestmentData], list[Row]], ...] = (
    fitness_never_negative,
    runs_per_day_at_most_limit,
    one_quality_run_per_day,
    off_day_holds_no_run,
    rest_days_in_every_week,
    runs_in_7_days_at_most_10,
    no_back_to_back_quality,
    strength_spaced_out,
    strength_bonus_windows,
    strength_bonus_at_most_once_in_5_weeks,
    intensity_mix_70_20_10,
)
IMPLIED_FAMILIES: tuple[Callable[[InvestmentData], list[Row]], ...] = (
    strength_bonus_unreachable_when_windows_overlap,
    rest_pattern_repeats_weekly,
    run_totals_obey_the_mix,
)


def build_formulation(
    data: InvestmentData, *, implied: bool = True, chained: bool = False
) -> Formulation:
    """The whole model as rows. `chained` keeps f_i as integer variables (sparse rows)."""
    variables = [var(kind, i) for i in data.day_range for kind in KINDS]
    variables += [var("b", k) for k in range(1, len(data.bonus_days) + 1)]
    rows: list[Row] = []
    families: dict[str, int] = {}
    if chained:
        chosen: list[Callable[[InvestmentData], list[Row]]] = [fitness_chain]
    elif implied:
        chosen = [fitness_never_negative_where_it_can_bind]
    else:
        chosen = [fitness_never_negative]
    chosen += list(CONSTRAINT_FAMILIES[1:]) + list(IMPLIED_FAMILIES if implied else ())
    for family in chosen:
        new = family(data)
        families[family.__name__] = len(new)
        rows.extend(new)
    objective, constant = fitness_terms(data, data.days)
    integers = {name: (0, data.days) for name in TOTALS} if implied else {}
    if chained:
        objective, constant = {var("F", data.days): 1}, 0
        integers.update({var("F", i): (0, fitness_upper_bound(data)) for i in data.day_range})
    return Formulation(variables, rows, objective, constant, families=families, integers=integers)


# ------------------------------------------------------------------- solver adapters


def to_cp_model(form: Formulation) -> tuple[cp_model.CpModel, dict[str, cp_model.IntVar]]:
    model = cp_model.CpModel()
    x = {name: model.new_bool_var(name) for name in form.variables}
    for name, (lo, hi) in form.integers.items():
        x[name] = model.new_int_var(lo, hi, name)
    for row in form.rows:
        expr = cp_model.LinearExpr.weighted_sum(
            [x[n] for n, _ in row.terms], [c for _, c in row.terms]
        )
        if row.lo is not None and row.lo == row.hi:
            model.add(expr == row.lo).with_name(row.name)
        elif row.lo is not None and row.hi is not None:
            model.add_linear_constraint(expr, row.lo, row.hi).with_name(row.name)
        elif row.lo is not None:
            model.add(expr >= row.lo).with_name(row.name)
        elif row.hi is not None:
            model.add(expr <= row.hi).with_name(row.name)
    names = list(form.objective)
    model.maximize(
        cp_model.LinearExpr.weighted_sum([x[n] for n in names], [form.objective[n] for n in names])
        + form.objective_constant
    )
    return model, x


def _lp_terms(terms: Iterable[tuple[str, int]]) -> str:
    parts = []
    for name, coef in terms:
        if coef == 0:
            continue
        parts.append(f"{'+' if coef > 0 else '-'} {abs(coef)} {name}")
    text = " ".join(parts) or "0 easy1"
    lines, line = [], ""
    for token in text.split(" "):  # LP files want lines shorter than 255 characters
        if len(line) + len(token) > 200:
            lines.append(line)
            line = ""
        line += token + " "
    lines.append(line)
    return "\n    ".join(s.rstrip() for s in lines)


def to_lp(form: Formulation) -> str:
    """The same rows as a CPLEX-LP MIP (HiGHS and `glpsol --lp` read it).

    The objective is SCALE·f_N minus its constant; `f_N = (obj + constant) / SCALE`, the
    constant is written in a comment on the first line.
    """
    out = [
        f"\\ CS358 investment model; f_N = (objective + {form.objective_constant}) / {form.scale}",
        "Maximize",
        f" obj: {_lp_terms(form.objective.items())}",
        "Subject To",
    ]
    for row in form.rows:
        body = _lp_terms(row.terms)
        if row.lo is not None and row.lo == row.hi:
            out.append(f" {row.name}: {body} = {row.lo}")
            continue
        if row.lo is not None:
            out.append(f" {row.name}_lo: {body} >= {row.lo}")
        if row.hi is not None:
            out.append(f" {row.name}_hi: {body} <= {row.hi}")
    if form.integers:
        out.append("Bounds")
        out.extend(f" {lo} <= {name} <= {hi}" for name, (lo, hi) in form.integers.items())
        out.append("General")
        out.extend(f" {name}" for name in form.integers)
    out.append("Binary")
    out.extend(f" {name}" for name in form.variables)
    out.append("End")
    return "\n".join(out) + "\n"


# ----------------------------------------------------------------------------- params


SMALL_PLAN_DAYS = 70  # below this, one thread beats two: thread start-up dominates


def solver_parameters(time_limit_s: float, workers: int, days: int) -> cp_model.CpSolver:
    """CP-SAT for this model on few cores: LP-heavy workers prove optima fastest.

    Measured (2 shared cores): the default 2-worker portfolio spends its second worker on
    heuristics; two LP workers (`max_lp`, `default_lp`) close the long plans' last gap; on
    short plans a single `max_lp`-like worker (linearization_level 2) is quicker.
    """
    solver = cp_model.CpSolver()
    configure_base(solver, workers, time_limit_s)
    p = solver.parameters
    p.log_search_progress = False
    if workers == 1 or days <= SMALL_PLAN_DAYS:
        p.num_workers = 1
        p.linearization_level = 2
    elif workers == 2:
        p.subsolvers.extend(LP_SUBSOLVERS)
    return solver


# ----------------------------------------------------------------------------- result


def replay_fitness(data: InvestmentData, plan: Sequence[dict[str, int]]) -> list[float]:
    """f_1..f_N by the recursion itself, from the 0/1 columns (plan[i-1] is day i)."""
    bonus_on = {d: k for k, d in enumerate(data.bonus_days, start=1)}
    f = [float(data.baseline)]
    for i in data.day_range:
        today = plan[i - 1]
        value = f[-1] - sum(COST[k] * today[k] for k in COST)
        for kind, (amount, after) in RETURN.items():
            if i - after >= 1:
                value += amount * plan[i - after - 1][kind]
        if i in bonus_on:
            value += BONUS * today.get("bonus", 0)
        value += data.race_adjust.get(i, 0) / SCALE
        f.append(value)
    return f[1:]


def solve_cs358(req: Cs358Request, progress: ProgressCallback | None = None) -> Cs358Result:
    data = InvestmentData.from_request(req)
    form = build_formulation(data, implied=req.implied_constraints, chained=req.chained)
    model, x = to_cp_model(form)
    solver = solver_parameters(req.time_limit_s, req.workers, req.days)
    outcome = solve_model(model, solver, SCALE, progress)
    races = list(data.race_days)
    found = outcome.objective
    if found is None:
        return Cs358Result(
            status=outcome.status, solve_seconds=outcome.seconds, race_days=races, request=req
        )
    plan = [{kind: int(solver.value(x[var(kind, i)])) for kind in KINDS} for i in data.day_range]
    bonus_days = [d for k, d in enumerate(data.bonus_days, start=1) if solver.value(x[var("b", k)])]
    for d in bonus_days:
        plan[d - 1]["bonus"] = 1
    fitness = replay_fitness(data, plan)
    days = [
        Cs358Day(day=i, fitness=fitness[i - 1], **{k: plan[i - 1][k] for k in KINDS})
        for i in data.day_range
    ]
    return Cs358Result(
        status=outcome.status,
        objective=found.value,
        bound=found.bound,
        gap=found.gap,
        solve_seconds=outcome.seconds,
        days=days,
        race_days=races,
        bonus_days=bonus_days,
        request=req,
    )
