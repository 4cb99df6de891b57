"""Built-in training schemas for 5k, 10k, half marathon and marathon (the triathlons:
`worker.engine.tri_templates`, reached through `builtin_schema` and `race_session`).

Every session but rest and strength is written as steps by zone (`shared.session_steps`):
warm-up, repeats of work and recovery, cool-down. Its minutes, its load (TSS-like: hours x
100 x IF^2 per step, 100 per hour at threshold) and its definition follow from them, so the
catalogue's numbers cannot drift from its text. Strength has no steps: 40 min at IF 0.55.
"""

from __future__ import annotations

from typing import cast

from shared.planning import (
    TRI_DISTANCES,
    Distance,
    Intensity,
    Phase,
    RunDistance,
    SessionKind,
    SessionRole,
    SessionTemplate,
    TrainingSchema,
    TriDistance,
)
from shared.session_steps import (
    RACE_DISTANCE_M,
    RACE_ZONE,
    TemplateRepeat,
    TemplateStep,
    ZoneName,
)
from shared.steps import StepType

ALL: tuple[Phase, ...] = ("base", "build", "peak", "taper")
TRAINING: tuple[Phase, ...] = ("base", "build", "peak")
STRENGTH_IF = 0.55

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
# Warm-up before the race itself (minutes): shorter the longer the race.
_RACE_WARMUP_MIN: dict[Distance, int] = {"5k": 15, "10k": 15, "half": 12, "marathon": 10}

Steps = list[TemplateStep | TemplateRepeat]


# -- step builders ------------------------------------------------------------------------


def _step(kind: StepType, zone: ZoneName, minutes: float = 0, metres: int = 0) -> TemplateStep:
    if metres:
        return TemplateStep(type=kind, zone=zone, distance_m=metres)
    return TemplateStep(type=kind, zone=zone, duration_s=round(minutes * 60))


def warm(minutes: float) -> TemplateStep:
    return _step("warmup", "easy", minutes)


def cool(minutes: float) -> TemplateStep:
    return _step("cooldown", "easy", minutes)


def work(zone: ZoneName, minutes: float = 0, metres: int = 0) -> TemplateStep:
    return _step("active", zone, minutes, metres)


def jog(minutes: float) -> TemplateStep:
    return _step("recovery", "recovery", minutes)


def walk(minutes: float) -> TemplateStep:
    return _step("recovery", "walk", minutes)


def reps(count: int, *steps: TemplateStep) -> TemplateRepeat:
    return TemplateRepeat(count=count, steps=list(steps))


def _session(
    code: str,
    session_type: str,
    kind: SessionKind,
    intensity: Intensity,
    phases: tuple[Phase, ...],
    steps: Steps,
    note: str = "",
    role: SessionRole | None = None,
) -> SessionTemplate:
    """A session of steps: minutes, load and definition are derived by the template."""
    return SessionTemplate.model_validate(
        {
            "code": code,
            "session_type": session_type,
            "kind": kind,
            "intensity": intensity,
            "phases": list(phases),
            "steps": steps,
            "note": note,
            "role": role,
        }
    )


def race_session(distance: Distance) -> SessionTemplate:
    """Race day: a warm-up, then the race distance at the pace the runner's VDOT predicts
    (a triathlon: its swim, bike and run)."""
    if distance in TRI_DISTANCES:
        from worker.engine.tri_templates import tri_race_session  # it builds on this module

        return tri_race_session(cast(TriDistance, distance))
    return _session(
        f"RACE_{distance.upper()}",
        f"Race: {_RACE_NAME[distance]}",
        "race",
        "race",
        ("race", "base", "build", "peak", "taper"),
        [
            warm(_RACE_WARMUP_MIN[distance]),
            work(RACE_ZONE[distance], metres=RACE_DISTANCE_M[distance]),
        ],
        note=f"Race day: {_RACE_NAME[distance]}; strides at the end of the warm-up.",
    )


