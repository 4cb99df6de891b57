"""One calendar event per planned session (RFC 5545, written with `icalendar`).

The one way to build an event, shared by the downloadable calendar and the live
subscription (`shared/exports/ics.py`): the same session gives the same UID, summary and
description in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event, vDuration

from shared.exports.sports import named_session, session_sport
from shared.planning import PlanDay

PRODID = "-//trainplan//trainplan plan//EN"


def event_uid(key: str, day: PlanDay) -> str:
    """From the plan (`key`), the date and the slot, never the version: a re-plan's event
    updates the one a calendar already shows."""
    return f"{day.date:%Y%m%d}-{day.slot}-{key}@trainplan"


def event_summary(day: PlanDay) -> str:
    """A multi-sport plan's session led by its sport ("Swim: CSS intervals (45 min)")."""
    name = day.session_type if day.ctl_by_sport is None else named_session(day)
    return f"{name} ({day.duration_min} min)"


def event_categories(day: PlanDay) -> list[str]:
    """The intensity; a multi-sport plan's sport besides, for a calendar to filter by."""
    return [day.intensity] if day.ctl_by_sport is None else [session_sport(day), day.intensity]


def event_description(day: PlanDay) -> str:
    detail = (
        f"{day.phase} phase, week {day.week_number}"
        f"{' (recovery)' if day.is_recovery_week else ''}; "
        f"{day.intensity}, {day.duration_min} min, load {day.load}; "
        f"CTL {day.ctl:.1f} ATL {day.atl:.1f} TSB {day.tsb:+.1f}"
    )
    definition = day.session_definition.strip() or day.session_type
    return f"{definition}\n{detail}"


def session_event(
    day: PlanDay,
    key: str,
    stamp: datetime,
    *,
    sequence: int | None = None,
    last_modified: datetime | None = None,
    cancelled: bool = False,
) -> Event:
    """An all-day event on the session's date. `sequence` and `last_modified` tell a
    subscribed calendar which revision it has; `cancelled` keeps a session a re-plan
    removed as an event the calendar drops (STATUS:CANCELLED)."""
    event = Event()
    event.add("uid", event_uid(key, day))
    event.add("dtstamp", stamp)
    event.add("dtstart", day.date)
    event.add("dtend", day.date + timedelta(days=1))
    summary = event_summary(day)
    event.add("summary", f"Cancelled: {summary}" if cancelled else summary)
    event.add("description", event_description(day))
    event.add("categories", event_categories(day))
    event.add("transp", "TRANSPARENT")
    if sequence is not None:
        event.add("sequence", sequence)
    if last_modified is not None:
        event.add("last-modified", last_modified)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def calendar(name: str, events: Iterable[Event], refresh: timedelta | None = None) -> str:
    """The calendar text (CRLF line endings, folded at 75 octets). `refresh`: how often a
    subscribed client should fetch it again (REFRESH-INTERVAL, RFC 7986, and Outlook's
    X-PUBLISHED-TTL)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if refresh is not None:
        cal.add("refresh-interval", vDuration(refresh), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(refresh))
    for event in events:
        cal.add_component(event)
    text: str = cal.to_ical().decode("utf-8")
    return text
