"""The coach-grade checker (tests/engine/coach_rules.py) on hand-built plans: each family
reports a plan that breaks it and nothing once the plan is repaired."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from shared.planning import Distance, Phase, PlanDay, PlanRequest, Race, TrainingSchema
from tests.engine.coach_rules import coach_violations, long_run_start
from tests.engine.rules import planned_loads
from worker.engine.templates import builtin_schema, race_session

RACE = date(2027, 4, 18)  # a Sunday
START = date(2027, 2, 22)  # the Monday 8 weeks before


@dataclass(frozen=True)
class Wk:
    """One calendar week of a hand-built plan: codes per date ('+' joins a double, RACE is
    the goal race), and one phase for the week or one per date."""

    codes: str
    phase: str = "base"
    recovery: bool = False


def build(schema: TrainingSchema, start: date, weeks: list[Wk]) -> list[PlanDay]:
    catalogue = {s.code: s for s in schema.sessions}
    catalogue["RACE"] = race_session(schema.distance)
    monday0 = start - timedelta(days=start.weekday())
    days: list[PlanDay] = []
    dt = start
    for k, wk in enumerate(weeks):
        codes = wk.codes.split()
        phases = wk.phase.split()
        phases = phases * len(codes) if len(phases) == 1 else phases
        assert len(phases) == len(codes)
        for code_list, phase in zip(codes, phases, strict=True):
            for slot, code in enumerate(code_list.split("+")):
                s = catalogue[code]
                days.append(
                    PlanDay(
                        date=dt,
                        slot=slot,
                        week_number=(dt - monday0).days // 7 + 1,
                        day_of_week=dt.weekday(),
                        phase="race" if code == "RACE" else phase,
                        is_recovery_week=wk.recovery,
                        is_training_day=s.kind != "rest",
                        session_code=s.code,
                        session_type=s.session_type,
                        session_definition=s.definition,
                        intensity=s.intensity,
                        sport=s.sport,
                        duration_min=s.duration_min,
                        load=s.load,
                        ctl=0.0,
                        atl=0.0,
                        tsb=0.0,
                    )
                )
            dt += timedelta(days=1)
        assert k == len(weeks) - 1 or dt.weekday() == 0, f"week {k + 1} does not end on Sunday"
    return days


def request(
    distance: Distance = "10k",
    start: date = START,
    race: date = RACE,
    athlete: dict[str, Any] | None = None,
    **rules: Any,
) -> PlanRequest:
    return PlanRequest.model_validate(
        {
            "races": [Race(date=race, distance=distance)],
            "start": start,
            "athlete": athlete or {},
            "rules": rules,
        }
    )


def family(
    name: str,
    days: list[PlanDay],
    req: PlanRequest,
    schema: TrainingSchema,
    settled_before: date | None = None,
    planned: dict[date, float] | None = None,
) -> list[str]:
    found = coach_violations(days, req, schema, settled_before, planned)
    return [m for m in found if m.startswith(f"{name}:")]


def replace(weeks: list[Wk], k: int, codes: str) -> list[Wk]:
    """The weeks with week k (0-based) holding other codes."""
    return [Wk(codes, w.phase, w.recovery) if i == k else w for i, w in enumerate(weeks)]


TEN_K = builtin_schema("10k")
# A clean 8-week 10k plan for an athlete at CTL 40 (s0 = 105 min): base 1-3, a build
# recovery week 4, build 5, peak 6, the 10-day taper from Thursday of week 7, race Sunday.
CLEAN = [
    Wk("REST EASY45 HILLS50 EASY45 REST EASY45 LONG105", "base"),
    Wk("REST EASY45 HILLS50 EASY60 REST EASY45 LONG105", "base"),
    Wk("REST EASY60 HILLS50 EASY45 REST EASY45 LONG120", "base"),
    Wk("REST EASY45 STRIDES50 EASY45 REST EASY45 LONG90", "build", recovery=True),
    Wk("REST REC30 RP45 EASY45 TEMPO50 EASY45 LONG120", "build"),
    Wk("REST EASY45 RP45 EASY45 CRUISE60 EASY45 LONG105", "peak"),
    Wk("REST EASY45 TEMPO50 EASY45 REST EASY45 LONG60", "peak peak peak taper taper taper taper"),
    Wk("REST EASY45 SHARPEN40 REC30 REST SHAKEOUT25 RACE", "taper"),
]


def test_clean_plan_has_no_violations() -> None:
    assert coach_violations(build(TEN_K, START, CLEAN), request(), TEN_K) == []


def plan(weeks: list[Wk] = CLEAN, schema: TrainingSchema = TEN_K) -> list[PlanDay]:
    return build(schema, START, weeks)


def day(week: int, weekday: int) -> date:
    """The date of a weekday (0 = Monday) of plan week `week` (1-based) from START."""
    return START + timedelta(weeks=week - 1, days=weekday)


# 1. Frequency kept through the taper.


def test_days_off_three_open_days_without_a_run() -> None:
    broken = plan(replace(CLEAN, 1, "REST EASY45 HILLS50 REST REST REST LONG105"))
    assert family("days_off", broken, request(), TEN_K) == [
        f"days_off: {day(2, 3)}..{day(2, 5)} without a run"
    ]
    assert family("days_off", plan(), request(), TEN_K) == []
    # Two in a row are allowed by default, three when max_days_off is 3.
    assert family("days_off", broken, request(max_days_off=3), TEN_K) == []


def test_days_off_across_weeks_and_excused_by_blocked_days() -> None:
    # Saturday, Sunday of week 2 and Monday of week 3 off.
    weeks = replace(CLEAN, 1, "REST EASY45 HILLS50 EASY60 EASY45 REST REST")
    assert family("days_off", plan(weeks), request(), TEN_K) == [
        f"days_off: {day(2, 5)}..{day(3, 0)} without a run"
    ]
    # An unavailable date, or a weekday too short for the shortest run (25 min), is not open.
    blocked = request(athlete={"unavailable_dates": [day(2, 6)]})
    assert family("days_off", plan(weeks), blocked, TEN_K) == []
    short_sunday = [None] * 6 + [20]
    assert family("days_off", plan(weeks), request(athlete={"availability_min": short_sunday}), TEN_K) == []
    long_enough = [None] * 6 + [25]
    assert family("days_off", plan(weeks), request(athlete={"availability_min": long_enough}), TEN_K)


def test_days_off_settled_stretch_is_not_checked() -> None:
    broken = plan(replace(CLEAN, 1, "REST EASY45 HILLS50 REST REST REST LONG105"))
    assert family("days_off", broken, request(), TEN_K, settled_before=day(2, 6)) == []
    # A window that still holds a day to come is checked.
    assert family("days_off", broken, request(), TEN_K, settled_before=day(2, 5))


def test_taper_frequency_kept_or_excused() -> None:
    # R-28..R-15 hold 12 run days, R-14..R-1 hold 10 (>= 0.8 x 12); one fewer breaks it.
    assert family("taper_frequency", plan(), request(), TEN_K) == []
    weeks = replace(CLEAN, 7, "REST EASY45 SHARPEN40 REST REST SHAKEOUT25 RACE")
    assert family("taper_frequency", plan(weeks), request(), TEN_K) == [
        f"taper_frequency: 9 run or blocked days in {day(6, 6)}..{day(8, 5)} < 0.8 x 12"
    ]
    # A blocked date counts as kept; a ratio of 0 switches the rule off.
    blocked = request(athlete={"unavailable_dates": [day(8, 3)]})
    assert family("taper_frequency", plan(weeks), blocked, TEN_K) == []
    assert family("taper_frequency", plan(weeks), request(taper_run_days_ratio=0), TEN_K) == []


def test_taper_frequency_needs_28_days_before_the_race() -> None:
    # A 4-week plan from Wednesday: R = 25 < 28, so no comparison, however few runs.
    start = day(5, 2)
    weeks = [
        Wk("REST REST REST REST LONG105", "peak"),
        Wk("REST EASY45 RP45 EASY45 CRUISE60 EASY45 LONG105", "peak"),
        Wk("REST REST TEMPO50 REST REST REST LONG60", "taper"),
        Wk("REST REST SHARPEN40 REST REST SHAKEOUT25 RACE", "taper"),
    ]
    assert family("taper_frequency", build(TEN_K, start, weeks), request(start=start), TEN_K) == []


def test_race_week_short_runs() -> None:
    weeks = replace(CLEAN, 7, "REST EASY60 SHARPEN40 EASY60 EASY45 SHAKEOUT25 RACE")
    assert family("race_week", plan(weeks), request(), TEN_K) == []
    weeks = replace(CLEAN, 7, "REST EASY60 SHARPEN40 EASY60 REST SHAKEOUT25 RACE")
    assert family("race_week", plan(weeks), request(), TEN_K) == [
        f"race_week: 2 short runs in {day(8, 0)}..{day(8, 5)} < 3"
    ]
    assert family("race_week", plan(weeks), request(race_week_short_runs=2), TEN_K) == []
    # Only two open days left: two short runs are enough, and no quality day is required.
    weeks = replace(CLEAN, 7, "REST REST REST REST REST SHAKEOUT25 RACE")
    blocked = request(athlete={"unavailable_dates": [day(8, d) for d in (0, 1, 2, 3)]})
    assert family("race_week", plan(weeks), blocked, TEN_K) == [
        f"race_week: 1 short runs in {day(8, 0)}..{day(8, 5)} < 2"
    ]
    weeks = replace(CLEAN, 7, "REST REST REST REST EASY45 SHAKEOUT25 RACE")
    assert family("race_week", plan(weeks), blocked, TEN_K) == []


def test_race_week_shakeout() -> None:
    weeks = replace(CLEAN, 7, "REST EASY45 SHARPEN40 REC30 REST EASY45 RACE")
    assert family("race_week", plan(weeks), request(), TEN_K) == [
        f"race_week: no shake-out on {day(8, 4)}..{day(8, 5)}"
    ]
    assert family("race_week", plan(weeks), request(shakeout=False), TEN_K) == []
    # On R-2 is as good as on R-1.
    weeks2 = replace(CLEAN, 7, "REST EASY45 SHARPEN40 REC30 SHAKEOUT25 REST RACE")
    assert family("race_week", plan(weeks2), request(), TEN_K) == []
    # Not asked when neither R-1 nor R-2 is open, nor when the schema has no shake-out.
    weeks3 = replace(CLEAN, 7, "REST EASY45 SHARPEN40 REC30 REST REST RACE")
    blocked = request(athlete={"unavailable_dates": [day(8, 4), day(8, 5)]})
    assert family("race_week", plan(weeks3), blocked, TEN_K) == []
    assert family("race_week", plan(weeks3), request(), TEN_K)
    plain = TEN_K.model_copy(
        update={"sessions": [s.model_copy(update={"role": None}) for s in TEN_K.sessions]}
    )
    assert family("race_week", build(plain, START, weeks3), request(), plain) == []


def test_race_week_quality() -> None:
    weeks = replace(CLEAN, 7, "REST EASY45 STRIDES50 REC30 REST SHAKEOUT25 RACE")
    assert family("race_week", plan(weeks), request(), TEN_K) == [
        f"race_week: 0 quality days in {day(8, 0)}..{day(8, 5)} < 1"
    ]
    assert family("race_week", plan(weeks), request(race_week_quality=0), TEN_K) == []


def test_taper_time_last_week() -> None:
    # T = 345 min (week 6); R-7..R-1 = Sunday of week 7 to Saturday of week 8 <= 207 min.
    weeks = replace(CLEAN, 6, "REST EASY45 TEMPO50 EASY45 REST EASY45 LONG90")
    assert family("taper_time", plan(weeks), request(), TEN_K) == [
        f"taper_time: 230 min in {day(7, 6)}..{day(8, 5)} > 0.6 x 345"
    ]
    assert family("taper_time", plan(), request(), TEN_K) == []
    assert family("taper_time", plan(weeks), request(taper_time_ratio=0.7), TEN_K) == []


def test_taper_time_early_window_only_for_a_14_day_taper() -> None:
    # The same plan with the taper from Sunday of week 6 (14 days): T is then week 5's
    # 335 min, and R-14..R-8 (290 min) must stay <= 0.8 x 335 = 268.
    long_taper = [
        *CLEAN[:5],
        Wk(CLEAN[5].codes, "peak peak peak peak peak peak taper"),
        Wk(CLEAN[6].codes, "taper"),
        CLEAN[7],
    ]
    assert family("taper_time", plan(long_taper), request(), TEN_K) == [
        f"taper_time: 290 min in {day(6, 6)}..{day(7, 5)} > 0.8 x 335"
    ]
    repaired = replace(long_taper, 5, "REST EASY45 RP45 EASY45 CRUISE60 EASY45 LONG90")
    repaired = replace(repaired, 6, "REST REC30 TEMPO50 EASY45 REST EASY45 LONG60")
    assert family("taper_time", plan(repaired), request(), TEN_K) == []
    # With the 10-day taper of CLEAN the early window is not checked at all.
    assert family("taper_time", plan(), request(taper_early_time_ratio=0.1), TEN_K) == []


# 2. Long-run progression.


def test_long_run_start_from_ctl_or_recent_run() -> None:
    def s0(**athlete: Any) -> int:
        days = plan()
        return long_run_start(_plan_of(days, request(athlete=athlete)))

    assert s0() == 105  # 45 + 1.5 x 40
    assert s0(ctl=41) == 105  # 106.5, down to a 15-min step
    assert s0(ctl=0) == 60  # 45, raised to the shortest long run
    assert s0(longest_recent_run_min=100) == 90  # the recent run wins over CTL
    assert s0(ctl=10, longest_recent_run_min=120) == 120
    assert s0(longest_recent_run_min=0) == 60


def _plan_of(days: list[PlanDay], req: PlanRequest) -> Any:
    from tests.engine.coach_rules import _build

    return _build(days, req, TEN_K, None, None)


def test_long_run_first_week_from_s0() -> None:
    # CTL 40: s0 = 105, week 1 may hold 120; CTL 20: s0 = 75, at most 90.
    weeks = replace(CLEAN, 0, "REST EASY45 HILLS50 EASY45 REST EASY45 LONG120")
    assert family("long_run_progression", plan(weeks), request(), TEN_K) == []
    low = request(athlete={"ctl": 20})
    assert family("long_run_progression", plan(weeks), low, TEN_K) == [
        f"long_run_progression: week 1 ({START}) 120 min > 75 + 15"
    ]
    # longest_recent_run_min overrides CTL, both ways.
    recent = request(athlete={"ctl": 20, "longest_recent_run_min": 110})
    assert family("long_run_progression", plan(weeks), recent, TEN_K) == []
    recent = request(athlete={"longest_recent_run_min": 90})
    assert family("long_run_progression", plan(weeks), recent, TEN_K)


def test_long_run_one_step_a_week() -> None:
    low = request(athlete={"ctl": 20})  # s0 = 75
    weeks = replace(CLEAN, 0, "REST EASY45 HILLS50 EASY45 REST EASY45 LONG75")
    assert family("long_run_progression", plan(weeks), low, TEN_K) == [
        f"long_run_progression: week 2 ({day(2, 0)}) 105 min > 75 + 15"
    ]
    weeks = replace(weeks, 1, "REST EASY45 HILLS50 EASY60 REST EASY45 LONG90")
    assert family("long_run_progression", plan(weeks), low, TEN_K) == [
        f"long_run_progression: week 3 ({day(3, 0)}) 120 min > 90 + 15"
    ]
    weeks = replace(weeks, 2, "REST EASY60 HILLS50 EASY45 REST EASY45 LONG105")
    # Week 4 (recovery, 90) is at most 105 - 15; week 5 may step up to 120 again.
    assert family("long_run_progression", plan(weeks), low, TEN_K) == []


def test_long_run_drops_in_recovery_weeks() -> None:
    # After 120 min in week 3, recovery week 4 holds at most 105.
    weeks = replace(CLEAN, 3, "REST EASY45 STRIDES50 EASY45 REST EASY45 LONG120")
    assert family("long_run_progression", plan(weeks), request(), TEN_K) == [
        f"long_run_progression: week 4 ({day(4, 0)}) (recovery) 120 min > 105"
    ]
    weeks = replace(CLEAN, 3, "REST EASY45 STRIDES50 EASY45 REST EASY45 LONG105")
    assert family("long_run_progression", plan(weeks), request(), TEN_K) == []
    # Never below the shortest long run: at s0 = 60, a 60-min recovery long run is fine.
    fresh = request(athlete={"ctl": 0})
    weeks = [
        Wk("REST EASY45 HILLS50 EASY45 REST EASY45 LONG60", "base"),
        Wk("REST EASY45 HILLS50 EASY45 REST EASY45 LONG60", "base", recovery=True),
        Wk("REST EASY45 HILLS50 EASY45 REST EASY45 LONG75", "base", recovery=True),
    ]
    assert family("long_run_progression", plan(weeks), fresh, TEN_K) == [
        f"long_run_progression: week 3 ({day(3, 0)}) (recovery) 75 min > 60"
    ]


def test_long_run_peaks_three_to_five_weeks_out() -> None:
    # Weeks 3-5 are 5-3 weeks before race week 8; the longest run in week 6 breaks it.
    weeks = replace(CLEAN, 2, "REST EASY60 HILLS50 EASY45 REST EASY45 LONG105")
    weeks = replace(weeks, 4, "REST REC30 RP45 EASY45 TEMPO50 EASY45 LONG105")
    weeks = replace(weeks, 5, "REST EASY45 RP45 EASY45 CRUISE60 EASY45 LONG120")
    assert family("long_run_progression", plan(weeks), request(), TEN_K) == [
        f"long_run_progression: longest long run 120 min in week 6 ({day(6, 0)}), "
        "not 3-5 weeks out (105 min)"
    ]
    # A tie with the peak window is fine, so is another window.
    assert family("long_run_progression", plan(), request(), TEN_K) == []
    assert family("long_run_progression", plan(weeks), request(long_run_peak_weeks=(2, 4)), TEN_K) == []
    # Fewer than 6 weeks: no peak window.
    short = weeks[3:]
    start = day(4, 0)
    assert family("long_run_progression", build(TEN_K, start, short), request(start=start), TEN_K) == []


MARATHON = builtin_schema("marathon")
# An 8-week marathon plan for an athlete whose longest recent run is 90 min: 4 non-recovery
# weeks 3+ weeks out (1, 2, 3, 5), so 90 + 4 x 15 = 150 is within reach.
MARATHON_PEAK = [
    Wk("REST EASY45 HILLS50 EASY60 REST EASY45 LONG105", "base"),
    Wk("REST EASY45 HILLS50 EASY60 REST EASY45 LONG120", "base"),
    Wk("REST EASY45 MP60 EASY60 REST EASY45 LONG135", "build"),
    Wk("REST EASY45 STRIDES50 EASY45 REST EASY45 LONG120", "build", recovery=True),
    Wk("REST EASY45 MP75 EASY60 TEMPO50 EASY45 LONG150", "peak"),
    Wk("REST EASY45 MP60 EASY60 CRUISE60 EASY45 LONG135", "peak peak peak peak peak peak taper"),
    Wk("REST EASY45 MP60 EASY45 REST EASY45 LONG90", "taper"),
    Wk("REST EASY45 SHARPEN40 REC30 REST SHAKEOUT25 RACE", "taper"),
]


def _marathon_peak(weeks: list[Wk], **athlete: Any) -> list[str]:
    req = request("marathon", athlete={"longest_recent_run_min": 90, **athlete})
    found = family("long_run_progression", build(MARATHON, START, weeks), req, MARATHON)
    return [m for m in found if "< 150 min" in m]


def test_marathon_peak_long_run_required() -> None:
    assert family(
        "long_run_progression",
        build(MARATHON, START, MARATHON_PEAK),
        request("marathon", athlete={"longest_recent_run_min": 90}),
        MARATHON,
    ) == []
    short = replace(MARATHON_PEAK, 4, "REST EASY45 MP75 EASY60 TEMPO50 EASY45 LONG135")
    assert _marathon_peak(short) == ["long_run_progression: longest long run 135 < 150 min"]
    req = request("marathon", athlete={"longest_recent_run_min": 90}, marathon_peak_long_min=0)
    assert family("long_run_progression", build(MARATHON, START, short), req, MARATHON) == []


def test_marathon_peak_long_run_not_required_when_out_of_reach() -> None:
    short = replace(MARATHON_PEAK, 4, "REST EASY45 MP75 EASY60 TEMPO50 EASY45 LONG135")
    # 5 h a week: 300 min < 150 / 0.45.
    assert _marathon_peak(short, weekly_hours=5.0) == []
    assert _marathon_peak(short, weekly_hours=5.6)  # 336 min >= 333.3
    # No weekday allows 150 min.
    assert _marathon_peak(short, availability_min=[140] * 7) == []
    assert _marathon_peak(short, availability_min=[140] * 6 + [150])
    # s0 = 75: 75 + 4 x 15 = 135 < 150.
    assert _marathon_peak(short, longest_recent_run_min=75) == []
    # A 10k is never asked for 150 min.
    assert _marathon_peak(short) and not [
        m for m in family("long_run_progression", plan(), request(), TEN_K) if "< 150" in m
    ]
    # No long run of 150+ min for build or peak in the schema.
    taper_only = MARATHON.model_copy(
        update={
            "sessions": [
                s.model_copy(update={"phases": ["taper"]})
                if s.kind == "long" and s.duration_min >= 150
                else s
                for s in MARATHON.sessions
            ]
        }
    )
    req = request("marathon", athlete={"longest_recent_run_min": 90})
    found = family("long_run_progression", build(taper_only, START, short), req, taper_only)
    assert [m for m in found if "< 150 min" in m] == []
