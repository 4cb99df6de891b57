"""A quick heuristic plan, given to CP-SAT as a solution hint.

The LP-heavy workers that prove optimality are slow to find a first plan on
their own; a feasible hint gives them one at once. The heuristic lays out each
week on a classic pattern (rest after the long run, one or two quality days
spread apart, easy days filling the hours budget), then repairs it against the
simulated CTL/ATL: weeks that ramp too fast or dig form below the floor are
scaled down, and the final days are adjusted into the race-day form window.
It is a hint, not a constraint: where it misses a rule, CP-SAT repairs it.
"""

from __future__ import annotations

from dataclasses import replace

from shared.planning import SessionTemplate
from shared.response import simulate
from worker.engine.calendar import Week
from worker.engine.model import PlanModel
from worker.engine.model.container import strength_may_join
from worker.engine.model.warm_start import DayChoice, warm_start

_QUALITY = ("moderate", "hard")


def _options(
    pm: PlanModel, d: int, kinds: tuple[str, ...], intensities: tuple[str, ...]
) -> list[SessionTemplate]:
    return [
        pm.sessions[c]
        for c in pm.primary[d]
        if pm.sessions[c].kind in kinds and pm.sessions[c].intensity in intensities
    ]


def _plan_week(
    pm: PlanModel, week: Week, budget: float, last_used: dict[str, int]
) -> dict[int, DayChoice]:
    """One week on the classic pattern within `budget` minutes."""
    athlete = pm.request.athlete
    rest_code = pm.catalogue.rest.code
    days = [pm.days[d] for d in week.days]
    out: dict[int, DayChoice] = {}
    free = []
    for day in days:
        if day.race is not None:
            out[day.index] = DayChoice(next(iter(pm.primary[day.index])))
        elif day.available_min == 0 or len(pm.primary[day.index]) == 1:
            out[day.index] = DayChoice(rest_code)
        else:
            free.append(day)
    race_days = [d for d in week.days if pm.days[d].race is not None]
    # Taper and race weeks keep it short and leave the final two days before a race easy.
    near_race = {d for r in race_days for d in (r - 1, r - 2)}

    # Long run: the preferred day (else the latest free day), the longest that fits 35% of budget.
    long_day = None
    if (free and not all(d.phase == "taper" for d in free)) or (week.full and not week.has_taper):
        cands = [d for d in free if d.day_of_week == athlete.long_run_day] or free[::-1]
        for day in cands:
            longs = sorted(
                _options(pm, day.index, ("long",), ("easy",)), key=lambda s: -s.duration_min
            )
            pick = next(
                (s for s in longs if s.duration_min <= 0.4 * budget and day.fits(s.duration_min)),
                None,
            )
            if pick is None and longs and week.full and not week.has_taper:
                pick = longs[-1]
            if pick is not None and day.index not in near_race:
                out[day.index] = DayChoice(pick.code)
                long_day = day
                budget -= pick.duration_min
                break
    free = [d for d in free if d.index not in out]

    # Rest days: the day after the long run first, then the days with the least time.
    need_rest = athlete.rest_days if week.full else (athlete.rest_days * len(week.days)) // 7
    rest_order = sorted(
        free,
        key=lambda d: (
            0 if long_day is not None and d.index == long_day.index + 1 else 1,
            d.available_min if d.available_min is not None else 10_000,
        ),
    )
    for day in rest_order[:need_rest]:
        out[day.index] = DayChoice(rest_code)
    free = [d for d in free if d.index not in out]

    # Quality: about 18% of the week's minutes, never on adjacent days nor next to the long run;
    # a taper week keeps at least one quality session.
    long_min = pm.sessions[out[long_day.index].primary].duration_min if long_day else 0
    quality_budget = 0.18 * (budget + long_min)
    if sum(1 for d in days if d.phase == "taper") >= 4:
        quality_budget = max(quality_budget, 60)
    hard_days: set[int] = set(race_days)
    for day in sorted(free, key=lambda d: d.phase != "taper"):
        if quality_budget < 40 or day.index in near_race:
            continue
        if {day.index - 1, day.index + 1} & hard_days:
            continue
        if long_day is not None and day.index == long_day.index - 1:
            continue
        opts = [
            s
            for s in _options(pm, day.index, ("run",), _QUALITY)
            if day.index - last_used.get(s.code, -99) > pm.request.rules.variety_window_days
            and s.duration_min <= quality_budget
            and day.fits(s.duration_min)
        ]
        if not opts:
            continue
        pick = max(opts, key=lambda s: s.load / max(s.duration_min, 1))
        out[day.index] = DayChoice(pick.code)
        last_used[pick.code] = day.index
        hard_days.add(day.index)
        quality_budget -= pick.duration_min
        budget -= pick.duration_min
    free = [d for d in free if d.index not in out]

    # Easy days share what is left of the budget.
    for i, day in enumerate(free):
        share = budget / (len(free) - i)
        easy = sorted(_options(pm, day.index, ("run",), ("easy",)), key=lambda s: -s.duration_min)
        pick = next((s for s in easy if s.duration_min <= share and day.fits(s.duration_min)), None)
        if pick is None:
            pick = next((s for s in reversed(easy) if day.fits(s.duration_min)), None)
        out[day.index] = DayChoice(pick.code if pick else rest_code)
        budget -= pm.sessions[out[day.index].primary].duration_min
    return out


