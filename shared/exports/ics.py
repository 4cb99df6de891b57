"""A plan as an iCalendar file (RFC 5545, hand-written): one all-day VEVENT per session.

Used by the CLI (`trainplan plan --format ics`) and the API (`GET /training-plans/{id}.ics`).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from shared.exports.summary import is_session
from shared.planning import PlanDay, PlanResult


def _text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 section 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str, limit: int = 75) -> str:
    """Fold a content line at `limit` octets without splitting a UTF-8 character."""
    chunks: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size = " ", 1  # the continuation's leading space counts
        current += ch
        size += width
    chunks.append(current)
    return "\r\n".join(chunks)


def event_description(day: PlanDay) -> str:
    detail = (
        f"{day.phase} phase, week {day.week_number}"
        f"{' (recovery)' if day.is_recovery_week else ''}; "
        f"{day.intensity}, {day.duration_min} min, load {day.load}; "
        f"CTL {day.ctl:.1f} ATL {day.atl:.1f} TSB {day.tsb:+.1f}"
    )
    definition = day.session_definition.strip() or day.session_type
    return f"{definition}\n{detail}"


def plan_key(result: PlanResult) -> str:
    """Identifies the plan (not one solve of it) when it has no id, as a CLI plan file."""
    raw = f"{result.model}|{result.start.isoformat()}|{result.race_date.isoformat()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def render_ics(result: PlanResult, key: str | None = None, now: datetime | None = None) -> str:
    """The calendar text (CRLF line endings). `key` (the plan's id; default `plan_key`)
    makes the UIDs: the same key on a re-export updates the same events in a calendar app
    instead of adding copies."""
    key = plan_key(result) if key is None else key
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//trainplan//trainplan plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_text(f'Training plan to {result.race_date:%Y-%m-%d}')}",
    ]
    for day in result.days:
        if not is_session(day):
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:{day.date:%Y%m%d}-{day.slot}-{key}@trainplan",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day.date + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_text(f'{day.session_type} ({day.duration_min} min)')}",
            f"DESCRIPTION:{_text(event_description(day))}",
            f"CATEGORIES:{_text(day.intensity)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
