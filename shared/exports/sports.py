"""The sport of a plan's session as every view shows it: which sport it is filed under, in
what order a day's sports come, the word for it and its colour.

Shared by the table, the chart, the calendar and the device workouts. A plan is multi-sport
when its days carry per-sport fitness (`ctl_by_sport`); a running plan's views stay as
they were.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.planning import PlanDay

# A day's sessions in race order.
SPORT_ORDER = {"swim": 0, "bike": 1, "brick": 2, "run": 3, "triathlon": 4}
SPORT_LABEL = {
    "swim": "Swim",
    "bike": "Bike",
    "run": "Run",
    "brick": "Brick",
    "strength": "Strength",
}
# The sports whose fitness the chart draws, each in its colour (the same as the web page's,
# api/static/style.css); strength is trained for resilience, not charted as fitness.
CHARTED_SPORTS = ("swim", "bike", "run")
SPORT_COLORS = {"swim": "#1098ad", "bike": "#2f9e44", "run": "#9c36b5"}


def is_multisport(days: Iterable[PlanDay]) -> bool:
    return any(d.ctl_by_sport is not None for d in days)


def session_sport(day: PlanDay) -> str:
    """The sport the session is filed under: a strength session of a run catalogue is
    strength, not a run."""
    return "strength" if day.intensity == "strength" else day.sport


def sport_order(day: PlanDay) -> int:
    return SPORT_ORDER.get(session_sport(day), len(SPORT_ORDER))


def named_session(day: PlanDay) -> str:
    """The session's name led by its sport ("Swim: CSS intervals"), unless the name starts
    with the sport's word already ("Brick (bike, then run)", "Strength")."""
    label = SPORT_LABEL.get(session_sport(day))
    if label is None or day.session_type.lower().startswith(label.lower()):
        return day.session_type
    return f"{label}: {day.session_type}"
