"""`trainplan plan --distance olympic`: a triathlon plan from the command line, as JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest

from tests.cli.test_cli import START, cli, plan_args, race_after


@pytest.fixture(scope="module")
def olympic() -> dict[str, Any]:
    race = race_after(16)
    proc = cli(
        *plan_args(race, "olympic", START, "--format", "json", "--time-limit", "10"),
        *("--weekly-hours", "10", "--swim-days", "tue,thu,sat", "--long-ride-day", "sat"),
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    doc["_race"] = race.isoformat()
    return doc


def test_an_olympic_plan_trains_every_sport(olympic: dict[str, Any]) -> None:
    assert olympic["status"] in ("OPTIMAL", "FEASIBLE")
    days = olympic["days"]
    sports = Counter(d["sport"] for d in days if d["intensity"] not in ("rest", "strength"))
    assert {"swim", "bike", "run", "brick"} <= set(sports)
    race = [d for d in days if d["date"] == olympic["_race"]]
    assert [(d["sport"], d["intensity"]) for d in race] == [("triathlon", "race")]


def test_days_carry_per_sport_fitness_summing_to_the_total(olympic: dict[str, Any]) -> None:
    for day in olympic["days"]:
        ctl, atl = day["ctl_by_sport"], day["atl_by_sport"]
        assert {"swim", "bike", "run"} <= set(ctl) and set(ctl) == set(atl)
        assert sum(ctl.values()) == pytest.approx(day["ctl"], abs=0.05)
        assert sum(atl.values()) == pytest.approx(day["atl"], abs=0.05)


def test_swims_on_the_pool_days_and_the_long_ride_on_its_day(olympic: dict[str, Any]) -> None:
    """--swim-days tue,thu,sat --long-ride-day sat: every swim on those days, the long ride
    on Saturday in every week whose Saturday trains."""
    days = olympic["days"]
    assert {d["day_of_week"] for d in days if d["sport"] == "swim"} <= {1, 3, 5}
    rides = [d for d in days if d["session_code"].startswith("LONGRIDE")]
    saturdays = {
        d["week_number"]
        for d in days
        if d["day_of_week"] == 5 and d["phase"] in ("base", "build", "peak")
    }
    assert saturdays and {d["week_number"] for d in rides if d["day_of_week"] == 5} == saturdays


def test_an_unknown_distance_is_a_usage_error() -> None:
    proc = cli(*plan_args(race_after(16), "duathlon", START))
    assert proc.returncode != 0
    assert "invalid choice" in proc.stderr and "olympic" in proc.stderr
    assert "Traceback" not in proc.stderr
