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

The weekdays above are roles: with pool days or a long-ride day given, `week_layout` moves
the roles to the weekdays that keep every swim on a pool day, the long ride on its day, the
hard days and the long sessions apart, and otherwise as few roles moved as it can; the
long distances (70.3, ironman) add their easy doubles bike first (their share of the week).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import permutations

from shared.planning import SessionTemplate, sport_time_shares
from shared.response import simulate
from worker.engine.calendar import Week
from worker.engine.model import PlanModel
from worker.engine.model.container import HARD_INTENSITIES
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
# Above the plan's least easy share while training weeks are written: the taper's quality
# and the race week's opener come after.
_EASY_MARGIN = 0.02
# Roles (default weekdays) of the week's layout and the rules between them.
_HARD_ROLES = (1, 3)  # the run and bike quality (the taper's two hard sessions too)
_SWIM_ROLES = (2, 5)  # a training week's swims
_TAPER_SWIM_ROLES = (1, 4)  # the taper week's
_LONG_RIDE, _LONG_RUN = 4, 6
_LONG_DISTANCES = ("70.3", "ironman")


def _apart(a: int, b: int) -> bool:
    """Two weekdays not next to each other, Sunday next to Monday (the weeks repeat)."""
    return (a - b) % 7 not in (1, 6, 0)


