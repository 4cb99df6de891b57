"""FIT workout files, decoded by `fitdecode` (not the library that wrote them) and compared
step by step with the plan day's steps, the units recomputed from the FIT profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.exports.fit import render_fit
from shared.planning import PlanDay
from shared.steps import RepeatStep, Step
from tests.workout_files import (
    FIT_SPORT,
    MIXED_RUN,
    SWEET_SPOT_RIDE,
    THRESHOLD_RUN,
    expected_fit_steps,
    fit_step_facts,
    read_fit,
    workout_day,
)

CASES = {
    "threshold run": workout_day(THRESHOLD_RUN),
    "mixed targets": workout_day(MIXED_RUN),
    "sweet-spot ride": workout_day(SWEET_SPOT_RIDE, sport="bike", code="B2"),
    "swim": workout_day([Step(type="active", distance_m=1500)], sport="swim", code="S1"),
}


@pytest.mark.parametrize("day", CASES.values(), ids=CASES.keys())
def test_every_step_decodes_to_the_plan_step(day: PlanDay) -> None:
    fit = read_fit(render_fit(day))
    assert fit.file_id["type"][0] == "workout"
    assert fit.workout["sport"][0] == FIT_SPORT[day.sport]
    assert fit.workout["num_valid_steps"][0] == len(fit.steps)
    assert fit.workout["wkt_name"][0] == f"{day.session_code} {day.session_type}"
    assert [fit_step_facts(m) for m in fit.steps] == expected_fit_steps(day)


def test_the_threshold_run_in_plain_numbers() -> None:
    """Read as a person would: 15 min warm-up at 5:38-6:12/km, then 3 x (10 min at
    4:31-4:40/km, 2 min), cool-down; the repeat goes back to the first interval."""
    steps = read_fit(render_fit(workout_day(THRESHOLD_RUN))).steps
    assert len(steps) == 5
    warmup, work, jog, repeat, _ = ({k: v[0] for k, v in m.items()} for m in steps)
    assert warmup["duration_time"] == 900.0
    assert 1000 / warmup["custom_target_speed_high"] == pytest.approx(338, abs=0.1)
    assert 1000 / warmup["custom_target_speed_low"] == pytest.approx(372, abs=0.2)
    assert work["duration_time"] == 600.0 and jog["duration_time"] == 120.0
    assert 1000 / work["custom_target_speed_high"] == pytest.approx(271, abs=0.1)
    assert repeat["duration_step"] == 1 and repeat["repeat_steps"] == 3


def test_a_session_without_steps_is_one_open_step_with_its_definition() -> None:
    day = workout_day([], minutes=45)
    fit = read_fit(render_fit(day))
    (step,) = fit.steps
    assert step["duration_time"][1] == 45 * 60 * 1000
    assert step["target_type"][0] == "open"
    assert step["notes"][0] == day.session_definition


def test_the_file_names_the_session_the_same_on_every_export() -> None:
    day = workout_day(THRESHOLD_RUN)
    first = read_fit(render_fit(day, now=datetime(2027, 1, 1, tzinfo=UTC)))
    again = read_fit(render_fit(day, now=datetime(2027, 2, 1, tzinfo=UTC)))
    other = read_fit(render_fit(workout_day(THRESHOLD_RUN, code="T4")))
    assert first.file_id["serial_number"] == again.file_id["serial_number"]
    assert first.file_id["serial_number"] != other.file_id["serial_number"]
    assert first.file_id["time_created"][0] == datetime(2027, 1, 1, tzinfo=UTC)


def test_a_damaged_file_does_not_decode() -> None:
    """The check above would catch a writer that gets the CRC wrong."""
    data = bytearray(render_fit(workout_day(THRESHOLD_RUN)))
    data[40] ^= 0xFF
    with pytest.raises(Exception, match="CRC"):
        read_fit(bytes(data))


def test_a_long_repeat_block_points_back_to_its_first_step() -> None:
    block = RepeatStep(count=12, steps=[Step(type="active", distance_m=200)] * 2)
    day = workout_day(
        [Step(type="warmup", duration_s=600), block, Step(type="cooldown", duration_s=300)]
    )
    steps = [fit_step_facts(m) for m in read_fit(render_fit(day)).steps]
    assert steps[3] == {
        "message_index": 3,
        "duration_type": "repeat_until_steps_cmplt",
        "back_to": 1,
        "count": 12,
    }


def test_long_text_is_cut_at_a_character_boundary() -> None:
    """FIT strings are at most 255 bytes: a long definition with curly quotes (3 bytes each
    in UTF-8) is cut to 199 bytes that still decode, and the name to 39."""
    definition = "Long run at easy pace — “negative split” the last 20′. " * 8
    day = workout_day([]).model_copy(
        update={"session_definition": definition, "session_type": "Long run “easy” " * 5}
    )
    fit = read_fit(render_fit(day))
    notes = fit.steps[0]["notes"][0]
    assert definition.startswith(notes) and len(notes.encode()) <= 199
    assert len(notes) > 150  # cut near the limit, not emptied
    name = fit.workout["wkt_name"][0]
    assert f"{day.session_code} {day.session_type}".startswith(name)
    assert 36 <= len(name.encode()) <= 39