def _common_sessions(distance: Distance) -> list[SessionTemplate]:
    race_pace = RACE_ZONE[distance]
    return [
        SessionTemplate(
            code="REST",
            session_type="Rest",
            kind="rest",
            intensity="rest",
            duration_min=0,
            load=0,
            phases=list(ALL),
            definition="Rest day: no training.",
        ),
        _session(
            "REC30",
            "Recovery run",
            "run",
            "easy",
            ALL,
            [work("recovery", 30)],
            "Conversational, RPE 2-3.",
        ),
        _session(
            "SHAKEOUT20",
            "Short run with strides",
            "run",
            "easy",
            ALL,
            [work("recovery", 15), reps(4, work("strides", 1 / 3), jog(1))],
            "Short and light; the strides quick but relaxed.",
            role="shakeout",
        ),
        *(
            _session(
                f"EASY{m}",
                "Easy run",
                "run",
                "easy",
                ALL if m < 75 else TRAINING,
                [work("easy", m)],
                "Aerobic running.",
            )
            for m in (35, 45, 60, 75)
        ),
        _session(
            "STRIDES50",
            "Easy run with strides",
            "run",
            "easy",
            ALL,
            [work("easy", 38), reps(8, work("strides", 1 / 3), walk(7 / 6))],
            "Full walk-back recovery between strides.",
        ),
        _session(
            "STEADY60",
            "Steady run",
            "run",
            "moderate",
            TRAINING,
            [warm(15), work("steady", 35), cool(10)],
        ),
        _session(
            "HILLS50",
            "Hill repeats",
            "run",
            "hard",
            ("base", "build"),
            [warm(15), reps(10, work("hills", 1.25), jog(1.25)), cool(10)],
            "Jog back down between hills.",
        ),
        _session(
            "TEMPO50",
            "Tempo run",
            "run",
            "hard",
            ("build", "peak", "taper"),
            [warm(15), work("threshold", 20), cool(15)],
            "Threshold: comfortably hard, about 1 h race pace.",
        ),
        _session(
            "CRUISE60",
            "Threshold intervals",
            "run",
            "hard",
            ("build", "peak"),
            [warm(12), reps(3, work("threshold", 10), jog(2)), cool(12)],
        ),
        _session(
            "VO2_55",
            "Intervals",
            "run",
            "hard",
            ("peak",),
            [warm(15), reps(5, work("interval", metres=1000), jog(1.5)), cool(12)],
            role="race_specific" if distance in ("5k", "10k") else None,
        ),
        _session(
            "SHARPEN40",
            "Race-pace sharpener",
            "run",
            "hard",
            ("taper",),
            [warm(12), reps(6, work(race_pace, 2), jog(1.5)), cool(7)],
        ),
        _session(
            "OPENER25",
            "Race-week opener",
            "run",
            "hard",
            ("taper",),
            [warm(10), reps(4, work(race_pace, 1), jog(1)), cool(7)],
        ),
        SessionTemplate(
            code="STRENGTH40",
            session_type="Strength",
            kind="strength",
            intensity="strength",
            duration_min=40,
            load=round(40 / 60 * 100 * STRENGTH_IF**2),
            phases=["base", "build", "peak", "taper"],
            definition="40 min: squats, lunges, deadlifts, calf raises, core; 2-3 sets, "
            "stop 2 reps short.",
        ),
    ]


def _race_specific(distance: Distance) -> list[SessionTemplate]:
    """Goal-pace work: marathon- or half-pace runs, race-pace intervals for 5k/10k."""
    goal: tuple[Phase, ...] = ("build", "peak", "taper")
    if distance == "marathon":
        return [
            _session(
                f"MP{15 + m + 15}",
                "Marathon-pace run",
                "run",
                "moderate",
                goal,
                [warm(15), work("marathon", m), cool(15)],
                role="race_specific",
            )
            for m in (45, 30)
        ]
    if distance == "half":
        return [
            _session(
                "HMP60",
                "Half-marathon-pace run",
                "run",
                "moderate",
                goal,
                [warm(15), work("half_marathon", 30), cool(15)],
                role="race_specific",
            )
        ]
    return [
        _session(
            "RP45",
            "Race-pace intervals",
            "run",
            "hard",
            goal,
            [warm(12), reps(5, work(RACE_ZONE[distance], 3), jog(2)), cool(8)],
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
            ALL,
            [work("long", minutes)],
            "Fuel and drink as on race day.",
        )
        for minutes in range(60, _LONGEST_RUN[distance] + 1, LONG_RUN_STEP)
    ]


def builtin_schema(distance: Distance) -> TrainingSchema:
    """The shipped template for one race distance."""
    if distance in TRI_DISTANCES:
        from worker.engine.tri_templates import tri_builtin_schema  # it builds on this module

        return tri_builtin_schema(cast(TriDistance, distance))
    return _run_schema(cast(RunDistance, distance))


def _run_schema(distance: RunDistance) -> TrainingSchema:
    race = race_session(distance)
    return TrainingSchema(
        name=f"Built-in {_RACE_NAME[distance]}",
        distance=distance,
        sessions=[*_common_sessions(distance), *_race_specific(distance), *_long_runs(distance)],
        plan_weeks=_PLAN_WEEKS[distance],
        taper_days=_TAPER_DAYS[distance],
        race_duration_min=race.duration_min,
        race_load=race.load,
    )
