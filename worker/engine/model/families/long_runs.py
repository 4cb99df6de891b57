"""Long-session progression: from where the athlete is, one step a week at most, a step back
in recovery weeks, the longest 3-5 weeks before the race (docs/COACH_RULES.md, section 2).
The long run follows it, and in a multi-sport plan the long ride too (its own start and
step)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from shared.planning import Athlete, PlanRules, TrainingSchema
from worker.engine.calendar import Calendar, Week
from worker.engine.model.container import PlanModel, Rows, is_multisport, total, weighted

MARATHON_LONG_SHARE = 0.45  # a long run of at most this share of the week's hours


def long_run_start(athlete: Athlete, rules: PlanRules, schema: TrainingSchema) -> int:
    """Minutes of the long run the runner can do now: the longest recent run when given,
    else 45 + 1.5 x CTL, down to a step, at least the catalogue's shortest long run. A
    triathlete's is at most the catalogue's longest (their fitness is not all running)."""
    step = rules.long_run_step_min
    known = athlete.longest_recent_run_min
    base = known if known is not None else 45 + 1.5 * athlete.ctl
    multisport = is_multisport(schema)
    longs = [
        s.duration_min
        for s in schema.sessions
        if s.kind == "long" and (s.sport == "run" or not multisport)
    ]
    start = max(int(base // step) * step, min(longs, default=0))
    return min(start, max(longs)) if multisport and longs else start


def long_ride_start(athlete: Athlete, rules: PlanRules, schema: TrainingSchema) -> int:
    """Minutes of the long ride the athlete can do now: the longest recent ride when given,
    else 60 + 1.5 x CTL, down to a step, within the catalogue's long rides."""
    step = rules.long_ride_step_min
    known = athlete.longest_recent_ride_min
    base = known if known is not None else 60 + 1.5 * athlete.ctl
    rides = [s.duration_min for s in schema.sessions if s.kind == "long" and s.sport == "bike"]
    if not rides:
        return 0
    return min(max(int(base // step) * step, min(rides)), max(rides))


def long_start(athlete: Athlete, rules: PlanRules, schema: TrainingSchema, sport: str) -> int:
    """Where the long sessions of `sport` (run or bike) start."""
    if sport == "run":
        return long_run_start(athlete, rules, schema)
    return long_ride_start(athlete, rules, schema)


def long_step(rules: PlanRules, sport: str) -> int:
    return rules.long_run_step_min if sport == "run" else rules.long_ride_step_min


def weeks_before_race(calendar: Calendar, week: Week) -> int:
    return calendar.weeks[-1].number - week.number


def peak_window(calendar: Calendar, rules: PlanRules) -> list[Week]:
    """The weeks the longest long run falls in (none for a plan of under 6 weeks)."""
    lo, hi = rules.long_run_peak_weeks
    if len(calendar.weeks) < 6:
        return []
    return [w for w in calendar.weeks if lo <= weeks_before_race(calendar, w) <= hi]


def marathon_peak_required(
    athlete: Athlete, rules: PlanRules, schema: TrainingSchema, calendar: Calendar
) -> bool:
    """A marathon's longest run reaches `marathon_peak_long_min` when the hours, the days
    and the progression from the runner's start allow it."""
    need = rules.marathon_peak_long_min
    if schema.distance != "marathon" or need <= 0:
        return False
    offered = any(
        s.kind == "long" and s.duration_min >= need and {"build", "peak"} & set(s.phases)
        for s in schema.sessions
    )
    room = any(m is None or m >= need for m in athlete.availability_min)
    hours = athlete.weekly_hours * 60 >= need / MARATHON_LONG_SHARE
    lo = rules.long_run_peak_weeks[0]
    steps = sum(
        1 for w in calendar.weeks if not w.is_recovery and weeks_before_race(calendar, w) >= lo
    )
    reach = long_run_start(athlete, rules, schema) + rules.long_run_step_min * steps >= need
    return offered and room and hours and reach


def long_runs_build_gradually(pm: PlanModel, rows: Rows) -> None:
    long_sessions_build_gradually(pm, rows, "run")
    rules, cal = pm.request.rules, pm.calendar
    if marathon_peak_required(pm.request.athlete, rules, pm.schema, cal):
        need = rules.marathon_peak_long_min
        rows.add(
            total(
                lit
                for w in cal.weeks
                for d in w.days
                for c, lit in pm.primary[d].items()
                if pm.is_long_run(pm.sessions[c]) and pm.sessions[c].duration_min >= need
            )
            >= 1
        )


def long_rides_build_gradually(pm: PlanModel, rows: Rows) -> None:
    """The long ride's progression: a running plan has none (no long ride)."""
    if pm.multisport:
        long_sessions_build_gradually(pm, rows, "bike")


def lived_longest(pm: PlanModel, week: Week, sport: str) -> int | None:
    """The longest long session of `sport` done in a week lived to its end (0: none); None
    for a week with days still to plan."""
    if not all(pm.past(d) for d in week.days):
        return None
    return max(
        (s.duration_min for d in week.days for s, _ in pm.fixed_lits[d] if pm.is_long(s, sport)),
        default=0,
    )


def long_sessions_build_gradually(pm: PlanModel, rows: Rows, sport: str) -> None:
    rules, cal, m = pm.request.rules, pm.calendar, pm.model
    step = long_step(rules, sport)
    longs = [s for s in pm.catalogue.runs if pm.is_long(s, sport)]
    if not longs:
        return
    shortest = min(s.duration_min for s in longs)

    def minutes(week: Week) -> list[tuple[int, cp_model.IntVar]]:
        return [
            (pm.sessions[c].duration_min, lit)
            for d in week.days
            for c, lit in pm.primary[d].items()
            if pm.is_long(pm.sessions[c], sport)
        ]

    def settled(value: int) -> cp_model.IntVar:
        # A variable of its own (new_constant shares one per value: hinted twice, invalid).
        var = m.new_int_var(value, value, f"lived_long_{sport}_{value}")
        pm.settled.add(var.index)  # a fact: a rule over it and lived days only is settled
        return var

    start = long_start(pm.request.athlete, rules, pm.schema, sport)
    longest: cp_model.IntVar = settled(start)
    known: int | None = start  # the longest so far while it is a fact (lived weeks only)
    top = max(s.duration_min for s in longs)
    lived = {w.number: lived_longest(pm, w, sport) for w in cal.weeks}
    for week in cal.weeks:
        done = lived[week.number]
        if done is not None and known is not None:
            # A lived week is a fact, whatever it held (two long runs, one beyond the
            # progression): no rule over it; the future grows from its longest.
            known = max(known, done)
            longest = settled(known)
            pm.longest_before[sport, week.number + 1] = longest
            continue
        known = None
        terms = minutes(week)
        length = weighted(terms)
        rows.add(length <= longest + step)
        if week.is_recovery:
            at_shortest = total(lit for mins, lit in terms if mins == shortest)
            rows.add(length + step <= longest + step * at_shortest)
        if week is not cal.weeks[-1]:
            running = m.new_int_var(0, max(top, shortest), f"longest_{sport}_to_{week.number}")
            m.add_max_equality(running, [longest, length])
            pm.longest_before[sport, week.number + 1] = running
            longest = running
    window = peak_window(cal, rules)
    if window:
        peak = m.new_int_var(0, max([top, *(v for v in lived.values() if v)]), f"peak_long_{sport}")
        m.add_max_equality(
            peak,
            [
                weighted(minutes(w)) if (v := lived[w.number]) is None else settled(v)
                for w in window
            ],
        )
        pm.peak_long[sport] = peak
        for week in cal.weeks:
            if week in window:
                continue
            done = lived[week.number]
            # A lived week's longest too: the peak still reaches what was done.
            rows.add((weighted(minutes(week)) if done is None else settled(done)) <= peak)
