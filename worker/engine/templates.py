"""Built-in training schemas for 5k, 10k, half marathon and marathon.

Loads are TSS-like: 100 per hour at threshold, so a session's load is
duration_h * 100 * IF^2 for a typical intensity factor IF of its kind
(recovery 0.65, easy 0.72, long 0.75, steady 0.82, marathon pace 0.85, tempo
0.88, threshold intervals 0.9, hills 0.92, VO2 intervals 0.94).
"""

from __future__ import annotations

from shared.planning import (
    Distance,
    Intensity,
    Phase,
    SessionKind,
    SessionRole,
    SessionTemplate,
    TrainingSchema,
)

ALL: tuple[Phase, ...] = ("base", "build", "peak", "taper")
TRAINING: tuple[Phase, ...] = ("base", "build", "peak")

# Intensity factor per session family; load = minutes/60 * 100 * IF^2.
_IF = {
    "recovery": 0.65,
    "easy": 0.72,
    "strides": 0.74,
    "long": 0.75,
    "steady": 0.82,
    "pace": 0.85,
    "tempo": 0.88,
    "threshold": 0.90,
    "hills": 0.92,
    "vo2": 0.94,
    "strength": 0.55,
}

# Race-day session per distance: (minutes including warm-up, load).
RACE_SPECS: dict[Distance, tuple[int, int]] = {
    "5k": (45, 60),
    "10k": (70, 95),
    "half": (130, 170),
    "marathon": (240, 300),
}

# Default plan weeks and taper days (DESIGN: marathon 14-21, half 10-14, 10k/5k 7-10).
_PLAN_WEEKS: dict[Distance, int] = {"5k": 8, "10k": 10, "half": 12, "marathon": 18}
_TAPER_DAYS: dict[Distance, int] = {"5k": 7, "10k": 10, "half": 14, "marathon": 21}
# Long runs in 15-minute steps from 60 min up to each distance's longest (docs/COACH_RULES.md).
LONG_RUN_STEP = 15
_LONGEST_RUN: dict[Distance, int] = {"5k": 120, "10k": 120, "half": 150, "marathon": 210}
_RACE_NAME: dict[Distance, str] = {
    "5k": "5 km",
    "10k": "10 km",
    "half": "half marathon",
    "marathon": "marathon",
}


def _load(minutes: int, family: str) -> int:
    return round(minutes / 60 * 100 * _IF[family] ** 2)


def _session(
    code: str,
    session_type: str,
    kind: SessionKind,
    intensity: Intensity,
    minutes: int,
    family: str,
    phases: tuple[Phase, ...],
    definition: str,
    role: SessionRole | None = None,
) -> SessionTemplate:
    return SessionTemplate(
        code=code,
        session_type=session_type,
        kind=kind,
        intensity=intensity,
        duration_min=minutes,
        load=_load(minutes, family) if minutes else 0,
        phases=list(phases),
        definition=definition,
        role=role,
    )


def race_session(distance: Distance) -> SessionTemplate:
    minutes, load = RACE_SPECS[distance]
    return SessionTemplate(
        code=f"RACE_{distance.upper()}",
        session_type=f"Race: {_RACE_NAME[distance]}",
        kind="race",
        intensity="race",
        duration_min=minutes,
        load=load,
        phases=["race", "base", "build", "peak", "taper"],
        definition=f"Race day: {_RACE_NAME[distance]}. 10-15 min easy warm-up with strides, "
        "then race at goal effort.",
    )


