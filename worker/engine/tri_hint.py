"""A triathlete's week as a solution hint: the multi-sport counterpart of hint.py.

Without a hint CP-SAT does not find a first triathlon plan within seconds (the load
families over a catalogue of three sports). This writes the plan week by week as a coach
would: rest Monday; a run on Tuesday and a ride on Thursday (the phase's quality, a brick
every build/peak week but the recovery weeks); a technique swim on Wednesday; the long ride on Friday,
an endurance swim on Saturday, the long run on Sunday (never the day after the long ride).
Easy doubles of another sport are added while the week stays within its load budget
(the first week's cap, 10% growth, a lighter recovery week) and the weekly hours; the
taper keeps every sport with short sessions, the race week opens up and ends with a
shake-out. It is a hint: where it misses a rule, CP-SAT repairs it.
"""

from __future__ import annotations

from shared.planning import SessionTemplate
from shared.response import simulate
from worker.engine.calendar import Week
from worker.engine.model import PlanModel
from worker.engine.model.families.quality import week_phase
from worker.engine.model.warm_start import DayChoice

# Quality by phase: (Tuesday's run, Thursday's ride).
_QUALITY: dict[str, tuple[str, str]] = {
    "base": ("EASY45", "BIKE_HILLS60"),
    "build": ("TEMPO50", "BIKE_THR60"),
    "peak": ("CRUISE60", "BIKE_VO2_60"),
}
# Easy doubles in the order they are added: (weekday, code).
_EXTRAS: tuple[tuple[int, str], ...] = (
    (2, "EASY35"),
    (5, "BIKE_END60"),
    (1, "SWIM_TECH30"),
    (3, "SWIM_TECH30"),
    (4, "SWIM_TECH30"),
    (6, "BIKE_REC40"),
    (5, "REC30"),
    (2, "BIKE_REC40"),
)
_TAPER_WEEK: dict[int, DayChoice] = {
    0: DayChoice("REST"),
    1: DayChoice("SWIM_CSS45"),
    2: DayChoice("BIKE_END60", ("EASY35",)),
    3: DayChoice("BIKE_THR60"),
    4: DayChoice("SWIM_END45"),
    5: DayChoice("BIKE_END60"),
    6: DayChoice("EASY45", ("SWIM_TECH30",)),
}
# The six days before the race, last day first.
_RACE_WEEK: tuple[DayChoice, ...] = (
    DayChoice("SHAKEOUT20"),
    DayChoice("REST"),
    DayChoice("BIKE_REC40"),
    DayChoice("SWIM_TECH30"),
    DayChoice("OPENER25"),
    DayChoice("BIKE_REC40"),
)
_GROWTH = 1.10
_FORM_MARGIN = 22  # weekly load per day above CTL that keeps form above the floor
# A long taper keeps this share of the last training week's load (the race week less).
_LONG_TAPER_DAYS = 21
_TAPER_SHARE = 0.65
_RACE_WEEK_SHARE = 0.45
_TAPER_EXTRAS = ("EASY35", "SWIM_TECH30", "BIKE_END60", "SWIM_END45")
_RECOVERY = 0.68


def _longest_at_most(pm: PlanModel, sport: str, minutes: int) -> SessionTemplate | None:
    longs = sorted(
        (s for s in pm.catalogue.runs if s.kind == "long" and s.sport == sport),
        key=lambda s: s.duration_min,
    )
    fitting = [s for s in longs if s.duration_min <= minutes]
    return fitting[-1] if fitting else (longs[0] if longs else None)


