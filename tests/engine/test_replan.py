"""Re-planning: a plan, then three missed hard sessions and a week of illness, re-planned.

The illness started five days before the effective date and lasts two more days (new
unavailable dates), so the re-plan must change the future, not just keep it.

Checked independently of the engine: the rule checker (`rules.py`) on the whole new plan
(rules over past days alone excepted, every rule touching a future day included), CTL/ATL
recomputed from the loads, changed days recounted from the two plans.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta

import pytest

from shared.planning import PlanDay, PlanRequest, PlanResult, Race
from shared.replanning import (
    DoneActivity,
    ReplanRequest,
    ReplanResult,
    derive_load,
    intensity_class,
)
from tests.engine.conftest import request_for
from tests.engine.rules import planned_loads, recompute, violations
from worker.engine import InvalidRequest, solve
from worker.engine.history import fitness_on
from worker.engine.replan import done_day, replan, updated_request
from worker.engine.validation import schema_for

RACE = date(2027, 4, 18)  # a Sunday
SESSION_FIELDS = ("slot", "session_code", "session_type", "intensity", "duration_min", "load")
LAYOUT_FIELDS = ("week_number", "day_of_week", "phase", "is_recovery_week")


@pytest.fixture(scope="module")
def original() -> tuple[PlanRequest, PlanResult]:
    request = request_for("half", 12, race=RACE)
    result = solve(request)
    assert result.status in ("OPTIMAL", "FEASIBLE")
    return request, result


def start_of(request: PlanRequest) -> date:
    assert request.start is not None
    return request.start


def effective_of(request: PlanRequest) -> date:
    return start_of(request) + timedelta(weeks=8, days=2)  # a Wednesday: a week spans it


def first_slots(days: list[PlanDay]) -> dict[date, PlanDay]:
    return {d.date: d for d in days if d.slot == 0}


def as_done(day: PlanDay) -> DoneActivity:
    """A planned session, logged as planned."""
    return DoneActivity(
        date=day.date,
        sport="strength" if day.intensity == "strength" else day.sport,
        duration_min=day.duration_min,
        load=day.load,
        session_code=day.session_code,
    )


def life(plan: PlanResult, effective: date) -> tuple[list[DoneActivity], set[date], set[date]]:
    """What was done: the plan, minus the last three quality (moderate or hard) sessions
    before the illness, and the five days of illness before `effective`."""
    ill = {effective - timedelta(days=k) for k in range(1, 6)}
    hard = [d for d in plan.days if d.intensity in ("moderate", "hard") and d.date < min(ill)]
    assert len(hard) >= 3, "the scenario needs three hard sessions before the illness"
    missed = {d.date for d in hard[-3:]}
    done = [
        as_done(d)
        for d in plan.days
        if d.date < effective and d.intensity != "rest" and d.date not in missed | ill
    ]
    return done, missed, ill


@pytest.fixture(scope="module")
def replanned(
    original: tuple[PlanRequest, PlanResult],
) -> tuple[ReplanRequest, ReplanResult, set[date], set[date]]:
    request, plan = original
    effective = effective_of(request)
    done, missed, ill = life(plan, effective)
    still_ill = [effective, effective + timedelta(days=1)]
    req = ReplanRequest(
        request=request,
        previous=plan.days,
        effective=effective,
        done=done,
        unavailable_dates=still_ill,
    )
    result = replan(req)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    return req, result, missed, ill


def test_days_before_the_effective_date_are_kept_or_as_done(
    original: tuple[PlanRequest, PlanResult],
    replanned: tuple[ReplanRequest, ReplanResult, set[date], set[date]],
) -> None:
    _, plan = original
    req, result, missed, ill = replanned
    before = [d for d in plan.days if d.date < req.effective]
    after = [d for d in result.days if d.date < req.effective]
    assert result.kept_days == len({d.date for d in before})
    by_date: dict[date, list[PlanDay]] = defaultdict(list)
    for d in after:
        by_date[d.date].append(d)
    for old in before:
        new = by_date[old.date]
        # The calendar of a lived day never moves.
        assert all(getattr(n, f) == getattr(old, f) for n in new for f in LAYOUT_FIELDS)
        if old.date in missed | ill:
            assert [(n.intensity, n.load, n.duration_min) for n in new] == [("rest", 0, 0)]
            assert not new[0].is_training_day
        else:
            match = next(n for n in new if n.slot == old.slot)
            assert [getattr(match, f) for f in SESSION_FIELDS] == [
                getattr(old, f) for f in SESSION_FIELDS
            ]


def test_every_rule_holds_on_the_new_plan_across_the_boundary(
    replanned: tuple[ReplanRequest, ReplanResult, set[date], set[date]],
) -> None:
    req, result, _, _ = replanned
    request = updated_request(req)
    schema = schema_for(request)
    planned = planned_loads(req.previous)
    assert violations(result.days, request, schema, req.effective, planned) == []
    # The first future week starts from the lived part of its week: hours and rest days
    # of that whole calendar week are within the limits (checked above); here the form
    # the re-plan started from is recomputed from what was done.
    loads: dict[date, float] = defaultdict(float)
    for d in result.days:
        loads[d.date] += d.load
    series = [loads[k] for k in sorted(loads)]
    rules = request.rules
    states = recompute(
        series, request.athlete.ctl, request.athlete.atl, rules.ctl_tau_days, rules.atl_tau_days
    )
    kept = result.kept_days
    assert result.ctl_at_effective == pytest.approx(states[kept - 1][0], abs=0.01)
    assert result.atl_at_effective == pytest.approx(states[kept - 1][1], abs=0.01)
    # Illness and missed sessions cost fitness: below what the plan expected that morning.
    slots = first_slots(result.days)
    assert all(slots[d].intensity == "rest" for d in req.unavailable_dates)
    race_day = slots[RACE]
    assert race_day.intensity == "race"
    assert rules.race_tsb_min - 1e-6 <= race_day.tsb <= rules.race_tsb_max + 1e-6


def test_history_fitness_matches_the_plan_simulation(
    replanned: tuple[ReplanRequest, ReplanResult, set[date], set[date]],
) -> None:
    """The service's CTL/ATL from logged activities: the same numbers as the re-plan's."""
    req, result, _, _ = replanned
    assert req.done is not None
    a = req.request.athlete
    ctl, atl = fitness_on(
        [*req.done, DoneActivity(date=start_of(req.request), duration_min=0, load=0)],
        req.effective,
        ctl0=a.ctl,
        atl0=a.atl,
    )
    assert (ctl, atl) == pytest.approx((result.ctl_at_effective, result.atl_at_effective), abs=0.01)


def test_fewer_changed_days_than_a_plan_from_scratch(
    original: tuple[PlanRequest, PlanResult],
    replanned: tuple[ReplanRequest, ReplanResult, set[date], set[date]],
) -> None:
    _, plan = original
    req, result, _, _ = replanned
    old = first_slots(plan.days)

    def codes(days: list[PlanDay]) -> dict[date, list[str]]:
        out: dict[date, list[str]] = defaultdict(list)
        for d in days:
            if d.date >= req.effective:
                out[d.date].append(d.session_code)
        return {k: sorted(v) for k, v in out.items()}

    before = {k: v for k, v in codes(plan.days).items()}
    ours = codes(result.days)
    recount = sorted(k for k in ours if ours[k] != before.get(k))
    assert result.changed_dates == recount and result.changed_days == len(recount)

    # From scratch: the same remaining period, today's form, no memory of the plan.
    scratch_request = updated_request(req).model_copy(
        update={
            "start": req.effective,
            "athlete": req.request.athlete.model_copy(
                update={"ctl": result.ctl_at_effective, "atl": result.atl_at_effective}
            ),
        }
    )
    scratch = solve(scratch_request)
    assert scratch.status in ("OPTIMAL", "FEASIBLE")
    theirs = codes(scratch.days)
    scratch_changed = sum(1 for k in theirs if theirs[k] != before.get(k))
    assert result.changed_days < scratch_changed
    assert old[RACE].intensity == "race"


def test_unreachable_race_form_is_a_plain_language_conflict(
    original: tuple[PlanRequest, PlanResult],
) -> None:
    """Three huge days just before the effective date, two days before the race."""
    request, plan = original
    effective = RACE - timedelta(days=2)
    binge = [
        DoneActivity(date=RACE - timedelta(days=k), duration_min=300, load=400) for k in (3, 4, 5)
    ]
    req = ReplanRequest(
        request=request,
        previous=plan.days,
        effective=effective,
        done=binge,
        done_since=RACE - timedelta(days=5),
    )
    result = replan(req)
    assert result.status == "INFEASIBLE" and result.days == []
    text = " ".join(result.conflicts)
    assert "race-day form" in text and "Traceback" not in text
    # The form quoted is the one the binge left, recomputed here.
    assert result.ctl_at_effective - result.atl_at_effective < request.rules.race_tsb_min
    form = result.ctl_at_effective - result.atl_at_effective  # shown to the unit, rounded
    assert any(f"start at {k:+d})" in text for k in (math.floor(form), math.ceil(form)))


def test_changes_are_applied(original: tuple[PlanRequest, PlanResult]) -> None:
    """New unavailable dates, fewer weekly hours and a race moved a week later."""
    request, plan = original
    effective = effective_of(request)
    away = [effective + timedelta(days=k) for k in (7, 8, 9)]
    moved = Race(date=RACE + timedelta(days=7), distance="half")
    req = ReplanRequest(
        request=request,
        previous=plan.days,
        effective=effective,
        unavailable_dates=away,
        weekly_hours=6.0,
        race=moved,
    )
    result = replan(req)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    new_request = updated_request(req)
    assert new_request.athlete.weekly_hours == 6.0 and new_request.goal.date == moved.date
    schema = schema_for(new_request)
    assert (
        violations(result.days, new_request, schema, req.effective, planned_loads(plan.days)) == []
    )
    slots = first_slots(result.days)
    assert max(slots) == moved.date and slots[moved.date].intensity == "race"
    assert all(slots[d].intensity == "rest" for d in away)
    # Days added beyond the old race count as changed.
    assert {RACE + timedelta(days=k) for k in range(1, 8)} <= set(result.changed_dates)


def test_plan_followed_keeps_the_past_exactly(original: tuple[PlanRequest, PlanResult]) -> None:
    """Without a record, the days before the effective date are the plan's, numbers too."""
    request, plan = original
    effective = effective_of(request)
    result = replan(ReplanRequest(request=request, previous=plan.days, effective=effective))
    assert result.status in ("OPTIMAL", "FEASIBLE")
    assert [d for d in result.days if d.date < effective] == [
        d for d in plan.days if d.date < effective
    ]


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"effective": RACE + timedelta(days=1)}, "after the race"),
        (
            {"race": Race(date=RACE - timedelta(days=60), distance="10k", priority="B")},
            "before the effective date",
        ),
    ],
)
def test_impossible_requests_are_refused(
    original: tuple[PlanRequest, PlanResult], changes: dict[str, object], needle: str
) -> None:
    request, plan = original
    data: dict[str, object] = {
        "request": request,
        "previous": plan.days,
        "effective": effective_of(request),
    }
    data.update(changes)
    with pytest.raises(InvalidRequest, match=needle):
        replan(ReplanRequest.model_validate(data))