def _common_sessions(distance: Distance) -> list[SessionTemplate]:
    return [
        _session("REST", "Rest", "rest", "rest", 0, "easy", ALL, "Rest day: no training."),
        _session(
            "REC30",
            "Recovery run",
            "run",
            "easy",
            30,
            "recovery",
            ALL,
            "30 min very easy (conversational, RPE 2-3).",
        ),
        _session(
            "SHAKEOUT20",
            "Shake-out run",
            "run",
            "easy",
            20,
            "strides",
            ALL,
            "15 min very easy, then 4 x 20 s strides: loosen up for race day.",
            role="shakeout",
        ),
        _session(
            "EASY35", "Easy run", "run", "easy", 35, "easy", ALL, "35 min easy aerobic running."
        ),
        _session(
            "EASY45", "Easy run", "run", "easy", 45, "easy", ALL, "45 min easy aerobic running."
        ),
        _session(
            "EASY60", "Easy run", "run", "easy", 60, "easy", ALL, "60 min easy aerobic running."
        ),
        _session(
            "EASY75",
            "Easy run",
            "run",
            "easy",
            75,
            "easy",
            TRAINING,
            "75 min easy aerobic running.",
        ),
        _session(
            "STRIDES50",
            "Easy run with strides",
            "run",
            "easy",
            50,
            "strides",
            ALL,
            "40 min easy, then 8 x 20 s strides with full walk-back recovery.",
        ),
        _session(
            "STEADY60",
            "Steady run",
            "run",
            "moderate",
            60,
            "steady",
            TRAINING,
            "15 min easy, 35 min steady (RPE 5-6), 10 min easy.",
        ),
        _session(
            "HILLS50",
            "Hill repeats",
            "run",
            "hard",
            50,
            "hills",
            ("base", "build"),
            "20 min easy, 8 x 60 s hard uphill with jog-down recovery, 15 min easy.",
        ),
        _session(
            "TEMPO50",
            "Tempo run",
            "run",
            "hard",
            50,
            "tempo",
            ("build", "peak", "taper"),
            "15 min easy, 20 min at threshold (comfortably hard, ~1 h race pace), 15 min easy.",
        ),
        _session(
            "CRUISE60",
            "Threshold intervals",
            "run",
            "hard",
            60,
            "threshold",
            ("build", "peak"),
            "15 min easy, 3 x 10 min at threshold with 2 min jog, 15 min easy.",
        ),
        _session(
            "VO2_55",
            "Intervals",
            "run",
            "hard",
            55,
            "vo2",
            ("peak",),
            "15 min easy, 5 x 1000 m at 5 km pace with 3 min jog, 15 min easy.",
            role="race_specific" if distance in ("5k", "10k") else None,
        ),
        _session(
            "SHARPEN40",
            "Race-pace sharpener",
            "run",
            "hard",
            40,
            "tempo",
            ("taper",),
            "15 min easy, 6 x 2 min at race pace with 2 min jog, 10 min easy.",
        ),
        _session(
            "OPENER25",
            "Race-week opener",
            "run",
            "hard",
            25,
            "tempo",
            ("taper",),
            "10 min easy, 4 x 1 min at race pace with 1 min jog, 7 min easy.",
        ),
        _session(
            "STRENGTH40",
            "Strength",
            "strength",
            "strength",
            40,
            "strength",
            ("base", "build", "peak", "taper"),
            "40 min: squats, lunges, deadlifts, calf raises, core; 2-3 sets, stop 2 reps short.",
        ),
    ]


def _race_specific(distance: Distance) -> list[SessionTemplate]:
    """Goal-pace work: marathon- or half-pace runs, race-pace and 5 km-pace intervals."""
    if distance == "marathon":
        return [
            _session(
                "MP75",
                "Marathon-pace run",
                "run",
                "moderate",
                75,
                "pace",
                ("build", "peak", "taper"),
                "15 min easy, 45 min at goal marathon pace, 15 min easy.",
                role="race_specific",
            ),
            _session(
                "MP60",
                "Marathon-pace run",
                "run",
                "moderate",
                60,
                "pace",
                ("build", "peak", "taper"),
                "15 min easy, 30 min at goal marathon pace, 15 min easy.",
                role="race_specific",
            ),
        ]
    if distance == "half":
        return [
            _session(
                "HMP60",
                "Half-marathon-pace run",
                "run",
                "moderate",
                60,
                "pace",
                ("build", "peak", "taper"),
                "15 min easy, 30 min at goal half-marathon pace, 15 min easy.",
                role="race_specific",
            )
        ]
    return [
        _session(
            "RP45",
            "Race-pace intervals",
            "run",
            "hard",
            45,
            "vo2",
            ("build", "peak", "taper"),
            f"15 min easy, 5 x 3 min at goal {_RACE_NAME[distance]} pace with 2 min jog, "
            "10 min easy.",
            role="race_specific",
        )
    ]


def _long_runs(distance: Distance) -> list[SessionTemplate]:
    """Long runs every 15 minutes from 60 min to the distance's longest."""
    return [
        _session(
            f"LONG{minutes}",
            "Long run",
            "long",
            "easy",
            minutes,
            "long",
            ALL,
            f"{minutes} min long run at easy pace; fuel and drink as on race day.",
        )
        for minutes in range(60, _LONGEST_RUN[distance] + 1, LONG_RUN_STEP)
    ]


def builtin_schema(distance: Distance) -> TrainingSchema:
    """The shipped template for one race distance."""
    race_minutes, race_load = RACE_SPECS[distance]
    return TrainingSchema(
        name=f"Built-in {_RACE_NAME[distance]}",
        distance=distance,
        sessions=[*_common_sessions(distance), *_race_specific(distance), *_long_runs(distance)],
        plan_weeks=_PLAN_WEEKS[distance],
        taper_days=_TAPER_DAYS[distance],
        race_duration_min=race_minutes,
        race_load=race_load,
    )
