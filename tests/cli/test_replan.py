"""`trainplan replan` in-process: a saved plan, a CSV of what was done, re-planned.

Checked independently: the rule checker of the engine tests over the whole new plan
(rules over lived days alone excepted), changed days recounted from the two JSON files,
loads derived from pace and heart rate recomputed from the formula.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from shared.planning import PlanDay, PlanRequest
from tests.cli.test_cli import START, race_after
from tests.engine.rules import planned_loads, violations
from worker.cli import main
from worker.engine.validation import schema_for

RACE = race_after(8)
EFFECTIVE = START + timedelta(weeks=4, days=2)  # a Wednesday
THRESHOLD_PACE = 270  # s/km (4:30)
THRESHOLD_HR = 170


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("replan") / "plan.json"
    code = main(
        [
            *("plan", "--race-date", str(RACE), "--distance", "10k", "--start", str(START)),
            *("--time-limit", "3", "--format", "json", "--out", str(path), "-q"),
        ]
    )
    assert code == 0
    return path


def load_json(path: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(path.read_text())
    return doc


def test_plan_json_carries_its_request(saved: Path) -> None:
    doc = load_json(saved)
    request = PlanRequest.model_validate(doc["request"])
    assert request.goal.date == RACE and request.goal.distance == "10k"
    assert request.start == START and request.time_limit_s == 3


def write_done(plan: dict[str, Any], path: Path) -> tuple[set[str], set[str]]:
    """The plan as done, but for the last two quality sessions (base weeks may hold fewer:
    then the last runs) and four days of illness before the effective date; runs
    alternately logged with a load, a pace or a heart rate."""
    ill = {(EFFECTIVE - timedelta(days=k)).isoformat() for k in range(1, 5)}
    before = [d for d in plan["days"] if d["date"] < min(ill)]
    quality = [d["date"] for d in before if d["intensity"] in ("moderate", "hard")]
    runs = [d["date"] for d in before if d["intensity"] == "easy" and d["load"] > 0]
    missed = set(quality[-2:])
    for when in reversed(runs):
        if len(missed) == 2:
            break
        missed.add(when)
    assert len(missed) == 2, "the scenario needs two sessions before the illness"
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["date", "sport", "duration_min", "load", "avg_pace", "avg_hr", "session_code"]
        )
        for i, d in enumerate(plan["days"]):
            if d["date"] >= EFFECTIVE.isoformat() or d["intensity"] == "rest":
                continue
            if d["date"] in missed | ill:
                continue
            sport = "strength" if d["intensity"] == "strength" else "run"
            factor = math.sqrt(d["load"] / (d["duration_min"] / 60 * 100))
            row = [d["date"], sport, d["duration_min"], d["load"], "", "", d["session_code"]]
            if sport == "run" and i % 3 == 1:  # pace m:ss per km giving the same IF
                pace = THRESHOLD_PACE / factor
                row[3:5] = ["", f"{int(pace // 60)}:{pace % 60:04.1f}"]
            elif sport == "run" and i % 3 == 2:
                row[3:6] = ["", "", f"{factor * THRESHOLD_HR:.1f}"]
            out.writerow(row)
    return missed, ill


@pytest.fixture(scope="module")
def replanned(saved: Path) -> tuple[dict[str, Any], dict[str, Any], set[str], set[str]]:
    plan = load_json(saved)
    done = saved.with_name("done.csv")
    missed, ill = write_done(plan, done)
    out = saved.with_name("replan.json")
    code = main(
        [
            *("replan", str(saved), "--from", str(EFFECTIVE), "--done", str(done)),
            *("--threshold-pace", "4:30", "--threshold-hr", str(THRESHOLD_HR)),
            *("--unavailable", f"{EFFECTIVE},{EFFECTIVE + timedelta(days=1)}"),
            *("--format", "json", "--out", str(out), "-q"),
        ]
    )
    assert code == 0
    return plan, load_json(out), missed, ill


def by_date(days: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in days:
        out[d["date"]].append(d)
    return out


def test_replan_json_keeps_the_past_and_reports_changes(
    replanned: tuple[dict[str, Any], dict[str, Any], set[str], set[str]],
) -> None:
    plan, new, missed, ill = replanned
    assert new["status"] in ("OPTIMAL", "FEASIBLE") and new["effective"] == str(EFFECTIVE)
    old_days, new_days = by_date(plan["days"]), by_date(new["days"])
    assert sorted(new_days) == sorted(old_days)  # same calendar, start to race
    for when, entries in old_days.items():
        if when >= str(EFFECTIVE):
            continue
        got = new_days[when]
        if when in missed | ill:
            assert [(d["intensity"], d["load"]) for d in got] == [("rest", 0)]
            continue
        for old, mine in zip(entries, got, strict=True):
            assert mine["session_code"] == old["session_code"]
            assert mine["duration_min"] == old["duration_min"]
            # Loads from pace or heart rate: the formula gives back the plan's load.
            assert mine["load"] == pytest.approx(old["load"], abs=1)
    changed = sorted(
        when
        for when, entries in new_days.items()
        if when >= str(EFFECTIVE)
        and sorted(d["session_code"] for d in entries)
        != sorted(d["session_code"] for d in old_days[when])
    )
    assert new["changed_dates"] == changed and new["changed_days"] == len(changed)
    for when in (EFFECTIVE, EFFECTIVE + timedelta(days=1)):  # still ill: rest
        assert [d["intensity"] for d in new_days[str(when)]] == ["rest"]


def test_replan_json_satisfies_every_rule(
    replanned: tuple[dict[str, Any], dict[str, Any], set[str], set[str]],
) -> None:
    plan, new, _, _ = replanned
    request = PlanRequest.model_validate(new["request"])  # the changed request
    assert set(request.athlete.unavailable_dates) >= {EFFECTIVE, EFFECTIVE + timedelta(days=1)}
    days = [PlanDay.model_validate(d) for d in new["days"]]
    planned = planned_loads([PlanDay.model_validate(d) for d in plan["days"]])
    assert violations(days, request, schema_for(request), EFFECTIVE, planned) == []


def test_a_replan_can_be_replanned(
    saved: Path, replanned: tuple[dict[str, Any], dict[str, Any], set[str], set[str]]
) -> None:
    _, new, _, _ = replanned
    first = saved.with_name("replan.json")
    later = EFFECTIVE + timedelta(weeks=1)
    out = saved.with_name("again.csv")
    code = main(
        [
            *("replan", str(first), "--from", str(later), "--weekly-hours", "6"),
            *("--format", "csv", "--out", str(out), "-q"),
        ]
    )
    assert code == 0
    rows = list(csv.DictReader(out.open()))
    earlier = [d for d in new["days"] if d["date"] < str(later)]
    kept = [r for r in rows if r["date"] < str(later)]
    assert [(r["date"], r["session_code"], r["load"]) for r in kept] == [
        (d["date"], d["session_code"], str(d["load"])) for d in earlier
    ]
    weekly: dict[int, int] = defaultdict(int)
    for r in rows:
        if r["date"] >= str(later) and r["intensity"] != "race":
            weekly[int(r["week_number"])] += int(r["duration_min"])
    later_week = (later - START).days // 7 + 1
    assert all(minutes <= 6 * 60 for week, minutes in weekly.items() if week > later_week)


def test_table_says_what_changed(saved: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["replan", str(saved), "--from", str(EFFECTIVE), "--format", "table", "-q"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"Re-planned from {EFFECTIVE}:" in out and "future days changed" in out


def test_unreachable_race_form_exits_2_with_conflicts(saved: Path, tmp_path: Path) -> None:
    done = tmp_path / "binge.csv"
    lines = ["date,duration_min,load"] + [f"{RACE - timedelta(days=k)},300,400" for k in (3, 4, 5)]
    done.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.json"
    code = main(
        [
            *("replan", str(saved), "--from", str(RACE - timedelta(days=2))),
            *("--done", str(done), "--done-since", str(RACE - timedelta(days=5))),
            *("--format", "json", "--out", str(out), "-q"),
        ]
    )
    doc = load_json(out)
    assert code == 2 and doc["status"] == "INFEASIBLE" and doc["days"] == []
    assert any("race-day form" in c for c in doc["conflicts"])


@pytest.mark.parametrize(
    ("prepare", "extra", "needle"),
    [
        ("no-request", [], "has no `request`"),
        ("bad-csv", ["--done", "{dir}/bad.csv"], "bad.csv line 3"),
        ("plan", ["--from", str(RACE + timedelta(days=3))], "after the race"),
        ("plan", ["--done", "{dir}/nopace.csv"], "threshold pace"),
    ],
)
def test_bad_input_is_a_one_line_message(
    saved: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    prepare: str,
    extra: list[str],
    needle: str,
) -> None:
    plan = tmp_path / "plan.json"
    doc = load_json(saved)
    if prepare == "no-request":
        del doc["request"]
    plan.write_text(json.dumps(doc))
    (tmp_path / "bad.csv").write_text(f"date,duration_min,load\n{START},30,20\nnot-a-date,30,20\n")
    (tmp_path / "nopace.csv").write_text(f"date,duration_min,avg_pace\n{START},30,5:00\n")
    args = [a.format(dir=tmp_path) for a in extra]
    if "--from" not in args:
        args += ["--from", str(EFFECTIVE)]
    code = main(["replan", str(plan), *args, "--format", "json", "-q"])
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert needle in captured.err and "Traceback" not in captured.err


def test_derived_loads_follow_the_formula(tmp_path: Path) -> None:
    from worker.cli.replan import read_activities

    path = tmp_path / "a.csv"
    path.write_text(
        "date,sport,duration_min,load,avg_pace,avg_hr\n"
        f"{START},run,60,,4:30,\n"
        f"{START + timedelta(days=1)},run,90,,,136\n"
        f"{START + timedelta(days=2)},strength,40,25,,\n"
    )
    a, b, c = read_activities(path, THRESHOLD_PACE, THRESHOLD_HR)
    assert a.load == 100  # an hour at threshold
    assert b.load == pytest.approx(1.5 * (136 / 170) ** 2 * 100, abs=0.05)
    assert (c.load, c.resolved_intensity()) == (25, "strength")
    assert isinstance(a.date, date)


def test_done_folder_of_watch_files(
    saved: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import UTC, datetime, time

    from tests.activity_files import LTHR, fit_bytes, gpx_bytes, hr_load, steady, wavy

    folder = tmp_path / "done"
    folder.mkdir()
    run = wavy(steady(50 * 60, 3.3, hr=150, step_s=5), hr_amp=10)
    first = datetime.combine(START, time(7, 0), tzinfo=UTC)
    (folder / "monday.FIT").write_bytes(fit_bytes(run, first))
    easy = steady(40 * 60, 2.9, hr=135, step_s=10)
    (folder / "wednesday.gpx").write_bytes(gpx_bytes(easy, first + timedelta(days=2)))
    (folder / "thursday.csv").write_text(
        f"date,duration_min,load\n{START + timedelta(days=3)},30,22\n"
    )
    out = tmp_path / "new.json"
    args = ["replan", str(saved), "--from", str(START + timedelta(days=7)), "--done", str(folder)]
    code = main([*args, "--threshold-hr", str(LTHR), "--format", "json", "--out", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    days = by_date(load_json(out)["days"])
    logged = {
        str(START): (50, hr_load(run, 50)),
        str(START + timedelta(days=2)): (40, hr_load(easy, 40)),
        str(START + timedelta(days=3)): (30, 22),
    }
    for when, (minutes, load) in logged.items():
        assert [(d["duration_min"], d["load"]) for d in days[when]] == [(minutes, round(load))]
    # The record covers the week: a day without a file was not trained.
    assert [d["load"] for d in days[str(START + timedelta(days=1))]] == [0]

    (folder / "broken.fit").write_bytes(b"\x0e\x10" + b"\x00" * 10 + b"garbage")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8")
    code = main([*args, "--threshold-hr", str(LTHR), "--format", "json", "-q"])
    err = capsys.readouterr().err
    assert code == 1 and "broken.fit:" in err and "photo.jpg: not a FIT, GPX, TCX or CSV" in err
    assert "Traceback" not in err
