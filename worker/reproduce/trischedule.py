"""The triathlon seed, solved for the whole season in one CP-SAT model.

The seed (pyomo + GLPK) chose workouts week by week, carrying fitness and fatigue forward
greedily. Here every day from the start to the race is decided at once, so early weeks are
planned knowing what the later ones need (divergence bounds, the taper).

Layout: data (`load_catalogue`, `season_calendar`, `TriData`), model (`TriModel` with one small
function per constraint family), params (`solver_parameters`), result (`solve_trischedule`,
whose fitness and fatigue figures are recomputed in floating point from the chosen workouts).

Units are the seed's own (the CSV's fatigue and fitness gain); the constants it did not
publish are `TriParameters` (see `shared.reproduce`): fitness keeps `weekly_retention` of
itself per week (a daily factor of retention^(1/7)), fatigue is a linearly decaying sum over
`fatigue_window_days`, both capped per sport and in total.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

from ortools.sat.python import cp_model

from shared.reproduce import (
    SPORTS,
    TriDay,
    TriParameters,
    TriPhase,
    TriRequest,
    TriResult,
    TriSession,
    TriWeek,
    TriWorkout,
)
from worker.engine.parameters import configure_base
from worker.reproduce.outcome import solve_model

FIT_SCALE = 1000  # fitness arithmetic in thousandths
FAT_SCALE = 100  # fatigue weights in hundredths
PHASES: tuple[TriPhase, ...] = ("base", "build", "peak", "race")

# ------------------------------------------------------------------------------- data


def load_catalogue(text: str | None = None) -> list[TriWorkout]:
    """The seed's 45 workouts (`week_blocks` = phases in which a workout is NOT used)."""
    if text is None:
        text = (
            resources.files("worker.reproduce")
            .joinpath("data/triathlon_workouts.csv")
            .read_text(encoding="utf-8")
        )
    rows = csv.DictReader(text.splitlines(), skipinitialspace=True)
    catalogue = []
    for row in rows:
        blocks = [b.strip() for b in (row["week_blocks"] or "").split(";") if b.strip()]
        catalogue.append(
            TriWorkout(
                sport=row["sport"].strip(),
                name=row["name"].strip(),
                intensity=int(row["intensity"]),
                duration_min=int(row["duration"]),
                fatigue=float(row["fatigue_increase"]),
                fitness_gain=float(row["fitness_gain"]),
                excluded_phases=blocks,
            )
        )
    return catalogue


@dataclass(frozen=True)
class Week:
    """A week of the seed's linear periodisation, with its phase and minutes cap.

    Deliberately not the engine's `calendar.Week`: those are Monday-to-Sunday calendar
    weeks from the start's week up to the one holding the race day; the seed's are 7-day
    blocks counted back from the race, ending on race morning whatever its weekday (the
    race day is not planned), with its own phase split and block-wise recovery weeks.
    """

    number: int  # 1-based
    first_day: int  # 0-based day index
    days: int
    phase: TriPhase
    is_recovery: bool
    minutes_cap: int


def season_calendar(days: int, weekly_hours: float, params: TriParameters) -> list[Week]:
    """Linear periodisation, built backwards from the race: weeks end on race morning.

    The last week is the race week (taper), the two before it peak; of the rest, the first
    60% (rounded up) is base and the remainder build; a leading partial week (when the season
    is not a whole number of weeks) is base. In base and build every `recovery_every`-th week
    of the block is a recovery week with reduced hours.
    """
    count = math.ceil(days / 7)
    race, peak = 1, min(2, max(count - 1, 0))
    rest = count - race - peak
    base = math.ceil(rest * 0.6)
    counts: dict[TriPhase, int] = {"base": base, "build": rest - base, "peak": peak, "race": race}
    phases: list[TriPhase] = [ph for ph in PHASES for _ in range(counts[ph])]
    lead = days - 7 * (count - 1)  # length of the first (possibly partial) week
    weeks = []
    in_block = 0
    first = 0
    for w, phase in enumerate(phases):
        in_block = in_block + 1 if w and phases[w - 1] == phase else 1
        recovery = (
            phase in ("base", "build")
            and params.recovery_every > 0
            and in_block % params.recovery_every == 0
        )
        length = lead if w == 0 else 7
        ratio = params.recovery_hours_ratio if recovery else 1.0
        if phase == "race":
            ratio = params.race_week_hours_ratio
        cap = int(weekly_hours * 60 * ratio * length / 7)
        weeks.append(Week(w + 1, first, length, phase, recovery, cap))
        first += length
    return weeks


