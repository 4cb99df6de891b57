"""An independent checker of the coach-grade rule families of docs/COACH_RULES.md.

Like `tests/engine/rules.py` it recomputes every figure from the plan's days, the
request and the schema's catalogue alone, sharing no code with the engine. Each family
is one small function over a `_Plan` of per-date facts; every message starts with the
family's name. `settled_before` (a re-plan's effective date): a rule instance over only
dates before it is not checked; `planned` (the previous version's loads per date): lived
dates count at the greater of planned and done in the load-growth allowance.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from shared.planning import Phase, PlanDay, PlanRequest, PlanRules, TrainingSchema

EPS = 1e-6
RUN_KINDS = ("run", "long", "race")


@dataclass(frozen=True)
class _Week:
    number: int  # 1 = the week of the plan's first date
    idx: list[int]  # date indices, in order
    phase: Phase
    recovery: bool
    has_race: bool

    @property
    def full(self) -> bool:
        return len(self.idx) == 7


@dataclass
class _Plan:
    """Per-date facts of a plan, recomputed from its days."""

    request: PlanRequest
    schema: TrainingSchema
    rules: PlanRules
    dates: list[date]
    entries: list[list[PlanDay]]
    kinds: list[list[str]]
    settled_before: date | None
    planned: dict[date, float] | None
    race: int | None  # R: index of the goal race date, None when not a plan date
    run_day: list[bool]
    quality: list[bool]
    long_min: list[int]
    minutes: list[int]  # races excluded
    load: list[float]  # races excluded
    open: list[bool]
    weeks: list[_Week]

    def settled(self, *idx: int) -> bool:
        return self.settled_before is not None and all(
            self.dates[i] < self.settled_before for i in idx
        )

    def window(self, first: int, last: int) -> list[int]:
        """Indices R-first .. R-last that are plan dates (R-first is the earlier one)."""
        assert self.race is not None
        return [i for i in range(self.race - first, self.race - last + 1) if i >= 0]

    def roles(self, i: int) -> list[str | None]:
        role = {s.code: s.role for s in self.schema.sessions}
        return [role.get(p.session_code) for p in self.entries[i]]

    def label(self, w: _Week) -> str:
        return f"week {w.number} ({self.dates[w.idx[0]]})"

    @property
    def shortest_long(self) -> int:
        return min((s.duration_min for s in self.schema.sessions if s.kind == "long"), default=0)

    def smallest_week_load(self) -> float:
        return lightest_week_load(self.schema, self.rules)


def lightest_week_load(schema: TrainingSchema, rules: PlanRules) -> float:
    """F, the lightest week the rules ask for. A runner's: the shortest long run plus
    `min_runs_per_week - 1` of the lightest run (a shake-out aside: it is for race week). A
    triathlete's (a catalogue of several sports): for each sport its minimum of sessions, the
    lightest of that sport, one of them its lightest long session (long run, long ride)."""
    sports = {s.sport for s in schema.sessions if s.kind in ("run", "long") and s.sport != "brick"}
    if len(sports) > 1:
        out = 0.0
        for sport, need in rules.min_sessions_per_sport.items():
            own = [s for s in schema.sessions if s.sport == sport and s.role != "shakeout"]
            light = min((s.load for s in own if s.kind == "run"), default=0)
            longs = [s.load for s in own if s.kind == "long"]
            if need > 0 and longs and rules.long_run_every_week:
                out += min(longs) + (need - 1) * light
            elif need > 0:
                out += need * light
        return out
    long_loads = [s.load for s in schema.sessions if s.kind == "long"]
    light = min(
        (s.load for s in schema.sessions if s.kind == "run" and s.role != "shakeout"), default=0
    )
    if not (long_loads and rules.long_run_every_week):
        return rules.min_runs_per_week * light
    # With min_runs_per_week 0 the long run alone is the smallest week.
    return min(long_loads) + max(0, rules.min_runs_per_week - 1) * light


def race_week_floor(schema: TrainingSchema, rules: PlanRules) -> tuple[float, int]:
    """(load, minutes) of the lightest race week the race-week rule asks for: the lightest
    shake-out, the lightest short quality run(s), and the lightest short easy runs making
    up the short runs. Taper caps never go below it."""
    short = [s for s in schema.sessions if s.kind == "run" and s.duration_min <= 50]
    picks = []
    left = rules.race_week_short_runs
    shakeouts = [s for s in short if s.role == "shakeout"]
    if rules.shakeout and shakeouts:
        picks.append(min(shakeouts, key=lambda s: s.load))
        left -= 1
    hard = [s for s in short if s.intensity in ("moderate", "hard")]
    if rules.race_week_quality > 0 and hard:
        picks += [min(hard, key=lambda s: s.load)] * rules.race_week_quality
        left -= rules.race_week_quality
    easy = [s for s in short if s.intensity == "easy" and s.role != "shakeout"]
    if easy:
        picks += [min(easy, key=lambda s: s.load)] * max(0, left)
    return float(sum(s.load for s in picks)), sum(s.duration_min for s in picks)


def _kind(p: PlanDay, kinds: Mapping[str, str]) -> str:
    return "race" if p.intensity == "race" else kinds.get(p.session_code, "?")


def _build(
    days: list[PlanDay],
    request: PlanRequest,
    schema: TrainingSchema,
    settled_before: date | None,
    planned: dict[date, float] | None,
) -> _Plan:
    athlete = request.athlete
    catalogue = {s.code: s.kind for s in schema.sessions}
    by_date: dict[date, list[PlanDay]] = defaultdict(list)
    for d in days:
        by_date[d.date].append(d)
    dates = sorted(by_date)
    entries = [by_date[dt] for dt in dates]
    kinds = [[_kind(p, catalogue) for p in e] for e in entries]
    goal = request.goal.date
    race = dates.index(goal) if goal in by_date else None
    unavailable = set(athlete.unavailable_dates)

    def shortest_run(phase: str) -> int:
        runs = [s.duration_min for s in schema.sessions if s.kind == "run" and phase in s.phases]
        # A phase without any `run` in the catalogue: the weekday limit does not close the day.
        return min(runs, default=0)

    def is_open(dt: date, phase: str) -> bool:
        limit = athlete.availability_min[dt.weekday()]
        return (
            dt not in unavailable and dt != goal and (limit is None or limit >= shortest_run(phase))
        )

    def non_race(e: list[PlanDay], ks: list[str]) -> list[PlanDay]:
        return [p for p, k in zip(e, ks, strict=True) if k != "race"]

    run_day = [any(k in RUN_KINDS for k in ks) for ks in kinds]
    quality = [
        any(p.intensity in ("moderate", "hard") for p in non_race(e, ks))
        for e, ks in zip(entries, kinds, strict=True)
    ]
    long_min = [
        sum(p.duration_min for p, k in zip(e, ks, strict=True) if k == "long")
        for e, ks in zip(entries, kinds, strict=True)
    ]
    minutes = [
        sum(p.duration_min for p in non_race(e, ks)) for e, ks in zip(entries, kinds, strict=True)
    ]
    load = [
        float(sum(p.load for p in non_race(e, ks))) for e, ks in zip(entries, kinds, strict=True)
    ]
    opened = [is_open(dt, e[0].phase) for dt, e in zip(dates, entries, strict=True)]

    race_dates = {r.date for r in request.races}
    grouped: dict[int, list[int]] = defaultdict(list)
    monday0 = dates[0] - timedelta(days=dates[0].weekday())
    for i, dt in enumerate(dates):
        grouped[(dt - monday0).days // 7 + 1].append(i)
    weeks = []
    for number, idx in sorted(grouped.items()):
        phases = [entries[i][0].phase for i in idx]
        phase: Phase = "taper" if any(p in ("taper", "race") for p in phases) else phases[-1]
        weeks.append(
            _Week(
                number=number,
                idx=idx,
                phase=phase,
                recovery=any(p.is_recovery_week for i in idx for p in entries[i]),
                has_race=any(dates[i] in race_dates or "race" in kinds[i] for i in idx),
            )
        )
    return _Plan(
        request=request,
        schema=schema,
        rules=request.rules,
        dates=dates,
        entries=entries,
        kinds=kinds,
        settled_before=settled_before,
        planned=planned,
        race=race,
        run_day=run_day,
        quality=quality,
        long_min=long_min,
        minutes=minutes,
        load=load,
        open=opened,
        weeks=weeks,
    )


# 1. Frequency kept through the taper.


def days_off(p: _Plan) -> list[str]:
    """In any max_days_off + 1 consecutive open dates, at least one run day."""
    out, limit, n = [], p.rules.max_days_off + 1, len(p.dates)
    i = 0
    while i < n:
        if not (p.open[i] and not p.run_day[i]):
            i += 1
            continue
        j = i
        while j + 1 < n and p.open[j + 1] and not p.run_day[j + 1]:
            j += 1
        if j - i + 1 >= limit and not p.settled(j):
            out.append(f"days_off: {p.dates[i]}..{p.dates[j]} without a run")
        i = j + 1
    return out


def taper_frequency(p: _Plan) -> list[str]:
    ratio = p.rules.taper_run_days_ratio
    if ratio <= 0 or p.race is None or p.race < 28 or p.settled(p.race - 1):
        return []
    # A run on a non-open date counts once, not twice (run day or excused).
    last = sum(1 for i in p.window(14, 1) if p.run_day[i] or not p.open[i])
    before = sum(1 for i in p.window(28, 15) if p.run_day[i])
    if last < ratio * before - EPS:
        return [
            f"taper_frequency: {last} run or blocked days in {p.dates[p.race - 14]}.."
            f"{p.dates[p.race - 1]} < {ratio} x {before}"
        ]
    return []


def race_week(p: _Plan) -> list[str]:
    if p.race is None or p.race < 1 or p.settled(p.race - 1):
        return []
    out, rules, idx = [], p.rules, p.window(6, 1)
    span = f"{p.dates[idx[0]]}..{p.dates[idx[-1]]}"
    n_open = sum(p.open[i] for i in idx)
    need = min(rules.race_week_short_runs, n_open)
    short = sum(
        1
        for i in idx
        if any(
            k == "run" and e.duration_min <= 50
            for e, k in zip(p.entries[i], p.kinds[i], strict=True)
        )
    )
    if short < need:
        out.append(f"race_week: {short} short runs in {span} < {need}")
    last_two = [i for i in (p.race - 1, p.race - 2) if i >= 0]
    has_shakeout = any(s.role == "shakeout" for s in p.schema.sessions)
    if (
        rules.shakeout
        and has_shakeout
        and any(p.open[i] for i in last_two)
        and not any("shakeout" in p.roles(i) for i in last_two)
    ):
        out.append(f"race_week: no shake-out on {p.dates[last_two[-1]]}..{p.dates[p.race - 1]}")
    # race_week_quality is read as a count: at least that many quality days.
    n_quality = sum(p.quality[i] for i in idx)
    if rules.race_week_quality > 0 and n_open >= 3 and n_quality < rules.race_week_quality:
        out.append(f"race_week: {n_quality} quality days in {span} < {rules.race_week_quality}")
    return out


def taper_time(p: _Plan) -> list[str]:
    if p.race is None or p.race < 1:
        return []
    training = [
        w
        for w in p.weeks
        if w.full and all(p.entries[i][0].phase in ("base", "build", "peak") for i in w.idx)
    ]
    if not training:
        return []
    peak = max(sum(p.minutes[i] for i in w.idx) for w in training)
    checks = [(7, 1, p.rules.taper_time_ratio)]
    # The taper's length: the plan's dates of phase taper.
    if sum(1 for e in p.entries if e[0].phase == "taper") >= 14:
        checks.append((14, 8, p.rules.taper_early_time_ratio))
    out = []
    for first, last, ratio in checks:
        idx = p.window(first, last)
        if not idx or p.settled(*idx):
            continue
        total = sum(p.minutes[i] for i in idx)
        cap = ratio * peak
        if first == 7:  # never below the lightest race week the race-week rule asks for
            cap = max(cap, race_week_floor(p.schema, p.rules)[1])
        if total > cap + EPS:
            out.append(
                f"taper_time: {total} min in {p.dates[idx[0]]}..{p.dates[idx[-1]]} > "
                f"{ratio} x {peak}"
            )
    return out


# 2. Long-run progression.


def long_run_start(p: _Plan) -> int:
    """s0: the longest recent run, else 45 + 1.5 x CTL, down to a step, at least the shortest."""
    athlete, step = p.request.athlete, p.rules.long_run_step_min
    recent = athlete.longest_recent_run_min
    s0 = recent if recent is not None else 45 + 1.5 * athlete.ctl
    return max(math.floor(s0 / step) * step, p.shortest_long)


def long_run_progression(p: _Plan) -> list[str]:
    out, step, shortest = [], p.rules.long_run_step_min, p.shortest_long
    s0 = long_run_start(p)
    longs = [sum(p.long_min[i] for i in w.idx) for w in p.weeks]
    for k, w in enumerate(p.weeks):
        top = max([s0, *longs[:k]])
        if p.settled(*w.idx):
            continue
        if longs[k] > top + step:
            out.append(f"long_run_progression: {p.label(w)} {longs[k]} min > {top} + {step}")
        if w.recovery and longs[k] > max(top - step, shortest):
            out.append(
                f"long_run_progression: {p.label(w)} (recovery) {longs[k]} min > "
                f"{max(top - step, shortest)}"
            )
    if p.settled(*range(len(p.dates))):
        return out
    # Weeks counted back from the race week (the last week, 0); "6 or more weeks" counts
    # calendar weeks, a partial first one included, and the window is clipped to the plan.
    last = len(p.weeks) - 1
    lo, hi = p.rules.long_run_peak_weeks
    window = [k for k in range(last - hi, last - lo + 1) if k >= 0]
    if len(p.weeks) >= 6 and window:
        best = max(longs[k] for k in window)
        if best < max(longs):
            k = longs.index(max(longs))
            out.append(
                f"long_run_progression: longest long run {max(longs)} min in "
                f"{p.label(p.weeks[k])}, not {lo}-{hi} weeks out ({best} min)"
            )
    need = marathon_peak_required(p, s0)
    if need and max(longs, default=0) < need:
        out.append(f"long_run_progression: longest long run {max(longs, default=0)} < {need} min")
    return out


def marathon_peak_required(p: _Plan, s0: int) -> int:
    """The marathon peak long run the plan must reach (0 when not required)."""
    peak, step, athlete = (
        p.rules.marathon_peak_long_min,
        p.rules.long_run_step_min,
        p.request.athlete,
    )
    if peak <= 0 or p.request.goal.distance != "marathon":
        return 0
    has_session = any(
        s.kind == "long" and s.duration_min >= peak and {"build", "peak"} & set(s.phases)
        for s in p.schema.sessions
    )
    hours_allow = athlete.weekly_hours * 60 >= peak / 0.45 - EPS
    day_allows = any(limit is None or limit >= peak for limit in athlete.availability_min)
    last = len(p.weeks) - 1
    n = sum(1 for k, w in enumerate(p.weeks) if k <= last - 3 and not w.recovery)
    reachable = s0 + step * n >= peak
    return peak if has_session and hours_allow and day_allows and reachable else 0


# 3. Quality by phase and spacing.


def _lowered(p: _Plan, w: _Week, minimum: int, count: list[bool] | list[int]) -> int:
    """A weekly minimum as the week can hold it: at most (open days - 2) // 2, the days
    kept easy around a B race not counted as open; lowered while the lightest week holding
    it exceeds the week's load bound; none in the weeks rebuilding after a gap in training;
    waived in a week partly lived when its lived count and its open days left cannot reach
    it."""
    if _rebuilding(p, w):
        return 0
    easy = _b_race_easy(p)
    need = min(minimum, max(0, (sum(p.open[i] for i in w.idx if i not in easy) - 2) // 2))
    while need > 0 and _lightest_week(p, w, need) > _allowance(p)[w.number] + EPS:
        need -= 1
    lived = [i for i in w.idx if p.settled(i)]
    if lived and len(lived) < len(w.idx):
        future = [i for i in w.idx if not p.settled(i)]
        if sum(int(count[i]) for i in lived) + sum(p.open[i] for i in future) < need:
            return 0
    return need


def _b_race_easy(p: _Plan) -> set[int]:
    b_races = {r.date for r in p.request.races if r.priority == "B"}
    return {i + k for i, dt in enumerate(p.dates) if dt in b_races for k in (-2, -1, 1, 2)}


def _allowance(p: _Plan) -> dict[int, float]:
    """An upper bound on each week's load (races out) from the rules that cap it: the
    first-week cap grown week over week, a recovery week's share of the week before, and
    the acute:chronic ratio over the 21 days before the week (days before the plan at the
    steady load, lived days as done, days to come at their week's bound per day). A fully
    lived reference week counts at the greater of planned and done."""
    rules, ctl = p.rules, p.request.athlete.ctl
    before = max(ctl, p.smallest_week_load() / 7)
    k = rules.max_acwr / 4
    ratio = k / (1 - k) if k < 1 else math.inf

    def lived_load(v: _Week) -> float | None:
        if not p.settled(*v.idx):
            return None
        return sum(_allowance_load(p, i) for i in v.idx)

    bound: dict[int, float] = {}
    per_day: dict[int, float] = {}
    for n, w in enumerate(p.weeks):
        b = math.inf
        if n == 0:
            first = rules.first_week_load_ratio * max(7 * ctl, p.smallest_week_load())
            b = math.floor(first) * len(w.idx) / 7
        else:
            ref = next((v for v in reversed(p.weeks[:n]) if not v.recovery), None)
            if ref is not None:
                base = lived_load(ref)
                base = bound[ref.number] if base is None else base
                b = rules.max_week_load_growth * base * 7 / len(ref.idx)
            if w.recovery:
                prev = lived_load(p.weeks[n - 1])
                prev = bound[p.weeks[n - 1].number] if prev is None else prev
                b = min(b, rules.recovery_load_ratio * prev)
        start = w.idx[0]
        window = [
            before if t < 0 else p.load[t] if p.settled(t) else per_day[t]
            for t in range(start - 21, start)
        ]
        b = min(b, ratio * sum(window) * len(w.idx) / 7)
        bound[w.number] = b
        for i in w.idx:
            per_day[i] = 0.0 if "race" in p.kinds[i] else b / len(w.idx)
    return bound


def _lightest_week(p: _Plan, w: _Week, quality: int) -> float:
    """The lightest week holding `quality` quality days, its long run and the minimum of
    runs, each day the lightest the catalogue offers in the week's phase; lived days count
    as done, and only what they lack is added."""
    sessions = [s for s in p.schema.sessions if w.phase in s.phases]
    hard = [s.load for s in sessions if s.kind == "run" and s.intensity in ("moderate", "hard")]
    easy = [s.load for s in sessions if s.kind == "run" and s.intensity == "easy"]
    longs = [s.load for s in sessions if s.kind == "long"]
    long_run = p.rules.long_run_every_week and w.phase != "taper" and bool(longs)
    lived = [i for i in w.idx if p.settled(i)]
    long_left = long_run and not any(p.long_min[i] for i in lived)
    quality_left = max(0, quality - sum(p.quality[i] for i in lived))
    runs = sum(1 for i in lived if any(k in ("run", "long") for k in p.kinds[i]))
    fill = max(0, p.rules.min_runs_per_week - runs - quality_left - int(long_left))
    return (
        sum(p.load[i] for i in lived)
        + quality_left * min(hard, default=0)
        + (min(longs) if long_left else 0)
        + fill * min(easy, default=0)
    )


def _rebuilding(p: _Plan, w: _Week) -> bool:
    """The week a re-plan starts in; and after a gap (3+ planned training days with nothing
    done in the 14 lived days before the effective date), the weeks starting from 6 days
    before it to 20 after."""
    if p.settled_before is None:
        return False
    eff = p.settled_before
    start, end = p.dates[w.idx[0]], p.dates[w.idx[-1]]
    if start < eff <= end:  # the week the re-plan starts in
        return True
    if p.planned is None:
        return False
    planned = p.planned
    missed = sum(
        1
        for i, dt in enumerate(p.dates)
        if eff - timedelta(days=14) <= dt < eff
        and planned.get(dt, 0) > 0
        and sum(e.load for e in p.entries[i]) == 0
    )
    return missed >= 3 and eff - timedelta(days=7) < start < eff + timedelta(days=21)


def quality_by_phase(p: _Plan) -> list[str]:
    out = []
    for w in p.weeks:
        if p.settled(*w.idx):
            continue
        lo, hi = p.rules.quality_per_week.of(w.phase)
        n_quality = sum(p.quality[i] for i in w.idx)
        if n_quality > hi:
            out.append(f"quality_by_phase: {p.label(w)} {n_quality} quality days > {hi}")
        if w.full and not w.recovery and not w.has_race:
            need = _lowered(p, w, lo, p.quality)
            if n_quality < need:
                out.append(f"quality_by_phase: {p.label(w)} {n_quality} quality days < {need}")
    return out


def quality_spacing(p: _Plan) -> list[str]:
    out = []
    for i in range(len(p.dates)):
        if not p.long_min[i]:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(p.dates) and p.quality[j] and not p.settled(i, j):
                out.append(
                    f"quality_spacing: {p.dates[j]} quality next to the long run on {p.dates[i]}"
                )
    return out


def race_specific(p: _Plan) -> list[str]:
    need_per_week = p.rules.race_specific_per_week
    if need_per_week <= 0:
        return []
    out = []
    count = [sum(1 for r in p.roles(i) if r == "race_specific") for i in range(len(p.dates))]
    for w in p.weeks:
        if (
            not w.full
            or w.recovery
            or w.has_race
            or w.phase not in ("build", "peak")
            or p.settled(*w.idx)
        ):
            continue
        need = _lowered(p, w, need_per_week, count)
        have = sum(count[i] for i in w.idx)
        if have < need:
            out.append(f"race_specific: {p.label(w)} {have} race-specific sessions < {need}")
    return out


# 4. Smooth load.


def _allowance_load(p: _Plan, i: int) -> float:
    """A date's load in a growth allowance: a lived date at the greater of planned and done
    (a lived race date at its done load, races excluded, since planned loads include races)."""
    if p.planned is None or not p.settled(i) or "race" in p.kinds[i]:
        return p.load[i]
    return max(p.load[i], p.planned.get(p.dates[i], p.load[i]))


def load_growth(p: _Plan) -> list[str]:
    out, growth = [], p.rules.max_week_load_growth
    for k, w in enumerate(p.weeks):
        if k == 0 or not w.full or p.settled(*w.idx):
            continue
        earlier = [v for v in p.weeks[:k] if not v.recovery]
        if not earlier:
            continue
        ref = earlier[-1]
        allowance = sum(_allowance_load(p, i) for i in ref.idx) * 7 / len(ref.idx)
        total = sum(p.load[i] for i in w.idx)
        if total > growth * allowance + EPS:
            out.append(
                f"load_growth: {p.label(w)} load {total:g} > {growth} x {allowance:g} "
                f"({p.label(ref)})"
            )
    return out


def first_week(p: _Plan) -> list[str]:
    w = p.weeks[0]
    if p.settled(*w.idx):
        return []
    ratio, ctl = p.rules.first_week_load_ratio, p.request.athlete.ctl
    cap = len(w.idx) / 7 * max(ratio * 7 * ctl, ratio * p.smallest_week_load())
    total = sum(p.load[i] for i in w.idx)
    if total > cap + EPS:
        return [f"first_week: {p.label(w)} load {total:g} > {cap:.1f}"]
    return []


def acute_chronic(p: _Plan) -> list[str]:
    out, acwr = [], p.rules.max_acwr
    before = max(p.request.athlete.ctl, p.smallest_week_load() / 7)
    # Loads here exclude races, as for the weekly load rules.
    padded = [before] * 28 + p.load
    for i in range(len(p.dates)):
        if i == p.race or p.settled(i):
            continue
        acute = sum(padded[i + 28 - 6 : i + 29]) / 7
        chronic = sum(padded[i + 1 : i + 29]) / 28
        if acute > acwr * chronic + EPS:
            out.append(
                f"acute_chronic: {p.dates[i]} 7-day mean {acute:.1f} > {acwr} x {chronic:.1f}"
            )
    return out


FAMILIES: dict[str, Callable[[_Plan], list[str]]] = {
    "days_off": days_off,
    "taper_frequency": taper_frequency,
    "race_week": race_week,
    "taper_time": taper_time,
    "long_run_progression": long_run_progression,
    "quality_by_phase": quality_by_phase,
    "quality_spacing": quality_spacing,
    "race_specific": race_specific,
    "load_growth": load_growth,
    "first_week": first_week,
    "acute_chronic": acute_chronic,
}


def coach_violations(
    days: list[PlanDay],
    request: PlanRequest,
    schema: TrainingSchema,
    settled_before: date | None = None,
    planned: dict[date, float] | None = None,
) -> list[str]:
    """Every coach-grade rule broken by the plan, each message led by its family's name."""
    if not days:
        return []
    plan = _build(days, request, schema, settled_before, planned)
    return [message for check in FAMILIES.values() for message in check(plan)]
