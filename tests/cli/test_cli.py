"""`trainplan plan` end to end against the real engine (short time limits).

Plans are checked for properties (contract, calendar, formats), never for one exact plan:
CP-SAT is not deterministic across workers.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import pty
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from worker.cli import main

BIN = Path(sys.executable).with_name("trainplan")
INTENSITIES = {"rest", "easy", "moderate", "hard", "race", "strength"}
PHASES = {"base", "build", "peak", "taper", "race"}
DAY_TYPES: dict[str, type | tuple[type, ...]] = {
    "date": str,
    "week_number": int,
    "day_of_week": int,
    "phase": str,
    "is_recovery_week": bool,
    "is_training_day": bool,
    "session_code": str,
    "session_type": str,
    "intensity": str,
    "sport": str,
    "duration_min": int,
    "load": int,
    "ctl": (int, float),
    "atl": (int, float),
    "tsb": (int, float),
}
# Dates relative to today (the CLI refuses races in the past): whole Monday-Sunday weeks.
START = date.today() + timedelta(days=14 - date.today().weekday())  # a Monday, 1-2 weeks out


def race_after(weeks: int, start: date = START) -> date:
    return start + timedelta(days=7 * weeks - 1)  # the Sunday ending week `weeks`


RACE = race_after(19)  # as long as the acceptance command (2026-12-07 to 2027-04-18)


def cli(*args: str, stderr: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    command = [str(BIN)] if BIN.exists() else [sys.executable, "-c", _MAIN]
    return subprocess.run(
        [*command, *args], stdout=subprocess.PIPE, stderr=stderr, text=True, timeout=120
    )


_MAIN = "import sys; from worker.cli import main; sys.exit(main())"


def plan_args(race: date, distance: str, start: date, *extra: str) -> list[str]:
    return ["plan", "--race-date", str(race), "--distance", distance, "--start", str(start), *extra]


def dates_between(start: date, end: date) -> list[str]:
    return [(start + timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


@pytest.fixture(scope="module")
def marathon() -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    proc = cli(
        "plan",
        *("--race-date", RACE.isoformat(), "--distance", "marathon"),
        *("--start", START.isoformat(), "--format", "json", "--time-limit", "5"),
    )
    return proc, json.loads(proc.stdout)  # the whole stdout is one JSON object


def test_json_contract(marathon: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    proc, doc = marathon
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert doc["status"] in ("OPTIMAL", "FEASIBLE")
    assert doc["model"] == "banister"
    for key in ("objective", "bound", "gap", "solve_seconds"):
        assert isinstance(doc[key], int | float), key
    assert 0 <= doc["gap"] <= 1 and doc["solve_seconds"] > 0
    assert doc.get("conflicts", []) == []
    for day in doc["days"]:
        for field, kind in DAY_TYPES.items():
            assert isinstance(day[field], kind), (field, day)
        assert day["intensity"] in INTENSITIES and day["phase"] in PHASES


def test_json_calendar(marathon: tuple[subprocess.CompletedProcess[str], dict[str, Any]]) -> None:
    _, doc = marathon
    days = doc["days"]
    first_slots = [d for d in days if d.get("slot", 0) == 0]
    assert [d["date"] for d in first_slots] == dates_between(START, RACE)  # consecutive, inclusive
    for day in days:
        when = date.fromisoformat(day["date"])
        assert day["day_of_week"] == when.weekday()
        assert day["week_number"] == (when - START).days // 7 + 1  # START is a Monday
        if day["intensity"] == "rest":
            assert day["duration_min"] == 0 and day["load"] == 0
    race_day = first_slots[-1]
    assert race_day["intensity"] == "race" and race_day["phase"] == "race"


def test_json_plan_keeps_default_limits(
    marathon: tuple[subprocess.CompletedProcess[str], dict[str, Any]],
) -> None:
    """Spot checks of the defaults (the engine's own tests check every constraint)."""
    _, doc = marathon
    by_date: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for day in doc["days"]:
        by_date[day["date"]].append(day)
    weeks: dict[int, list[list[dict[str, Any]]]] = defaultdict(list)
    for slots in by_date.values():
        weeks[slots[0]["week_number"]].append(slots)
    for week, week_days in weeks.items():
        rest_days = sum(all(s["intensity"] == "rest" for s in slots) for slots in week_days)
        minutes = sum(s["duration_min"] for slots in week_days for s in slots)
        assert rest_days >= 1, f"week {week} has no rest day"
        if len(week_days) == 7 and week < max(weeks):
            assert minutes <= 8 * 60, f"week {week}: {minutes} min over the 8 h default cap"
    # Reported form is the morning value: yesterday's CTL - ATL.
    ordered = [slots[0] for slots in by_date.values()]
    for prev, day in itertools.pairwise(ordered):
        assert day["tsb"] == pytest.approx(prev["ctl"] - prev["atl"], abs=0.05)


def test_table_format(capsys: pytest.CaptureFixture[str]) -> None:
    start, race = START, race_after(8)
    code = main(plan_args(race, "10k", start, "--time-limit", "3"))
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.splitlines()
    headers = [line for line in lines if line.startswith("Week ")]
    assert [h.split(" · ")[0] for h in headers] == [f"Week {n}" for n in range(1, 9)]
    assert all(" h · load " in h for h in headers)
    day_lines = [line for line in lines if line.startswith("  ")]
    for iso in dates_between(start, race):
        assert sum(iso in line for line in day_lines) == 1, iso  # one line per date
    assert any(line.startswith(("OPTIMAL", "FEASIBLE")) for line in lines[-2:])
    assert "gap" in lines[-1]


def test_csv_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "sub" / "plan.csv"
    start, race = START, race_after(9)
    flags = ["--format", "csv", "--out", str(out_file), "--time-limit", "3", "--weekly-hours", "6"]
    code = main(plan_args(race, "half", start, *flags))
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == ""  # --out: nothing on stdout
    assert "wrote" in err and str(out_file) in err
    rows = list(csv.DictReader(io.StringIO(out_file.read_text())))
    assert sorted({r["date"] for r in rows}) == dates_between(start, race)
    for row in rows:
        assert int(row["duration_min"]) >= 0 and row["intensity"] in INTENSITIES
        float(row["ctl"]), float(row["atl"]), float(row["tsb"])
    weekly: dict[int, int] = defaultdict(int)
    for row in rows:
        weekly[int(row["week_number"])] += int(row["duration_min"])
    del weekly[max(weekly)]  # the race week: the race itself is not training time
    assert max(weekly.values()) <= 6 * 60  # --weekly-hours reached the model


def test_ics_with_extra_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "plan.ics"
    start, race = START, race_after(8)
    off = [START + timedelta(days=9), START + timedelta(days=30)]  # two Wednesdays
    flags = ["--format", "ics", "--out", str(out_file), "--time-limit", "3", "--quiet"]
    extra = ["--doubles", "--long-run-day", "sat", "--unavailable", ",".join(map(str, off))]
    code = main(plan_args(race, "5k", start, *flags, *extra))
    _, err = capsys.readouterr()
    assert code == 0, err
    assert err == ""  # --quiet
    raw = out_file.read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n")  # CRLF throughout
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    cal = icalendar.Calendar.from_ical(raw)
    events = list(cal.walk("VEVENT"))
    starts = [e.decoded("DTSTART") for e in events]
    assert len(events) >= 8  # at least a session a week
    assert all(type(s) is date and start <= s <= race for s in starts)  # all-day, in range
    assert not set(off) & set(starts)  # unavailable dates stay free
    assert race in starts
    assert all(str(e["DESCRIPTION"]).strip() for e in events)
    assert all(" min)" in str(e["SUMMARY"]) for e in events)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_other_races_are_planned_around(capsys: pytest.CaptureFixture[str]) -> None:
    """A B race gets easy days on both sides; a C race is in the plan as a race day."""
    race = race_after(10)
    b_race, c_race = race - timedelta(days=35), race - timedelta(days=56)
    others = ["--other-race", f"{b_race}:half:B", "--other-race", f"{c_race}:5k:c"]
    flags = ["--format", "json", "--quiet", "--time-limit", "5"]
    code = main(plan_args(race, "marathon", START, *flags, *others))
    out, err = capsys.readouterr()
    assert code == 0, err
    days = {d["date"]: d for d in json.loads(out)["days"] if d["slot"] == 0}
    assert days[str(b_race)]["intensity"] == days[str(c_race)]["intensity"] == "race"
    assert days[str(b_race)]["session_type"] == "Race: half marathon"
    for k in (-2, -1, 1, 2):
        near = days[str(b_race + timedelta(days=k))]
        assert near["intensity"] not in ("moderate", "hard"), near
        assert near["session_type"] != "Long run", near


def test_infeasible_exits_2_with_conflicts() -> None:
    proc = cli(
        "plan",
        *("--race-date", RACE.isoformat(), "--distance", "marathon", "--start", str(START)),
        *("--weekly-hours", "1", "--format", "json", "--time-limit", "5"),
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["status"] == "INFEASIBLE"
    assert doc["conflicts"] and all(isinstance(c, str) and c.strip() for c in doc["conflicts"])


TEN_K = ["--race-date", str(RACE), "--distance", "10k"]
BEFORE_START = str(START - timedelta(days=20))


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["--race-date", BEFORE_START, "--start", str(START), "--distance", "10k"], 1, None),
        (["--race-date", "2020-04-19", "--distance", "10k"], 1, "past"),
        (["--race-date", str(RACE), "--distance", "ultra"], 2, "invalid choice"),
        (["--race-date", "2027-13-01", "--distance", "10k"], 2, "not a date"),
        (["--distance", "10k"], 2, "--race-date"),
        ([*TEN_K, "--ctl", "-5"], 1, "--ctl"),
        ([*TEN_K, "--time-limit", "0"], 1, "--time-limit"),
        ([*TEN_K, "--long-run-day", "funday"], 2, "weekday"),
        ([*TEN_K, "--other-race", "2027-03-07:half"], 2, "YYYY-MM-DD:DISTANCE:B"),
        ([*TEN_K, "--other-race", "2027-03-07:ultra:B"], 2, "distance must be one of"),
        ([*TEN_K, "--other-race", "2027-03-07:half:A"], 2, "priority must be B or C"),
        ([*TEN_K, "--other-race", f"{BEFORE_START}:5k:B", "--start", str(START)], 1, "outside"),
    ],
)
def test_bad_input_gives_a_message(args: list[str], code: int, needle: str | None) -> None:
    proc = cli("plan", *args)
    assert proc.returncode == code
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip()
    if needle:
        assert needle in proc.stderr


