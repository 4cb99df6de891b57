"""The triathlete's own limits: pool days, the long ride's day, time shares by distance,
no sport dominating fitness, long rides building gradually. Each family is shown to bind:
a plan that breaks it is caught by the model (the broken family named) and by the
independent checker, and a solved plan under a limit that cuts into the free plan keeps it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache

from shared.planning import (
    SPORT_TIME_SHARES,
    TRI_DISTANCES,
    PlanDay,
    PlanRequest,
    PlanResult,
    PlanRules,
    sport_time_shares,
)
from shared.replanning import DoneActivity, ReplanRequest
from tests.engine.conftest import request_for
from tests.engine.rules import multisport_violations
from tests.engine.test_triathlon import sessions_of
from worker.engine import solve
from worker.engine.calendar import build_calendar
from worker.engine.explain import broken_by_hint, describe
from worker.engine.model import PlanModel, build_model
from worker.engine.model.warm_start import DayChoice, warm_start
from worker.engine.replan import replan
from worker.engine.templates import builtin_schema
from worker.engine.tri_hint import tri_plan
from worker.engine.validation import schema_for

POOL = [1, 3, 5]  # Tuesday, Thursday, Saturday
SATURDAY = 5
Choices = dict[int, DayChoice]


def olympic(
    weeks: int = 16, athlete: dict[str, object] | None = None, **rules: object
) -> PlanRequest:
    return request_for(
        "olympic",
        weeks,
        time_limit_s=10.0,
        athlete={"weekly_hours": 10.0, **(athlete or {})},
        rules=rules,
    )


@cache
def solved(key: str) -> tuple[PlanRequest, PlanResult]:
    request = REQUESTS[key]()
    result = solve(request)
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    return request, result


REQUESTS: dict[str, Callable[[], PlanRequest]] = {
    "pool and ride days": lambda: olympic(athlete={"swim_days": POOL, "long_ride_day": SATURDAY}),
    "ctl share 48": lambda: olympic(max_sport_ctl_share=48),
    "rides from 90": lambda: olympic(athlete={"longest_recent_ride_min": 90}),
}


def checked(request: PlanRequest, days: list[PlanDay]) -> list[str]:
    return multisport_violations(days, request, sessions_of(builtin_schema(request.goal.distance)))


def broken_by(request: PlanRequest, edit: Callable[[PlanModel, Choices], Choices]) -> set[str]:
    """The families the hinted plan, edited, breaks (on a model with every family guarded)."""
    schema = schema_for(request)
    pm = build_model(request, schema, build_calendar(request, schema), diagnose=True)
    warm_start(pm, edit(pm, tri_plan(pm)))
    broken = broken_by_hint(pm)
    assert broken is not None, "the edit broke a structural row"
    return broken


def unchanged(pm: PlanModel, plan: Choices) -> Choices:
    return plan


def week_days(pm: PlanModel, number: int) -> list[int]:
    return [d for d in pm.calendar.weeks[number - 1].days if d in range(len(pm.days))]


# -- pool days and the long ride's day --------------------------------------------------


def test_the_hint_keeps_pool_days_and_the_ride_day() -> None:
    assert broken_by(REQUESTS["pool and ride days"](), unchanged) == set()


def test_a_swim_off_a_pool_day_breaks_the_pool_days() -> None:
    def swim_on_monday(pm: PlanModel, plan: Choices) -> Choices:
        d = next(d for d in week_days(pm, 3) if pm.days[d].day_of_week not in POOL)
        c = plan[d]
        return {
            **plan,
            d: DayChoice(c.primary if c.primary != "REST" else "EASY35", ("SWIM_TECH30",)),
        }

    request = REQUESTS["pool and ride days"]()
    assert "pool_days" in broken_by(request, swim_on_monday)


def test_a_long_ride_off_its_day_breaks_the_ride_day() -> None:
    def ride_moved(pm: PlanModel, plan: Choices) -> Choices:
        days = week_days(pm, 3)
        ride = next(d for d in days if plan[d].primary.startswith("LONGRIDE"))
        rest = next(d for d in days if plan[d].primary == "REST")
        return {**plan, ride: plan[rest], rest: plan[ride]}

    request = REQUESTS["pool and ride days"]()
    assert "long_ride_day" in broken_by(request, ride_moved)


def test_swims_on_pool_days_and_the_long_ride_on_its_day() -> None:
    request, result = solved("pool and ride days")
    assert checked(request, result.days) == []
    swims = {d.day_of_week for d in result.days if d.sport == "swim"}
    assert swims and swims <= set(POOL)
    rides = [d for d in result.days if d.session_code.startswith("LONGRIDE")]
    training = {
        d.week_number
        for d in result.days
        if d.day_of_week == SATURDAY and d.phase in ("base", "build", "peak")
    }
    # Every week whose Saturday trains rides that day (a week the taper starts in may ride
    # before it: its Saturday offers no long ride).
    assert {d.week_number for d in rides if d.day_of_week == SATURDAY} == training
    assert all(d.day_of_week == SATURDAY or d.week_number not in training for d in rides)


def test_the_checker_sees_a_swim_off_a_pool_day_and_a_ride_off_its_day() -> None:
    request, result = solved("pool and ride days")
    days = result.days
    off = request.model_copy(
        update={"athlete": request.athlete.model_copy(update={"swim_days": [0]})}
    )
    assert any("not a pool day" in v for v in checked(off, days))
    other_day = request.model_copy(
        update={"athlete": request.athlete.model_copy(update={"long_ride_day": 0})}
    )
    assert any("long ride off its day" in v for v in checked(other_day, days))


def test_one_pool_day_cannot_hold_two_swims_a_week() -> None:
    result = solve(olympic(athlete={"swim_days": [2]}))
    assert result.status == "INFEASIBLE"
    text = " ".join(result.conflicts)
    assert "swims only on your pool days (Wednesday)" in text
    assert "2 swim sessions" in text and "at most one of each sport" in text


# -- time shares by distance -----------------------------------------------------------


def test_time_shares_default_by_distance_and_given_ones_override() -> None:
    rules = PlanRules()
    for distance in TRI_DISTANCES:
        assert sport_time_shares(rules, distance) == SPORT_TIME_SHARES[distance]
    assert SPORT_TIME_SHARES["ironman"]["bike"][0] > SPORT_TIME_SHARES["sprint"]["bike"][0]
    assert SPORT_TIME_SHARES["sprint"]["run"][0] > SPORT_TIME_SHARES["ironman"]["run"][0]
    given = PlanRules.model_validate({"sport_time_share": {"bike": [50, 60]}})
    assert sport_time_shares(given, "ironman") == {"bike": (50, 60)}
    request = request_for("ironman", 24)
    sentence = describe("sport_shares", request, schema_for(request))
    assert "bike 40-70%" in sentence


def test_a_given_share_is_the_one_the_model_keeps() -> None:
    """The hint's weeks swim up to 33% of their time: within the olympic default (12-35%),
    outside a given 12-25%."""
    assert broken_by(olympic(), unchanged) == set()
    assert "sport_shares" in broken_by(olympic(sport_time_share={"swim": (12, 25)}), unchanged)


def test_a_bike_share_the_week_cannot_reach_is_named() -> None:
    result = solve(olympic(sport_time_share={"bike": (50, 60)}))
    assert result.status == "INFEASIBLE"
    assert "each sport's share of a training week's time within bike 50-60%" in " ".join(
        result.conflicts
    )


# -- fitness balance -------------------------------------------------------------------


def test_no_sport_above_its_share_of_fitness() -> None:
    """Free, the olympic plan's bike reached 48.4% of the total CTL (measured); at 48% it
    stays under on every training day from week 3."""
    request, result = solved("ctl share 48")
    assert checked(request, result.days) == []
    for d in result.days:
        if d.phase in ("base", "build", "peak") and d.week_number >= 3 and d.ctl_by_sport:
            assert max(d.ctl_by_sport.values()) <= 0.48 * d.ctl + 0.02, d.date


def test_the_checker_sees_a_sport_over_its_share() -> None:
    request, result = solved("ctl share 48")
    tight = request.model_copy(
        update={"rules": request.rules.model_copy(update={"max_sport_ctl_share": 40})}
    )
    assert any("bike CTL" in v and "over 40%" in v for v in checked(tight, result.days))


def test_the_hint_keeps_the_default_fitness_share_and_a_tight_one_is_named() -> None:
    assert broken_by(olympic(), unchanged) == set()
    # The hint's bike reaches 47-48% of the total CTL (measured).
    assert "sport_fitness_balance" in broken_by(olympic(max_sport_ctl_share=47), unchanged)


# -- long-ride progression -------------------------------------------------------------


def test_a_long_ride_jump_breaks_the_progression() -> None:
    def jump(pm: PlanModel, plan: Choices) -> Choices:
        d = next(d for d in week_days(pm, 2) if plan[d].primary.startswith("LONGRIDE"))
        return {**plan, d: DayChoice("LONGRIDE180")}

    assert "long_ride_progression" in broken_by(olympic(), jump)


def test_long_rides_build_from_the_recent_ride() -> None:
    request, result = solved("rides from 90")
    assert checked(request, result.days) == []
    by_week: dict[int, int] = defaultdict(int)
    for d in result.days:
        if d.session_code.startswith("LONGRIDE"):
            by_week[d.week_number] += d.duration_min
    longest = 90
    for week in sorted(by_week):
        assert by_week[week] <= longest + 30, (week, by_week)
        longest = max(longest, by_week[week])


def test_the_checker_sees_a_long_ride_jump() -> None:
    request, result = solved("rides from 90")
    days = list(result.days)
    i = next(k for k, d in enumerate(days) if d.session_code.startswith("LONGRIDE"))
    days[i] = days[i].model_copy(update={"duration_min": 300})
    assert any("long ride 300 min" in v for v in checked(request, days))


def test_a_running_plan_is_untouched_by_the_triathlon_limits() -> None:
    """Pool days and a ride day mean nothing to a runner: the running model is the same."""
    plain = request_for("10k", 8)
    limited = request_for("10k", 8, athlete={"swim_days": [2], "long_ride_day": 1})
    sizes = []
    for request in (plain, limited):
        schema = schema_for(request)
        pm = build_model(request, schema, build_calendar(request, schema))
        sizes.append((len(pm.model.proto.constraints), len(pm.model.proto.variables)))
    assert sizes[0] == sizes[1]


# -- re-planning -------------------------------------------------------------------------


def test_a_replan_keeps_the_days_after_a_past_that_broke_them() -> None:
    """Lived days that swam off a pool day and rode long off the ride day are facts; the
    re-plan from that week's Friday keeps every triathlon limit on the days left."""
    request, plan = solved("pool and ride days")
    assert request.start is not None
    week = request.start + timedelta(weeks=5)  # a base week's Monday
    effective = week + timedelta(days=4)
    ride = next(d for d in plan.days if d.date >= week and d.session_code.startswith("LONGRIDE"))
    assert ride.date >= effective  # the plan rides on Saturday, after the effective date

    def done(d: PlanDay) -> DoneActivity:
        sport = "strength" if d.intensity == "strength" else d.sport
        return DoneActivity(
            date=d.date,
            sport=sport,
            duration_min=d.duration_min,
            load=d.load,
            session_code=d.session_code,
        )

    lived = [done(d) for d in plan.days if d.date < week and d.intensity != "rest"]
    swim = next(d for d in plan.days if d.sport == "swim" and d.session_code == "SWIM_TECH30")
    lived.append(done(swim.model_copy(update={"date": week})))  # Monday: no pool
    lived.append(done(ride.model_copy(update={"date": week + timedelta(days=2)})))  # Wednesday
    result = replan(
        ReplanRequest(request=request, previous=plan.days, effective=effective, done=lived)
    )
    assert result.status in ("OPTIMAL", "FEASIBLE"), result.conflicts
    found = checked(request, result.days)
    assert any("not a pool day" in v for v in found)  # the past, as lived
    for v in found:
        assert date.fromisoformat(v[:10]) < effective, v
    later = [d for d in result.days if d.date >= effective]
    assert all(d.day_of_week in POOL for d in later if d.sport == "swim")
    assert not any(
        d.session_code.startswith("LONGRIDE") for d in later if d.date < week + timedelta(days=7)
    )  # one long ride that week: the one lived
