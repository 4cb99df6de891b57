"""Template steps in the athlete's numbers: pace > HR > RPE for runs, power > HR > RPE for
rides, CSS for swims; Daniels' paces recomputed here by bisection on the equations."""

from __future__ import annotations

import math

from shared.markers import Markers
from shared.planning import SessionTemplate
from shared.resolve_steps import resolve_session
from shared.steps import HrTarget, PaceTarget, PowerTarget, RepeatStep, RpeTarget, Step, flatten
from worker.engine.templates import builtin_schema, race_session

TEN_K_45 = Markers.model_validate({"race_result": {"distance_m": 10000.0, "time_s": 2700.0}})


def vo2(v: float) -> float:
    return -4.6 + 0.182258 * v + 0.000104 * v * v


def pace_at(fraction: float, vdot: float) -> float:
    lo, hi = 1.0, 1000.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if vo2(mid) < fraction * vdot else (lo, mid)
    return 60_000 / lo


def vdot_10k_45() -> float:
    t = 45.0
    pct = 0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t)
    return vo2(10000 / t) / pct


def session(code: str, distance: str = "10k") -> SessionTemplate:
    return next(s for s in builtin_schema(distance).sessions if s.code == code)  # type: ignore[arg-type]


def active(steps: list[Step | RepeatStep]) -> list[Step]:
    return [s for s in flatten(steps) if s.type == "active"]


def test_threshold_steps_in_daniels_t_pace() -> None:
    vdot = vdot_10k_45()
    assert 45.0 <= vdot <= 45.6
    fast, slow = pace_at(0.89, vdot), pace_at(0.87, vdot)
    resolved = resolve_session(session("CRUISE60"), TEN_K_45.zones())
    work = active(resolved.steps)
    assert len(work) == 3
    for step in work:
        assert isinstance(step.target, PaceTarget)
        assert math.isclose(step.target.low_s_per_km, fast, abs_tol=0.1)
        assert math.isclose(step.target.high_s_per_km, slow, abs_tol=0.1)
        assert 270 <= step.target.low_s_per_km <= step.target.high_s_per_km < 280  # 4:3x /km
    # The text is the steps in the runner's numbers.
    m, s = divmod(round(fast), 60)
    m2, s2 = divmod(round(slow), 60)
    assert f"3 x 10 min threshold {m}:{s:02d}-{m2}:{s2:02d}/km, 2 min jog" in resolved.definition
    assert resolved.definition.startswith("12 min easy ")
    assert "Add a race result" not in resolved.definition


def test_the_steps_keep_the_templates_lengths() -> None:
    zones = TEN_K_45.zones()
    for template in builtin_schema("10k").sessions:
        resolved = resolve_session(template, zones)
        if template.steps is None:
            assert resolved.steps == [] and resolved.definition == template.definition
            continue
        dumped = [s.model_dump(exclude={"zone"}) for s in template.steps]
        mine = [s.model_dump(exclude={"target"}) for s in resolved.steps]
        for a, b in zip(dumped, mine, strict=True):
            if a["type"] == "repeat":
                a["steps"] = [{k: v for k, v in x.items() if k != "zone"} for x in a["steps"]]
                b["steps"] = [{k: v for k, v in x.items() if k != "target"} for x in b["steps"]]
        assert dumped == mine


def test_race_day_at_the_predicted_race_pace() -> None:
    """A 10 km raced in 45:00 predicts 45:00 again: 270 s/km inside the race step's band."""
    resolved = resolve_session(race_session("10k"), TEN_K_45.zones())
    race = flatten(resolved.steps)[-1]
    assert race.distance_m == 10000 and isinstance(race.target, PaceTarget)
    assert race.target.low_s_per_km < 270 < race.target.high_s_per_km
    assert race.target.high_s_per_km - race.target.low_s_per_km < 8