@dataclass(frozen=True)
class TriData:
    start: date
    days: int
    catalogue: list[TriWorkout]
    weeks: list[Week]
    params: TriParameters

    @classmethod
    def from_request(cls, req: TriRequest, catalogue: list[TriWorkout] | None = None) -> TriData:
        days = (req.race_date - req.start).days
        cat = catalogue if catalogue is not None else load_catalogue()
        weeks = season_calendar(days, req.weekly_hours, req.params)
        return cls(req.start, days, cat, weeks, req.params)

    @property
    def daily_retention(self) -> float:
        return self.params.weekly_retention ** (1 / 7)

    def week_of(self, day: int) -> Week:
        return next(w for w in self.weeks if w.first_day <= day < w.first_day + w.days)

    def allowed(self, day: int) -> list[int]:
        phase = self.week_of(day).phase
        return [j for j, w in enumerate(self.catalogue) if phase not in w.excluded_phases]

    def fatigue_weights(self) -> list[int]:
        p = self.params
        return [
            round(FAT_SCALE * max(0.0, 1 - p.fatigue_decay_per_day * k))
            for k in range(p.fatigue_window_days)
        ]


# ------------------------------------------------------------------------------ model


GAIN_SCALE = 10  # the CSV's gains have one decimal


@dataclass
class TriModel:
    model: cp_model.CpModel
    x: dict[tuple[int, int], cp_model.IntVar]  # (day, workout index) -> chosen
    gain: dict[tuple[int, str], cp_model.IntVar]  # (day, sport) -> GAIN_SCALE·fitness gain
    fatigue: dict[tuple[int, str], cp_model.IntVar]  # (day, sport) -> fatigue added that day
    fitness_end: dict[str, cp_model.LinearExpr]  # scaled by FIT_SCALE·GAIN_SCALE


def _by_sport(data: TriData, sport: str) -> set[int]:
    return {j for j, w in enumerate(data.catalogue) if w.sport == sport}


def at_most_two_workouts_per_day(m: TriModel, data: TriData) -> None:
    for d in range(data.days):
        m.model.add(sum(v for (dd, _), v in m.x.items() if dd == d) <= data.params.max_per_day)


def one_workout_per_sport_per_day(m: TriModel, data: TriData) -> None:
    for sport in SPORTS:
        ids = _by_sport(data, sport)
        for d in range(data.days):
            m.model.add_at_most_one(m.x[d, j] for j in ids if (d, j) in m.x)


def weekly_hours_within_cap(m: TriModel, data: TriData) -> None:
    for week in data.weeks:
        minutes = [
            data.catalogue[j].duration_min * v
            for (d, j), v in m.x.items()
            if week.first_day <= d < week.first_day + week.days
        ]
        m.model.add(sum(minutes) <= week.minutes_cap)


def daily_totals_per_sport(m: TriModel, data: TriData) -> None:
    """Defines gain[d, s] and fatigue[d, s]: what day d's workouts of sport s add."""
    for sport in SPORTS:
        ids = _by_sport(data, sport)
        for d in range(data.days):
            chosen = [(j, v) for (dd, j), v in m.x.items() if dd == d and j in ids]
            gain = [round(GAIN_SCALE * data.catalogue[j].fitness_gain) * v for j, v in chosen]
            fat = [round(data.catalogue[j].fatigue) * v for j, v in chosen]
            m.model.add(m.gain[d, sport] == sum(gain))
            m.model.add(m.fatigue[d, sport] == sum(fat))


def _window_fatigue(
    m: TriModel, data: TriData, d: int, sports: tuple[str, ...]
) -> cp_model.LinearExprT:
    weights = data.fatigue_weights()
    return sum(
        wk * m.fatigue[d - k, s]
        for k, wk in enumerate(weights)
        if d - k >= 0 and wk
        for s in sports
    )


def fatigue_within_caps(m: TriModel, data: TriData) -> None:
    """Decayed-window fatigue <= the sport cap for each sport and <= the total cap."""
    p = data.params
    for d in range(data.days):
        for sport in SPORTS:
            cap = round(p.sport_fatigue_cap * FAT_SCALE)
            m.model.add(_window_fatigue(m, data, d, (sport,)) <= cap)
        m.model.add(_window_fatigue(m, data, d, SPORTS) <= round(p.total_fatigue_cap * FAT_SCALE))


