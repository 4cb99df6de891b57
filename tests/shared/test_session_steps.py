"""Sessions as steps by zone: minutes and load recomputed here from each template's steps as
JSON (paces of distance steps from Daniels' equations solved by bisection, not the module's
formula), the definition derived from them, disagreeing templates refused."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import ValidationError

from shared.planning import DISTANCES, SessionTemplate, TrainingSchema
from shared.session_steps import REFERENCE_VDOT, ZONES
from worker.engine.templates import builtin_schema, race_session


def vo2(v_m_per_min: float) -> float:
    return -4.6 + 0.182258 * v_m_per_min + 0.000104 * v_m_per_min**2


def pct(minutes: float) -> float:
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def velocity(target_vo2: float) -> float:
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if vo2(mid) < target_vo2 else (lo, mid)
    return lo


def race_minutes(vdot: float, metres: float) -> float:
    """The race time (min) a VDOT predicts over `metres`: bisection on the time."""
    lo, hi = 1.0, 1440.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if vo2(metres / mid) / pct(mid) > vdot else (lo, mid)
    return lo


# Middle of each zone's pace band (s/km) at the reference runner, as fractions of VDOT.
def reference_pace(zone: str) -> float:
    vdot = REFERENCE_VDOT
    if zone == "interval":
        fast, slow = 1.01, 0.99
    elif zone == "threshold":
        fast, slow = 0.89, 0.87
    elif zone in ("repetition", "strides"):
        fast, slow = 1.08, 1.06
    elif zone in ("easy", "long"):
        fast, slow = 0.70, 0.62
    else:
        raise AssertionError(f"no reference pace written here for {zone}")
    return (60_000 / velocity(fast * vdot) + 60_000 / velocity(slow * vdot)) / 2


def race_pace(metres: float) -> float:
    """The reference runner's race pace over `metres`, the middle of its +/-1% band
    (Daniels' marathon band is the marathon's)."""
    minutes = race_minutes(REFERENCE_VDOT, metres)
    f = vo2(metres / minutes) / REFERENCE_VDOT
    return (
        60_000 / velocity((f + 0.01) * REFERENCE_VDOT)
        + 60_000 / velocity((f - 0.01) * REFERENCE_VDOT)
    ) / 2


RACE_METRES = {"race_5k": 5000, "race_10k": 10000, "half_marathon": 21097.5, "marathon": 42195}


def zone_pace(zone: str) -> float:
    return race_pace(RACE_METRES[zone]) if zone in RACE_METRES else reference_pace(zone)


def test_work_zones_if_is_threshold_pace_over_their_pace() -> None:
    """From marathon pace up, a step's IF is what a logged run at that pace would get."""
    t = zone_pace("threshold")
    for zone in ("marathon", "half_marathon", "race_10k", "race_5k", "interval", "repetition"):
        assert ZONES[zone].intensity_factor == pytest.approx(t / zone_pace(zone), abs=0.01)
    assert ZONES["threshold"].intensity_factor == 1.0


def seconds(step: dict[str, Any]) -> float:
    if step["duration_s"] is not None:
        return float(step["duration_s"])
    return step["distance_m"] / 1000 * zone_pace(step["zone"])


def run_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in steps:
        out += s["steps"] * s["count"] if s["type"] == "repeat" else [s]
    return out


def all_sessions() -> list[SessionTemplate]:
    return [
        *(s for d in DISTANCES for s in builtin_schema(d).sessions),
        *(race_session(d) for d in DISTANCES),
    ]


@pytest.mark.parametrize("session", all_sessions(), ids=lambda s: s.code)
def test_minutes_and_load_follow_from_the_steps(session: SessionTemplate) -> None:
    doc = session.model_dump(mode="json")
    if session.kind in ("rest", "strength"):
        assert doc["steps"] is None
        return
    steps = run_steps(doc["steps"])
    total_s = sum(seconds(s) for s in steps)
    load = sum(seconds(s) / 3600 * 100 * ZONES[s["zone"]].intensity_factor ** 2 for s in steps)
    assert doc["duration_min"] == round(total_s / 60)
    assert doc["load"] == round(load)