def test_marathon_pace_runs_slower_than_threshold() -> None:
    zones = TEN_K_45.zones()
    mp = active(resolve_session(session("MP75", "marathon"), zones).steps)[0].target
    t = active(resolve_session(session("TEMPO50", "marathon"), zones).steps)[0].target
    assert isinstance(mp, PaceTarget) and isinstance(t, PaceTarget)
    assert mp.low_s_per_km > t.high_s_per_km


def test_heart_rate_without_paces_then_rpe_with_a_hint() -> None:
    hr_only = Markers.model_validate({"lthr_bpm": 170.0}).zones()
    tempo = resolve_session(session("TEMPO50"), hr_only)
    target = active(tempo.steps)[0].target
    # Friel Z4-Z5a: 95-102% of LTHR in whole bpm.
    assert target == HrTarget(low_bpm=math.ceil(0.95 * 170), high_bpm=math.ceil(1.03 * 170) - 1)
    assert f"20 min threshold {target.low_bpm}-{target.high_bpm} bpm" in tempo.definition
    assert "Add a race result" not in tempo.definition  # heart rate is the runner's number
    strides = resolve_session(session("STRIDES50"), hr_only)  # strides: no HR, so RPE
    assert [type(s.target) for s in active(strides.steps)] == [HrTarget] + [RpeTarget] * 8
    assert strides.definition.endswith("Add a race result or threshold pace for your paces.")
    bare = resolve_session(session("TEMPO50"), None)
    assert all(isinstance(s.target, RpeTarget) for s in flatten(bare.steps))
    assert active(bare.steps)[0].target == RpeTarget(value=7)
    assert bare.definition.endswith("Add a race result or threshold pace for your paces.")
    # Uphill repeats take no pace: RPE even with paces known.
    hills = active(resolve_session(session("HILLS50"), TEN_K_45.zones()).steps)
    assert all(isinstance(s.target, RpeTarget) for s in hills)


def custom(sport: str) -> SessionTemplate:
    return SessionTemplate.model_validate(
        {
            "code": f"{sport.upper()}_T",
            "session_type": "Threshold",
            "kind": "run",
            "intensity": "hard",
            "sport": sport,
            "steps": [
                {"type": "warmup", "zone": "easy", "duration_s": 600},
                {
                    "type": "repeat",
                    "count": 4,
                    "steps": [
                        {"type": "active", "zone": "threshold", "duration_s": 300},
                        {"type": "recovery", "zone": "recovery", "duration_s": 120},
                    ],
                },
            ],
        }
    )


def test_bike_power_then_heart_rate() -> None:
    ftp = Markers.model_validate({"ftp_w": 250.0, "lthr_bpm": 160.0}).zones()
    work = active(resolve_session(custom("bike"), ftp).steps)[0].target
    # Coggan level 4: above 90% up to 105% of FTP.
    assert work == PowerTarget(low_w=math.floor(0.90 * 250) + 1, high_w=math.floor(1.05 * 250))
    text = resolve_session(custom("bike"), ftp).definition
    assert f"4 x 5 min threshold {work.low_w}-{work.high_w} W, 2 min easy spin" in text
    assert custom("bike").definition.endswith("4 x 5 min threshold (RPE 7), 2 min easy spin.")
    hr = Markers.model_validate({"lthr_bpm": 160.0}).zones()
    assert isinstance(active(resolve_session(custom("bike"), hr).steps)[0].target, HrTarget)
    assert "Add an FTP" not in resolve_session(custom("bike"), hr).definition
    bare = resolve_session(custom("bike"), None)
    assert active(bare.steps)[0].target == RpeTarget(value=7)
    assert bare.definition.endswith("Add an FTP for your watts.")


def test_swim_at_css_pace() -> None:
    css = Markers.model_validate({"css_s_per_100m": 105.0}).zones()
    work = active(resolve_session(custom("swim"), css).steps)[0].target
    # CSS zone 4: CSS - 1 to CSS + 2 s per 100 m, carried per km.
    assert work == PaceTarget(low_s_per_km=1040.0, high_s_per_km=1070.0)
    assert "threshold 1:44-1:47/100 m" in resolve_session(custom("swim"), css).definition