def same_workout_spaced_out(m: TriModel, data: TriData) -> None:
    """Variety: a workout at most once in any `variety_days` consecutive days."""
    span = data.params.variety_days
    for j in range(len(data.catalogue)):
        for d in range(data.days - span + 1):
            window = [m.x[t, j] for t in range(d, d + span) if (t, j) in m.x]
            if len(window) > 1:
                m.model.add_at_most_one(window)


def _fitness_at(m: TriModel, data: TriData, sport: str, t: int) -> cp_model.LinearExpr:
    """Scaled fitness of `sport` after t days: start·ρ^t + Σ_{d<t} gain_d·ρ^(t-1-d)."""
    rho = data.daily_retention
    start = round(FIT_SCALE * GAIN_SCALE * data.params.start_fitness * rho**t)
    coefs = [round(FIT_SCALE * rho ** (t - 1 - d)) for d in range(t)]
    return cp_model.LinearExpr.weighted_sum([m.gain[d, sport] for d in range(t)], coefs) + start


def fitness_stays_balanced(m: TriModel, data: TriData) -> None:
    """|F_a - F_b| <= max_divergence at every week end and on race morning."""
    bound = round(FIT_SCALE * GAIN_SCALE * data.params.max_divergence)
    for week in data.weeks:
        t = week.first_day + week.days
        fit: dict[str, cp_model.LinearExpr] = {s: _fitness_at(m, data, s, t) for s in SPORTS}
        for i, a in enumerate(SPORTS):
            for b in SPORTS[i + 1 :]:
                m.model.add(fit[a] - fit[b] <= bound)
                m.model.add(fit[b] - fit[a] <= bound)
        if t == data.days:
            m.fitness_end = fit


CONSTRAINT_FAMILIES = (
    daily_totals_per_sport,
    at_most_two_workouts_per_day,
    one_workout_per_sport_per_day,
    weekly_hours_within_cap,
    fatigue_within_caps,
    same_workout_spaced_out,
    fitness_stays_balanced,
)


def build_model(data: TriData) -> TriModel:
    model = cp_model.CpModel()
    x = {
        (d, j): model.new_bool_var(f"x_{d}_{j}") for d in range(data.days) for j in data.allowed(d)
    }
    gain: dict[tuple[int, str], cp_model.IntVar] = {
        (d, s): model.new_int_var(0, 10_000, f"gain_{d}_{s}")
        for d in range(data.days)
        for s in SPORTS
    }
    fat: dict[tuple[int, str], cp_model.IntVar] = {
        (d, s): model.new_int_var(0, 10_000, f"fat_{d}_{s}")
        for d in range(data.days)
        for s in SPORTS
    }
    m = TriModel(model, x, gain, fat, {})
    for family in CONSTRAINT_FAMILIES:
        family(m, data)
    model.maximize(sum(m.fitness_end[s] for s in SPORTS))
    return m


def greedy_plan(data: TriData) -> dict[int, list[int]]:
    """A quick day-by-day plan used as the solver's hint (the seed's greedy spirit).

    Each day spends an even share of the week's remaining minutes on the best fitness per
    minute, the currently weakest sport first, within fatigue caps and variety.
    """
    p = data.params
    weights = [w / FAT_SCALE for w in data.fatigue_weights()]
    rho = data.daily_retention
    fit = {s: p.start_fitness for s in SPORTS}
    chosen: dict[int, list[int]] = {}
    spent: dict[int, int] = {}

    def window_fatigue(d: int, extra: int, sport: str | None) -> float:
        total = 0.0
        for k, wk in enumerate(weights):
            for j in chosen.get(d - k, []) + ([extra] if k == 0 else []):
                if sport is None or data.catalogue[j].sport == sport:
                    total += wk * data.catalogue[j].fatigue
        return total

    for d in range(data.days):
        week = data.week_of(d)
        left_days = week.first_day + week.days - d
        budget = (week.minutes_cap - spent.get(week.number, 0)) // left_days
        picked: list[int] = []
        for sport in sorted(SPORTS, key=lambda s: fit[s]):
            if len(picked) >= p.max_per_day:
                break
            options = sorted(
                (j for j in data.allowed(d) if data.catalogue[j].sport == sport),
                key=lambda j: (
                    -data.catalogue[j].fitness_gain / max(data.catalogue[j].duration_min, 1)
                ),
            )
            for j in options:
                w = data.catalogue[j]
                recent = any(j in chosen.get(d - k, []) for k in range(1, p.variety_days))
                if (
                    w.duration_min <= budget
                    and not recent
                    and window_fatigue(d, j, sport) <= p.sport_fatigue_cap
                    and window_fatigue(d, j, None) <= p.total_fatigue_cap
                ):
                    picked.append(j)
                    chosen[d] = picked
                    budget -= w.duration_min
                    spent[week.number] = spent.get(week.number, 0) + w.duration_min
                    break
        for s in SPORTS:
            fit[s] = fit[s] * rho + sum(
                data.catalogue[j].fitness_gain for j in picked if data.catalogue[j].sport == s
            )
    return chosen


