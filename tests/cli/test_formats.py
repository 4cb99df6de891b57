"""Renderers on a hand-built plan: structure and standards, no solver involved."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime

import icalendar

from shared.planning import PlanResult, SolveProgress
from worker.cli.formats import (
    DAY_FIELDS,
    ProgressBar,
    is_session,
    render_csv,
    render_ics,
    render_json,
    render_table,
)

CONTRACT_KEYS = {"status", "objective", "bound", "gap", "solve_seconds", "model", "days"}


def test_json_is_one_object_with_contract_fields(handmade_plan: PlanResult) -> None:
    doc = json.loads(render_json(handmade_plan))
    assert doc.keys() >= CONTRACT_KEYS
    assert doc["status"] == "OPTIMAL" and doc["conflicts"] == []
    assert len(doc["days"]) == len(handmade_plan.days)
    for day, src in zip(doc["days"], handmade_plan.days, strict=True):
        assert set(DAY_FIELDS) <= day.keys()
        assert day["date"] == src.date.isoformat()
        assert isinstance(day["is_training_day"], bool)
        assert day["ctl"] == src.ctl and day["tsb"] == src.tsb


def test_json_infeasible_carries_conflicts() -> None:
    result = PlanResult(
        status="INFEASIBLE",
        solve_seconds=0.2,
        start=date(2027, 1, 4),
        race_date=date(2027, 4, 18),
        conflicts=["1 weekly hour cannot hold 3 runs plus a long run"],
    )
    doc = json.loads(render_json(result))
    assert doc["status"] == "INFEASIBLE" and doc["days"] == []
    assert doc["conflicts"] == ["1 weekly hour cannot hold 3 runs plus a long run"]


def test_csv_has_header_and_one_row_per_day_and_slot(handmade_plan: PlanResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(handmade_plan))))
    assert len(rows) == len(handmade_plan.days)
    assert list(rows[0].keys()) == list(DAY_FIELDS)
    for row, src in zip(rows, handmade_plan.days, strict=True):
        assert row["date"] == src.date.isoformat()
        assert int(row["slot"]) == src.slot
        assert int(row["duration_min"]) == src.duration_min
        assert row["is_recovery_week"] in ("true", "false")
        assert abs(float(row["ctl"]) - src.ctl) < 1e-3
        assert row["session_definition"] == src.session_definition  # commas survive quoting


def test_ics_is_valid_rfc5545(handmade_plan: PlanResult) -> None:
    text = render_ics(handmade_plan)
    raw = text.encode("utf-8")
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)  # CRLF only
    assert max(len(line) for line in lines) <= 75  # folded at 75 octets
    assert any(line.startswith(b" ") for line in lines)  # the long definition was folded
    for line in lines:
        line.decode("utf-8")  # folding never split a multi-byte character

    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    sessions = [d for d in handmade_plan.days if is_session(d)]
    assert len(events) == len(sessions)
    for event, day in zip(events, sessions, strict=True):
        assert event.decoded("DTSTART") == day.date  # all-day: a DATE, not a DATE-TIME
        assert (event.decoded("DTEND") - day.date).days == 1
        assert str(event["SUMMARY"]) == f"{day.session_type} ({day.duration_min} min)"
        description = str(event["DESCRIPTION"])
        assert description.startswith(day.session_definition.strip() or day.session_type)
        assert isinstance(event.decoded("DTSTAMP"), datetime)
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_ics_uids_are_stable_across_exports(handmade_plan: PlanResult) -> None:
    first = render_ics(handmade_plan, now=datetime(2027, 1, 1, tzinfo=UTC))
    second = render_ics(handmade_plan, now=datetime(2027, 2, 1, tzinfo=UTC))
    uid = re.compile(r"^UID:.*$", re.M)
    assert uid.findall(first) == uid.findall(second)
    assert first != second  # only DTSTAMP moved


def test_ics_skips_rest_days(handmade_plan: PlanResult) -> None:
    cal = icalendar.Calendar.from_ical(render_ics(handmade_plan))
    rest_dates = {d.date for d in handmade_plan.days if d.intensity == "rest"}
    assert rest_dates
    assert not rest_dates & {e.decoded("DTSTART") for e in cal.walk("VEVENT")}


def test_table_groups_by_week(handmade_plan: PlanResult) -> None:
    text = render_table(handmade_plan)
    headers = [line for line in text.splitlines() if line.startswith("Week ")]
    assert len(headers) == 2
    assert "RECOVERY" in headers[1] and "RECOVERY" not in headers[0]
    assert "base" in headers[0] and "taper" in headers[1]
    week1_minutes = sum(d.duration_min for d in handmade_plan.days if d.week_number == 1)
    assert f"{week1_minutes / 60:.1f} h" in headers[0]
    # One line per date (a double adds a continuation line without the date).
    for day in handmade_plan.days:
        if day.slot == 0:
            assert f"{day.date:%Y-%m-%d}" in text
    day_lines = [line for line in text.splitlines() if line.startswith("  ")]
    assert len(day_lines) == len(handmade_plan.days)
    assert text.rstrip().splitlines()[-1].startswith("OPTIMAL")
    assert "gap 0.24%" in text


def test_progress_bar_draws_objective_and_gap_then_clears() -> None:
    stream = io.StringIO()
    with ProgressBar(stream, time_limit_s=10) as bar:
        progress = SolveProgress(objective=42.5, bound=43.0, gap=0.0116, elapsed_s=0.4, solutions=3)
        bar.update(progress)
        line = bar.line()
    assert "objective 42.50" in line and "gap 1.16%" in line and "/10 s" in line
    assert stream.getvalue().endswith("\r\x1b[K")  # the bar leaves no residue behind
