"""A quick heuristic plan, given to CP-SAT as a solution hint.

The LP-heavy workers that prove optimality are slow to find a first plan on their own; a
feasible hint gives them one at once. The heuristic writes the plan week by week as a coach
would: the long run of the week's place in the progression, the phase's quality days
spread away from it and from each other, rest days, easy runs filling the hours; each week
is tried at full volume, then at less, until it holds the rules that depend on the weeks
before (load growth, acute:chronic, CTL ramp, form floor, taper time). The race week is
short runs, a quality touch and a shake-out; the final days are then tuned into the
race-day form window. It is a hint, not a constraint: where it misses a rule, CP-SAT
repairs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from shared.planning import SessionTemplate
from shared.response import simulate
from worker.engine.calendar import Week
from worker.engine.model import PlanModel
from worker.engine.model.container import HARD_INTENSITIES, strength_may_join
from worker.engine.model.families.load import first_week_load_cap, smallest_week_load
from worker.engine.model.families.long_runs import (
    MARATHON_LONG_SHARE,
    long_run_start,
    peak_window,
    weeks_before_race,
)
from worker.engine.model.families.quality import week_phase, weekly_minimum
from worker.engine.model.families.taper import SHORT_RUN_MAX_MIN, open_day, race_week_floor
from worker.engine.model.families.week import LONG_RUN_SPACING
from worker.engine.model.warm_start import DayChoice, warm_start
from worker.engine.tri_hint import tri_plan

_LIGHTEST = 0.18  # the least share of its budget a week is tried at
_BISECTIONS = 6


@dataclass
class Draft:
    """The plan as written so far: a choice per day (rest until written)."""

    pm: PlanModel
    choices: list[DayChoice]
    last_used: dict[str, int] = field(default_factory=dict)  # quality code -> day
    last_strength: int = -99

    def session(self, d: int) -> SessionTemplate:
        return self.pm.sessions[self.choices[d].primary]

    def minutes(self, d: int) -> int:
        s = self.session(d)
        own = 0 if s.kind == "race" else s.duration_min
        st = self.pm.catalogue.strength
        return own + (st.duration_min if self.choices[d].strength and st else 0)

    def load(self, d: int) -> int:
        st = self.pm.catalogue.strength
        return self.session(d).load + (st.load if self.choices[d].strength and st else 0)

    def hard(self, d: int) -> bool:
        return 0 <= d < len(self.choices) and self.session(d).intensity in HARD_INTENSITIES

    def long(self, d: int) -> bool:
        return 0 <= d < len(self.choices) and self.session(d).kind == "long"

    def runs(self, d: int) -> bool:
        return self.session(d).kind in ("run", "long", "race")


def _offered(pm: PlanModel, d: int) -> list[SessionTemplate]:
    return [pm.sessions[c] for c in pm.primary[d]]


@dataclass
class LongRuns:
    """Each week's long-run target from the long runs written so far: one step above the
    longest yet, a step back in recovery weeks, about two thirds of the week before after
    the peak, none in the race week or a B race's week."""

    pm: PlanModel
    longest: int  # the longest so far (the runner's start before any)
    peak: int = 0
    shortest: int = 0
    top: int = 0
    peak_number: int | None = None

    @classmethod
    def of(cls, pm: PlanModel) -> LongRuns:
        rules, athlete = pm.request.rules, pm.request.athlete
        longs = sorted({s.duration_min for s in pm.catalogue.runs if s.kind == "long"})
        share = MARATHON_LONG_SHARE * athlete.weekly_hours * 60
        window = peak_window(pm.calendar, rules)
        return cls(
            pm,
            longest=long_run_start(athlete, rules, pm.schema),
            shortest=longs[0] if longs else 0,
            top=max([m for m in longs if m <= share] or longs[:1] or [0]),
            peak_number=max((w.number for w in window if not w.is_recovery), default=None),
        )

    def target(self, week: Week) -> int:
        pm, step = self.pm, self.pm.request.rules.long_run_step_min
        b_race = any((r := pm.days[d].race) is not None and r.priority == "B" for d in week.days)
        if week.has_goal_race or b_race or not self.top:
            return 0
        if week.is_recovery:
            target = max(self.longest - step, self.shortest)
        else:
            target = self.longest + step
        target = min(target, self.top)
        after = week.number - self.peak_number if self.peak_number is not None else 0
        if after > 0:
            target = min(target, max(self.shortest, round(self.peak * 0.65**after)))
        if week.has_taper and weeks_before_race(pm.calendar, week) <= 1:
            target = min(target, max(self.shortest, self.top // 2))
        return target

    def written(self, week: Week, minutes: int) -> None:
        self.longest = max(self.longest, minutes)
        if self.peak_number is None or week.number <= self.peak_number:
            self.peak = max(self.peak, minutes)


@dataclass(frozen=True)
class WeekPlan:
    budget: float  # minutes
    long_target: int
    quality: int  # quality days wanted
    need: int  # of them the week's minimum
    specific: int  # of them goal-pace sessions


class Heuristic:
    def __init__(self, pm: PlanModel) -> None:
        self.pm = pm
        self.rules = pm.request.rules
        self.athlete = pm.request.athlete
        self.cal = pm.calendar
        self.race = self.cal.race_index
        self.resp = pm.response
        self.rest = pm.catalogue.rest.code
        self.long_runs = LongRuns.of(pm)
        self.before = max(self.athlete.ctl, smallest_week_load(pm) / 7)
        self.no_hard, self.no_long = self._b_race_days()
        self.race_week = set(range(max(0, self.race - 6), self.race))
        self.easy_minutes = 0
        self.run_minutes = 0

    def _b_race_days(self) -> tuple[set[int], set[int]]:
        no_hard: set[int] = set()
        no_long: set[int] = set()
        n = len(self.pm.days)
        for day in self.pm.days:
            if day.race is None or day.race.priority != "B":
                continue
            d = day.index
            no_hard |= set(range(max(0, d - 2), d)) | set(range(d + 1, min(n - 1, d + 3)))
            monday = d - day.day_of_week
            no_long |= set(range(max(0, min(monday, d - 3)), d)) | set(range(d + 1, d + 3))
        return no_hard, no_long

    # -- the plan --------------------------------------------------------------------
    def plan(self) -> list[DayChoice]:
        pm = self.pm
        draft = Draft(pm, [DayChoice(self.rest) for _ in pm.days])
        for day in pm.days:
            if day.race is not None:
                draft.choices[day.index] = DayChoice(next(iter(pm.primary[day.index])))
        cap = self.athlete.weekly_hours * 60
        for week in self.cal.weeks:
            spec = self._week_spec(week, cap)
            draft = self._fullest_week(draft, week, spec)
            longs = [draft.session(d).duration_min for d in week.days if draft.long(d)]
            self.long_runs.written(week, max(longs, default=0))
            self._count_easy(draft, week)
        self._fit_easy_share(draft)
        self._fit_race_form(draft)
        return draft.choices

    def _fullest_week(self, draft: Draft, week: Week, spec: WeekPlan) -> Draft:
        """The week at the largest share of its budget that holds the rules over the weeks
        so far (a bisection: the rules hold at less time more easily); the lightest tried
        when none does."""

        def attempt(scale: float) -> tuple[Draft, bool]:
            trial = Draft(self.pm, list(draft.choices), dict(draft.last_used), draft.last_strength)
            self._write_week(trial, week, self._scaled(spec, week, scale))
            return trial, self._week_holds(trial, week)

        best, holds = attempt(1.0)
        if holds:
            return best
        lightest, holds = attempt(_LIGHTEST)
        if not holds:
            return lightest
        best, lo, hi = lightest, _LIGHTEST, 1.0
        for _ in range(_BISECTIONS):
            mid = (lo + hi) / 2
            trial, holds = attempt(mid)
            if holds:
                best, lo = trial, mid
            else:
                hi = mid
        self._top_up(best, week)
        return best

    def _top_up(self, draft: Draft, week: Week) -> None:
        """Easy runs one step longer, one at a time, while the week still holds: sessions
        come in steps, so a bisection on time leaves load the rules would allow."""
        for _ in range(len(week.days)):
            grown = False
            for d in week.days:
                s = draft.session(d)
                if s.kind != "run" or s.intensity != "easy" or s.role or d in self.race_week:
                    continue
                longer = sorted(
                    (o for o in self._options(d, "run", False) if not o.role and o.load > s.load),
                    key=lambda o: o.load,
                )
                if not longer:
                    continue
                old = draft.choices[d]
                draft.choices[d] = replace(old, primary=longer[0].code)
                if self._week_holds(draft, week):
                    grown = True
                else:
                    draft.choices[d] = old
            if not grown:
                return

    def _scaled(self, spec: WeekPlan, week: Week, scale: float) -> WeekPlan:
        """A lighter version of the week: less time, then only its minimum of quality, then
        a shorter long run (a taper week cuts its long run at once)."""
        quality = spec.quality if scale >= 0.85 else spec.need
        long_target = spec.long_target
        if week.has_taper or scale < 0.6:
            long_target = max(self.long_runs.shortest, round(long_target * min(1.0, scale / 0.6)))
            long_target = round(spec.long_target * scale) if week.has_taper else long_target
        return replace(spec, budget=spec.budget * scale, quality=quality, long_target=long_target)

    def _week_spec(self, week: Week, cap: float) -> WeekPlan:
        phase = week_phase(self.pm, week)
        lo, hi = self.rules.quality_per_week.of(phase)
        need = weekly_minimum(self.pm, week, lo)
        quality = need
        # One more quality day than the minimum when the plan's easy share stays clear of
        # its floor with it (a quality day is about an hour).
        hard = self.run_minutes - self.easy_minutes + (quality + 1) * 60
        ahead = self.run_minutes + 0.8 * cap
        spare = hard <= (1 - self.rules.min_easy_share - 0.03) * ahead
        if quality < hi and spare and not week.is_recovery:
            quality += 1
        # The taper keeps intensity: a quality day in a week of 4+ taper days, and in the
        # race week.
        tapering = sum(1 for d in week.days if self.cal.taper_start <= d < self.race)
        if tapering >= 4 or (week.has_goal_race and self.rules.race_week_quality > 0):
            need = max(need, min(1, hi))
        quality = min(max(quality, need), hi)
        specific = 0
        if phase in ("build", "peak"):
            specific = min(
                weekly_minimum(self.pm, week, self.rules.race_specific_per_week), quality
            )
        budget = cap * (0.65 if week.is_recovery else 1.0)
        return WeekPlan(budget, self.long_runs.target(week), quality, need, specific)

    def _count_easy(self, draft: Draft, week: Week) -> None:
        for d in week.days:
            s = draft.session(d)
            if s.kind in ("run", "long"):
                self.run_minutes += s.duration_min
                self.easy_minutes += s.duration_min if s.intensity == "easy" else 0

    # -- one week --------------------------------------------------------------------
    def _allowed(self, d: int, s: SessionTemplate) -> bool:
        day = self.pm.days[d]
        if not day.fits(s.duration_min):
            return False
        if d in self.race_week and (s.kind != "run" or s.duration_min > SHORT_RUN_MAX_MIN):
            return False
        if s.kind == "long" and d in self.no_long:
            return False
        return not (s.intensity in HARD_INTENSITIES and d in self.no_hard)

    def _options(self, d: int, kind: str, hard: bool) -> list[SessionTemplate]:
        return [
            s
            for s in _offered(self.pm, d)
            if s.kind == kind
            and (s.intensity in ("moderate", "hard")) == hard
            and self._allowed(d, s)
        ]

    def _write_week(self, draft: Draft, week: Week, spec: WeekPlan) -> None:
        pm = self.pm
        free = [
            pm.days[d]
            for d in week.days
            if pm.days[d].race is None and open_day(pm, pm.days[d]) and len(pm.primary[d]) > 1
        ]
        for day in pm.days[week.days[0] : week.days[-1] + 1]:
            if day.race is None:
                draft.choices[day.index] = DayChoice(self.rest)
        budget = spec.budget
        taken: set[int] = set()

        # The long run: the preferred day if it can hold it, else the latest that can.
        long_day = None
        if spec.long_target > 0:
            preferred = [d for d in free if d.day_of_week == self.athlete.long_run_day]
            for day in preferred + free[::-1]:
                d = day.index
                prev = [t for t in range(max(0, d - LONG_RUN_SPACING + 1), d) if draft.long(t)]
                if prev or draft.hard(d - 1):
                    continue
                opts = [
                    s for s in self._options(d, "long", False) if s.duration_min <= spec.long_target
                ]
                if opts:
                    pick = max(opts, key=lambda s: s.duration_min)
                    draft.choices[d] = DayChoice(pick.code)
                    long_day, budget = d, budget - pick.duration_min
                    taken.add(d)
                    break

        # The shake-out and the race week's quality touch come first in the race week.
        shake = [
            day.index
            for day in free
            if day.index in (self.race - 1, self.race - 2)
            and any(s.role == "shakeout" for s in self._options(day.index, "run", False))
        ]
        if shake and self.rules.shakeout:
            d = max(shake)
            pick = next(s for s in self._options(d, "run", False) if s.role == "shakeout")
            draft.choices[d] = DayChoice(pick.code)
            taken.add(d)
            budget -= pick.duration_min

        # Rest days: the day after the long run first, then the days with the least time.
        need_rest = (
            self.athlete.rest_days if week.full else self.athlete.rest_days * len(week.days) // 7
        )
        have = sum(1 for d in week.days if pm.days[d].race is None and not open_day(pm, pm.days[d]))
        order = sorted(
            (day for day in free if day.index not in taken),
            key=lambda day: (
                0 if long_day is not None and day.index == long_day + 1 else 1,
                0 if day.index in self.race_week and day.index < self.race - 2 else 1,
                day.available_min if day.available_min is not None else 10_000,
                -day.index,
            ),
        )
        for day in order:
            if have >= need_rest:
                break
            if self._rest_ok(draft, day.index, week, taken):
                taken.add(day.index)
                have += 1

        # Quality days: spread away from the long run and from each other.
        chosen: list[int] = []
        specific_left = spec.specific
        for _ in range(spec.quality):
            cands = [
                day.index
                for day in free
                if day.index not in taken
                and not draft.hard(day.index - 1)
                and not draft.hard(day.index + 1)
                and not draft.long(day.index - 1)
                and not draft.long(day.index + 1)
            ]
            scored = []
            for d in cands:
                opts = self._quality_options(draft, d, specific_left > 0, budget)
                if not opts:
                    continue
                near = [abs(d - t) for t in chosen + ([long_day] if long_day is not None else [])]
                # A taper week's quality falls in its taper days (the taper keeps intensity).
                prefer = 0 if d not in self.race_week else -abs(d - (self.race - 4))
                prefer += 10 if pm.days[d].phase == "taper" and not chosen else 0
                scored.append((min(near, default=7), prefer, -d, d, opts))
            if not scored:
                break
            *_, d, opts = max(scored, key=lambda x: (x[1] >= 10, x[0], x[1], x[2]))
            pick = opts[0]
            draft.choices[d] = DayChoice(pick.code)
            draft.last_used[pick.code] = d
            taken.add(d)
            chosen.append(d)
            budget -= pick.duration_min
            if pick.role == "race_specific":
                specific_left -= 1

        # Easy runs share what is left; strength joins one of them.
        easy_days = [day for day in free if day.index not in taken]
        full_need = self.rules.min_runs_per_week
        need_runs = full_need if week.full else full_need * len(week.days) // 7
        need_runs -= sum(1 for d in week.days if d in taken and draft.runs(d))
        for i, day in enumerate(easy_days):
            share = budget / (len(easy_days) - i)
            opts = sorted(self._options(day.index, "run", False), key=lambda s: -s.duration_min)
            opts = [s for s in opts if s.role != "shakeout"] or opts
            easy = next((s for s in opts if s.duration_min <= share), None)
            must = (
                need_runs >= len(easy_days) - i
                or self._taper_needs_run(draft, day.index, week, taken)
                or not self._rest_ok(draft, day.index, week, taken)
            )
            if easy is None and must and opts:
                easy = opts[-1]
            taken.add(day.index)
            if easy is None:
                continue
            draft.choices[day.index] = DayChoice(easy.code)
            budget -= easy.duration_min
            need_runs -= 1
        self._place_strength(draft, week, budget)

    def _quality_options(
        self, draft: Draft, d: int, specific: bool, budget: float
    ) -> list[SessionTemplate]:
        gap = self.rules.variety_window_days
        opts = [
            s
            for s in self._options(d, "run", True)
            if d - draft.last_used.get(s.code, -99) > gap
            and not any(
                draft.choices[t].primary == s.code
                for t in range(d + 1, min(d + gap + 1, len(draft.choices)))
            )
        ]
        if d in self.race_week:  # a touch of speed, the lightest there is
            return sorted(opts, key=lambda s: s.load)[:1]
        if specific:
            opts.sort(key=lambda s: (s.role != "race_specific", -s.load))
        else:
            opts.sort(key=lambda s: (s.role == "race_specific", -s.load))
        fitting = [s for s in opts if s.duration_min <= max(budget * 0.4, 45)]
        if specific:  # goal-pace work first, the shortest of it when none fits
            own = [s for s in opts if s.role == "race_specific"]
            return [s for s in own if s in fitting] or sorted(own, key=lambda s: s.duration_min)
        return fitting or sorted(opts, key=lambda s: s.duration_min)[:1]

    def _taper_needs_run(self, draft: Draft, d: int, week: Week, taken: set[int]) -> bool:
        """Resting on day d (one of the final 14) would leave too few run days to keep the
        taper's frequency, even if every day not written yet runs."""
        race, ratio = self.race, self.rules.taper_run_days_ratio
        if race < 28 or ratio <= 0 or not race - 14 <= d < race:
            return False

        def runs(t: int) -> bool:
            written = t < week.days[0] or t in taken
            return draft.runs(t) if written else t != d

        before = sum(1 for t in range(race - 28, race - 14) if runs(t))
        final = range(race - 14, race)
        kept = sum(1 for t in final if runs(t) or not open_day(self.pm, self.pm.days[t]))
        return kept < ratio * before

    def _rest_ok(self, draft: Draft, d: int, week: Week, taken: set[int]) -> bool:
        """Resting on day d keeps every window of max_days_off + 1 open days holding a
        run (days not written yet count as runs)."""
        pm, span = self.pm, self.rules.max_days_off + 1
        n = len(pm.days)

        def runs(t: int) -> bool:
            written = t < week.days[0] or t in taken or pm.days[t].race is not None
            return draft.runs(t) if written else t != d

        for start in range(max(0, d - span + 1), min(d, n - span) + 1):
            window = range(start, start + span)
            if all(open_day(pm, pm.days[t]) for t in window) and not any(map(runs, window)):
                return False
        return True

    def _place_strength(self, draft: Draft, week: Week, budget: float) -> None:
        st = self.pm.catalogue.strength
        if st is None or budget < st.duration_min:
            return
        window = self.rules.strength_window_days
        for d in week.days:
            s = self.pm.strength[d]
            sess = draft.session(d)
            if s is None or sess.kind == "rest" or not strength_may_join(sess):
                continue
            if d - draft.last_strength < max(window, 3) or d in self.race_week:
                continue
            if not self.pm.days[d].fits(sess.duration_min + st.duration_min):
                continue
            draft.choices[d] = replace(draft.choices[d], strength=True)
            draft.last_strength = d
            return

    # -- the rules over the weeks so far ---------------------------------------------------
    def _week_holds(self, draft: Draft, week: Week) -> bool:
        pm, rules = self.pm, self.rules
        end = week.days[-1]
        loads = [draft.load(d) for d in range(end + 1)]
        race_free = [0 if pm.days[d].race is not None else loads[d] for d in range(end + 1)]
        if sum(draft.minutes(d) for d in week.days) > self.athlete.weekly_hours * 60:
            return False
        weeks = self.cal.weeks
        i = week.number - 1
        week_load = sum(race_free[d] for d in week.days)
        if i == 0 and week_load > first_week_load_cap(pm) * len(week.days) // 7:
            return False
        if i > 0 and week.full:
            ref = next((w for w in reversed(weeks[:i]) if not w.is_recovery), None)
            if ref is not None:
                ref_load = sum(race_free[d] for d in ref.days)
                if week_load * len(ref.days) > rules.max_week_load_growth * 7 * ref_load:
                    return False
        if week.is_recovery and i > 0:
            prev = sum(loads[d] for d in weeks[i - 1].days)
            floor = smallest_week_load(pm)
            if sum(loads[d] for d in week.days) > max(rules.recovery_load_ratio * prev, floor):
                return False
        for d in week.days:
            if d >= self.race:
                continue
            acute = sum(race_free[max(0, d - 6) : d + 1]) + self.before * max(0, 6 - d)
            chronic = sum(race_free[max(0, d - 27) : d + 1]) + self.before * max(0, 27 - d)
            if 4 * acute > rules.max_acwr * chronic:
                return False
        states = simulate(loads, self.resp)
        start = week.days[0]
        prev_ctl = states[start - 1].ctl if start > 0 else self.resp.ctl0
        last = min(end, self.race - 1)
        if last >= start and states[last].ctl - prev_ctl > rules.max_ctl_ramp * 0.98:
            return False
        if any(states[d].tsb < rules.min_tsb + 0.5 for d in week.days if 0 < d <= end):
            return False
        return self._taper_holds(draft, end)

    def _taper_holds(self, draft: Draft, end: int) -> bool:
        rules, cal, race = self.rules, self.cal, self.race
        training = [w for w in cal.weeks if w.full and not w.has_taper]
        if not training or training[-1].days[-1] > end:
            return True
        peak_minutes = max(sum(draft.minutes(d) for d in w.days) for w in training)
        peak_load = max(sum(draft.load(d) for d in w.days) for w in training)
        # Days of a window not written yet will hold at least short runs most days.
        shortest = min(
            (s.duration_min for s in self.pm.catalogue.runs if s.kind == "run" and not s.role),
            default=0,
        )

        def minutes(days: range) -> float:
            ahead = sum(1 for d in days if d > end)
            return sum(draft.minutes(d) for d in days if d <= end) + shortest * ahead

        last = range(max(0, race - 7), race)
        floor_load, floor_minutes = race_week_floor(self.pm)
        if minutes(last) > max(rules.taper_time_ratio * peak_minutes, floor_minutes):
            return False
        if race - cal.taper_start >= 7 and sum(draft.load(d) for d in last if d <= end) > max(
            rules.taper_load_ratio * peak_load, floor_load
        ):
            return False
        if race - cal.taper_start >= 14:
            early = range(max(0, race - 14), race - 7)
            if minutes(early) > rules.taper_early_time_ratio * peak_minutes:
                return False
        return True

    def _fit_easy_share(self, draft: Draft) -> None:
        """Quality days beyond a week's minimum become easy runs (earliest weeks first)
        until the easy share of running time is met."""
        pm, rules = self.pm, self.rules
        runs = [d for d in range(len(pm.days)) if draft.session(d).kind in ("run", "long")]
        total_min = sum(draft.session(d).duration_min for d in runs)
        easy_min = sum(
            draft.session(d).duration_min for d in runs if draft.session(d).intensity == "easy"
        )
        for week in self.cal.weeks:
            lo, _ = rules.quality_per_week.of(week_phase(pm, week))
            need = weekly_minimum(pm, week, lo)
            hard = [d for d in week.days if pm.days[d].race is None and draft.hard(d)]
            specific = [d for d in hard if draft.session(d).role == "race_specific"]
            spare = [d for d in hard if d not in specific] + specific
            for d in spare[: max(0, len(hard) - need)]:
                if easy_min >= rules.min_easy_share * total_min:
                    return
                if d in self.race_week:
                    continue
                old = draft.session(d)
                easy = [s for s in self._options(d, "run", False) if s.role != "shakeout"]
                if not easy:
                    continue
                # As much load as the quality session had: the weeks after keep their growth.
                pick = min(easy, key=lambda s: (abs(s.load - old.load), -s.duration_min))
                draft.choices[d] = replace(draft.choices[d], primary=pick.code)
                total_min += pick.duration_min - old.duration_min
                easy_min += pick.duration_min
        # Still short: the shortest quality session of the same kind on each quality day.
        for d in range(len(pm.days)):
            if easy_min >= rules.min_easy_share * total_min:
                return
            old = draft.session(d)
            if pm.days[d].race is not None or not draft.hard(d):
                continue
            same = [
                s
                for s in self._options(d, "run", True)
                if s.role == old.role and s.duration_min < old.duration_min
            ]
            if same:
                pick = min(same, key=lambda s: s.duration_min)
                draft.choices[d] = replace(draft.choices[d], primary=pick.code)
                total_min += pick.duration_min - old.duration_min

    # -- race morning --------------------------------------------------------------------
    def _fit_race_form(self, draft: Draft) -> None:
        """Lighter or heavier runs in the final two weeks until race-morning form is in its
        window: easy runs and long runs shorter (or longer), an easy run dropped where the
        days off, the runs of the week, the race week and the taper allow it."""
        rules, race = self.rules, self.race
        lo, hi = rules.race_tsb_min + 0.5, rules.race_tsb_max - 0.5
        for _ in range(40):
            tsb = simulate([draft.load(d) for d in range(race + 1)], self.resp)[race].tsb
            if lo <= tsb <= hi:
                return
            lighter = tsb < lo
            moved = False
            broken = self._final_days_broken(draft)
            for d, option in self._form_moves(draft, lighter):
                old = draft.choices[d]
                draft.choices[d] = replace(old, primary=option, strength=False)
                if self._final_days_broken(draft) <= broken:
                    moved = True
                    break
                draft.choices[d] = old
            if not moved:
                return

    def _form_moves(self, draft: Draft, lighter: bool) -> list[tuple[int, str]]:
        """(day, session) swaps that move race-morning form the wanted way, nearest the
        race first (recent load weighs most on fatigue)."""
        moves: list[tuple[int, int, str]] = []
        for d in range(max(0, self.race - 14), self.race):
            s = draft.session(d)
            if s.kind not in ("run", "long") or s.intensity != "easy" or s.role == "shakeout":
                continue
            for o in self._options(d, s.kind, False):
                if o.role == "shakeout" or o.load == s.load or (o.load < s.load) != lighter:
                    continue
                moves.append((-d, abs(o.load - s.load), o.code))
            if lighter and s.kind == "run":
                moves.append((-d, s.load, self.rest))
        return [(-nd, code) for nd, _, code in sorted(moves)]

    def _final_days_broken(self, draft: Draft) -> int:
        """How many of the rules over the final weeks that a swap there can break are
        broken: the taper cuts, days off, each week's runs, the race week's short runs, the
        taper's frequency."""
        return sum(not ok for ok in self._final_days_checks(draft))

    def _final_days_checks(self, draft: Draft) -> Iterator[bool]:
        pm, rules, race = self.pm, self.rules, self.race
        yield self._taper_holds(draft, race)
        span = rules.max_days_off + 1
        for start in range(max(0, race - 14 - span), race - span + 1):
            window = range(start, start + span)
            yield not (
                all(open_day(pm, pm.days[t]) for t in window)
                and not any(draft.runs(t) for t in window)
            )
        for week in self.cal.weeks:
            if week.days[-1] < race - 14:
                continue
            need = rules.min_runs_per_week
            need = need if week.full else need * len(week.days) // 7
            yield sum(1 for d in week.days if draft.runs(d)) >= need
        last = range(max(0, race - 6), race)
        opened = sum(1 for d in last if open_day(pm, pm.days[d]))
        short = sum(
            1
            for d in last
            if draft.session(d).kind == "run" and draft.session(d).duration_min <= SHORT_RUN_MAX_MIN
        )
        yield short >= min(rules.race_week_short_runs, opened)
        if race >= 28 and rules.taper_run_days_ratio > 0:
            before = sum(1 for d in range(race - 28, race - 14) if draft.runs(d))
            kept = sum(
                1 for d in range(race - 14, race) if draft.runs(d) or not open_day(pm, pm.days[d])
            )
            yield kept >= rules.taper_run_days_ratio * before


def heuristic_plan(pm: PlanModel) -> list[DayChoice]:
    return Heuristic(pm).plan()


def add_heuristic_hint(pm: PlanModel) -> dict[int, DayChoice]:
    """Hint the heuristic plan; returns it as hinted."""
    if pm.multisport:  # the heuristic writes running weeks; a triathlete's are tri_hint's
        return warm_start(pm, tri_plan(pm))
    return warm_start(pm, dict(enumerate(heuristic_plan(pm))))
