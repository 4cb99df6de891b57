"""Live calendar subscriptions through the real stack: a secret URL served without any
header, rotated, revoked, erased with its runner, and following a re-plan.

Checked independently: every event against the days `GET /training-plans/{id}` serves
(per version), SEQUENCE and STATUS recounted from the two versions' sessions, the stored
document against the token's sha256, the API's own log lines for the token.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import time
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import icalendar
import pytest

from api.routers.calendar import redact
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from worker.cli.stack import free_port, self_command

Slot = tuple[str, int]


def wait(api: httpx.Client, job_id: str) -> dict[str, Any]:
    last = events_until_terminal(api, job_id)[-1]
    assert last.event == "succeeded", last.data
    return last.data


def subscribe(api: httpx.Client, plan_id: str) -> tuple[str, str]:
    """(url, token)"""
    response = api.post(f"/training-plans/{plan_id}/calendar")
    assert response.status_code == 201, response.text
    body = response.json()
    url: str = body["url"]
    assert url.startswith(f"{api.base_url}/calendar/") and url.endswith(".ics")
    assert body["webcal"] == "webcal://" + url.removeprefix("http://")
    return url, url.rsplit("/", 1)[1].removesuffix(".ics")


def fetch(url: str) -> icalendar.Calendar:
    response = httpx.get(url, timeout=30)  # no header at all, as a calendar app
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events(cal: icalendar.Calendar) -> dict[str, Any]:
    found = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(found) == len(cal.walk("VEVENT"))
    return found


def uid(plan_id: str, day: dict[str, Any]) -> str:
    return f"{day['date'].replace('-', '')}-{day['slot']}-{plan_id}@trainplan"


def session(day: dict[str, Any] | None) -> tuple[Any, ...] | None:
    """What the calendar shows of a day's session; None for rest (no event)."""
    if day is None or day["intensity"] == "rest":
        return None
    fields = ("session_code", "session_type", "session_definition", "sport", "intensity")
    return (*(day[f] for f in fields), day["duration_min"], day["load"])


def sessions(days: list[dict[str, Any]]) -> dict[Slot, dict[str, Any]]:
    return {(d["date"], d["slot"]): d for d in days if session(d) is not None}


def check_event(event: Any, day: dict[str, Any]) -> None:
    when = date.fromisoformat(day["date"])
    assert event.decoded("DTSTART") == when and event.decoded("DTEND") == when + timedelta(1)
    assert str(event["SUMMARY"]).endswith(f"{day['session_type']} ({day['duration_min']} min)")
    description = str(event["DESCRIPTION"])
    assert description.startswith(day["session_definition"].strip() or day["session_type"])
    assert f"{day['duration_min']} min, load {day['load']}" in description


@pytest.fixture(scope="module")
def planned(stack: Stack) -> tuple[str, dict[str, Any]]:
    """A 6-week 10k plan from next Monday: (runner id, its version 1)."""
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as api:
        runner_id = create_runner(api)
        plan_id = wait(api, generate(api, runner_id, short_plan(6, schema_id="builtin-10k")))[
            "plan_id"
        ]
        return runner_id, api.get(f"/training-plans/{plan_id}").json()