def week_layout(pm: PlanModel) -> tuple[int, ...]:
    """day[role]: the weekday of each role, the fewest roles moved (the long run kept on its
    preferred day first) among the layouts that break no rule, else the fewest broken."""
    athlete = pm.request.athlete
    pool = set(athlete.swim_days)
    best: tuple[int, tuple[int, ...]] | None = None
    for day in permutations(range(7)):
        broken = sum(day[r] not in pool for r in _SWIM_ROLES)
        broken += sum(day[r] not in pool for r in _TAPER_SWIM_ROLES)
        if athlete.long_ride_day is not None and day[_LONG_RIDE] != athlete.long_ride_day:
            broken += 1
        hard = [day[r] for r in _HARD_ROLES]
        broken += not _apart(*hard)
        broken += sum(not _apart(day[_LONG_RUN], h) for h in hard)
        broken += not _apart(day[_LONG_RUN], day[_LONG_RIDE])
        moved = sum(day[r] != r for r in range(7))
        moved += 7 * (day[_LONG_RUN] != athlete.long_run_day)
        score = 100 * broken + moved
        if best is None or score < best[0]:
            best = (score, day)
    assert best is not None
    return best[1]


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
        self.day = week_layout(pm)
        self.pool = set(pm.request.athlete.swim_days)
        self.long_run_cap = self._long_run_room()
        self.peak_minutes = 0  # the longest training week written
        bike_first = pm.schema.distance in _LONG_DISTANCES
        self.extras = sorted(
            _EXTRAS, key=lambda e: 0 if bike_first and pm.sessions[e[1]].sport == "bike" else 1
        )

    def _shares_kept(self, days: dict[int, DayChoice]) -> bool:
        """Each sport's share of the week's single-sport minutes within its bounds."""
        shares = sport_time_shares(self.pm.request.rules, self.pm.schema.distance)
        minutes = dict.fromkeys(shares, 0)
        for c in days.values():
            for code in (c.primary, *c.doubles):
                s = self.pm.sessions[code]
                if s.kind not in ("rest", "race", "strength") and s.sport in minutes:
                    minutes[s.sport] += s.duration_min
        week = sum(minutes.values())
        return all(
            not m or lo * week <= 100 * m <= hi * week
            for m, (lo, hi) in zip(minutes.values(), shares.values(), strict=True)
        )

    def _shares_no_worse(self, trial: dict[int, DayChoice], days: dict[int, DayChoice]) -> bool:
        """`trial` keeps the sport shares, or `days` had already lost them."""
        return self._shares_kept(trial) or not self._shares_kept(days)

    def _swims(self, code: str) -> bool:
        s = self.pm.sessions.get(code)
        return s is not None and s.sport == "swim"

    def _placed(self, days: dict[int, DayChoice]) -> dict[int, DayChoice]:
        """A week written by role, on the layout's weekdays (a swim double off a pool day
        dropped)."""
        return self._placed_doubles({self.day[role]: c for role, c in days.items()})

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
            run = _longest_at_most(
                self.pm, "run", min(60 + 15 * (step * 2 // 3), self.long_run_cap)
            )
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
        days = self._within(days, budget, phase)
        for role, code in self.extras:
            trial = dict(days)
            c = trial[role]
            if c.doubles or (self._swims(code) and self.day[role] not in self.pool):
                continue  # one second session a day at most, a swim on a pool day
            trial[role] = DayChoice(c.primary, (code,))
            load, minutes = self._load(trial)
            shares = self._shares_no_worse(trial, days)
            if load <= budget and minutes <= self.cap_min and shares:
                days = trial
        days = self._easier(days, phase)
        load, minutes = self._load(days)
        self.peak_minutes = max(self.peak_minutes, minutes)
        if not week.is_recovery:
            self.steps += 1
            self.last_load = load
            self.budget = load * _GROWTH
        self._write(week, self._placed(days))

    def _easy_share(self, days: dict[int, DayChoice]) -> float:
        """The easy share of training minutes (the intensity mix family's) over the plan
        written so far and `days`."""
        easy = every = 0
        for c in [*self.choices.values(), *days.values()]:
            for code in (c.primary, *c.doubles):
                s = self.pm.sessions.get(code)
                if s is not None and s.kind in ("run", "long"):
                    every += s.duration_min
                    easy += s.duration_min if s.intensity == "easy" else 0
        return easy / every if every else 1.0

    def _easier(self, days: dict[int, DayChoice], phase: str) -> dict[int, DayChoice]:
        """A short week's quality where the plan's easy share runs low: the run's quality
        easy in base and build (a build week's brick is its quality), the ride's in base."""
        need = self.pm.request.rules.min_easy_share + _EASY_MARGIN
        swaps = {"build": ((1, "EASY45"),)}
        for role, easy in swaps.get(phase, ()):
            if self._easy_share(days) >= need:
                break
            option = self.pm.sessions.get(easy)
            if option is None or phase not in option.phases:
                continue
            trial = {**days, role: DayChoice(easy, days[role].doubles)}
            fits = self._load(trial)[1] <= max(self.cap_min, self._load(days)[1])
            if fits and self._shares_no_worse(trial, days):
                days = trial
        return days

    def _long_run_room(self) -> int:
        """The longest long run a peak week holds within the weekly hours beside its other
        sessions at their shortest (its run quality, the brick, two swims, the long ride):
        the long run grows no longer than that, so the peak never has to cut it back."""
        sessions = self.pm.catalogue.runs

        def shortest(keep: Callable[[SessionTemplate], bool]) -> int:
            return min((s.duration_min for s in sessions if keep(s)), default=0)

        hard_run = shortest(
            lambda s: (
                s.sport == "run"
                and s.kind == "run"
                and s.intensity == "hard"
                and "peak" in s.phases
                and s.role is None
            )
        )
        brick = shortest(lambda s: s.sport == "brick")
        swim = shortest(lambda s: s.sport == "swim" and s.kind == "run")
        ride = shortest(lambda s: s.sport == "bike" and s.kind == "long")
        return self.cap_min - (hard_run + brick + 2 * swim + ride)

    def _within(
        self, days: dict[int, DayChoice], budget: float, phase: str
    ) -> dict[int, DayChoice]:
        """A week over its hours or its load budget made lighter one session at a time, in
        the order a coach cuts a short week: the long swim to a technique swim, the run's
        quality to its shortest, the long ride, and last the long run (a step back breaks
        its progression); the brick and the sessions' count are kept."""
        for role, shorter in self._cuts(days, phase):
            load, minutes = self._load(days)
            if load <= budget and minutes <= self.cap_min:
                break
            trial = {**days, role: DayChoice(shorter, days[role].doubles)}
            shares = self._shares_no_worse(trial, days)
            if self._load(trial)[1] < minutes and shares:
                days = trial
        return days

    def _cuts(self, days: dict[int, DayChoice], phase: str) -> list[tuple[int, str]]:
        """(role, a shorter session for it) in the order `_within` tries them: sessions the
        phase offers, the same kind, sport and intensity as the one they replace."""
        out: list[tuple[int, str]] = []
        for role in (5, 1, 4, 6):
            now = self.pm.sessions[days[role].primary]
            options = [
                s
                for s in self.pm.catalogue.runs
                if (s.sport, s.kind, s.intensity) == (now.sport, now.kind, now.intensity)
                and s.duration_min < now.duration_min
                and phase in s.phases
                and s.role in (None, now.role)
            ]
            out += [(role, s.code) for s in sorted(options, key=lambda s: -s.duration_min)]
        return out

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
        taper_week = self._swims_to_pool_days(self._placed(_TAPER_WEEK))
        for d in week.days:
            day = self.pm.days[d]
            if day.race is not None:
                continue
            before = race - d
            if 1 <= before <= len(_RACE_WEEK):
                self.choices[d] = _RACE_WEEK[before - 1]
            else:
                self.choices[d] = taper_week[day.day_of_week]
        self._race_week_swim_on_a_pool_day(week)
        if self.pm.schema.taper_days >= _LONG_TAPER_DAYS:
            self._fill_long_taper(week)
        self._trim_taper(week)

    def _minutes(self, days: Iterable[int]) -> int:
        return self._load({d: self.choices[d] for d in days if d in self.choices})[1]

    def _trim_taper(self, week: Week) -> None:
        """A taper week within the weekly hours, and the last 7 days before the race within
        `taper_time_ratio` of the longest training week (the 7 before them within
        `taper_early_time_ratio` in a taper of 14 days or more): easy doubles dropped,
        latest first, where a week is over."""
        rules, race = self.pm.request.rules, self.pm.calendar.race_index
        limits: list[tuple[list[int], float]] = [(list(week.days), self.cap_min)]
        if self.peak_minutes:
            limits.append((list(range(race - 7, race)), rules.taper_time_ratio * self.peak_minutes))
            if race - self.pm.calendar.taper_start >= 14:
                early = rules.taper_early_time_ratio * self.peak_minutes
                limits.append((list(range(race - 14, race - 7)), early))
        for span, limit in limits:
            for d in sorted((d for d in span if d in self.choices), reverse=True):
                if self._minutes(span) <= limit:
                    break
                c = self.choices[d]
                if c.doubles:
                    self.choices[d] = DayChoice(c.primary, (), c.strength)

    def _swims_to_pool_days(self, days: dict[int, DayChoice]) -> dict[int, DayChoice]:
        """A swim off a pool day trades days with a session on one, one of the same
        intensity first, never so that two hard days meet."""
        out = dict(days)

        def hard(c: DayChoice) -> bool:
            return self.pm.sessions[c.primary].intensity in HARD_INTENSITIES

        def apart(week: dict[int, DayChoice]) -> bool:
            return not any(hard(week[d]) and hard(week[(d + 1) % 7]) for d in week)

        for weekday in sorted(out):
            c = out[weekday]
            if weekday in self.pool or not self._swims(c.primary):
                continue
            pool = [o for o in sorted(out) if o in self.pool and not self._swims(out[o].primary)]
            for other in sorted(pool, key=lambda o: hard(out[o]) != hard(c)):
                trial = {**out, weekday: out[other], other: c}
                if apart(trial):
                    out = trial
                    break
        return self._placed_doubles(out)

    def _placed_doubles(self, days: dict[int, DayChoice]) -> dict[int, DayChoice]:
        """Swim doubles off a pool day dropped."""
        return {
            d: DayChoice(
                c.primary,
                c.doubles if d in self.pool else tuple(x for x in c.doubles if not self._swims(x)),
                c.strength,
            )
            for d, c in days.items()
        }

    def _race_week_swim_on_a_pool_day(self, week: Week) -> None:
        """The race week's swim off a pool day trades days with an easy ride or the rest
        day on one (the shake-out and the opener keep their days)."""
        race = self.pm.calendar.race_index
        days = [d for d in week.days if d in self.choices and 1 <= race - d <= len(_RACE_WEEK)]
        for d in days:
            if self.pm.days[d].day_of_week in self.pool or self.choices[d].primary != "SWIM_TECH30":
                continue
            for other in days:
                if self.pm.days[other].day_of_week in self.pool and self.choices[other].primary in (
                    "BIKE_REC40",
                    "REST",
                ):
                    self.choices[d], self.choices[other] = self.choices[other], self.choices[d]
                    break

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
                if self._swims(code) and self.pm.days[d].day_of_week not in self.pool:
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
