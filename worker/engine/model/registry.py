"""Every constraint family of the plan model, once, in the order the model adds them.

An entry names the family (the name an explanation and re-planning look it up by), its
builder, the sentence that names it in a conflict, and its re-planning policy. Adding a
family is one entry here plus its builder in `families/`.
"""

from __future__ import annotations

from collections.abc import Callable

from shared.planning import sport_time_shares
from worker.engine.model.families.availability import (
    WEEKDAYS,
    availability_text,
    daily_minutes_within_availability,
)
from worker.engine.model.families.load import (
    acute_load_within_chronic,
    credit_missed_growth,
    credit_missed_training,
    ctl_ramp,
    first_week_from_current_load,
    recovery_week_load,
    taper,
    tsb_floor,
    weekly_load_grows_gradually,
)
from worker.engine.model.families.long_runs import (
    long_rides_build_gradually,
    long_runs_build_gradually,
    long_start,
    long_step,
)
from worker.engine.model.families.multisport import (
    bricks_in_build_and_peak,
    every_sport_kept_in_taper,
    long_ride_each_training_week,
    long_ride_on_its_day,
    no_sport_dominates_fitness,
    swims_on_pool_days,
    two_sessions_a_day_one_per_sport,
    weekly_sessions_per_sport,
    weekly_time_share_per_sport,
)
from worker.engine.model.families.quality import (
    no_quality_next_to_the_long_run,
    quality_sessions_by_phase,
    race_specific_work,
)
from worker.engine.model.families.races import (
    a_race_form_window,
    b_race_easy_days,
    race_fitness_floor,
)
from worker.engine.model.families.sessions import (
    intensity_mix,
    no_hard_days_back_to_back,
    strength_spacing,
    variety,
)
from worker.engine.model.families.structure import (
    daily_load_definition,
    one_primary_session_per_day,
    second_session_only_alongside_easy_running,
)
from worker.engine.model.families.taper import (
    no_long_stretch_without_running,
    race_week_opens_up,
    run_days_kept_in_taper,
    taper_time_cut,
)
from worker.engine.model.families.week import (
    long_run_each_training_week,
    minimum_runs_per_week,
    rest_days_per_week,
    weekly_hours_cap,
)
from worker.engine.model.family import Family, Limits, Replanning


def _long_run_text(limits: Limits) -> str:
    longs = limits.durations("long")
    text = "a long run every week before the taper"
    return f"{text} (the shortest is {min(longs)} min)" if longs else text


def _quality_text(limits: Limits) -> str:
    q = limits.rules.quality_per_week
    parts = [f"{p} {lo}-{hi}" for p in ("base", "build", "peak", "taper") for lo, hi in [q.of(p)]]
    return "quality sessions per week by phase (" + ", ".join(parts) + ")"


def _long_progression_text(sport: str, sessions: str) -> Callable[[Limits], str]:
    def text(limits: Limits) -> str:
        start = long_start(limits.athlete, limits.rules, limits.schema, sport)
        step = long_step(limits.rules, sport)
        lo, hi = limits.rules.long_run_peak_weeks
        return (
            f"{sessions} growing from {start} min by at most {step} min a week, shorter in "
            f"recovery weeks, longest {lo}-{hi} weeks before the race"
        )

    return text


def _pool_days_text(limits: Limits) -> str:
    days = [WEEKDAYS[d] for d in sorted(limits.athlete.swim_days)]
    return "swims only on your pool days (" + (", ".join(days) or "none") + ")"


def _sport_shares_text(limits: Limits) -> str:
    shares = sport_time_shares(limits.rules, limits.schema.distance)
    return "each sport's share of a training week's time within " + ", ".join(
        f"{sp} {lo}-{hi}%" for sp, (lo, hi) in shares.items()
    )


