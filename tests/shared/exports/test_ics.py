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


def test_subscription_counts_changes_across_versions(handmade_plan: PlanResult) -> None:
    """Three versions: a session changed in v2 and back in v3 (SEQUENCE 2), one dropped
    in v3 (CANCELLED, SEQUENCE 1), the rest untouched (SEQUENCE 0, v1's LAST-MODIFIED)."""
    from shared.exports.ics import PlanVersion, render_subscription

    v1 = handmade_plan.days
    sessions = [i for i, d in enumerate(v1) if is_session(d)]
    moved, dropped = sessions[0], sessions[1]
    v2 = list(v1)
    v2[moved] = v1[moved].model_copy(update={"duration_min": v1[moved].duration_min + 10})
    v3 = list(v1)
    v3[dropped] = v1[dropped].model_copy(update={"intensity": "rest", "session_code": "REST"})
    made = [datetime(2027, 1, d, tzinfo=UTC) for d in (1, 2, 3)]
    versions = [PlanVersion(days, at) for days, at in zip((v1, v2, v3), made, strict=True)]
    cal = icalendar.Calendar.from_ical(render_subscription(versions, "p", handmade_plan.race_date))
    assert cal.decoded("REFRESH-INTERVAL").total_seconds() == 6 * 3600
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(sessions)
    for i in sessions:
        day = v1[i]
        event = events[f"{day.date:%Y%m%d}-{day.slot}-p@trainplan"]
        sequence, status, modified = {
            moved: (2, "CONFIRMED", made[2]),
            dropped: (1, "CANCELLED", made[2]),
        }.get(i, (0, "CONFIRMED", made[0]))
        assert (int(event["SEQUENCE"]), str(event["STATUS"])) == (sequence, status)
        assert event.decoded("LAST-MODIFIED") == modified
        assert str(event["SUMMARY"]).endswith(f"({day.duration_min} min)")  # v3 = v1 here