def test_progress_bar_on_a_terminal_keeps_stdout_clean() -> None:
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO once the child closed the terminal
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = cli(
            "plan",
            *("--race-date", str(race_after(8)), "--distance", "10k", "--start", str(START)),
            *("--format", "json", "--time-limit", "3"),
            stderr=slave,
        )
    finally:
        os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["days"]  # stdout is only the JSON
    drawn = b"".join(chunks).decode("utf-8", "replace")
    assert "solving [" in drawn and "/3 s" in drawn


def test_ctrl_c_stops_the_search_and_keeps_the_best_plan() -> None:
    """SIGINT once the bar shows a first plan: the best plan so far is printed, exit 0."""
    command = [str(BIN)] if BIN.exists() else [sys.executable, "-c", _MAIN]
    args = plan_args(race_after(52), "marathon", START, "--format", "json")
    args += ["--time-limit", "120", "--gap-limit", "0"]  # far from done when interrupted
    master, slave = pty.openpty()
    proc = subprocess.Popen([*command, *args], stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    seen = b""
    try:
        while b"objective" not in seen:  # the bar shows an objective once a plan exists
            chunk = os.read(master, 4096)
            assert chunk, "the CLI closed stderr before finding a plan"
            seen += chunk
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == 0
    doc = json.loads(out)
    assert doc["cancelled"] is True and doc["status"] == "FEASIBLE"
    assert len({d["date"] for d in doc["days"]}) == 7 * 52
    assert doc["solve_seconds"] < 120


def test_engine_failure_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import worker.engine

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(worker.engine, "solve", broken)  # fault injection only
    monkeypatch.delenv("TRAINPLAN_DEBUG", raising=False)
    code = main(plan_args(race_after(8), "10k", START, "--time-limit", "1"))
    out, err = capsys.readouterr()
    assert code == 70 and out == ""
    assert "internal error (RuntimeError: solver exploded)" in err
    assert "Traceback" not in err
