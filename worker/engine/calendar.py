"""The training calendar, built backwards from the goal race.

Weeks are calendar weeks (Monday to Sunday) numbered from 1 at the week of the
start date. The last `taper_days` before the goal race are taper; the weeks
before are split into base, build and peak; every `recovery_every`-th week
outside the taper is a recovery week (3:1 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shared.planning import Phase, PlanRequest, Race, TrainingSchema


@dataclass(frozen=True)
class Day:
    index: int
    date: date
    week_number: int
    day_of_week: int
    phase: Phase
    is_recovery_week: bool
    available_min: int | None  # None = no limit; 0 = unavailable
    race: Race | None

    def fits(self, minutes: int) -> bool:
        """Whether `minutes` of training fit this day's availability."""
        return self.available_min is None or minutes <= self.available_min


@dataclass(frozen=True)
class Week:
    number: int
    days: tuple[int, ...]  # day indices
    is_recovery: bool
    has_taper: bool
    has_goal_race: bool

    @property
    def full(self) -> bool:
        return len(self.days) == 7


@dataclass(frozen=True)
class Calendar:
    start: date
    race_date: date
    days: tuple[Day, ...]
    weeks: tuple[Week, ...]
    taper_start: int  # index of the first taper day (== race index when no taper)

    @property
    def race_index(self) -> int:
        return len(self.days) - 1


def monday_of(d: date) -> date:
    return d - timedelta(days=d.weekday())


def default_start(race_date: date, plan_weeks: int) -> date:
    """Monday-aligned start so the plan has `plan_weeks` calendar weeks incl. race week."""
    return monday_of(race_date) - timedelta(weeks=plan_weeks - 1)


def plan_start(request: PlanRequest, schema: TrainingSchema) -> date:
    """The given start, else Monday-aligned backwards, but not before `earliest_start`
    (a race closer than the template's length gets a shorter plan from that day)."""
    if request.start is not None:
        return request.start
    start = default_start(request.goal.date, schema.plan_weeks)
    if request.earliest_start is not None and start < request.earliest_start:
        return request.earliest_start
    return start


def _training_phases(n_weeks: int) -> list[Phase]:
    """Split the weeks before the taper: ~45% base, ~35% build, the rest peak."""
    if n_weeks <= 0:
        return []
    base = round(n_weeks * 0.45)
    build = round(n_weeks * 0.35)
    peak = max(n_weeks - base - build, 0)
    if n_weeks >= 3 and peak == 0:
        peak, base = 1, base - 1
    order: tuple[tuple[Phase, int], ...] = (("base", base), ("build", build), ("peak", peak))
    return [phase for phase, count in order for _ in range(count)]


def build_calendar(request: PlanRequest, schema: TrainingSchema) -> Calendar:
    goal = request.goal
    start = plan_start(request, schema)
    n_days = (goal.date - start).days + 1
    taper_days = min(schema.taper_days, n_days - 1)
    taper_start = n_days - 1 - taper_days
    races = {r.date: r for r in request.races}
    unavailable = set(request.athlete.unavailable_dates)

    first_monday = monday_of(start)
    week_of = [((start + timedelta(days=i)) - first_monday).days // 7 + 1 for i in range(n_days)]
    n_weeks = week_of[-1]
    # A week is a training (non-taper) week when all its days are before the taper.
    taper_weeks = set(week_of[taper_start:])
    training_weeks = [w for w in range(1, n_weeks + 1) if w not in taper_weeks]
    phase_of_week = dict(zip(training_weeks, _training_phases(len(training_weeks)), strict=True))

    every = request.rules.recovery_every
    recovery_weeks = {
        w
        for w in training_weeks
        if every > 0 and w % every == 0 and week_of.count(w) == 7 and w != training_weeks[0]
    }

    days: list[Day] = []
    for i in range(n_days):
        d = start + timedelta(days=i)
        w = week_of[i]
        if i == n_days - 1:
            phase: Phase = "race"
        elif i >= taper_start:
            phase = "taper"
        else:
            # Days of a partly-taper week before the taper take the last training phase.
            phase = phase_of_week.get(
                w, phase_of_week[training_weeks[-1]] if training_weeks else "base"
            )
        avail = request.athlete.availability_min[d.weekday()]
        if d in unavailable:
            avail = 0
        days.append(
            Day(
                index=i,
                date=d,
                week_number=w,
                day_of_week=d.weekday(),
                phase=phase,
                is_recovery_week=w in recovery_weeks,
                available_min=avail,
                race=races.get(d),
            )
        )

    weeks = tuple(
        Week(
            number=w,
            days=tuple(i for i in range(n_days) if week_of[i] == w),
            is_recovery=w in recovery_weeks,
            has_taper=w not in phase_of_week,
            has_goal_race=w == n_weeks,
        )
        for w in range(1, n_weeks + 1)
    )
    return Calendar(
        start=start, race_date=goal.date, days=tuple(days), weeks=weeks, taper_start=taper_start
    )
