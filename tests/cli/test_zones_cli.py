"""`trainplan plan` with performance markers: the JSON's `zones`, the table's zones or hint,
and bad marker flags (recomputed here from Daniels' equations, not read from the module)."""

from __future__ import annotations

import itertools
import json
import math
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from worker.cli import main

ROOT = Path(__file__).resolve().parents[2]
START = date.today() + timedelta(days=14 - date.today().weekday())  # a Monday, 1-2 weeks out
RACE = START + timedelta(days=7 * 4 - 1)  # a Sunday: a 4-week plan solves in well under 1 s
PLAN = ["plan", "--race-date", str(RACE), "--distance", "10k", "--start", str(START)]
HINT = "Add --race-result 10k=45:00 or --threshold-pace 4:30 to see your paces."


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """This checkout's CLI in a fresh interpreter (cwd first on sys.path)."""
    code = "import sys; from worker.cli import main; sys.exit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def vdot(distance_m: float, time_s: float) -> float:
    t = time_s / 60
    v = distance_m / t
    cost = -4.6 + 0.182258 * v + 0.000104 * v * v
    return cost / (0.8 + 0.1894393 * math.exp(-0.012778 * t) + 0.2989558 * math.exp(-0.1932605 * t))


def cost_of_pace(s_per_km: float) -> float:
    v = 60_000 / s_per_km
    return -4.6 + 0.182258 * v + 0.000104 * v * v


def test_json_carries_the_zones_of_the_race_result() -> None:
    proc = run_cli(*PLAN, "--race-result", "10k=45:00", "--lthr", "170", "--format", "json",
                   "--time-limit", "3", "--quiet")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["days"]  # still the plan
    zones = doc["zones"]
    expected = vdot(10000, 45 * 60)
    assert zones["vdot"] == pytest.approx(expected, abs=0.05)
    paces = zones["paces"]
    assert list(paces) == ["easy", "marathon", "threshold", "interval", "repetition"]
    for zone, fraction in (("threshold", 0.88), ("interval", 1.0), ("repetition", 1.07)):
        fast, slow = paces[zone]
        assert cost_of_pace(fast) / expected == pytest.approx(fraction + 0.01, abs=0.002), zone
        assert cost_of_pace(slow) / expected == pytest.approx(fraction - 0.01, abs=0.002), zone
    easy_fast, easy_slow = paces["easy"]
    assert cost_of_pace(easy_fast) / expected == pytest.approx(0.70, abs=0.002)
    assert cost_of_pace(easy_slow) / expected == pytest.approx(0.62, abs=0.002)
    # Each zone faster than the one before it, with no overlap.
    ordered = list(paces.values())
    assert all(a[0] > b[1] for a, b in itertools.pairwise(ordered))
    assert zones["hr"]["z2"] == [145, 152]  # 85% and 90% of 170: 144.5 and 153
    assert zones["power"] is None and zones["swim"] is None


def test_json_without_markers_has_no_zones(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*PLAN, "--format", "json", "--time-limit", "2", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    assert "zones" not in doc
    assert HINT not in out


def test_table_without_markers_says_how_to_add_paces(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*PLAN, "--time-limit", "2", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert lines.count(HINT) == 1
    assert not any(line.startswith("Zones") for line in lines)
    assert lines[-1].startswith(("OPTIMAL", "FEASIBLE"))  # the summary stays last


def test_table_shows_the_zones(capsys: pytest.CaptureFixture[str]) -> None:
    code = main([*PLAN, "--threshold-pace", "4:30", "--ftp", "250", "--time-limit", "2", "-q"])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    assert HINT not in lines
    head = next(i for i, line in enumerate(lines) if line.startswith("Zones"))
    assert lines[head] == f"Zones (VDOT {cost_of_pace(270) / 0.88:.1f})"
    pace_line, power_line = lines[head + 1], lines[head + 2]
    assert "threshold 4:28-4:32" in pace_line  # the band around the 4:30 given
    assert "Z1 0-137" in power_line and "Z7 376+ W" in power_line


@pytest.mark.parametrize(
    ("flags", "code", "needle"),
    [
        (["--race-result", "10k=45"], 2, "race result '10k=45': time must be H:MM:SS or MM:SS"),
        (["--race-result", "ultra=5:00:00"], 2, "distance must be 5k, 10k, half, marathon"),
        (["--threshold-pace", "4.30"], 2, "must be M:SS per km"),
        (["--lthr", "fast"], 2, "LTHR 'fast': must be a whole number"),
        (["--css", "90"], 2, "CSS '90': must be M:SS per 100 m"),
        (["--race-result", "marathon=1:30:00"], 1, "--race-result: 42195 m in 1:30:00 is VDOT"),
        (["--threshold-pace", "1:30"], 1, "--threshold-pace: 1:30 per km is outside"),
        (["--lthr", "185", "--max-hr", "180"], 1, "lthr_bpm (185) must be below max_hr_bpm"),
        (["--ftp", "5000"], 1, "--ftp:"),
    ],
)
def test_bad_markers_give_a_message(
    flags: list[str], code: int, needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        got = main([*PLAN, *flags, "--time-limit", "2"])
    except SystemExit as exc:  # argparse's usage error
        got = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert got == code
    assert out == ""
    assert needle in err
    assert "Traceback" not in err