class _Writer:
    def __init__(self, pm: PlanModel) -> None:
        self.pm = pm
        self.choices: dict[int, DayChoice] = {}
        self.cap_min = round(pm.request.athlete.weekly_hours * 60)
        self.budget = pm.request.rules.first_week_load_ratio * 7 * pm.request.athlete.ctl
        self.last_load = self.budget
        self.steps = 0  # training weeks written (the long sessions' progression)

    def _load(self, days: dict[int, DayChoice]) -> tuple[int, int]:
        load = minutes = 0
        for c in days.values():
            for code in (c.primary, *c.doubles):
                s = self.pm.sessions.get(code)
                if s is not None and s.kind != "race":
                    load += s.load
                    minutes += s.duration_min
        return load, minutes

    def training_week(self, week: Week, phase: str) -> None:
        run_q, bike_q = _QUALITY.get(phase, ("EASY45", "BIKE_END60"))
        if week.is_recovery:
            run_q, bike_q = "SHAKEOUT20", "BIKE_REC40"
        elif phase in ("build", "peak"):
            bike_q = "BRICK75"  # every build/peak week but a recovery week: none goes 2 without
        long_swim = "SWIM_TECH30" if week.is_recovery else "SWIM_END45"
        # Over budget or hours, the long ride gives way first: the long run keeps growing
        # (its progression never steps back outside a recovery week).
        for attempt in range(6):
            step = 0 if week.is_recovery else self.steps
            ride_step = 0 if week.is_recovery else max(step - 2 * attempt, 0)
            ride = _longest_at_most(self.pm, "bike", 90 + 30 * (ride_step // 2))
            run = _longest_at_most(self.pm, "run", 60 + 15 * (step * 2 // 3))
            days = {
                0: DayChoice("REST"),
                1: DayChoice(run_q),
                2: DayChoice("SWIM_TECH30"),
                3: DayChoice(bike_q),
                4: DayChoice(ride.code if ride else "BIKE_END90"),
                5: DayChoice(long_swim),
                6: DayChoice(run.code if run else "EASY60"),
            }
            budget = _RECOVERY * self.last_load if week.is_recovery else self.budget
            budget = min(budget, 7 * (self._fitness(week) + _FORM_MARGIN))
            load, minutes = self._load(days)
            if load <= budget and minutes <= self.cap_min:
                break
        for weekday, code in _EXTRAS:
            trial = dict(days)
            c = trial[weekday]
            if c.doubles:
                continue  # one second session a day at most
            trial[weekday] = DayChoice(c.primary, (code,))
            load, minutes = self._load(trial)
            if load <= budget and minutes <= self.cap_min:
                days = trial
        load, _ = self._load(days)
        if not week.is_recovery:
            self.steps += 1
            self.last_load = load
            self.budget = load * _GROWTH
        self._write(week, days)

    def _fitness(self, week: Week) -> float:
        """CTL at the start of `week` over the days written so far (a week of more than
        7 x (CTL + margin) sinks form below the daily floor)."""
        first = week.days[0]
        loads = [
            sum(self.pm.sessions[c].load for c in (ch.primary, *ch.doubles))
            if (ch := self.choices.get(d)) is not None
            else 0
            for d in range(first)
        ]
        states = simulate(loads, self.pm.response)
        return states[-1].ctl if states else self.pm.request.athlete.ctl

    def _write(self, week: Week, days: dict[int, DayChoice]) -> None:
        for d in week.days:
            day = self.pm.days[d]
            if day.race is None:
                self.choices[d] = days[day.day_of_week]

    def taper(self, week: Week) -> None:
        race = self.pm.calendar.race_index
        for d in week.days:
            day = self.pm.days[d]
            if day.race is not None:
                continue
            before = race - d
            if 1 <= before <= len(_RACE_WEEK):
                self.choices[d] = _RACE_WEEK[before - 1]
            else:
                self.choices[d] = _TAPER_WEEK[day.day_of_week]
        if self.pm.schema.taper_days >= _LONG_TAPER_DAYS:
            self._fill_long_taper(week)

    def _fill_long_taper(self, week: Week) -> None:
        """A long taper (an ironman's three weeks) from a big training load: easy doubles
        added while the week stays under its share of the last training week, so form does
        not overshoot the race-day window."""
        race_week = any(self.pm.days[d].race is not None for d in week.days)
        budget = (_RACE_WEEK_SHARE if race_week else _TAPER_SHARE) * self.last_load
        days = [d for d in week.days if d in self.choices]
        for code in _TAPER_EXTRAS:
            for d in days:
                c = self.choices[d]
                if c.doubles or c.primary == "REST" or self.pm.sessions.get(code) is None:
                    continue
                if self.pm.sessions[c.primary].sport == self.pm.sessions[code].sport:
                    continue
                trial = {**{k: self.choices[k] for k in days}, d: DayChoice(c.primary, (code,))}
                if self._load(dict(enumerate(trial.values())))[0] <= budget:
                    self.choices[d] = trial[d]


def tri_plan(pm: PlanModel) -> dict[int, DayChoice]:
    """The hinted triathlon plan: a choice per day (race days left to their constant)."""
    writer = _Writer(pm)
    for week in pm.calendar.weeks:
        phase = week_phase(pm, week)
        if phase == "taper" or week.has_taper:
            writer.taper(week)
        else:
            writer.training_week(week, phase)
    return writer.choices
