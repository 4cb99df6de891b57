"""Fitness and fatigue from a record of activities, with the engine's response model.

One implementation of the Banister recursion (`response.simulate`) serves the plan, the
re-plan and a runner's current CTL/ATL computed from the activities they logged.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from shared.replanning import DoneActivity
from shared.response import Response, simulate


def daily_loads(activities: Iterable[DoneActivity], first: date, last: date) -> list[float]:
    """Total load per day from `first` to `last` inclusive (0 on days without activity)."""
    n = (last - first).days + 1
    loads = [0.0] * max(n, 0)
    for a in activities:
        i = (a.date - first).days
        if 0 <= i < n:
            loads[i] += a.load
    return loads


def fitness_after(loads: list[float], response: Response) -> tuple[float, float]:
    """CTL and ATL at the end of the last of `loads` (the start values if there is none)."""
    if not loads:
        return response.ctl0, response.atl0
    state = simulate(loads, response)[-1]
    return state.ctl, state.atl


# Beyond this, a start state weighs less than e^(-1096/120) < 1e-4 even with the slowest
# allowed CTL time constant (120 days); with the default 42 days, e^(-26) ~ 5e-12.
HISTORY_DAYS = 3 * 365 + 1


def fitness_on(
    activities: list[DoneActivity],
    morning_of: date,
    *,
    ctl0: float,
    atl0: float,
    ctl_tau: float = 42.0,
    atl_tau: float = 7.0,
) -> tuple[float, float]:
    """CTL and ATL the morning of `morning_of`: starting from (`ctl0`, `atl0`) the morning of
    the first activity, every day up to the day before counts (a day without one is 0).
    Only the last HISTORY_DAYS days are simulated: what came before has faded out."""
    horizon = morning_of - timedelta(days=HISTORY_DAYS)
    past = [a for a in activities if horizon <= a.date < morning_of]
    if not past:
        return ctl0, atl0
    first = min(a.date for a in past)
    loads = daily_loads(past, first, morning_of - timedelta(days=1))
    return fitness_after(loads, Response(ctl0=ctl0, atl0=atl0, ctl_tau=ctl_tau, atl_tau=atl_tau))


def start_state(
    first_day_load: float, ctl_end: float, atl_end: float, response: Response
) -> tuple[float, float]:
    """The CTL/ATL a plan started from, back from its first day's (end-of-day) values and
    load: the inverse of one step of `simulate`."""
    a, b = response.a, response.b
    return (ctl_end - first_day_load * (1 - a)) / a, (atl_end - first_day_load * (1 - b)) / b
