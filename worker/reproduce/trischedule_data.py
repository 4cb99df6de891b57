"""The triathlon seed's data: its catalogue, its season calendar and one instance.

Units are the seed's own (the CSV's fatigue and fitness gain); the constants it did not
publish are `TriParameters` (see `shared.reproduce`): fitness keeps `weekly_retention` of
itself per week (a daily factor of retention^(1/7)), fatigue is a linearly decaying sum over
`fatigue_window_days`, both capped per sport and in total.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from datetime import date
from importlib import resources

from shared.reproduce import SPORTS, TriParameters, TriPhase, TriRequest, TriWorkout

FAT_SCALE = 100  # fatigue weights in hundredths (the model's and the replay's)
PHASES: tuple[TriPhase, ...] = ("base", "build", "peak", "race")


def load_catalogue(text: str | None = None) -> list[TriWorkout]:
    """The seed's 45 workouts (`week_blocks` = phases in which a workout is NOT used)."""
    if text is None:
        text = (
            resources.files("worker.reproduce")
            .joinpath("data/triathlon_workouts.csv")
            .read_text(encoding="utf-8")
        )
    rows = csv.DictReader(text.splitlines(), skipinitialspace=True)
    catalogue = []
    for row in rows:
        blocks = [b.strip() for b in (row["week_blocks"] or "").split(";") if b.strip()]
        catalogue.append(
            TriWorkout(
                sport=row["sport"].strip(),
                name=row["name"].strip(),
                intensity=int(row["intensity"]),
                duration_min=int(row["duration"]),
                fatigue=float(row["fatigue_increase"]),
                fitness_gain=float(row["fitness_gain"]),
                excluded_phases=blocks,
            )
        )
    return catalogue


@dataclass(frozen=True)
class Week:
    """A week of the seed's linear periodisation, with its phase and minutes cap.

    Deliberately not the engine's `calendar.Week`: those are Monday-to-Sunday calendar
    weeks from the start's week up to the one holding the race day; the seed's are 7-day
    blocks counted back from the race, ending on race morning whatever its weekday (the
    race day is not planned), with its own phase split and block-wise recovery weeks.
    """

    number: int  # 1-based
    first_day: int  # 0-based day index
    days: int
    phase: TriPhase
    is_recovery: bool
    minutes_cap: int


def season_calendar(days: int, weekly_hours: float, params: TriParameters) -> list[Week]:
    """Linear periodisation, built backwards from the race: weeks end on race morning.

    The last week is the race week (taper), the two before it peak; of the rest, the first
    60% (rounded up) is base and the remainder build; a leading partial week (when the season
    is not a whole number of weeks) is base. In base and build every `recovery_every`-th week
    of the block is a recovery week with reduced hours.
    """
    count = math.ceil(days / 7)
    race, peak = 1, min(2, max(count - 1, 0))
    rest = count - race - peak
    base = math.ceil(rest * 0.6)
    counts: dict[TriPhase, int] = {"base": base, "build": rest - base, "peak": peak, "race": race}
    phases: list[TriPhase] = [ph for ph in PHASES for _ in range(counts[ph])]
    lead = days - 7 * (count - 1)  # length of the first (possibly partial) week
    weeks = []
    in_block = 0
    first = 0
    for w, phase in enumerate(phases):
        in_block = in_block + 1 if w and phases[w - 1] == phase else 1
        recovery = (
            phase in ("base", "build")
            and params.recovery_every > 0
            and in_block % params.recovery_every == 0
        )
        length = lead if w == 0 else 7
        ratio = params.recovery_hours_ratio if recovery else 1.0
        if phase == "race":
            ratio = params.race_week_hours_ratio
        cap = int(weekly_hours * 60 * ratio * length / 7)
        weeks.append(Week(w + 1, first, length, phase, recovery, cap))
        first += length
    return weeks


@dataclass(frozen=True)
class TriData:
    start: date
    days: int
    catalogue: list[TriWorkout]
    weeks: list[Week]
    params: TriParameters

    @classmethod
    def from_request(cls, req: TriRequest, catalogue: list[TriWorkout] | None = None) -> TriData:
        days = (req.race_date - req.start).days
        cat = catalogue if catalogue is not None else load_catalogue()
        weeks = season_calendar(days, req.weekly_hours, req.params)
        return cls(req.start, days, cat, weeks, req.params)

    @property
    def daily_retention(self) -> float:
        return self.params.weekly_retention ** (1 / 7)

    def week_of(self, day: int) -> Week:
        return next(w for w in self.weeks if w.first_day <= day < w.first_day + w.days)

    def allowed(self, day: int) -> list[int]:
        phase = self.week_of(day).phase
        return [j for j, w in enumerate(self.catalogue) if phase not in w.excluded_phases]

    def fatigue_weights(self) -> list[int]:
        p = self.params
        return [
            round(FAT_SCALE * max(0.0, 1 - p.fatigue_decay_per_day * k))
            for k in range(p.fatigue_window_days)
        ]


def fitness_after(
    data: TriData, plan: dict[int, list[int]], first: int, end: int, fitness: dict[str, float]
) -> dict[str, float]:
    """Fitness per sport on the morning of `end` from that on the morning of `first`, in
    floating point, from the plan's workouts alone."""
    rho = data.daily_retention
    fit = dict(fitness)
    for d in range(first, end):
        for s in SPORTS:
            fit[s] = fit[s] * rho + sum(
                data.catalogue[j].fitness_gain
                for j in plan.get(d, [])
                if data.catalogue[j].sport == s
            )
    return fit
