"""A plan as an iCalendar file (RFC 5545): one all-day VEVENT per session.

`render_ics`: one version of a plan, as a file (`trainplan plan --format ics`,
`GET /training-plans/{id}.ics`). `render_subscription`: a plan's latest version followed
across its versions, for calendars subscribed to `GET /calendar/{token}.ics`. Both build
their events with `shared.exports.events.session_event`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shared.exports.events import calendar, session_event
from shared.exports.summary import is_session
from shared.planning import PlanDay, PlanResult

# How often a subscribed calendar fetches the plan again.
SUBSCRIPTION_REFRESH = timedelta(hours=6)


def plan_key(result: PlanResult) -> str:
    """Identifies the plan (not one solve of it) when it has no id, as a CLI plan file."""
    raw = f"{result.model}|{result.start.isoformat()}|{result.race_date.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def calendar_name(race_date: date) -> str:
    return f"Training plan to {race_date:%Y-%m-%d}"


def render_ics(result: PlanResult, key: str | None = None, now: datetime | None = None) -> str:
    """The calendar text (CRLF line endings). `key` (the plan's id; default `plan_key`)
    makes the UIDs: the same key on a re-export updates the same events in a calendar app
    instead of adding copies."""
    key = plan_key(result) if key is None else key
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    events = (session_event(day, key, stamp) for day in result.days if is_session(day))
    return calendar(calendar_name(result.race_date), events)


@dataclass(frozen=True)
class PlanVersion:
    """One stored version of a plan: its days and when it was made."""

    days: Sequence[PlanDay]
    made_at: datetime


Slot = tuple[date, int]
Session = tuple[str, str, str, str, str, int, int]


def session_of(day: PlanDay | None) -> Session | None:
    """What a calendar event shows of a session; None for a rest day or no day at all.
    (Fitness figures move with every earlier change: they are not the session.)"""
    if day is None or not is_session(day):
        return None
    return (
        day.session_code,
        day.session_type,
        day.session_definition,
        day.sport,
        day.intensity,
        day.duration_min,
        day.load,
    )


def render_subscription(
    versions: Sequence[PlanVersion], key: str, race_date: date, now: datetime | None = None
) -> str:
    """The latest version (the last of `versions`, in version order) as a calendar that
    follows re-plans: each date and slot that ever held a session is one event (same UID in
    every version), its SEQUENCE the number of versions whose session there differs from
    the version before, LAST-MODIFIED when it last did. A session a later version made a
    rest day stays, as its last session, with STATUS:CANCELLED."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    by_version = [{(d.date, d.slot): d for d in v.days} for v in versions]
    slots: set[Slot] = {s for days in by_version for s, d in days.items() if is_session(d)}
    events = []
    for slot in sorted(slots):
        sessions = [session_of(days.get(slot)) for days in by_version]
        changed = [i for i in range(1, len(versions)) if sessions[i] != sessions[i - 1]]
        first = next(i for i, s in enumerate(sessions) if s is not None)
        modified = versions[changed[-1] if changed else first].made_at.astimezone(UTC)
        last = max(i for i, s in enumerate(sessions) if s is not None)
        day = by_version[last][slot]
        event = session_event(
            day,
            key,
            stamp,
            sequence=len(changed),
            last_modified=modified,
            cancelled=sessions[-1] is None,
        )
        events.append(event)
    return calendar(calendar_name(race_date), events, refresh=SUBSCRIPTION_REFRESH)
