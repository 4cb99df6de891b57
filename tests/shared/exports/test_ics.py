"""The calendar renderer on a hand-built plan: RFC 5545, read back by `icalendar`."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import icalendar

from shared.exports.ics import render_ics
from shared.exports.summary import is_session
from shared.planning import PlanResult


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