def test_load_formula() -> None:
    # One hour at threshold pace (or heart rate) is 100; easier is quadratically less.
    assert derive_load(60, avg_pace_s_per_km=300, threshold_pace_s_per_km=300) == 100
    assert derive_load(90, avg_hr=135, threshold_hr=180) == pytest.approx(
        1.5 * 0.75**2 * 100, abs=0.05
    )
    assert derive_load(45, avg_pace_s_per_km=400, threshold_pace_s_per_km=300) == pytest.approx(
        0.75 * (300 / 400) ** 2 * 100, abs=0.05
    )
    # The built-in catalogue's sessions fall in their own class (IF from their loads).
    for minutes, load, expected in ((45, 39, "easy"), (60, 67, "moderate"), (50, 65, "hard")):
        assert intensity_class(math.sqrt(load / (minutes / 60 * 100))) == expected
    with pytest.raises(ValueError, match="average pace"):
        derive_load(30)


def test_illness_before_a_recovery_week_leaves_a_recovery_week_that_trains() -> None:
    """Ill from the Tuesday of week 3 and still on its weekend, the effective date: week 4
    (a recovery week) is measured against week 3 as planned, not against the illness."""
    request = request_for("10k", 8, race=RACE)
    plan = solve(request)
    assert plan.status in ("OPTIMAL", "FEASIBLE")
    start = start_of(request)
    effective = start + timedelta(weeks=2, days=5)  # Saturday of week 3
    done = [
        as_done(d)
        for d in plan.days
        if d.date < start + timedelta(weeks=2, days=1) and d.intensity != "rest"
    ]
    weekend = [effective, effective + timedelta(days=1)]
    req = ReplanRequest(
        request=request,
        previous=plan.days,
        effective=effective,
        done=done,
        unavailable_dates=weekend,
    )
    result = replan(req)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    new_request = updated_request(req)
    planned = planned_loads(plan.days)
    schema = schema_for(new_request)
    assert violations(result.days, new_request, schema, effective, planned) == []
    week4 = [d for d in result.days if d.week_number == 4]
    assert week4[0].is_recovery_week
    runs = {d.date for d in week4 if d.intensity not in ("rest", "strength")}
    assert len(runs) >= new_request.rules.min_runs_per_week
    week3_planned = sum(load for day, load in planned.items() if 14 <= (day - start).days < 21)
    assert 0 < sum(d.load for d in week4) <= new_request.rules.recovery_load_ratio * week3_planned