FAMILIES: tuple[Family, ...] = (
    # Structural: what a day is.
    Family("one_primary_session_per_day", one_primary_session_per_day),
    Family("second_session_rule", second_session_only_alongside_easy_running),
    Family("load_definition", daily_load_definition),
    # The runner's limits and the training rules.
    Family("availability", daily_minutes_within_availability, availability_text),
    Family(
        "weekly_hours",
        weekly_hours_cap,
        lambda x: f"at most {x.athlete.weekly_hours:g} training hours per week",
    ),
    Family(
        "rest_days",
        rest_days_per_week,
        lambda x: f"at least {x.athlete.rest_days} full rest day(s) every week",
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "min_runs",
        minimum_runs_per_week,
        lambda x: (
            f"at least {x.rules.min_runs_per_week} runs per week "
            f"(the shortest is {min(x.durations('run'), default=0)} min)"
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family("long_run", long_run_each_training_week, _long_run_text, Replanning.WAIVED_MINIMUM),
    Family(
        "intensity_mix",
        intensity_mix,
        lambda x: f"at least {x.rules.min_easy_share:.0%} of running time at easy intensity",
    ),
    Family(
        "no_back_to_back",
        no_hard_days_back_to_back,
        lambda x: "no hard sessions on consecutive days",
    ),
    Family(
        "strength_spacing",
        strength_spacing,
        lambda x: f"at most one strength session in any {x.rules.strength_window_days} days",
    ),
    Family(
        "variety",
        variety,
        lambda x: f"the same hard session not repeated within {x.rules.variety_window_days} days",
    ),
    Family(
        "ctl_ramp",
        ctl_ramp,
        lambda x: f"fitness (CTL) rising by at most {x.rules.max_ctl_ramp:g} per week",
    ),
    Family(
        "tsb_floor",
        tsb_floor,
        lambda x: (
            f"form (TSB) never below {x.rules.min_tsb:g}; "
            f"you start at {x.ctl - x.atl:+.0f} (CTL {x.ctl:g}, ATL {x.atl:g})"
        ),
    ),
    Family(
        "recovery_weeks",
        recovery_week_load,
        lambda x: (
            f"a recovery week every {x.rules.recovery_every} weeks at no more than "
            f"{x.rules.recovery_load_ratio:.0%} of the week before"
        ),
        Replanning.SETTLED,
        settle=credit_missed_training,
    ),
    Family(
        "taper",
        taper,
        lambda x: (
            f"a taper: the last 7 days at no more than {x.rules.taper_load_ratio:.0%} of the "
            "peak week's load, with some intensity kept"
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "race_form",
        a_race_form_window,
        lambda x: (
            f"race-day form (TSB) between {x.rules.race_tsb_min:+g} and "
            f"{x.rules.race_tsb_max:+g} (you start at {x.ctl - x.atl:+.0f})"
        ),
        Replanning.NEVER_RELAXED,
    ),
    Family(
        "race_fitness",
        race_fitness_floor,
        lambda x: "the fitness (CTL) you asked for on race day",
        Replanning.NEVER_RELAXED,
    ),
    Family("b_race_taper", b_race_easy_days, lambda x: "easy days before and after each B race"),
    # Coach-grade families (docs/COACH_RULES.md).
    Family(
        "days_off",
        no_long_stretch_without_running,
        lambda x: f"never more than {x.rules.max_days_off} open days in a row without a run",
    ),
    Family(
        "taper_frequency",
        run_days_kept_in_taper,
        lambda x: (
            f"the last two weeks keep at least {x.rules.taper_run_days_ratio:.0%} of the run "
            "days of the two weeks before"
        ),
    ),
    Family(
        "race_week",
        race_week_opens_up,
        lambda x: (
            f"a race week with {x.rules.race_week_short_runs} short runs, a shake-out in the "
            "last two days and a quality touch"
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "taper_time",
        taper_time_cut,
        lambda x: (
            f"the last 7 days at no more than {x.rules.taper_time_ratio:.0%} of the peak "
            f"week's time (the 7 before at {x.rules.taper_early_time_ratio:.0%} in a long taper)"
        ),
    ),
    Family(
        "long_run_progression",
        long_runs_build_gradually,
        _long_progression_text("run", "long runs"),
    ),
    Family(
        "quality_by_phase",
        quality_sessions_by_phase,
        _quality_text,
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "quality_spacing",
        no_quality_next_to_the_long_run,
        lambda x: "no quality session the day before or after the long run",
    ),
    Family(
        "race_specific",
        race_specific_work,
        lambda x: (
            f"goal-pace work ({x.rules.race_specific_per_week} session a week or more) in "
            "every build and peak week"
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "load_growth",
        weekly_load_grows_gradually,
        lambda x: (
            f"weekly load growing by at most {x.rules.max_week_load_growth - 1:.0%} over the "
            "last training week"
        ),
        Replanning.SETTLED,
        settle=credit_missed_growth,
    ),
    # Multi-sport families (a catalogue of more than one sport only: families/multisport.py).
    Family(
        "sessions_per_day",
        two_sessions_a_day_one_per_sport,
        lambda x: "at most 2 sessions a day and at most one of each sport",
    ),
    Family(
        "sessions_per_sport",
        weekly_sessions_per_sport,
        lambda x: (
            "in every base, build and peak week at least "
            + ", ".join(
                f"{n} {sport} sessions" for sport, n in x.rules.min_sessions_per_sport.items()
            )
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "long_ride",
        long_ride_each_training_week,
        lambda x: (
            "a long ride every week before the taper, not the day before or after the long run"
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family("pool_days", swims_on_pool_days, _pool_days_text),
    Family(
        "long_ride_day",
        long_ride_on_its_day,
        lambda x: (
            f"the long ride on {WEEKDAYS[x.athlete.long_ride_day or 0]} in every week where "
            "that day is free for it"
        ),
    ),
    Family(
        "long_ride_progression",
        long_rides_build_gradually,
        _long_progression_text("bike", "long rides"),
    ),
    Family(
        "bricks",
        bricks_in_build_and_peak,
        lambda x: (
            f"a brick (bike, then run) in every {x.rules.brick_every_weeks} weeks of the build "
            "and the peak"
        ),
        Replanning.WAIVED_MINIMUM,
    ),
    Family("sport_shares", weekly_time_share_per_sport, _sport_shares_text),
    Family(
        "sport_fitness_balance",
        no_sport_dominates_fitness,
        lambda x: (
            f"no sport's fitness (CTL) above {x.rules.max_sport_ctl_share}% of your total "
            f"fitness on a training day from week {x.rules.sport_ctl_share_from_week} on"
        ),
    ),
    Family(
        "taper_sports",
        every_sport_kept_in_taper,
        lambda x: "every sport at least once in each taper week",
        Replanning.WAIVED_MINIMUM,
    ),
    Family(
        "first_week",
        first_week_from_current_load,
        lambda x: (
            f"a first week of at most {x.rules.first_week_load_ratio:.0%} of your current "
            f"weekly load (7 x CTL {x.ctl:g})"
        ),
    ),
    Family(
        "acute_chronic",
        acute_load_within_chronic,
        lambda x: f"the last 7 days' load at most {x.rules.max_acwr:g} x the 4-week average",
    ),
)

_BY_NAME = {f.name: f for f in FAMILIES}


def family(name: str) -> Family:
    """The family named `name` (KeyError for a name no family has)."""
    return _BY_NAME[name]


def replanning_of(name: str | None) -> Replanning:
    """The re-planning policy of a row's family; rows outside any family: the default."""
    return Replanning.DEFAULT if name is None else _BY_NAME[name].replanning
