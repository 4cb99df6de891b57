"""The triathlon season: every seed rule re-checked on both plans, ours never worse."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from importlib.resources import files
from typing import Any

import pytest
from ortools.sat.python import cp_model

from shared.reproduce import SEED_TRI_FINAL_FITNESS, SPORTS, TriRequest, TriResult
from tests.reproduce.rules import tri_violations
from worker.reproduce.trischedule import (
    TriComparison,
    compare_trischedule,
    load_catalogue,
    solver_parameters,
)
from worker.reproduce.trischedule_data import TriData
from worker.reproduce.trischedule_model import OBJ_SCALE, Span, build_model

CSV = files("worker.reproduce").joinpath("data/triathlon_workouts.csv").read_text()


def csv_catalogue() -> dict[tuple[str, str], dict[str, Any]]:
    """The seed's CSV read here with the csv module alone (not the reproduction's loader)."""
    out = {}
    for row in csv.DictReader(CSV.splitlines(), skipinitialspace=True):
        out[row["sport"], row["name"]] = {
            "duration": int(row["duration"]),
            "fatigue_increase": float(row["fatigue_increase"]),
            "fitness_gain": float(row["fitness_gain"]),
            "week_blocks": [b for b in (row["week_blocks"] or "").split(";") if b],
        }
    return out


def check(result: TriResult, weekly_hours: float) -> dict[str, float]:
    dumped = result.model_dump(mode="json")
    bad, final = tri_violations(
        dumped["days"], dumped["weeks"], dumped["params"], csv_catalogue(), weekly_hours
    )
    assert bad == []
    return final


SEASON = TriRequest(
    start=date(2025, 1, 31), race_date=date(2025, 3, 14), weekly_hours=5, time_limit_s=6
)


@pytest.fixture(scope="module")
def season() -> TriComparison:
    return compare_trischedule(SEASON)


def test_catalogue_is_the_seed_csv() -> None:
    cat = load_catalogue()
    assert len(cat) == 45
    assert {w.sport for w in cat} == set(SPORTS)
    tagged = [line for line in CSV.splitlines() if line.strip().endswith(",base")]
    assert sum(1 for w in cat if w.excluded_phases == ["base"]) == len(tagged) > 0
    assert len({w.code for w in cat}) == 45


def test_season_covers_every_day_to_the_race(season: TriComparison) -> None:
    ours = season.ours
    assert ours.status in ("OPTIMAL", "FEASIBLE")
    dates = [d.date for d in ours.days]
    assert dates[0] == SEASON.start
    assert dates[-1] == SEASON.race_date - timedelta(days=1)
    assert dates == [dates[0] + timedelta(days=i) for i in range(len(dates))]
    phases = [w.phase for w in ours.weeks]
    assert phases[-1] == "race" and phases[-3:-1] == ["peak", "peak"]
    assert phases == sorted(phases, key=["base", "build", "peak", "race"].index)


def test_both_plans_keep_every_seed_rule(season: TriComparison) -> None:
    final = check(season.ours, SEASON.weekly_hours)
    assert season.ours.final_fitness == pytest.approx(final, abs=1e-2)
    seed_final = check(season.seed_plan, SEASON.weekly_hours)
    assert season.seed_method.final_fitness == pytest.approx(seed_final, abs=1e-6)
    # both plans train: every sport ends above its start of 50
    assert all(v > 50 for v in final.values()) and all(v > 50 for v in seed_final.values())


def test_objective_and_bound_are_ours(season: TriComparison) -> None:
    ours = season.ours
    assert ours.seed_final_fitness == SEED_TRI_FINAL_FITNESS
    assert "published" in ours.comparison_note
    assert ours.objective == pytest.approx(sum(ours.final_fitness.values()), abs=0.05)
    assert ours.bound is not None and ours.objective is not None
    assert ours.bound >= ours.objective - 1e-6


@pytest.mark.parametrize(
    ("race_date", "hours"),
    [(date(2025, 2, 21), 4), (date(2025, 2, 28), 8), (date(2025, 3, 7), 12)],
)
def test_ours_at_least_the_seed_method(race_date: date, hours: float) -> None:
    """The week-by-week plan is feasible for the season model and is its hint: the
    whole-season plan is never worse, recomputed from both plans' workouts."""
    req = TriRequest(start=date(2025, 1, 31), race_date=race_date, weekly_hours=hours)
    req = req.model_copy(update={"time_limit_s": 3})
    result = compare_trischedule(req)
    ours = sum(check(result.ours, hours).values())
    seed = sum(check(result.seed_plan, hours).values())
    assert ours >= seed - 1e-6


def _optimum(data: TriData, merge: bool) -> float:
    m = build_model(data, Span(0, data.days), merge_identical=merge)
    m.model.maximize(sum(m.fitness_end[s] for s in SPORTS))
    solver = solver_parameters(60, 2)
    assert solver.solve(m.model) == cp_model.OPTIMAL
    return solver.objective_value / OBJ_SCALE


def test_identical_workouts_merged_keep_the_optimum() -> None:
    """One variable for "fast form 25s" and "toy sets" changes nothing but symmetry: the
    proven optimum of a race week is the same with one variable per workout."""
    req = TriRequest(start=date(2025, 6, 1), race_date=date(2025, 6, 8), weekly_hours=3)
    data = TriData.from_request(req)
    assert _optimum(data, merge=True) == pytest.approx(_optimum(data, merge=False), abs=1e-6)


def test_a_limit_too_short_for_the_search_still_gives_a_checked_plan() -> None:
    req = TriRequest(
        start=date(2025, 1, 31), race_date=date(2025, 2, 21), weekly_hours=6, time_limit_s=0.01
    )
    result = compare_trischedule(req)
    assert result.ours.status in ("OPTIMAL", "FEASIBLE")
    ours = sum(check(result.ours, 6).values())
    assert ours >= sum(check(result.seed_plan, 6).values()) - 1e-6
