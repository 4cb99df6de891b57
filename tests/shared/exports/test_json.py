"""The JSON renderer on a hand-built plan: the DESIGN.md section 5 object."""

from __future__ import annotations

import json
from datetime import date

from shared.exports.json import DAY_FIELDS, render_json
from shared.planning import PlanResult

CONTRACT_KEYS = {"status", "objective", "bound", "gap", "solve_seconds", "model", "days"}


def test_json_is_one_object_with_contract_fields(handmade_plan: PlanResult) -> None:
    doc = json.loads(render_json(handmade_plan))
    assert doc.keys() >= CONTRACT_KEYS
    assert doc["status"] == "OPTIMAL" and doc["conflicts"] == []
    assert len(doc["days"]) == len(handmade_plan.days)
    for day, src in zip(doc["days"], handmade_plan.days, strict=True):
        assert set(DAY_FIELDS) <= day.keys()
        assert day["date"] == src.date.isoformat()
        assert isinstance(day["is_training_day"], bool)
        assert day["ctl"] == src.ctl and day["tsb"] == src.tsb


def test_json_infeasible_carries_conflicts() -> None:
    result = PlanResult(
        status="INFEASIBLE",
        solve_seconds=0.2,
        start=date(2027, 1, 4),
        race_date=date(2027, 4, 18),
        conflicts=["1 weekly hour cannot hold 3 runs plus a long run"],
    )
    doc = json.loads(render_json(result))
    assert doc["status"] == "INFEASIBLE" and doc["days"] == []
    assert doc["conflicts"] == ["1 weekly hour cannot hold 3 runs plus a long run"]
