"""The warm start hints every variable, auxiliaries included, and repairs what a day
cannot hold."""

from __future__ import annotations

from shared.planning import Athlete, PlanRequest
from tests.engine.conftest import request_for
from worker.engine.calendar import build_calendar
from worker.engine.hint import add_heuristic_hint
from worker.engine.model import PlanModel, build_model
from worker.engine.model.warm_start import DayChoice, warm_start
from worker.engine.validation import schema_for


def model_of(request: PlanRequest) -> PlanModel:
    schema = schema_for(request)
    return build_model(request, schema, build_calendar(request, schema))


def unhinted(pm: PlanModel) -> list[str]:
    """Names of the variables that are neither constant nor hinted."""
    hinted = set(pm.model.proto.solution_hint.vars)
    return [
        v.name
        for i, v in enumerate(pm.model.proto.variables)
        if i not in hinted and not (len(v.domain) == 2 and v.domain[0] == v.domain[1])
    ]


def test_the_heuristic_hint_is_complete() -> None:
    for request in (
        request_for("half", 12),
        request_for("marathon", 16, athlete=Athlete(doubles=True, rest_days=2)),
    ):
        pm = model_of(request)
        add_heuristic_hint(pm)
        assert unhinted(pm) == []
        assert pm.true_rest and pm.peak_week_load is not None  # the auxiliaries exist


def test_a_choice_the_day_cannot_hold_is_repaired() -> None:
    pm = model_of(request_for("half", 12))
    assert pm.catalogue.strength is not None
    rest = pm.catalogue.rest.code
    d, quality = next(
        (d, c)
        for d, s in enumerate(pm.strength)
        if s is not None
        for c in pm.primary[d]
        if pm.sessions[c].intensity == "hard"
    )
    hinted = warm_start(
        pm,
        {
            d: DayChoice(quality, doubles=("NO_SUCH",), strength=True),
            d + 1: DayChoice("NO_SUCH"),
        },
    )
    # Strength never joins a hard session; an unknown session becomes rest.
    assert hinted == {d: DayChoice(quality), d + 1: DayChoice(rest)}
    proto = pm.model.proto.solution_hint
    hint = dict(zip(proto.vars, proto.values, strict=True))
    assert hint[pm.load[d].index] == pm.sessions[quality].load
    assert hint[pm.primary[d + 1][rest].index] == 1
