"""The registry of constraint families: every guarded row belongs to a registered family,
every user-facing family names itself in a sentence, re-planning policies live there."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.planning import Athlete, PlanRequest, Race
from tests.engine.conftest import request_for
from worker.engine.calendar import build_calendar
from worker.engine.model import build_model
from worker.engine.model.families.structure import one_primary_session_per_day
from worker.engine.model.family import Family, Limits, Replanning
from worker.engine.model.registry import FAMILIES, family, replanning_of
from worker.engine.past import FixedPast
from worker.engine.validation import schema_for

RACE = request_for("half", 12).goal.date
USER_FACING = {f.name for f in FAMILIES if f.user_facing}


def requests() -> list[PlanRequest]:
    """Between them, requests that exercise every user-facing family."""
    busy = Athlete(
        doubles=True,
        availability_min=[60, 0, 90, None, 45, None, None],
        unavailable_dates=[RACE - timedelta(days=40)],
    )
    b_race = Race(date=RACE - timedelta(days=35), distance="half", priority="B", fitness_floor=40)
    return [
        request_for("half", 12),
        request_for("10k", 10, athlete=Athlete(rest_days=2, ctl=30, atl=35)),
        request_for(
            "marathon", 16, athlete=busy, races=[Race(date=RACE, distance="marathon"), b_race]
        ),
        request_for("olympic", 16),  # the multi-sport families
        request_for("olympic", 16, athlete=Athlete(swim_days=[1, 3, 5], long_ride_day=5)),
    ]


def test_family_names_are_unique() -> None:
    assert len({f.name for f in FAMILIES}) == len(FAMILIES)


def test_every_guarded_row_belongs_to_a_user_facing_family() -> None:
    guarded: set[str] = set()
    for request in requests():
        schema = schema_for(request)
        pm = build_model(request, schema, build_calendar(request, schema), diagnose=True)
        assert set(pm.constraint_groups.values()) <= USER_FACING
        assert set(pm.guards) <= USER_FACING
        guarded |= set(pm.guards)
    assert guarded == USER_FACING  # each user-facing family guards rows somewhere


@pytest.mark.parametrize("lived", [False, True])
def test_every_user_facing_family_explains_itself(lived: bool) -> None:
    fixed = FixedPast(until=3, sessions=((), (), ()), ctl=41.26, atl=38.04) if lived else None
    for request in requests():
        limits = Limits.of(request, schema_for(request), fixed)
        for f in FAMILIES:
            if f.explain is not None:
                sentence = f.explain(limits)
                assert sentence.strip() and sentence[0].islower(), (f.name, sentence)


def test_a_replan_explains_from_the_form_the_lived_days_left() -> None:
    request = requests()[0]
    fixed = FixedPast(until=3, sessions=((), (), ()), ctl=41.26, atl=38.04)
    explain = family("tsb_floor").explain
    assert explain is not None
    assert "CTL 41.3, ATL 38" in explain(Limits.of(request, schema_for(request), fixed))


def test_replanning_policies_come_from_the_registry() -> None:
    by_policy: dict[Replanning, set[str]] = {}
    for f in FAMILIES:
        by_policy.setdefault(replanning_of(f.name), set()).add(f.name)
    assert by_policy[Replanning.NEVER_RELAXED] == {"race_form", "race_fitness"}
    assert by_policy[Replanning.WAIVED_MINIMUM] == {
        "min_runs",
        "long_run",
        "rest_days",
        "taper",
        "race_week",
        "quality_by_phase",
        "race_specific",
        "sessions_per_sport",
        "long_ride",
        "bricks",
        "taper_sports",
    }
    assert by_policy[Replanning.SETTLED] == {"recovery_weeks", "load_growth"}
    assert family("recovery_weeks").settle is not None
    assert replanning_of(None) is Replanning.DEFAULT  # a row outside any family


def test_a_settle_hook_goes_with_the_settled_policy() -> None:
    with pytest.raises(ValueError):
        Family("x", one_primary_session_per_day, lambda _: "x", settle=lambda _: None)
    with pytest.raises(ValueError):
        Family("x", one_primary_session_per_day, replanning=Replanning.NEVER_RELAXED)
