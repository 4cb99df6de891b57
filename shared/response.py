"""The `banister` fitness/fatigue response model.

CTL_d = CTL_{d-1}·a + load_d·(1-a) with a = e^(-1/tau_ctl), ATL likewise with
tau_atl, and form TSB_d = CTL_{d-1} - ATL_{d-1} (the morning of day d). Both are
linear in the daily loads, so a load on day t adds (1-a)·a^(d-t) to CTL at the
end of day d: the CP-SAT model uses these closed-form coefficients instead of
chaining state variables.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Response:
    ctl0: float
    atl0: float
    ctl_tau: float = 42.0
    atl_tau: float = 7.0

    @property
    def a(self) -> float:
        return math.exp(-1.0 / self.ctl_tau)

    @property
    def b(self) -> float:
        return math.exp(-1.0 / self.atl_tau)

    def ctl_at_end(self, day: int) -> tuple[float, list[float]]:
        """CTL at the end of `day` as (constant, coefficient of load_t for t = 0..day)."""
        return _affine(self.ctl0, self.a, day)

    def atl_at_end(self, day: int) -> tuple[float, list[float]]:
        return _affine(self.atl0, self.b, day)

    def tsb_morning(self, day: int) -> tuple[float, list[float]]:
        """TSB on the morning of `day` (CTL - ATL at the end of day-1), affine in loads."""
        if day == 0:
            return self.ctl0 - self.atl0, []
        c0, cc = self.ctl_at_end(day - 1)
        a0, ac = self.atl_at_end(day - 1)
        return c0 - a0, [x - y for x, y in zip(cc, ac, strict=True)]


def _affine(x0: float, decay: float, day: int) -> tuple[float, list[float]]:
    return x0 * decay ** (day + 1), [(1 - decay) * decay ** (day - t) for t in range(day + 1)]


@dataclass(frozen=True)
class DayState:
    ctl: float  # end of day
    atl: float  # end of day
    tsb: float  # morning of day


def simulate(loads: Sequence[float], response: Response) -> list[DayState]:
    """Day-by-day CTL/ATL/TSB for a sequence of daily loads."""
    a, b = response.a, response.b
    ctl, atl = response.ctl0, response.atl0
    out = []
    for load in loads:
        tsb = ctl - atl
        ctl = ctl * a + load * (1 - a)
        atl = atl * b + load * (1 - b)
        out.append(DayState(ctl=ctl, atl=atl, tsb=tsb))
    return out


def fitness_from_loads(
    loads: Sequence[float], ctl_tau: float, atl_tau: float
) -> tuple[float, float]:
    """CTL and ATL after the given daily loads, starting from zero (a profile's history)."""
    states = simulate(loads, Response(0.0, 0.0, ctl_tau, atl_tau))
    if not states:
        return 0.0, 0.0
    return round(states[-1].ctl, 2), round(states[-1].atl, 2)
