"""An independent checker of a returned plan against every rule of DESIGN.md §4.

It recomputes loads, CTL/ATL/TSB and weekly aggregates from the plan's days
alone (plus the request and the schema's catalogue), sharing no code with the
engine, so a wrong model or a wrong simulation shows up as a violation.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from datetime import date, timedelta

from shared.planning import (
    PlanDay,
    PlanRequest,
    SessionTemplate,
    TrainingSchema,
    sport_time_shares,
)
from tests.engine.coach_rules import coach_violations, lightest_week_load, race_week_floor

EPS = 1e-6


def recompute(
    loads: list[float], ctl0: float, atl0: float, ctl_tau: float, atl_tau: float
) -> list[tuple[float, float, float]]:
    """(ctl end of day, atl end of day, tsb morning) per day, by the textbook recursion."""
    ka, kb = 1 - math.exp(-1 / ctl_tau), 1 - math.exp(-1 / atl_tau)
    ctl, atl, out = ctl0, atl0, []
    for load in loads:
        tsb = ctl - atl
        ctl += (load - ctl) * ka
        atl += (load - atl) * kb
        out.append((ctl, atl, tsb))
    return out


def planned_loads(days: list[PlanDay]) -> dict[date, float]:
    """Load per date of a plan (the previous version, for `violations(planned=...)`)."""
    out: dict[date, float] = defaultdict(float)
    for d in days:
        out[d.date] += d.load
    return dict(out)


def violations(
    days: list[PlanDay],
    request: PlanRequest,
    schema: TrainingSchema,
    settled_before: date | None = None,
    planned: dict[date, float] | None = None,
    lightest_week: float | None = None,
) -> list[str]:
    """Every rule broken by the plan. `settled_before` (a re-plan's effective date): rules
    over days before it only are not checked (the past cannot be changed); rules that also
    involve a later day are, as are the reported CTL/ATL/TSB of every day. `planned` (the
    previous plan's loads): a recovery week is measured against the week before as planned
    where its lived days fell short of the plan. `lightest_week`: the recovery weeks' floor
    when `schema` is a reading of another catalogue (a triathlon's, read by sport); default
    from `schema`."""
    rules, athlete = request.rules, request.athlete
    kinds = {s.code: s.kind for s in schema.sessions}
    out: list[str] = []
    by_date: dict[date, list[PlanDay]] = defaultdict(list)
    for d in days:
        by_date[d.date].append(d)
    dates = sorted(by_date)
    race_date = request.goal.date
    if dates[-1] != race_date:
        out.append(f"plan ends {dates[-1]}, race is {race_date}")
    if request.start is not None and dates[0] != request.start:
        out.append(f"plan starts {dates[0]}, asked {request.start}")
    for a, b in itertools.pairwise(dates):
        if (b - a).days != 1:
            out.append(f"gap in dates between {a} and {b}")
    n = len(dates)

    def settled(*idx: int) -> bool:
        return settled_before is not None and all(dates[i] < settled_before for i in idx)

    unavailable = set(athlete.unavailable_dates)
    shortest_long = min((s.duration_min for s in schema.sessions if s.kind == "long"), default=0)

    def available(i: int, minutes: int) -> bool:
        """Day i could hold a session of `minutes` (a race day cannot)."""
        limit = athlete.availability_min[dates[i].weekday()]
        return (
            dates[i] not in unavailable
            and dates[i] != race_date
            and (limit is None or limit >= minutes)
        )

    def kind(p: PlanDay) -> str:
        if p.intensity == "race":
            return "race"
        return kinds.get(p.session_code, "?")

    # Per day: sessions allowed together.
    loads, run_minutes_easy, run_minutes_all = [], 0, 0
    hardish, strength, rest, longrun, runs = [], [], [], [], []
    for i_day, dt in enumerate(dates):
        entries = by_date[dt]
        ks = [kind(p) for p in entries]
        if settled(i_day):
            # Kept for the aggregates below, not checked on its own.
            loads.append(sum(p.load for p in entries))
            for p, k in zip(entries, ks, strict=True):
                if k in ("run", "long"):
                    run_minutes_all += p.duration_min
                    run_minutes_easy += p.duration_min if p.intensity == "easy" else 0
            hardish.append(any(p.intensity in ("moderate", "hard", "race") for p in entries))
            strength.append("strength" in ks or any(p.intensity == "strength" for p in entries))
            rest.append(all(p.intensity == "rest" for p in entries))
            longrun.append(sum(1 for k in ks if k == "long"))
            runs.append(any(k in ("run", "long", "race") for k in ks))
            continue
        if "?" in ks:
            out.append(f"{dt}: unknown session code {[p.session_code for p in entries]}")
        endurance = [p for p, k in zip(entries, ks, strict=True) if k in ("run", "long", "race")]
        if len(endurance) > (2 if athlete.doubles else 1):
            out.append(f"{dt}: {len(endurance)} runs in one day")
        if len(endurance) == 2 and not all(p.intensity == "easy" for p in endurance[1:]):
            out.append(f"{dt}: a double that is not an easy run")
        has_strength = "strength" in ks
        if has_strength and any(p.intensity != "easy" or kind(p) != "run" for p in endurance):
            out.append(f"{dt}: strength alongside a non-easy or long session")
        loads.append(sum(p.load for p in entries))
        for p, k in zip(entries, ks, strict=True):
            if k in ("run", "long"):
                run_minutes_all += p.duration_min
                if p.intensity == "easy":
                    run_minutes_easy += p.duration_min
        hardish.append(any(p.intensity in ("moderate", "hard", "race") for p in entries))
        strength.append(has_strength)
        rest.append(all(k == "rest" for k in ks))
        longrun.append(sum(1 for k in ks if k == "long"))
        runs.append(bool(endurance))
        training = any(k != "rest" for k in ks)
        if any(p.is_training_day != training for p in entries):
            out.append(f"{dt}: is_training_day wrong")
        if dt in set(athlete.unavailable_dates) and not rest[-1]:
            out.append(f"{dt}: session on an unavailable date")
        avail = athlete.availability_min[dt.weekday()]
        minutes = sum(p.duration_min for p, k in zip(entries, ks, strict=True) if k != "race")
        if avail is not None and minutes > avail:
            out.append(f"{dt}: {minutes} min > {avail} available")
        for p in entries:
            if p.day_of_week != dt.weekday():
                out.append(f"{dt}: day_of_week {p.day_of_week}")

    # Fitness: recompute from the loads and compare with what was reported.
    states = recompute(loads, athlete.ctl, athlete.atl, rules.ctl_tau_days, rules.atl_tau_days)
    for dt, (ctl, atl, tsb) in zip(dates, states, strict=True):
        for p in by_date[dt]:
            if abs(p.ctl - ctl) > 0.011 or abs(p.atl - atl) > 0.011 or abs(p.tsb - tsb) > 0.011:
                out.append(
                    f"{dt}: reported ctl/atl/tsb {p.ctl}/{p.atl}/{p.tsb} != {ctl:.2f}/{atl:.2f}/{tsb:.2f}"
                )
            catalogue_load = {s.code: s.load for s in schema.sessions}.get(p.session_code)
            if kind(p) != "race" and p.load != catalogue_load and dt >= (settled_before or dt):
                out.append(f"{dt}: load of {p.session_code} differs from the catalogue")
    for i, (_, _, tsb) in enumerate(states):
        if i > 0 and tsb < rules.min_tsb - EPS and not settled(i - 1):
            out.append(f"{dates[i]}: TSB {tsb:.2f} below {rules.min_tsb}")
    race_tsb = states[-1][2]
    if not rules.race_tsb_min - EPS <= race_tsb <= rules.race_tsb_max + EPS:
        out.append(
            f"race-day TSB {race_tsb:.2f} outside [{rules.race_tsb_min}, {rules.race_tsb_max}]"
        )

    # B races: easy days before (no hard in 2; no long run in 3, nor earlier in its week)
    # and after (2 days, neither).
    b_races = {r.date for r in request.races if r.priority == "B"}
    index = {dt: i for i, dt in enumerate(dates)}
    for b in sorted(b_races & set(index)):
        i = index[b]
        monday = i - b.weekday()
        around = [(k, "before") for k in range(max(0, min(monday, i - 3)), i)]
        around += [(k, "after") for k in range(i + 1, min(n - 1, i + 3))]
        for k, side in around:
            if settled(k):
                continue
            if longrun[k]:
                out.append(f"{dates[k]}: long run {side} the B race on {b}")
            if hardish[k] and (side == "after" or k >= i - 2):
                out.append(f"{dates[k]}: hard session {side} the B race on {b}")

    # Calendar weeks, Monday to Sunday.
    weeks: dict[int, list[int]] = defaultdict(list)
    monday0 = dates[0] - timedelta(days=dates[0].weekday())
    for i, dt in enumerate(dates):
        weeks[(dt - monday0).days // 7].append(i)
    phase = [by_date[dt][0].phase for dt in dates]
    week_load = {w: sum(loads[i] for i in idx) for w, idx in weeks.items()}
    prev_ctl = athlete.ctl
    # A recovery week never has to be lighter than the lightest week the rules ask for.
    if lightest_week is None:
        lightest_week = lightest_week_load(schema, rules)
    for w, idx in sorted(weeks.items()):
        full = len(idx) == 7
        if settled(*idx):
            end = min(idx[-1], n - 2)
            prev_ctl = states[end][0] if end >= idx[0] else prev_ctl
            continue
        need_rest = athlete.rest_days if full else athlete.rest_days * len(idx) // 7
        if sum(rest[i] for i in idx) < need_rest:
            out.append(f"week {w + 1}: {sum(rest[i] for i in idx)} rest days < {need_rest}")
        need_runs = rules.min_runs_per_week if full else rules.min_runs_per_week * len(idx) // 7
        # A week partly lived: a minimum its remaining days cannot reach any more is waived.
        future = [i for i in idx if not settled(i)]
        lived_runs = sum(runs[i] for i in idx if settled(i))
        waived_runs = lived_runs + sum(1 for i in future if available(i, 1)) < need_runs
        if sum(runs[i] for i in idx) < need_runs and not (future != idx and waived_runs):
            out.append(f"week {w + 1}: {sum(runs[i] for i in idx)} running days < {need_runs}")
        minutes = sum(p.duration_min for i in idx for p in by_date[dates[i]] if kind(p) != "race")
        if minutes > athlete.weekly_hours * 60 + EPS:
            out.append(f"week {w + 1}: {minutes} min > {athlete.weekly_hours} h")
        n_long = sum(longrun[i] for i in idx)
        training_week = full and all(phase[i] in ("base", "build", "peak") for i in idx)
        no_long_left = not any(available(i, shortest_long) for i in future)
        waived_long = future != idx and n_long == 0 and no_long_left
        b_race_week = any(dates[i] in b_races for i in idx)
        if (
            training_week
            and rules.long_run_every_week
            and n_long != 1
            and not waived_long
            and not b_race_week
        ):
            out.append(f"week {w + 1}: {n_long} long runs")
        if n_long > 1:
            out.append(f"week {w + 1}: {n_long} long runs")
        end = min(idx[-1], n - 2)
        if end >= idx[0]:
            if states[end][0] - prev_ctl > rules.max_ctl_ramp + EPS:
                out.append(f"week {w + 1}: CTL ramp {states[end][0] - prev_ctl:.2f}")
            prev_ctl = states[end][0]
        recovery = by_date[dates[idx[0]]][0].is_recovery_week
        reference = week_load.get(w - 1, 0.0)
        if planned is not None and (w - 1) in weeks:
            lived = [i for i in weeks[w - 1] if settled(i)]
            shortfall = sum(planned.get(dates[i], loads[i]) - loads[i] for i in lived)
            reference += max(0.0, shortfall)
        if (
            recovery
            and (w - 1) in weeks
            and not settled(*idx, *weeks[w - 1])
            and week_load[w] > max(rules.recovery_load_ratio * reference, lightest_week) + EPS
        ):
            out.append(
                f"week {w + 1}: recovery load {week_load[w]} > {rules.recovery_load_ratio} x {reference}"
            )
        taper_idx = [i for i in idx if phase[i] == "taper"]
        if len(taper_idx) >= 4 and not any(hardish[i] for i in taper_idx):
            out.append(f"week {w + 1}: taper week without any intensity")

    # Taper load: the last 7 days before the race vs the peak full training week.
    training_weeks = [
        w
        for w, idx in weeks.items()
        if len(idx) == 7 and all(phase[i] in ("base", "build", "peak") for i in idx)
    ]
    taper_len = sum(1 for p in phase if p == "taper")
    if training_weeks and taper_len >= 7:
        peak = max(week_load[w] for w in training_weeks)
        last = sum(loads[n - 8 : n - 1])
        if last > max(rules.taper_load_ratio * peak, race_week_floor(schema, rules)[0]) + EPS:
            out.append(f"taper: last-week load {last} > {rules.taper_load_ratio} x peak {peak}")

    # Neighbouring-day rules.
    for i in range(n - 1):
        if hardish[i] and hardish[i + 1] and not settled(i + 1):
            out.append(f"{dates[i]}: hard sessions on consecutive days")
    for i in range(n - 3):
        if sum(longrun[i : i + 4]) > 1 and not settled(i + 3):
            out.append(f"{dates[i]}: two long runs within 4 days")
    win = rules.strength_window_days
    for i in range(n - win + 1):
        if sum(strength[i : i + win]) > 1 and not settled(i + win - 1):
            out.append(
                f"{dates[i]}: {sum(strength[i : i + win])} strength sessions within {win} days"
            )
    gap = rules.variety_window_days
    codes = [
        {p.session_code for p in by_date[dt] if p.intensity in ("moderate", "hard")} for dt in dates
    ]
    for i in range(n):
        for j in range(i + 1, min(n, i + gap + 1)):
            same = codes[i] & codes[j]
            if same and not settled(j):
                out.append(f"{dates[i]}/{dates[j]}: {sorted(same)} repeated within {gap} days")
    if run_minutes_all and run_minutes_easy < rules.min_easy_share * run_minutes_all - EPS:
        out.append(f"easy share {run_minutes_easy / run_minutes_all:.3f} < {rules.min_easy_share}")
    # The coach-grade families (docs/COACH_RULES.md).
    out += coach_violations(days, request, schema, settled_before, planned)
    return out


# -- multi-sport plans --------------------------------------------------------------------

TRAINING_SPORTS = ("swim", "bike", "run")
QUALITY = ("moderate", "hard", "race")


def _sports(day: PlanDay) -> tuple[str, ...]:
    """What a plan day trains: a brick bike and run, a triathlon all three."""
    if day.intensity == "strength":
        return ("strength",)
    return {"brick": ("bike", "run"), "triathlon": TRAINING_SPORTS}.get(day.sport, (day.sport,))


def multisport_violations(
    days: list[PlanDay], request: PlanRequest, sessions: list[SessionTemplate]
) -> list[str]:
    """The multi-sport rules, recomputed from the plan's days (and the catalogue's kinds and
    per-sport load splits, `sessions` with the race's): sessions per day and per sport,
    weekly minima per sport, a long ride and a long run per training week never on
    consecutive days, no hard day after a hard day whatever the sport, bricks, and
    per-sport CTL/ATL; swims on pool days, the long ride on its day, no sport's CTL above
    its share of the total, and the long rides' progression."""
    rules = request.rules
    shares = sport_time_shares(rules, request.goal.distance)
    catalogue = {s.code: s for s in sessions}
    out: list[str] = []
    by_date: dict[date, list[PlanDay]] = defaultdict(list)
    for d in days:
        by_date[d.date].append(d)
    dates = sorted(by_date)
    training = {t: [d for d in by_date[t] if d.intensity != "rest"] for t in dates}
    for t in dates:
        sessions = training[t]
        if len(sessions) > 2:
            out.append(f"{t}: {len(sessions)} sessions")
        trained = [sp for d in sessions if d.intensity != "race" for sp in _sports(d)]
        for sport in set(trained):
            if sport != "strength" and trained.count(sport) > 1:
                out.append(f"{t}: two {sport} sessions")
    hard = {t for t in dates if any(d.intensity in QUALITY for d in by_date[t])}
    for t in hard:
        if t + timedelta(days=1) in hard:
            out.append(f"{t}: hard day followed by a hard day")

    def kind(d: PlanDay) -> str:
        return catalogue[d.session_code].kind if d.session_code in catalogue else "race"

    long_rides = {t for t in dates for d in by_date[t] if kind(d) == "long" and d.sport == "bike"}
    long_runs = {t for t in dates for d in by_date[t] if kind(d) == "long" and d.sport == "run"}
    for t in long_rides:
        for near in (t - timedelta(days=1), t, t + timedelta(days=1)):
            if near in long_runs:
                out.append(f"{t}: long ride next to the long run on {near}")
    weeks: dict[int, list[date]] = defaultdict(list)
    for t in dates:
        weeks[by_date[t][0].week_number].append(t)
    brick_weeks: list[tuple[int, bool]] = []
    race_day = request.goal.date
    for number, week in sorted(weeks.items()):
        phases = {d.phase for t in week for d in by_date[t]}
        before_race = [t for t in week if t < race_day]
        if "taper" in phases and len(before_race) >= 4:
            kept = {sp for t in before_race for d in training[t] for sp in _sports(d)}
            for sport in TRAINING_SPORTS:
                if sport not in kept:
                    out.append(f"week {number}: no {sport} session in the taper")
        if len(week) < 7 or phases & {"taper", "race"}:
            continue
        phase = by_date[week[0]][0].phase
        n_rides = sum(1 for t in week if t in long_rides)
        n_runs = sum(1 for t in week if t in long_runs)
        if n_rides != 1 or n_runs != 1:
            out.append(f"week {number}: {n_rides} long rides, {n_runs} long runs (want 1 each)")
        trained = [sp for t in week for d in training[t] for sp in _sports(d)]
        for sport, need in rules.min_sessions_per_sport.items():
            if trained.count(sport) < need:
                out.append(f"week {number}: {trained.count(sport)} {sport} sessions < {need}")
        minutes: dict[str, int] = defaultdict(int)
        for t in week:
            for d in training[t]:
                if d.sport in shares and d.intensity not in ("strength", "race"):
                    minutes[d.sport] += d.duration_min
        week_min = sum(minutes.values())
        for sport, (lo, hi) in shares.items():
            if minutes[sport] and not lo * week_min <= 100 * minutes[sport] <= hi * week_min:
                share = 100 * minutes[sport] / week_min
                out.append(f"week {number}: {sport} {share:.0f}% of the time, not {lo}-{hi}%")
        if phase in ("build", "peak"):
            bricks = any(d.sport == "brick" for t in week for d in training[t])
            brick_weeks.append((number, bricks))
    every = rules.brick_every_weeks
    for i in range(len(brick_weeks) - every + 1):
        span = brick_weeks[i : i + every]
        if span[-1][0] - span[0][0] == every - 1 and not any(b for _, b in span):
            out.append(f"weeks {span[0][0]}-{span[-1][0]}: no brick")
    out += _per_sport_fitness(by_date, dates, request, catalogue)
    out += _pool_and_ride_days(by_date, dates, request, catalogue)
    out += _fitness_shares(by_date, dates, request)
    out += _long_ride_progression(by_date, dates, request, catalogue)
    return out


def _long_ride_minutes(days: list[PlanDay], catalogue: dict[str, SessionTemplate]) -> int:
    return sum(
        d.duration_min
        for d in days
        if d.sport == "bike"
        and d.session_code in catalogue
        and catalogue[d.session_code].kind == "long"
    )


def _pool_and_ride_days(
    by_date: dict[date, list[PlanDay]],
    dates: list[date],
    request: PlanRequest,
    catalogue: dict[str, SessionTemplate],
) -> list[str]:
    """No swim off a pool day; in a week whose long-ride day can hold a long ride (in the
    plan, not the race, a phase that offers one, its minutes available), no long ride on
    another day."""
    a = request.athlete
    out = [
        f"{t}: a swim on weekday {t.weekday()}, not a pool day"
        for t in dates
        for d in by_date[t]
        if d.sport == "swim" and t.weekday() not in a.swim_days
    ]
    if a.long_ride_day is None:
        return out
    rides = [s for s in catalogue.values() if s.kind == "long" and s.sport == "bike"]
    weeks: dict[date, list[date]] = defaultdict(list)
    for t in dates:
        weeks[t - timedelta(days=t.weekday())].append(t)
    for monday, week in weeks.items():
        own = monday + timedelta(days=a.long_ride_day)
        if own not in by_date or own == request.goal.date or own in a.unavailable_dates:
            continue
        limit = a.availability_min[a.long_ride_day]
        phase = by_date[own][0].phase
        if not any(phase in s.phases and (limit is None or s.duration_min <= limit) for s in rides):
            continue
        for t in week:
            if t != own and _long_ride_minutes(by_date[t], catalogue):
                out.append(f"{t}: long ride off its day ({own})")
    return out


def _fitness_shares(
    by_date: dict[date, list[PlanDay]], dates: list[date], request: PlanRequest
) -> list[str]:
    """On base, build and peak days from week `sport_ctl_share_from_week` on, no sport's CTL
    above `max_sport_ctl_share` percent of the day's CTL (the reported figures, which
    `_per_sport_fitness` recomputes)."""
    r = request.rules
    out = []
    for t in dates:
        day = by_date[t][0]
        if t >= request.goal.date or day.week_number < r.sport_ctl_share_from_week:
            continue
        if day.phase not in ("base", "build", "peak") or not day.ctl_by_sport:
            continue
        for sport, ctl in day.ctl_by_sport.items():
            if 100 * ctl > r.max_sport_ctl_share * day.ctl + 2:  # the figures' rounding
                out.append(f"{t}: {sport} CTL {ctl} over {r.max_sport_ctl_share}% of {day.ctl}")
    return out


def _long_ride_progression(
    by_date: dict[date, list[PlanDay]],
    dates: list[date],
    request: PlanRequest,
    catalogue: dict[str, SessionTemplate],
) -> list[str]:
    """Long rides (by calendar week): from s0 (the longest recent ride, else 60 + 1.5 x
    CTL, down to a step, within the catalogue's long rides) at most a step over the longest
    so far, a step back (or the shortest) in a recovery week, the longest 3-5 weeks out."""
    r, a = request.rules, request.athlete
    rides = sorted(
        s.duration_min for s in catalogue.values() if s.kind == "long" and s.sport == "bike"
    )
    if not rides:
        return []
    step = r.long_ride_step_min
    s0 = a.longest_recent_ride_min if a.longest_recent_ride_min is not None else 60 + 1.5 * a.ctl
    s0 = min(max(math.floor(s0 / step) * step, rides[0]), rides[-1])
    weeks: dict[date, list[date]] = defaultdict(list)
    for t in dates:
        weeks[t - timedelta(days=t.weekday())].append(t)
    mondays = sorted(weeks)
    longs = [sum(_long_ride_minutes(by_date[t], catalogue) for t in weeks[m]) for m in mondays]
    out = []
    for k, monday in enumerate(mondays):
        top = max([s0, *longs[:k]])
        if longs[k] > top + step:
            out.append(f"week of {monday}: long ride {longs[k]} min > {top} + {step}")
        if by_date[weeks[monday][0]][0].is_recovery_week and longs[k] > max(top - step, rides[0]):
            out.append(f"week of {monday}: recovery long ride {longs[k]} min")
    lo, hi = r.long_run_peak_weeks
    last = len(mondays) - 1
    window = [k for k in range(last - hi, last - lo + 1) if k >= 0]
    if len(mondays) >= 6 and window and max(longs[k] for k in window) < max(longs):
        out.append(f"longest long ride {max(longs)} min not {lo}-{hi} weeks before the race")
    return out


def _per_sport_fitness(
    by_date: dict[date, list[PlanDay]],
    dates: list[date],
    request: PlanRequest,
    catalogue: dict[str, SessionTemplate],
) -> list[str]:
    """ctl_by_sport/atl_by_sport against each sport's loads simulated alone, the start split
    evenly over swim, bike and run; the sports sum to the day's CTL."""
    a = request.athlete
    out: list[str] = []
    loads: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(dates))
    for i, t in enumerate(dates):
        for d in by_date[t]:
            if d.intensity == "rest":
                continue
            split = catalogue[d.session_code].load_by_sport or {_sports(d)[0]: d.load}
            if sum(split.values()) != d.load:
                out.append(f"{t}: {d.session_code} split {split} is not its load {d.load}")
            for sport, load in split.items():
                loads[sport][i] += load
    r = request.rules
    for sport in set(loads) | set(TRAINING_SPORTS):
        share = 1 / 3 if sport in TRAINING_SPORTS else 0.0
        states = recompute(
            loads[sport], a.ctl * share, a.atl * share, r.ctl_tau_days, r.atl_tau_days
        )
        for t, (ctl, atl, _) in zip(dates, states, strict=True):
            day = by_date[t][0]
            if day.ctl_by_sport is None or day.atl_by_sport is None:
                return [f"{t}: no per-sport fitness"]
            got_ctl, got_atl = day.ctl_by_sport.get(sport, 0.0), day.atl_by_sport.get(sport, 0.0)
            if abs(got_ctl - ctl) > 0.011 or abs(got_atl - atl) > 0.011:
                out.append(
                    f"{t}: {sport} CTL/ATL {got_ctl}/{got_atl}, recomputed {ctl:.2f}/{atl:.2f}"
                )
    for t in dates:
        day = by_date[t][0]
        if day.ctl_by_sport and abs(sum(day.ctl_by_sport.values()) - day.ctl) > 0.05:
            out.append(
                f"{t}: per-sport CTL sums to {sum(day.ctl_by_sport.values())}, not {day.ctl}"
            )
    return out
