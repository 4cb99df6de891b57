"""`trainplan plan` with a race result: every day's steps as JSON in the runner's paces (the
zones of the same JSON), heart rate with an LTHR only, effort words without markers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.test_zones_cli import PLAN, run_cli, vdot


def flat(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for s in steps:
        out += s["steps"] * s["count"] if s["type"] == "repeat" else [s]
    return out


def plan_json(*flags: str) -> dict[str, Any]:
    proc = run_cli(*PLAN, *flags, "--format", "json", "--time-limit", "3", "--quiet")
    assert proc.returncode == 0, proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def test_steps_in_the_paces_of_the_race_result() -> None:
    doc = plan_json("--race-result", "10k=45:00")
    assert doc["zones"]["vdot"] == pytest.approx(vdot(10000, 2700), abs=0.05)
    easy = doc["zones"]["paces"]["easy"]
    runs = [d for d in doc["days"] if d["steps"]]
    assert runs and all(d["sport"] == "run" for d in runs)
    for day in runs:
        steps = flat(day["steps"])
        for step in steps:
            assert (step["duration_s"] is None) != (step["distance_m"] is None)
            if step["type"] in ("warmup", "cooldown"):
                target = step["target"]
                assert target["kind"] == "pace"
                assert [target["low_s_per_km"], target["high_s_per_km"]] == easy
        kinds = {s["target"]["kind"] for s in steps if s["target"] is not None}
        assert kinds <= {"pace", "rpe"} and "pace" in kinds
        timed = sum(s["duration_s"] for s in steps if s["duration_s"] is not None)
        if all(s["distance_m"] is None for s in steps):
            assert round(timed / 60) == day["duration_min"]
    rest = [d for d in doc["days"] if d["intensity"] in ("rest", "strength")]
    assert rest and all(d["steps"] == [] for d in rest)


def test_heart_rate_steps_from_lthr_alone() -> None:
    doc = plan_json("--lthr", "170")
    z2 = doc["zones"]["hr"]["z2"]
    for day in (d for d in doc["days"] if d["steps"]):
        for step in flat(day["steps"]):
            easy_run = day["session_code"].startswith(("EASY", "LONG"))
            if step["type"] == "warmup" or (easy_run and step["type"] == "active"):
                assert step["target"] == {"kind": "hr", "low_bpm": z2[0], "high_bpm": z2[1]}
        assert "bpm" in day["session_definition"]


def test_effort_words_without_markers() -> None:
    doc = plan_json()
    runs = [d for d in doc["days"] if d["steps"]]
    assert runs
    for day in runs:
        targets = [s["target"] for s in flat(day["steps"])]
        assert all(
            t is None or (set(t) == {"kind", "value"} and t["kind"] == "rpe") for t in targets
        )
        assert "/km" not in day["session_definition"]
        assert day["session_definition"].endswith("for your paces.")