# ----------------------------------------------------------------------------- params


def solver_parameters(time_limit_s: float, workers: int) -> cp_model.CpSolver:
    """Default portfolio: its LNS workers improve the greedy hint; LP-only workers were
    measured to drop the hint and stall (2 cores, 30 s: 248 vs 355 summed fitness)."""
    solver = cp_model.CpSolver()
    configure_base(solver, workers, time_limit_s)
    solver.parameters.relative_gap_limit = 1e-4
    return solver


# ----------------------------------------------------------------------------- result


def replay(data: TriData, chosen: dict[int, list[int]]) -> list[TriDay]:
    """Fitness and fatigue per day in floating point, from the chosen workouts only."""
    rho = data.daily_retention
    weights = [w / FAT_SCALE for w in data.fatigue_weights()]
    fit = {s: data.params.start_fitness for s in SPORTS}
    out = []
    for d in range(data.days):
        sessions = [data.catalogue[j] for j in chosen.get(d, [])]
        for s in SPORTS:
            fit[s] = fit[s] * rho + sum(w.fitness_gain for w in sessions if w.sport == s)
        fatigue: dict[str, float] = {}
        for s in SPORTS:
            fatigue[s] = sum(
                weights[k] * data.catalogue[j].fatigue
                for k in range(len(weights))
                if d - k >= 0
                for j in chosen.get(d - k, [])
                if data.catalogue[j].sport == s
            )
        fatigue["total"] = sum(fatigue[s] for s in SPORTS)
        week = data.week_of(d)
        out.append(
            TriDay(
                date=data.start + timedelta(days=d),
                week_number=week.number,
                phase=week.phase,
                sessions=[
                    TriSession(
                        sport=w.sport,
                        name=w.name,
                        intensity=w.intensity,
                        duration_min=w.duration_min,
                        fatigue=w.fatigue,
                        fitness_gain=w.fitness_gain,
                    )
                    for w in sessions
                ],
                fatigue={k: round(v, 3) for k, v in fatigue.items()},
                fitness={s: round(v, 3) for s, v in fit.items()},
            )
        )
    return out


def solve_trischedule(req: TriRequest) -> TriResult:
    data = TriData.from_request(req)
    m = build_model(data)
    hint = greedy_plan(data)
    for (d, j), v in m.x.items():
        m.model.add_hint(v, j in hint.get(d, []))
    for (d, sport), v in m.gain.items():
        picked = [data.catalogue[j] for j in hint.get(d, []) if data.catalogue[j].sport == sport]
        m.model.add_hint(v, sum(round(GAIN_SCALE * w.fitness_gain) for w in picked))
        m.model.add_hint(m.fatigue[d, sport], sum(round(w.fatigue) for w in picked))
    solver = solver_parameters(req.time_limit_s, req.workers)
    outcome = solve_model(m.model, solver, FIT_SCALE * GAIN_SCALE)
    found = outcome.objective
    if found is None:
        return TriResult(status=outcome.status, solve_seconds=outcome.seconds, params=req.params)
    chosen: dict[int, list[int]] = {}
    for (d, j), v in m.x.items():
        if solver.value(v):
            chosen.setdefault(d, []).append(j)
    days = replay(data, chosen)
    final = dict(days[-1].fitness)
    weeks = []
    for week in data.weeks:
        span = days[week.first_day : week.first_day + week.days]
        minutes = sum(s.duration_min for day in span for s in day.sessions)
        weeks.append(
            TriWeek(
                week_number=week.number,
                start=data.start + timedelta(days=week.first_day),
                phase=week.phase,
                is_recovery_week=week.is_recovery,
                hours_cap=round(week.minutes_cap / 60, 3),
                hours=round(minutes / 60, 3),
                fitness=dict(span[-1].fitness),
            )
        )
    return TriResult(
        status=outcome.status,
        objective=round(found.value, 3),
        bound=round(found.bound, 3),
        gap=round(found.gap, 6),
        solve_seconds=outcome.seconds,
        final_fitness=final,
        params=req.params,
        weeks=weeks,
        days=days,
    )
