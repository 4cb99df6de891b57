"""A plan as a text table for people: one block per week, one line per date and slot."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from shared.exports.sports import (
    SPORT_LABEL,
    SPORT_ORDER,
    is_multisport,
    session_sport,
    sport_order,
)
from shared.exports.summary import is_session, summary_line
from shared.planning import PlanDay, PlanResult
from shared.zones import BoundRange, PaceRange, Zones, format_duration

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
    if is_multisport(week):
        by_sport: dict[str, int] = {}
        for d in week:
            if is_session(d) and d.intensity != "race":
                by_sport[session_sport(d)] = by_sport.get(session_sport(d), 0) + d.duration_min
        order = sorted(by_sport, key=lambda sp: SPORT_ORDER.get(sp, 9))
        parts.append(", ".join(f"{sp} {by_sport[sp] / 60:.1f} h" for sp in order))
    return " · ".join(parts)


def _day_line(day: PlanDay, first_of_date: bool, multisport: bool = False) -> str:
    when = f"{WEEKDAYS[day.day_of_week]} {day.date:%Y-%m-%d}" if first_of_date else ""
    session = day.session_type if is_session(day) else "Rest"
    if multisport and is_session(day) and day.sport in SPORT_LABEL:
        session = f"{SPORT_LABEL[day.sport]}: {session}"
    minutes = f"{day.duration_min:>4d} min" if day.duration_min else "       -"
    line = f"  {when:<14s}  {session[:30]:<30s} {day.intensity:<8s} {minutes}  load {day.load:>4d}"
    if first_of_date:  # CTL/ATL/TSB are per date: shown once, on its first slot
        line = f"{line}  CTL {day.ctl:6.1f}  ATL {day.atl:6.1f}  TSB {day.tsb:+6.1f}"
    elif day.steps:
        line = f"{line}{'':36s}"
    # A session of steps: what to run, in the athlete's numbers (one line per entry still).
    return f"{line}  | {day.session_definition}" if day.steps else line


def _zone(key: str) -> str:
    return key[:1].upper() + key[1:]  # z5a -> Z5a


def _paces(ranges: dict[str, PaceRange], zone_names: bool = False) -> str:
    return " · ".join(
        f"{_zone(key) if zone_names else key} {format_duration(fast)}-{format_duration(slow)}"
        for key, (fast, slow) in ranges.items()
    )


def _bounds(ranges: dict[str, BoundRange], unit: str) -> str:
    def one(lo: int | None, hi: int | None) -> str:
        if lo is None:
            return f"≤{hi}"
        return f"{lo}+" if hi is None else f"{lo}-{hi}"

    return " · ".join(f"{_zone(key)} {one(lo, hi)}" for key, (lo, hi) in ranges.items()) + unit


def zones_lines(zones: Zones) -> list[str]:
    """The athlete's zones, one line per kind known."""
    lines = ["Zones" + (f" (VDOT {zones.vdot:.1f})" if zones.vdot is not None else "")]
    rows: list[tuple[str, str]] = []
    if zones.paces:
        rows.append(("Pace per km", _paces(zones.paces)))
    if zones.hr:
        basis = "LTHR" if zones.hr_basis == "lthr" else "max HR"
        rows.append((f"Heart rate ({basis})", _bounds(zones.hr, " bpm")))
    if zones.power:
        rows.append(("Power (FTP)", _bounds(zones.power, " W")))
    if zones.swim:
        rows.append(("Swim per 100 m", _paces(zones.swim, zone_names=True)))
    return lines + [f"  {label + ':':<22s}{text}" for label, text in rows]


def _order(day: PlanDay, multisport: bool) -> int:
    return sport_order(day) if multisport else 0


def render_table(result: PlanResult, zones: Zones | None = None, hint: str | None = None) -> str:
    """`zones`: shown before the summary when any is known; else `hint` (what to add)."""
    lines = [f"Plan {result.start:%Y-%m-%d} to {result.race_date:%Y-%m-%d} ({result.model})"]
    if result.conflicts:
        lines.append("The request cannot be satisfied:")
        lines += [f"  - {c}" for c in result.conflicts]
    for week in _weeks(result.days):
        lines.append("")
        lines.append(_week_header(week))
        seen: set[date] = set()
        # A multi-sport day's sessions grouped by sport, in race order; else by slot.
        multisport = is_multisport(week)
        for day in sorted(week, key=lambda d: (d.date, _order(d, multisport), d.slot)):
            lines.append(_day_line(day, day.date not in seen, multisport))
            seen.add(day.date)
    if result.days:
        sessions = sum(1 for d in result.days if is_session(d))
        hours = sum(d.duration_min for d in result.days) / 60
        race_days = [d for d in result.days if d.date == result.race_date]
        lines.append("")
        lines.append(f"{len(_weeks(result.days))} weeks · {sessions} sessions · {hours:.1f} h")
        if race_days:
            r = race_days[0]
            form = f"Race day form: CTL {r.ctl:.1f}, TSB {r.tsb:+.1f}"
            if r.ctl_by_sport:
                form += (
                    " (CTL "
                    + ", ".join(
                        f"{sp} {v:.1f}"
                        for sp, v in sorted(
                            r.ctl_by_sport.items(), key=lambda x: SPORT_ORDER.get(x[0], 9)
                        )
                    )
                    + ")"
                )
            lines.append(form)
    if zones is not None and zones.known:
        lines += ["", *zones_lines(zones)]
    if hint and (zones is None or zones.paces is None):
        lines += ["", hint]
    lines.append("")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"
