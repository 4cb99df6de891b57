"""The triathlon rows of the engine benchmark (issue 16): each distance at its plan length,
each at 6, 10 and 15 weekly hours. Shared by bench/bench_triathlon.py and the test that runs
the rule checkers on the same requests (tests/engine/test_triathlon_bench_profiles.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.planning import Athlete, PlanRequest, Race, TriDistance

RACE_DATE = date(2027, 10, 31)  # a Sunday: every plan is whole Monday-to-Sunday weeks
WEEKS: dict[TriDistance, int] = {"sprint": 10, "olympic": 16, "70.3": 20, "ironman": 30}
HOURS = (6.0, 10.0, 15.0)


@dataclass(frozen=True)
class Profile:
    distance: TriDistance
    weeks: int
    weekly_hours: float

    @property
    def name(self) -> str:
        return f"{self.distance} {self.weeks} w, {self.weekly_hours:g} h"

    @property
    def id(self) -> str:
        """A test id: `olympic-16w-10h`."""
        return f"{self.distance}-{self.weeks}w-{self.weekly_hours:g}h"

    def request(self, time_limit_s: float) -> PlanRequest:
        return PlanRequest(
            races=[Race(date=RACE_DATE, distance=self.distance)],
            start=RACE_DATE - timedelta(days=7 * self.weeks - 1),
            athlete=Athlete(weekly_hours=self.weekly_hours),
            time_limit_s=time_limit_s,
        )


PROFILES = tuple(Profile(d, w, h) for d, w in WEEKS.items() for h in HOURS)

# Set by bench/bench_triathlon.py --check: a JSON file of the bench's outcomes by profile id,
# which tests/engine/test_triathlon_bench_profiles.py then checks instead of solving anew.
PLANS_ENV = "TRAINPLAN_TRI_BENCH_PLANS"
