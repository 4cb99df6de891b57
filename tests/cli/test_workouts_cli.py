"""`trainplan plan --format fit|zwo --out DIR|FILE.zip` against the real engine: one file per
session, named by date, slot and code, each decoded (fitdecode, minidom) and compared with
the same plan's JSON (the same `--seed`, so the same plan)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from shared.planning import PlanDay
from shared.steps import PaceTarget, flatten
from tests.cli.test_cli import START, cli, plan_args, race_after
from tests.workout_files import expected_fit_steps, fit_step_facts, read_fit, read_zwo

RACE = race_after(4)
SAME_PLAN = (
    "--seed",
    "7",
    "--workers",
    "1",
    "--time-limit",
    "3",
    "--race-result",
    "10k=45:00",
    "--ftp",
    "250",
)


def _plan(*extra: str) -> list[str]:
    return plan_args(RACE, "10k", START, *SAME_PLAN, *extra)


@pytest.fixture(scope="module")
def plan_days() -> list[PlanDay]:
    proc = cli(*_plan("--format", "json"))
    assert proc.returncode == 0, proc.stderr
    return [PlanDay.model_validate(d) for d in json.loads(proc.stdout)["days"]]


def _name(day: PlanDay, extension: str) -> str:
    return f"{day.date.isoformat()}-{day.slot}-{day.session_code}.{extension}"


def test_fit_writes_one_decodable_file_per_session(
    tmp_path: Path, plan_days: list[PlanDay]
) -> None:
    out = tmp_path / "watch"
    proc = cli(*_plan("--format", "fit", "--out", str(out)))
    assert proc.returncode == 0, proc.stderr
    sessions = [d for d in plan_days if d.intensity != "rest"]
    # --race-result gives the catalogue's steps pace targets: real steps go out.
    assert any(isinstance(s.target, PaceTarget) for d in sessions for s in flatten(d.steps))
    assert sorted(p.name for p in out.iterdir()) == sorted(_name(d, "fit") for d in sessions)
    assert f"wrote {len(sessions)} FIT workouts to {out}" in proc.stderr
    for day in sessions:
        fit = read_fit((out / _name(day, "fit")).read_bytes())
        assert fit.file_id["type"][0] == "workout"
        assert [fit_step_facts(m) for m in fit.steps] == expected_fit_steps(day)
        if not day.steps:  # a session without steps: its definition goes along
            notes = day.session_definition.encode()[:199].decode(errors="ignore")
            assert fit.steps[0]["notes"][0] == notes


def test_zwo_zip_holds_the_runs(tmp_path: Path, plan_days: list[PlanDay]) -> None:
    out = tmp_path / "zwift.zip"
    proc = cli(*_plan("--format", "zwo", "--out", str(out)))
    assert proc.returncode == 0, proc.stderr
    runs = [d for d in plan_days if d.intensity not in ("rest", "strength")]
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        assert archive.namelist() == [_name(d, "zwo") for d in runs]
        for day in runs:
            zwo = read_zwo(archive.read(_name(day, "zwo")))
            assert zwo.sport == "run" and zwo.description == day.session_definition
            seconds = sum(_seconds(attrs) for _, attrs, _ in zwo.elements)
            assert seconds == pytest.approx(day.duration_min * 60, rel=0.02)


def _seconds(attrs: dict[str, Any]) -> float:
    if "Repeat" in attrs:
        return int(attrs["Repeat"]) * (int(attrs["OnDuration"]) + int(attrs["OffDuration"]))
    return int(attrs["Duration"])


@pytest.mark.parametrize(
    ("out", "needle"),
    [
        (None, "--format fit writes one file per session: give --out DIR"),
        ("afile", "not a folder (end it in .zip for one zip file)"),
        ("afile/deeper", "is a file, not a folder"),
        ("afolder.zip", "a folder, not a .zip file"),
    ],
)
def test_a_bad_out_is_a_usage_error_before_solving(
    tmp_path: Path, out: str | None, needle: str
) -> None:
    (tmp_path / "afile").write_text("not a folder")
    (tmp_path / "afolder.zip").mkdir()
    # No seed or time limit: were it to solve first, it would take the default 30 s.
    args = plan_args(RACE, "10k", START, "--format", "fit")
    proc = cli(*args, *(["--out", str(tmp_path / out)] if out else []))
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("usage: trainplan plan")
    assert needle in proc.stderr
