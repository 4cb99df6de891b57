"""The CS358 reproduction: the seed's 207, and every rule re-checked on the output."""

from __future__ import annotations

import pytest

from shared.reproduce import Cs358Request
from tests.reproduce.rules import cs358_violations, races_of
from worker.reproduce.cs358 import InvestmentData, build_formulation, solve_cs358, to_lp


def _check(req: Cs358Request) -> float:
    result = solve_cs358(req)
    assert result.status == "OPTIMAL"
    days = [d.model_dump() for d in result.days]
    bad, f_n = cs358_violations(
        days, req.days, req.rest_days, req.baseline, req.races, req.max_runs_per_day
    )
    assert bad == []
    assert result.objective == pytest.approx(f_n)
    assert result.bound == pytest.approx(f_n)
    assert result.race_days == races_of(req.days, req.races)
    return f_n


def test_reproduces_the_seed_207() -> None:
    """35 days from baseline 129 (R=3, K=1, D=2): the seed's write-up reports 207."""
    f_n = _check(Cs358Request(days=35, rest_days=3, baseline=129, races=1, max_runs_per_day=2))
    assert f_n == 207


@pytest.mark.parametrize(
    ("days", "rest", "baseline", "races", "doubles"),
    [
        (35, 1, 50, None, 1),
        (70, 1, 50, None, 2),
        (63, 2, 80, 2, 2),
        (105, 1, 50, None, 1),
        (40, 2, 20, 1, 1),
    ],
)
def test_plans_obey_every_rule(
    days: int, rest: int, baseline: int, races: int | None, doubles: int
) -> None:
    _check(
        Cs358Request(
            days=days, rest_days=rest, baseline=baseline, races=races, max_runs_per_day=doubles
        )
    )


@pytest.mark.parametrize(("days", "doubles"), [(35, 2), (70, 1), (70, 2)])
def test_tight_and_literal_formulations_agree(days: int, doubles: int) -> None:
    """Implied rows and dropped redundant floors never change the optimum."""
    base = {"days": days, "rest_days": 1, "baseline": 50, "max_runs_per_day": doubles}
    tight = solve_cs358(Cs358Request(**base))
    literal = solve_cs358(Cs358Request(**base, implied_constraints=False))
    chained = solve_cs358(Cs358Request(**base, chained=True))
    assert tight.status == literal.status == chained.status == "OPTIMAL"
    assert tight.objective == literal.objective == chained.objective


def test_infeasible_instance_is_reported() -> None:
    """A race floor that cannot be met from baseline 0 in 3 days."""
    result = solve_cs358(Cs358Request(days=8, rest_days=0, baseline=0, races=1))
    assert result.status == "INFEASIBLE"
    assert result.days == []


def test_lp_export_lists_every_row_and_binary() -> None:
    data = InvestmentData.from_request(
        Cs358Request(days=35, rest_days=3, baseline=129, races=1, max_runs_per_day=2)
    )
    form = build_formulation(data, implied=False)
    text = to_lp(form)
    assert text.splitlines()[1] == "Maximize"
    assert "Subject To" in text and text.rstrip().endswith("End")
    for row in form.rows:
        assert f" {row.name}" in text
    binaries = text.split("Binary\n")[1].split("End")[0].split()
    assert set(binaries) == set(form.variables)
    assert all(len(line) < 255 for line in text.splitlines())
