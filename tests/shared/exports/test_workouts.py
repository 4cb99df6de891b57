"""The workout formats of the registry: which rows become files, their names, the zip of a
plan (read back with `zipfile`, each file decoded)."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from shared.exports.registry import WORKOUT_FORMATS
from shared.exports.summary import is_session
from shared.exports.workouts import Reference, WorkoutFormat, file_name, zip_workouts
from shared.planning import PlanResult
from tests.workout_files import read_fit, read_zwo

FORMATS = list(WORKOUT_FORMATS.values())


def test_the_registry_names_each_format_by_its_extension() -> None:
    assert list(WORKOUT_FORMATS) == ["fit", "zwo"]
    for name, fmt in WORKOUT_FORMATS.items():
        assert fmt.name == name == fmt.extension
        assert "/" in fmt.media_type


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_a_plan_zips_to_one_file_per_session(fmt: WorkoutFormat, handmade_plan: PlanResult) -> None:
    data = zip_workouts(handmade_plan.days, fmt, Reference(five_k_s_per_km=260))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        contents = {n: archive.read(n) for n in names}
    sessions = [d for d in handmade_plan.days if is_session(d)]
    if fmt.name == "zwo":  # Zwift has runs and rides only: not the strength sessions
        sessions = [d for d in sessions if d.sport in ("run", "bike") and d.intensity != "strength"]
        assert len(sessions) < sum(1 for d in handmade_plan.days if is_session(d))
    assert names == [file_name(d, fmt.extension) for d in sessions]
    assert len(set(names)) == len(names)  # the double day's two sessions: two slots
    assert "2027-03-04-1-EASY30." + fmt.extension in names
    assert not any("-REST." in n for n in names)
    for day in sessions:
        content = contents[file_name(day, fmt.extension)]
        if fmt.name == "fit":
            fit = read_fit(content)
            assert fit.workout["wkt_name"][0] == f"{day.session_code} {day.session_type}"
            sport = "training" if day.intensity == "strength" else "running"
            assert fit.workout["sport"][0] == sport
            assert fit.steps[0]["duration_time"][0] == day.duration_min * 60
        else:
            zwo = read_zwo(content)
            assert zwo.description == day.session_definition
            assert zwo.elements[0][1]["Duration"] == str(day.duration_min * 60)
    assert data == zip_workouts(handmade_plan.days, fmt, Reference(five_k_s_per_km=260))


def test_zwo_leaves_out_what_zwift_cannot_hold(handmade_plan: PlanResult) -> None:
    strength = next(d for d in handmade_plan.days if d.session_code == "STR")
    assert strength.sport == "run"  # a strength session of a run catalogue
    zwo = WORKOUT_FORMATS["zwo"]
    assert zwo.refusal(strength) == "Zwift workouts are runs and rides; this session is strength"
    swim = strength.model_copy(update={"sport": "swim", "intensity": "easy"})
    assert zwo.refusal(swim) == "Zwift workouts are runs and rides; this session is swim"
    assert zwo.sessions([strength]) == []
    assert WORKOUT_FORMATS["fit"].sessions([strength]) == [strength]


def test_file_names_sort_by_date_and_slot(handmade_plan: PlanResult) -> None:
    names = [file_name(d, "fit") for d in handmade_plan.days]
    assert names == sorted(names)
    assert names[0] == "2027-03-01-0-EASY45.fit"


def test_the_fit_writer_loads_with_the_first_fit_file() -> None:
    """The API and `trainplan --help` start without it (it takes a moment to import)."""
    code = "import sys, api.routers.workouts, worker.cli.plan; sys.exit('fit_tool' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
    code = (
        "import sys; from shared.exports.registry import WORKOUT_FORMATS; "
        "from tests.workout_files import workout_day, THRESHOLD_RUN; "
        "WORKOUT_FORMATS['fit'].render(workout_day(THRESHOLD_RUN), None); "
        "sys.exit('fit_tool' not in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