def test_a_logged_hard_hour_is_a_run_an_easy_one_a_long_run(
    original: tuple[PlanRequest, PlanResult],
) -> None:
    """Without a given kind, a logged run as long as the shortest long run is a long run
    only when easy: a 60-minute tempo is a quality run (two long runs in one lived week
    would break the long-run progression for good)."""
    request, plan = original
    schema = schema_for(request)
    shortest_long = min(s.duration_min for s in schema.sessions if s.kind == "long")
    day = plan.days[0]
    kinds = {}
    for name, factor in (("tempo", 0.92), ("easy", 0.70)):
        minutes = shortest_long
        logged = DoneActivity(
            date=day.date, duration_min=minutes, load=round(minutes / 60 * factor**2 * 100)
        )
        assert logged.resolved_intensity() == ("hard" if name == "tempo" else "easy")
        [(_, kind)] = done_day(day.date, [logged], [], day, schema)
        kinds[name] = kind
    assert kinds == {"tempo": "run", "easy": "long"}


def test_lived_weeks_beyond_the_long_run_progression_still_replan(
    original: tuple[PlanRequest, PlanResult],
) -> None:
    """A runner whose second week held two long runs, one of 150 min (far beyond the
    progression from the plan's start): the lived weeks are facts, the re-plan solves and
    its future long runs grow from the longest done, a step a week at most."""
    request, plan = original
    start = start_of(request)
    effective = start + timedelta(weeks=2)
    wednesday, sunday = start + timedelta(days=9), start + timedelta(days=13)
    done = [
        as_done(d)
        for d in plan.days
        if d.date < effective and d.intensity != "rest" and d.date not in (wednesday, sunday)
    ]
    done += [
        DoneActivity(date=wednesday, duration_min=70, load=60, kind="long", intensity="easy"),
        DoneActivity(date=sunday, duration_min=150, load=140, kind="long", intensity="easy"),
    ]
    req = ReplanRequest(request=request, previous=plan.days, effective=effective, done=done)
    result = replan(req)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    schema = schema_for(request)
    longs = {s.code for s in schema.sessions if s.kind == "long"}
    step = request.rules.long_run_step_min
    by_week: dict[int, int] = defaultdict(int)
    for d in result.days:
        if d.date >= effective and d.session_code in longs:
            by_week[d.week_number] = max(by_week[d.week_number], d.duration_min)
    longest = 150
    for week in sorted(by_week):
        assert by_week[week] <= longest + step, (week, by_week[week], longest)
        longest = max(longest, by_week[week])
