"""A plan as a text table for people: one block per week, one line per date and slot."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shared.exports.summary import is_session, summary_line
from shared.planning import PlanDay, PlanResult

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _weeks(days: Iterable[PlanDay]) -> list[list[PlanDay]]:
    weeks: dict[int, list[PlanDay]] = {}
    for day in days:
        weeks.setdefault(day.week_number, []).append(day)
    return [weeks[k] for k in sorted(weeks)]


def _week_header(week: list[PlanDay]) -> str:
    phases: list[str] = []
    for day in week:
        if day.phase not in phases:
            phases.append(day.phase)
    minutes = sum(d.duration_min for d in week)
    load = sum(d.load for d in week)
    first, last = min(d.date for d in week), max(d.date for d in week)
    parts = [f"Week {week[0].week_number}", "/".join(phases)]
    if week[0].is_recovery_week:
        parts.append("RECOVERY")
    parts += [f"{first:%Y-%m-%d} to {last:%Y-%m-%d}", f"{minutes / 60:.1f} h", f"load {load}"]
    return " · ".join(parts)


def _day_line(day: PlanDay, first_of_date: bool) -> str:
    when = f"{WEEKDAYS[day.day_of_week]} {day.date:%Y-%m-%d}" if first_of_date else ""
    session = day.session_type if is_session(day) else "Rest"
    minutes = f"{day.duration_min:>4d} min" if day.duration_min else "       -"
    line = f"  {when:<14s}  {session[:30]:<30s} {day.intensity:<8s} {minutes}  load {day.load:>4d}"
    if not first_of_date:
        return line  # CTL/ATL/TSB are per date: shown once, on its first slot
    return f"{line}  CTL {day.ctl:6.1f}  ATL {day.atl:6.1f}  TSB {day.tsb:+6.1f}"


def render_table(result: PlanResult) -> str:
    lines = [f"Plan {result.start:%Y-%m-%d} to {result.race_date:%Y-%m-%d} ({result.model})"]
    if result.conflicts:
        lines.append("The request cannot be satisfied:")
        lines += [f"  - {c}" for c in result.conflicts]
    for week in _weeks(result.days):
        lines.append("")
        lines.append(_week_header(week))
        seen: set[date] = set()
        for day in sorted(week, key=lambda d: (d.date, d.slot)):
            lines.append(_day_line(day, day.date not in seen))
            seen.add(day.date)
    if result.days:
        sessions = sum(1 for d in result.days if is_session(d))
        hours = sum(d.duration_min for d in result.days) / 60
        race_days = [d for d in result.days if d.date == result.race_date]
        lines.append("")
        lines.append(f"{len(_weeks(result.days))} weeks · {sessions} sessions · {hours:.1f} h")
        if race_days:
            r = race_days[0]
            lines.append(f"Race day form: CTL {r.ctl:.1f}, TSB {r.tsb:+.1f}")
    lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