def test_every_run_of_the_catalogue_is_steps() -> None:
    for session in all_sessions():
        assert (session.steps is not None) == (session.kind not in ("rest", "strength"))
        if session.kind == "long":
            assert session.duration_min % 15 == 0
            assert [s.model_dump()["zone"] for s in session.steps or []] == ["long"]


def test_race_sessions_run_the_race_distance() -> None:
    metres = {"5k": 5000, "10k": 10000, "half": 21098, "marathon": 42195}
    for d in DISTANCES:
        steps = run_steps(race_session(d).model_dump(mode="json")["steps"])
        assert steps[0]["type"] == "warmup"
        assert steps[-1]["distance_m"] == metres[d]
        assert builtin_schema(d).race_duration_min == race_session(d).duration_min


def test_definition_is_the_steps_in_effort_words() -> None:
    cruise = next(s for s in builtin_schema("10k").sessions if s.code == "CRUISE60")
    assert cruise.definition == (
        "12 min easy · 3 x 10 min threshold (RPE 7), 2 min jog · 12 min easy."
    )
    assert cruise.duration_min == (12 + 3 * 12 + 12)
    vo2max = next(s for s in builtin_schema("10k").sessions if s.code == "VO2_55")
    assert "5 x 1000 m interval (RPE 8), 90 s jog" in vo2max.definition


CUSTOM = {
    "code": "TEMPO_C",
    "session_type": "Tempo",
    "kind": "run",
    "intensity": "hard",
    "steps": [
        {"type": "warmup", "zone": "easy", "duration_s": 600},
        {"type": "active", "zone": "threshold", "duration_s": 1200},
        {"type": "cooldown", "zone": "easy", "duration_s": 600},
    ],
}


def test_custom_template_derives_and_checks() -> None:
    session = SessionTemplate.model_validate(CUSTOM)
    expected = round(20 / 60 * 100 * 0.72**2 + 20 / 60 * 100 * 1.0**2)
    assert (session.duration_min, session.load) == (40, expected)
    assert session.definition == "10 min easy · 20 min threshold (RPE 7) · 10 min easy."
    # The same numbers given: accepted; others: refused, naming the session.
    SessionTemplate.model_validate({**CUSTOM, "duration_min": 40, "load": expected})
    for wrong in ({"duration_min": 45}, {"load": expected + 5}, {"definition": "20 min tempo"}):
        with pytest.raises(ValidationError, match="session 'TEMPO_C'"):
            SessionTemplate.model_validate({**CUSTOM, **wrong})


def test_bad_steps_are_refused_with_their_own_error() -> None:
    both = {"type": "active", "zone": "easy", "duration_s": 60, "distance_m": 200}
    uphill = {"type": "active", "zone": "hills", "distance_m": 200}
    unknown = {"type": "active", "zone": "sprint", "duration_s": 60}
    for bad, words in (
        (both, "exactly one of duration_s and distance_m"),
        (uphill, "has no pace"),
        (unknown, "zone"),
    ):
        with pytest.raises(ValidationError, match=words) as info:
            SessionTemplate.model_validate({**CUSTOM, "steps": [bad]})
        assert all(e["loc"][0] == "steps" for e in info.value.errors())


def test_a_schema_without_steps_works_as_before() -> None:
    plain = {
        "code": "E40",
        "session_type": "Easy",
        "kind": "run",
        "intensity": "easy",
        "duration_min": 40,
        "load": 33,
        "definition": "40 min easy",
    }
    schema = TrainingSchema.model_validate({"name": "old", "distance": "10k", "sessions": [plain]})
    session = schema.sessions[0]
    assert (session.duration_min, session.load, session.definition) == (40, 33, "40 min easy")
    assert session.steps is None
    with pytest.raises(ValidationError):
        SessionTemplate.model_validate({k: v for k, v in plain.items() if k != "load"})


def test_a_stored_schema_round_trips() -> None:
    """What the API stores (a JSON dump) validates again, derived fields included."""
    schema = builtin_schema("marathon")
    again = TrainingSchema.model_validate(schema.model_dump(mode="json"))
    assert again == schema