def test_subscribe_fetch_rotate_revoke(
    api: httpx.Client, stack: Stack, planned: tuple[str, dict[str, Any]]
) -> None:
    _, plan = planned
    plan_id = plan["plan_id"]
    route = f"/training-plans/{plan_id}/calendar"
    assert httpx.post(stack.base_url + route).status_code == 401
    other = {"X-API-Key": stack.new_api_key("tenant-calendar-other")}
    for method in ("POST", "DELETE"):
        assert httpx.request(method, stack.base_url + route, headers=other).status_code == 404
    assert api.post("/training-plans/nosuchplan/calendar").status_code == 404

    url, token = subscribe(api, plan_id)
    assert len(token) == 43
    stored = stack.db["calendar_subscription"].find_one({"_id": plan_id})
    assert stored is not None and stored["tenant_id"] == "tenant-main"
    assert stored["token_sha256"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(stored)  # only its hash

    cal = fetch(url)
    assert cal.decoded("REFRESH-INTERVAL") == timedelta(hours=6)
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(cal["X-PUBLISHED-TTL"].to_ical().decode()) == "PT6H"
    by_uid = events(cal)
    expected = sessions(plan["days"])
    assert len(by_uid) == len(expected) > 0
    for day in expected.values():
        event = by_uid[uid(plan_id, day)]
        check_event(event, day)
        assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    # The download builds the same events (its own DTSTAMP, no revision fields).
    download = events(icalendar.Calendar.from_ical(api.get(f"/training-plans/{plan_id}.ics").text))
    assert set(download) == set(by_uid)
    for key, event in download.items():
        for field in ("SUMMARY", "DESCRIPTION", "DTSTART", "DTEND", "CATEGORIES"):
            assert event.get(field).to_ical() == by_uid[key].get(field).to_ical()

    # Rotation: one live address per plan.
    new_url, new_token = subscribe(api, plan_id)
    assert new_token != token
    unknown = httpx.get(url)
    assert unknown.status_code == 404 and token not in unknown.text
    for bad in ("A" * 43, "short", "%00", "a.b"):
        again = httpx.get(f"{stack.base_url}/calendar/{bad}.ics")
        assert (again.status_code, again.json()) == (404, unknown.json())
    fetch(new_url)
    assert stack.db["calendar_subscription"].count_documents({"_id": plan_id}) == 1

    # Revocation.
    assert api.delete(route).status_code == 204
    assert httpx.get(new_url).status_code == 404
    assert api.delete(route).status_code == 404


def test_calendar_follows_a_replan(
    api: httpx.Client, stack: Stack, planned: tuple[str, dict[str, Any]]
) -> None:
    _, first = planned
    plan_id = first["plan_id"]
    url, _ = subscribe(api, plan_id)
    before = events(fetch(url))

    start = date.fromisoformat(first["summary"]["start"])
    effective = start + timedelta(days=16)
    # A session of version 1 made impossible (unavailable): it must come back cancelled.
    dropped = min(d for d, _ in sessions(first["days"]) if d >= str(effective))
    body = {
        "effective": str(effective),
        "unavailable_dates": [dropped],
        "weekly_hours": 6.0,
        "use_activities": False,
    }
    accepted = api.post(f"/training-plans/{plan_id}/replan", json=body)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["job_id"]
    wait(api, job_id)
    second = api.get(f"/training-plans/{plan_id}").json()
    assert second["version"] > first["version"] == 1
    assert second["versions"] == [1, second["version"]]  # no other re-plan of this plan

    after = events(fetch(url))
    old, new = sessions(first["days"]), sessions(second["days"])
    assert set(after) == {uid(plan_id, d) for d in (old | new).values()}
    unchanged, changed, cancelled = [], [], []
    for slot in sorted(set(old) | set(new)):
        was, now = session(old.get(slot)), session(new.get(slot))
        key = uid(plan_id, new.get(slot) or old[slot])
        event = after[key]
        if now is None:
            cancelled.append(key)
            assert str(event["STATUS"]) == "CANCELLED"
            check_event(event, old[slot])  # the session that was dropped
        else:
            assert str(event["STATUS"]) == "CONFIRMED"
            check_event(event, new[slot])
        if was == now:
            unchanged.append(key)
            assert int(event["SEQUENCE"]) == int(before[key]["SEQUENCE"]) == 0
            assert event.decoded("LAST-MODIFIED") == before[key].decoded("LAST-MODIFIED")
        else:
            changed.append(key)
            assert int(event["SEQUENCE"]) == 1
            if key in before:
                assert int(event["SEQUENCE"]) > int(before[key]["SEQUENCE"])
                assert event.decoded("LAST-MODIFIED") > before[key].decoded("LAST-MODIFIED")
    assert uid(plan_id, old[(dropped, 0)]) in cancelled
    assert unchanged and set(cancelled) < set(changed)
    finished = datetime.fromisoformat(api.get(f"/jobs/{job_id}").json()["finished_at"])
    for key in changed:
        assert abs(after[key].decoded("LAST-MODIFIED") - finished) < timedelta(seconds=1)
    # Without activities the days before the effective date are version 1's: unchanged.
    assert all(uid(plan_id, d) in unchanged for s, d in old.items() if s[0] < str(effective))
    assert api.delete(f"/training-plans/{plan_id}/calendar").status_code == 204


def test_deleting_the_runner_deletes_its_subscription(api: httpx.Client, stack: Stack) -> None:
    runner_id = create_runner(api)
    plan_id = wait(api, generate(api, runner_id, short_plan(3)))["plan_id"]
    url, _ = subscribe(api, plan_id)
    fetch(url)
    assert api.delete(f"/runners/{runner_id}").status_code == 204
    assert httpx.get(url).status_code == 404
    assert stack.db["calendar_subscription"].count_documents({"runner_id": runner_id}) == 0


def test_tokens_never_reach_the_log(
    api: httpx.Client, stack: Stack, planned: tuple[str, dict[str, Any]]
) -> None:
    assert redact('127.0.0.1:5 - "GET /calendar/abc-_9.ics?x=1 HTTP/1.1" 200') == (
        '127.0.0.1:5 - "GET /calendar/<redacted>?x=1 HTTP/1.1" 200'
    )
    assert redact("POST /training-plans/p1/calendar") == "POST /training-plans/p1/calendar"
    _, plan = planned
    url, token = subscribe(api, plan["plan_id"])
    # The stack's API logs warnings only; a second API process on the same databases logs
    # every request (uvicorn's access log at info).
    port = free_port()
    log_path = stack.tmp / f"api-access-{port}.log"
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            self_command("api", "--port", str(port), "--log-level", "info"),
            env={**stack.env, "LOG_FORMAT": "json"},
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        fetch(url.replace(stack.base_url, base))
        assert httpx.get(f"{base}/calendar/{token[::-1]}.ics").status_code == 404
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    text = log_path.read_text()
    access = [
        r["message"] for r in map(json.loads, text.splitlines()) if r["logger"] == "uvicorn.access"
    ]
    feeds = [m.split('"')[1] + m.split('"')[2] for m in access if "/calendar/" in m]
    assert feeds == [
        "GET /calendar/<redacted> HTTP/1.1 200",
        "GET /calendar/<redacted> HTTP/1.1 404",
    ]
    for logged in (text, stack.log_path("api").read_text()):
        assert token not in logged and token[::-1] not in logged
    assert api.delete(f"/training-plans/{plan['plan_id']}/calendar").status_code == 204
