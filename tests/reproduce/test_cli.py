"""The `trainplan reproduce` JSON contract, through the real entry points."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reproduce.rules import cs358_violations
from worker.cli import reproduce

TRAINPLAN = str(Path(sys.executable).with_name("trainplan"))  # the installed console script


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trainplan")
    sub = parser.add_subparsers(dest="command")
    sub.required = True
    reproduce.register(sub)
    return parser


def test_register_adds_both_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _parser()
    args = parser.parse_args(
        [
            "reproduce",
            "cs358",
            "--days",
            "35",
            "--rest-days",
            "3",
            "--baseline",
            "129",
            "--races",
            "1",
            "--max-runs-per-day",
            "2",
            "--json",
        ]
    )
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["objective"] == 207
    args = parser.parse_args(
        [
            "reproduce",
            "trischedule",
            "--start",
            "2025-01-31",
            "--race-date",
            "2025-02-20",
            "--weekly-hours",
            "5",
            "--time-limit",
            "3",
            "--json",
        ]
    )
    assert args.func(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["final_fitness"]) == {"swim", "bike", "run"}
    seed = out["seed_method"]
    assert set(seed["final_fitness"]) == {"swim", "bike", "run"}
    assert seed["total"] == pytest.approx(sum(seed["final_fitness"].values()), abs=1e-2)
    assert seed["solve_seconds"] > 0
    assert sum(out["final_fitness"].values()) >= seed["total"] - 1e-2


def test_cs358_json_via_subprocess() -> None:
    cmd = [
        TRAINPLAN,
        "reproduce",
        "cs358",
        "--days",
        "35",
        "--rest-days",
        "3",
        "--baseline",
        "129",
        "--races",
        "1",
        "--max-runs-per-day",
        "2",
        "--json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert {"status", "objective", "bound", "solve_seconds", "days"} <= set(out)
    assert out["status"] == "OPTIMAL" and out["objective"] == 207 and out["bound"] == 207
    assert len(out["days"]) == 35
    for day in out["days"]:
        assert set(day) == {"day", "easy", "medium", "hard", "strength", "off", "fitness"}
    bad, f_n = cs358_violations(out["days"], 35, 3, 129, 1, 2)
    assert bad == [] and f_n == 207


def test_trischedule_json_via_subprocess() -> None:
    cmd = [
        TRAINPLAN,
        "reproduce",
        "trischedule",
        "--start",
        "2025-01-31",
        "--race-date",
        "2025-06-28",
        "--weekly-hours",
        "5",
        "--time-limit",
        "10",
        "--json",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["status"] in ("OPTIMAL", "FEASIBLE")
    assert out["seed_final_fitness"] == {"run": 133.47, "bike": 139.77, "swim": 133.99}
    assert set(out["final_fitness"]) == {"swim", "bike", "run"}
    assert out["days"][0]["date"] == "2025-01-31"
    assert set(out["seed_method"]) >= {"final_fitness", "solve_seconds", "total", "status"}
    assert sum(out["final_fitness"].values()) >= out["seed_method"]["total"] - 1e-2


def test_trischedule_table_shows_both_methods(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parser().parse_args(
        [
            "reproduce",
            "trischedule",
            "--start",
            "2025-01-31",
            "--race-date",
            "2025-02-14",
            "--weekly-hours",
            "6",
            "--time-limit",
            "2",
        ]
    )
    assert args.func(args) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = {line[:28].strip(): line[28:].split() for line in lines[2:5]}
    ours, seed = rows["whole season (ours)"], rows["week by week (seed method)"]
    assert lines[1].split()[1:5] == ["swim", "bike", "run", "total"]
    for row in (ours, seed):
        assert float(row[3]) == pytest.approx(sum(float(v) for v in row[:3]), abs=0.02)
        assert row[-1] == "s" and float(row[-2]) > 0
    assert float(ours[3]) >= float(seed[3]) - 0.01


def test_bad_input_exits_2_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    parser = _parser()
    args = parser.parse_args(
        [
            "reproduce",
            "trischedule",
            "--start",
            "2025-06-28",
            "--race-date",
            "2025-06-01",
            "--weekly-hours",
            "5",
        ]
    )
    assert args.func(args) == 2
    assert "race date" in capsys.readouterr().err
