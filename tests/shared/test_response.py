"""The closed-form CTL/ATL coefficients the model uses agree with the day-by-day recursion."""

from __future__ import annotations

import random

import pytest

from shared.response import Response, simulate
from tests.engine.rules import recompute


@pytest.mark.parametrize("seed", range(5))
def test_affine_coefficients_match_recursion(seed: int) -> None:
    rng = random.Random(seed)
    resp = Response(ctl0=rng.uniform(0, 80), atl0=rng.uniform(0, 100), ctl_tau=42, atl_tau=7)
    loads = [rng.choice([0, 0, 40, 55, 80, 140]) for _ in range(90)]
    states = recompute(loads, resp.ctl0, resp.atl0, 42, 7)
    for day in (0, 1, 13, 89):
        c0, cc = resp.ctl_at_end(day)
        a0, ac = resp.atl_at_end(day)
        t0, tc = resp.tsb_morning(day)
        assert c0 + sum(k * x for k, x in zip(cc, loads, strict=False)) == pytest.approx(
            states[day][0]
        )
        assert a0 + sum(k * x for k, x in zip(ac, loads, strict=False)) == pytest.approx(
            states[day][1]
        )
        assert t0 + sum(k * x for k, x in zip(tc, loads, strict=False)) == pytest.approx(
            states[day][2]
        )
    for s, (ctl, atl, tsb) in zip(simulate(loads, resp), states, strict=True):
        assert (s.ctl, s.atl, s.tsb) == pytest.approx((ctl, atl, tsb))
