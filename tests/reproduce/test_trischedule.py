"""The triathlon season: every multi-sport rule re-checked on the output."""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files

import pytest

from shared.reproduce import SEED_TRI_FINAL_FITNESS, SPORTS, TriRequest, TriResult, TriWorkout
from worker.reproduce.trischedule import load_catalogue, solve_trischedule


@pytest.fixture(scope="module")
def season() -> TriResult:
    req = TriRequest(
        start=date(2025, 1, 31), race_date=date(2025, 6, 28), weekly_hours=5, time_limit_s=8
    )
    return solve_trischedule(req)


def test_catalogue_is_the_seed_csv() -> None:
    cat = load_catalogue()
    assert len(cat) == 45
    assert {w.sport for w in cat} == set(SPORTS)
    text = files("worker.reproduce").joinpath("data/triathlon_workouts.csv").read_text()
    tagged = [line for line in text.splitlines() if line.strip().endswith(",base")]
    assert sum(1 for w in cat if w.excluded_phases == ["base"]) == len(tagged) > 0
    assert len({w.code for w in cat}) == 45


def test_season_covers_every_day_to_the_race(season: TriResult) -> None:
    assert season.status in ("OPTIMAL", "FEASIBLE")
    dates = [d.date for d in season.days]
    assert dates[0] == date(2025, 1, 31)
    assert dates[-1] == date(2025, 6, 27)
    assert dates == [dates[0] + timedelta(days=i) for i in range(len(dates))]
    phases = [w.phase for w in season.weeks]
    assert phases[-1] == "race" and phases[-3:-1] == ["peak", "peak"]
    assert phases == sorted(phases, key=["base", "build", "peak", "race"].index)


def test_every_rule_holds(season: TriResult) -> None:
    p = season.params
    cat: dict[tuple[str, str], TriWorkout] = {(w.sport, w.name): w for w in load_catalogue()}
    weights = [max(0.0, 1 - p.fatigue_decay_per_day * k) for k in range(p.fatigue_window_days)]
    fit = dict.fromkeys(SPORTS, p.start_fitness)
    rho = p.weekly_retention ** (1 / 7)
    history: list[list[tuple[str, str]]] = []
    for day in season.days:
        today: list[tuple[str, str]] = [(s.sport, s.name) for s in day.sessions]
        history.append(today)
        assert len(today) <= p.max_per_day
        assert len({s for s, _ in today}) == len(today), "two workouts of one sport"
        for key in today:
            assert day.phase not in cat[key].excluded_phases, f"{key} used in {day.phase}"
            recent = history[-p.variety_days : -1]
            assert all(key not in earlier for earlier in recent), f"{key} repeated"
        window = list(enumerate(reversed(history[-len(weights) :])))
        per = {
            s: sum(weights[k] * cat[key].fatigue for k, ks in window for key in ks if key[0] == s)
            for s in SPORTS
        }
        for s in SPORTS:
            assert per[s] <= p.sport_fatigue_cap + 0.5, (day.date, s, per[s])
        assert sum(per.values()) <= p.total_fatigue_cap + 0.5
        for s in SPORTS:
            fit[s] = fit[s] * rho + sum(cat[k].fitness_gain for k in today if k[0] == s)
        assert day.fitness == pytest.approx(fit, abs=1e-2)
    for week in season.weeks:
        span = [d for d in season.days if d.week_number == week.week_number]
        minutes = sum(s.duration_min for d in span for s in d.sessions)
        assert minutes <= week.hours_cap * 60 + 1e-6
        assert minutes <= 5 * 60
        values = list(span[-1].fitness.values())
        assert max(values) - min(values) <= p.max_divergence + 0.05
    assert season.final_fitness == season.days[-1].fitness


def test_reports_the_seed_figures_next_to_ours(season: TriResult) -> None:
    assert season.seed_final_fitness == SEED_TRI_FINAL_FITNESS
    assert "published" in season.comparison_note
    assert season.objective == pytest.approx(sum(season.final_fitness.values()), abs=0.05)
    assert season.bound is not None and season.objective is not None
    assert season.bound >= season.objective - 1e-6
    # the whole-season plan trains: every sport ends well above its start of 50
    assert all(v > 100 for v in season.final_fitness.values())
