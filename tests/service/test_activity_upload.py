"""Activity files uploaded through the real stack: figures recomputed from the samples
written into the files (tests/activity_files.py), idempotency by file hash, nothing
stored from a request with a bad file, and a FIT file re-planning the rest of a plan."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, time, timedelta
from typing import Any

import httpx
import pytest
from fit_tool.profile.profile_type import Sport

from tests.activity_files import (
    FTP,
    LTHR,
    THRESHOLD_PACE,
    fit_bytes,
    gpx_bytes,
    hr_load,
    normalized,
    steady,
    tcx_bytes,
    wavy,
)
from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    next_monday,
    short_plan,
)
from tests.service.stack import Stack

MARKERS = {"lthr_bpm": LTHR, "threshold_pace_s_per_km": THRESHOLD_PACE, "ftp_w": FTP}
FileTuple = tuple[str, tuple[str, bytes, str]]


def upload(api: httpx.Client, runner_id: str, *files: tuple[str, bytes]) -> httpx.Response:
    parts: list[FileTuple] = [
        ("files", (name, data, "application/octet-stream")) for name, data in files
    ]
    return api.post(f"/runners/{runner_id}/activities/upload", files=parts)


def listed(api: httpx.Client, runner_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/runners/{runner_id}/activities")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()
    return items


def test_upload_fit_gpx_tcx_derives_the_figures_and_is_idempotent(
    api: httpx.Client, stack: Stack
) -> None:
    runner_id = create_runner(api, markers=MARKERS)
    day = datetime.combine(next_monday() - timedelta(days=14), time(7, 0), tzinfo=UTC)
    run = wavy(steady(40 * 60, 3.3, hr=150, step_s=5), hr_amp=12)
    ride = wavy(steady(60 * 60, 8.5, hr=135, power=190, step_s=2), power_amp=70)
    easy = steady(30 * 60, 2.9, step_s=5)  # no heart rate: rated by pace
    files = {
        "run.fit": fit_bytes(run, day),
        "ride.gpx": gpx_bytes(ride, day + timedelta(days=1), track_type="cycling"),
        "easy.tcx": tcx_bytes(easy, day + timedelta(days=2)),
    }
    response = upload(api, runner_id, *files.items())
    assert response.status_code == 201, response.text
    fit, gpx, tcx = response.json()["activities"]

    assert (fit["date"], fit["sport"], fit["duration_min"]) == (str(day.date()), "run", 40)
    assert fit["distance_km"] == pytest.approx(40 * 60 * 3.3 / 1000, abs=0.001)
    assert fit["avg_pace_s_per_km"] == pytest.approx(1000 / 3.3, abs=0.1)
    assert fit["avg_hr"] == pytest.approx(150, abs=0.5)
    assert fit["load_source"] == "heart_rate"
    assert fit["load"] == pytest.approx(hr_load(run, 40), abs=0.05)
    assert fit["file"] == {
        "name": "run.fit",
        "format": "fit",
        "sha256": hashlib.sha256(files["run.fit"]).hexdigest(),
        "size_bytes": len(files["run.fit"]),
    }
    assert fit["activity_id"] == "file-" + fit["file"]["sha256"]

    assert (gpx["sport"], gpx["load_source"]) == ("bike", "power")
    np_w = normalized(ride)
    assert gpx["normalized_power_w"] == pytest.approx(np_w, abs=0.05)
    assert gpx["avg_power_w"] == pytest.approx(190, abs=1)
    assert gpx["load"] == pytest.approx(60 / 60 * (np_w / FTP) ** 2 * 100, abs=0.05)

    assert (tcx["sport"], tcx["load_source"], tcx["avg_hr"]) == ("run", "pace", None)
    pace = 1000 / 2.9
    assert tcx["load"] == pytest.approx(0.5 * (THRESHOLD_PACE / pace) ** 2 * 100, abs=0.05)
    assert [a["activity_id"] for a in listed(api, runner_id)] == [
        a["activity_id"] for a in (fit, gpx, tcx)
    ]

    # The same file again (any name): the stored activity, nothing new.
    again = upload(api, runner_id, ("renamed.fit", files["run.fit"]))
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["activities"] == [fit]
    assert len(listed(api, runner_id)) == 3

    # Other tenants do not see the runner.
    other_key = stack.new_api_key("tenant-uploads")
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": other_key}
    ) as other:
        assert upload(other, runner_id, ("run.fit", files["run.fit"])).status_code == 404
    assert upload(api, "nosuchrunner", ("run.fit", files["run.fit"])).status_code == 404


def test_a_bad_file_stores_nothing_and_is_named(api: httpx.Client) -> None:
    runner_id = create_runner(api, markers={"lthr_bpm": LTHR})
    day = datetime.combine(next_monday() - timedelta(days=7), time(18, 0), tzinfo=UTC)
    good = fit_bytes(steady(1800, 3.0, hr=145, step_s=5), day)
    corrupt = bytearray(fit_bytes(steady(1200, 3.0, hr=140, step_s=5), day))
    corrupt[len(corrupt) // 2] ^= 0xFF
    response = upload(
        api, runner_id, ("good.fit", good), ("broken.fit", bytes(corrupt)), ("notes.txt", b"hi")
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert "broken.fit: the FIT file is damaged" in detail
    assert "notes.txt: not a FIT, GPX or TCX file" in detail and "good.fit" not in detail
    assert listed(api, runner_id) == []  # the good file was not stored either

    # A load that cannot be derived (no threshold pace, no HR in the file) names the file.
    no_hr = upload(api, runner_id, ("paced.gpx", gpx_bytes(steady(1800, 3.0, step_s=10), day)))
    assert (
        no_hr.status_code == 422
        and "paced.gpx: the load needs a threshold pace" in (no_hr.json()["detail"])
    )
    missing = api.post(f"/runners/{runner_id}/activities/upload", data={"x": "1"})
    assert missing.status_code == 422 and "files" in missing.json()["detail"]
    # Too large: refused before it is read (413), not a 500.
    huge = upload(api, runner_id, ("huge.gpx", b" " * 26_000_000))
    assert huge.status_code == 413 and "too large" in huge.json()["detail"]
    assert upload(api, runner_id, ("good.fit", good)).status_code == 201


def test_a_fit_file_replans_the_rest_of_the_plan(api: httpx.Client) -> None:
    runner_id = create_runner(api, markers={"lthr_bpm": LTHR})
    job_id = generate(api, runner_id, short_plan(4, schema_id="builtin-10k"))
    assert events_until_terminal(api, job_id)[-1].event == "succeeded"
    plan_id = api.get(f"/jobs/{job_id}").json()["plan_id"]
    v1 = api.get(f"/training-plans/{plan_id}").json()["days"]
    start = next_monday()
    # A hard hour on the plan's first day, from the watch.
    run = wavy(steady(60 * 60, 3.6, hr=165, step_s=5), hr_amp=8)
    first = datetime.combine(start, time(6, 0), tzinfo=UTC)
    stored = upload(api, runner_id, ("monday.fit", fit_bytes(run, first, sport=Sport.RUNNING)))
    assert stored.status_code == 201, stored.text
    load = stored.json()["activities"][0]["load"]
    assert load == pytest.approx(hr_load(run, 60), abs=0.05)

    effective = start + timedelta(days=7)
    accepted = api.post(f"/training-plans/{plan_id}/replan", json={"effective": str(effective)})
    assert accepted.status_code == 202, accepted.text
    assert events_until_terminal(api, accepted.json()["job_id"])[-1].event == "succeeded"
    result = api.get(f"/jobs/{accepted.json()['job_id']}").json()["result"]
    v2 = api.get(f"/training-plans/{plan_id}", params={"version": 2}).json()["days"]
    monday = [d for d in v2 if d["date"] == str(start)]
    assert [(d["load"], d["duration_min"], d["sport"]) for d in monday] == [
        (round(load), 60, "run")
    ]
    assert str(start) in result["changed_dates"]  # the plan's session, or rest, was not this
    # Fitness carries the file's load: the next morning's fatigue follows Monday's load.
    tuesday_v1 = next(d for d in v1 if d["date"] == str(start + timedelta(days=1)))
    tuesday_v2 = next(d for d in v2 if d["date"] == str(start + timedelta(days=1)))
    monday_v1 = sum(d["load"] for d in v1 if d["date"] == str(start))
    assert round(load) != monday_v1
    assert (tuesday_v2["atl"] > tuesday_v1["atl"]) == (round(load) > monday_v1)
