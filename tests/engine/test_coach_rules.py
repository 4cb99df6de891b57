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