def _place_strength(pm: PlanModel, choices: list[DayChoice]) -> None:
    window = pm.request.rules.strength_window_days
    last = -window
    weeks_done: set[int] = set()
    for d, choice in enumerate(choices):
        if pm.days[d].week_number in weeks_done:
            continue
        s = pm.strength[d]
        sess = pm.sessions[choice.primary]
        ok_day = strength_may_join(sess) and sess.kind != "rest"  # a rest day stays one
        if s is None or not ok_day or d - last < max(window, 3):
            continue
        day = pm.days[d]
        if not day.fits(
            sess.duration_min
            + (pm.catalogue.strength.duration_min if pm.catalogue.strength else 0),
        ):
            continue
        choices[d] = replace(choice, strength=True)
        last = d
        weeks_done.add(pm.days[d].week_number)


def _loads(pm: PlanModel, choices: list[DayChoice]) -> list[int]:
    st = pm.catalogue.strength
    return [pm.sessions[c.primary].load + (st.load if c.strength and st else 0) for c in choices]


def heuristic_plan(pm: PlanModel) -> list[DayChoice]:
    cal = pm.calendar
    athlete, rules = pm.request.athlete, pm.request.rules
    # Strength minutes count against the weekly cap: keep room for one session a week.
    cap = athlete.weekly_hours * 60 - (
        pm.catalogue.strength.duration_min if pm.catalogue.strength else 0
    )
    scale = {w.number: 1.0 for w in cal.weeks}
    resp = pm.response
    choices: list[DayChoice] = []
    for _attempt in range(12):
        choices = [DayChoice(pm.catalogue.rest.code) for _ in cal.days]
        recent: dict[str, int] = {}
        for week in cal.weeks:
            # Taper weeks train on too: the final 7 days are cut back afterwards.
            base = 0.6 * cap if week.is_recovery else 0.95 * cap
            for d, c in _plan_week(pm, week, base * scale[week.number], recent).items():
                choices[d] = c
        _place_strength(pm, choices)
        states = simulate(_loads(pm, choices), resp)
        # Repair: weeks that ramp CTL too fast or push TSB below the floor get less.
        bad = set()
        prev_ctl = resp.ctl0
        for week in cal.weeks:
            end = min(week.days[-1], cal.race_index - 1)
            if states[end].ctl - prev_ctl > rules.max_ctl_ramp * 0.97:
                bad.add(week.number)
            prev_ctl = states[end].ctl
            if any(states[d].tsb < rules.min_tsb + 1 for d in week.days if d + 1 < len(states)):
                bad.add(week.number)
        if not bad:
            break
        for w in bad:
            scale[w] *= 0.85
    _fit_taper_load(pm, choices)
    _fit_race_form(pm, choices)
    return choices


def _fit_taper_load(pm: PlanModel, choices: list[DayChoice]) -> None:
    """Shorten easy sessions of the final 7 days until their load is within the taper ratio."""
    cal = pm.calendar
    race = cal.race_index
    training = [w for w in cal.weeks if w.full and not w.has_taper]
    if not training or race - cal.taper_start < 7:
        return
    loads = _loads(pm, choices)
    peak = max(sum(loads[d] for d in w.days) for w in training)
    limit = pm.request.rules.taper_load_ratio * peak
    for _ in range(30):
        loads = _loads(pm, choices)
        if sum(loads[race - 7 : race]) <= limit:
            return
        easy = [
            d
            for d in range(race - 7, race)
            if pm.sessions[choices[d].primary].intensity == "easy"
            and pm.sessions[choices[d].primary].kind in ("run", "long")
        ]
        if not easy:
            return
        d = max(easy, key=lambda t: pm.sessions[choices[t].primary].load)
        current = pm.sessions[choices[d].primary]
        shorter = [
            pm.sessions[c]
            for c in pm.primary[d]
            if pm.sessions[c].kind == "run"
            and pm.sessions[c].intensity == "easy"
            and pm.sessions[c].load < current.load
            and c in pm.primary[d]
        ]
        if shorter:
            choices[d] = replace(choices[d], primary=max(shorter, key=lambda s: s.load).code)
        else:
            choices[d] = DayChoice(pm.catalogue.rest.code)


def _fit_race_form(pm: PlanModel, choices: list[DayChoice]) -> None:
    """Rest more (or run a little more) in the final days until race-day TSB is in its window."""
    rules, resp, cal = pm.request.rules, pm.response, pm.calendar
    race = cal.race_index
    lo, hi = rules.race_tsb_min + 0.5, rules.race_tsb_max - 0.5
    rest = pm.catalogue.rest.code
    for _ in range(10):
        tsb = simulate(_loads(pm, choices), resp)[race].tsb
        if tsb < lo:
            # Drop the heaviest non-quality session among the last 10 days.
            cands = [
                d
                for d in range(max(0, race - 10), race)
                if pm.sessions[choices[d].primary].intensity == "easy"
                and pm.sessions[choices[d].primary].kind != "rest"
            ]
            if not cands:
                return
            d = max(cands, key=lambda t: (pm.sessions[choices[t].primary].load, t))
            choices[d] = DayChoice(rest)
        elif tsb > hi:
            cands = [d for d in range(max(0, race - 6), race - 1) if choices[d].primary == rest]
            easy = [s for s in pm.catalogue.runs if s.kind == "run" and s.intensity == "easy"]
            if not cands or not easy:
                return
            d = cands[-1]
            opts = [s for s in easy if s.code in pm.primary[d]]
            if not opts:
                return
            choices[d] = DayChoice(min(opts, key=lambda s: s.load).code)
        else:
            return


def add_heuristic_hint(pm: PlanModel) -> None:
    warm_start(pm, dict(enumerate(heuristic_plan(pm))))
