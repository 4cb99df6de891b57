"""Built-in triathlon schemas: sprint, olympic, 70.3 and ironman.

The catalogue follows `data/triathlon_workouts.csv` (swim technique and aerobic sets, CSS
and VO2 intervals; bike endurance, tempo, cruise/threshold, hill and VO2 intervals; run as
in the running catalogues), filled in where the file is thin: long rides and long runs in
steps up to each distance's longest, bricks, race-week openers. Every session is steps by
zone (`shared.session_steps`), its minutes and load derived from them; swims are given by
duration (a distance step's minutes would be a runner's).

A brick is one session of sport "brick" (bike, then run straight off the bike) rather than
a ride plus a run double: the model's day keeps one primary session, so a brick needs no
linking rows and is never split by the solver; its load is kept split by sport
(`load_by_sport`) for per-sport fitness. Swims and rides have kind "run" (a training
session that is not the long one); long rides and long runs have kind "long" and are told
apart by their sport.
"""

from __future__ import annotations

from shared.planning import (
    Intensity,
    Phase,
    SessionKind,
    SessionTemplate,
    TrainingSchema,
    TriDistance,
)
from shared.session_steps import ZoneName
from shared.session_steps import load as steps_load
from worker.engine.templates import (
    ALL,
    TRAINING,
    Steps,
    builtin_schema,
    cool,
    jog,
    reps,
    warm,
    work,
)

_PLAN_WEEKS: dict[TriDistance, int] = {"sprint": 10, "olympic": 16, "70.3": 20, "ironman": 24}
_TAPER_DAYS: dict[TriDistance, int] = {"sprint": 7, "olympic": 10, "70.3": 14, "ironman": 21}
_NAME: dict[TriDistance, str] = {
    "sprint": "sprint triathlon",
    "olympic": "olympic triathlon",
    "70.3": "70.3 triathlon",
    "ironman": "ironman triathlon",
}
_LEGS: dict[TriDistance, str] = {
    "sprint": "750 m swim, 20 km bike, 5 km run",
    "olympic": "1.5 km swim, 40 km bike, 10 km run",
    "70.3": "1.9 km swim, 90 km bike, 21.1 km run",
    "ironman": "3.8 km swim, 180 km bike, 42.2 km run",
}
# Race legs (minutes, zone) of an age-grouper: swim, bike, run; shorter races harder.
_Leg = tuple[int, ZoneName]
_RACE_LEGS: dict[TriDistance, tuple[_Leg, _Leg, _Leg]] = {
    "sprint": ((15, "threshold"), (40, "sweet_spot"), (25, "threshold")),
    "olympic": ((30, "steady"), (75, "sweet_spot"), (50, "half_marathon")),
    "70.3": ((40, "steady"), (165, "tempo"), (120, "steady")),
    "ironman": ((70, "easy"), (320, "long"), (200, "long")),
}
# Long rides every 30 min from 90 min, long runs every 15 min from 60 min, to each longest.
_LONGEST_RIDE: dict[TriDistance, int] = {"sprint": 150, "olympic": 180, "70.3": 240, "ironman": 330}
_LONGEST_RUN: dict[TriDistance, int] = {"sprint": 90, "olympic": 105, "70.3": 120, "ironman": 150}
_RUN_CODES = (
    "REST",
    "REC30",
    "SHAKEOUT20",
    "EASY35",
    "EASY45",
    "EASY60",
    "STRIDES50",
    "HILLS50",
    "TEMPO50",
    "CRUISE60",
    "VO2_55",
    "OPENER25",
    "STRENGTH40",
)
QUALITY: tuple[Phase, ...] = ("build", "peak", "taper")


def _session(
    code: str,
    session_type: str,
    sport: str,
    intensity: Intensity,
    phases: tuple[Phase, ...],
    steps: Steps,
    note: str = "",
    kind: SessionKind = "run",
    load_by_sport: dict[str, int] | None = None,
) -> SessionTemplate:
    return SessionTemplate.model_validate(
        {
            "code": code,
            "session_type": session_type,
            "kind": kind,
            "intensity": intensity,
            "sport": sport,
            "phases": list(phases),
            "steps": steps,
            "note": note,
            "load_by_sport": load_by_sport,
        }
    )


def _split(parts: dict[str, Steps]) -> dict[str, int]:
    """Each part's load, the last one taking the rounding so the split sums to the whole."""
    whole = steps_load([s for steps in parts.values() for s in steps])
    out = {sport: steps_load(steps) for sport, steps in parts.items()}
    last = list(parts)[-1]
    out[last] = whole - sum(v for k, v in out.items() if k != last)
    return out


def _swims() -> list[SessionTemplate]:
    return [
        _session(
            "SWIM_TECH30",
            "Technique swim",
            "swim",
            "easy",
            ALL,
            [warm(6), reps(8, work("easy", 1.5), jog(0.5)), cool(8)],
            "Drills: catch-up, fingertip drag, 6-kick switch; fast form 25s.",
        ),
        _session(
            "SWIM_END45",
            "Endurance swim",
            "swim",
            "easy",
            ALL,
            [warm(8), reps(3, work("easy", 9), jog(1)), cool(7)],
            "Aerobic intervals; paddles on the middle one.",
        ),
        _session(
            "SWIM_LONG60",
            "Long cruise swim",
            "swim",
            "easy",
            TRAINING,
            [warm(10), reps(4, work("long", 10), jog(1)), cool(6)],
        ),
        _session(
            "SWIM_TEMPO40",
            "Tempo swim",
            "swim",
            "moderate",
            ("base", "build"),
            [warm(10), reps(4, work("tempo", 5), jog(1)), cool(6)],
        ),
        _session(
            "SWIM_CSS45",
            "CSS intervals",
            "swim",
            "hard",
            QUALITY,
            [warm(10), reps(8, work("threshold", 2.5), jog(0.5)), cool(11)],
            "At critical swim speed, short rests.",
        ),
        _session(
            "SWIM_VO2_40",
            "VO2 max swim",
            "swim",
            "hard",
            ("peak",),
            [warm(10), reps(10, work("interval", 1), jog(1)), cool(10)],
        ),
    ]


def _rides(distance: TriDistance) -> list[SessionTemplate]:
    rides = [
        _session("BIKE_REC40", "Recovery ride", "bike", "easy", ALL, [work("recovery", 40)]),
        *(
            _session("BIKE_END" + str(m), "Endurance ride", "bike", "easy", ALL, [work("easy", m)])
            for m in (60, 90)
        ),
        _session(
            "BIKE_SPIN45",
            "Endurance ride with spin-ups",
            "bike",
            "easy",
            ALL,
            [warm(10), reps(6, work("strides", 0.5), jog(2.5)), cool(17)],
            "Spin-ups: cadence rising to 120+ rpm, relaxed.",
        ),
        _session(
            "BIKE_TEMPO75",
            "Tempo ride",
            "bike",
            "moderate",
            TRAINING,
            [warm(15), reps(2, work("tempo", 20), jog(5)), cool(10)],
        ),
        _session(
            "BIKE_HILLS60",
            "Hill repeats (bike)",
            "bike",
            "hard",
            ("base", "build"),
            [warm(15), reps(6, work("hills", 2), jog(3)), cool(15)],
            "Seated, big gear, on a steady climb.",
        ),
        _session(
            "BIKE_SS75",
            "Sweet-spot intervals",
            "bike",
            "hard",
            ("build", "peak"),
            [warm(15), reps(3, work("sweet_spot", 12), jog(4)), cool(12)],
        ),
        _session(
            "BIKE_THR60",
            "Cruise intervals (bike)",
            "bike",
            "hard",
            QUALITY,
            [warm(15), reps(3, work("threshold", 8), jog(4)), cool(9)],
        ),
        _session(
            "BIKE_VO2_60",
            "VO2 max intervals (bike)",
            "bike",
            "hard",
            ("peak",),
            [warm(15), reps(5, work("interval", 3), jog(3)), cool(15)],
        ),
    ]
    longs = [
        _session(
            f"LONGRIDE{m}",
            "Long ride",
            "bike",
            "easy",
            TRAINING,
            [work("long", m)],
            "Eat and drink as on race day.",
            kind="long",
        )
        for m in range(90, _LONGEST_RIDE[distance] + 1, 30)
    ]
    return [*rides, *longs]


def _runs(distance: TriDistance) -> list[SessionTemplate]:
    """The running catalogue's sessions a triathlete uses, and long runs to the distance's."""
    by_code = {s.code: s for s in builtin_schema("10k").sessions}
    # Goal-pace work is the running catalogues' (a triathlete's is the brick).
    runs = [
        by_code[c].model_copy(update={"role": None})
        if by_code[c].role == "race_specific"
        else by_code[c]
        for c in _RUN_CODES
    ]
    longs = [
        _session(
            f"LONG{m}",
            "Long run",
            "run",
            "easy",
            TRAINING,
            [work("long", m)],
            "Fuel and drink as on race day.",
            kind="long",
        )
        for m in range(60, _LONGEST_RUN[distance] + 1, 15)
    ]
    return [*runs, *longs]


def _brick(code: str, bike: Steps, run: Steps, note: str) -> SessionTemplate:
    return _session(
        code,
        "Brick (bike, then run)",
        "brick",
        "moderate",
        ("build", "peak"),
        [*bike, *run],
        note,
        load_by_sport=_split({"bike": bike, "run": run}),
    )


def _bricks(distance: TriDistance) -> list[SessionTemplate]:
    bricks = [
        _brick(
            "BRICK75",
            [warm(10), work("tempo", 40)],
            [work("steady", 15), cool(10)],
            "Bike 50 min, then straight into a 25 min run off the bike.",
        )
    ]
    if distance in ("70.3", "ironman"):
        bricks.append(
            _brick(
                "BRICK150",
                [warm(15), work("tempo", 90)],
                [work("steady", 30), cool(15)],
                "Bike 105 min, then straight into a 45 min run off the bike.",
            )
        )
    return bricks


def tri_race_session(distance: TriDistance) -> SessionTemplate:
    """Race day: swim, bike and run as one race session, its load split by sport."""
    (swim_min, swim_zone), (bike_min, bike_zone), (run_min, run_zone) = _RACE_LEGS[distance]
    legs: dict[str, Steps] = {
        "swim": [warm(10), work(swim_zone, swim_min)],
        "bike": [work(bike_zone, bike_min)],
        "run": [work(run_zone, run_min)],
    }
    return _session(
        f"RACE_{distance.upper().replace('.', '_')}",
        f"Race: {_NAME[distance]}",
        "triathlon",
        "race",
        ("race", "base", "build", "peak", "taper"),
        [step for steps in legs.values() for step in steps],
        f"Race day: {_LEGS[distance]}; a short warm-up swim first.",
        kind="race",
        load_by_sport=_split(legs),
    )


def tri_builtin_schema(distance: TriDistance) -> TrainingSchema:
    """The shipped template for one triathlon distance."""
    race = tri_race_session(distance)
    return TrainingSchema(
        name=f"Built-in {_NAME[distance]}",
        distance=distance,
        sessions=[*_runs(distance), *_swims(), *_rides(distance), *_bricks(distance)],
        plan_weeks=_PLAN_WEEKS[distance],
        taper_days=_TAPER_DAYS[distance],
        race_duration_min=race.duration_min,
        race_load=race.load,
    )
