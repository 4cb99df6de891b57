"""Client-side helpers for the service tests: a small SSE reader and request builders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

TERMINAL = {"succeeded", "failed", "cancelled"}


@dataclass
class Event:
    id: str
    event: str
    data: dict[str, Any]


def iter_sse(
    client: httpx.Client, job_id: str, last_event_id: str | None = None
) -> Iterator[Event]:
    """Events of a job's SSE stream as they arrive; the stream ends after the terminal one."""
    headers = {"Last-Event-ID": last_event_id} if last_event_id else {}
    with client.stream(
        "GET", f"/jobs/{job_id}/events", headers=headers, timeout=httpx.Timeout(30, read=120)
    ) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        fields: dict[str, str] = {}
        for line in response.iter_lines():
            if line.startswith(":"):
                continue  # keep-alive comment
            if line == "":
                if "data" in fields:
                    yield Event(fields["id"], fields["event"], json.loads(fields["data"]))
                fields = {}
                continue
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")


def events_until_terminal(
    client: httpx.Client, job_id: str, last_event_id: str | None = None
) -> list[Event]:
    return list(iter_sse(client, job_id, last_event_id))


def next_monday() -> date:
    today = datetime.now(UTC).date()
    return today + timedelta(days=7 - today.weekday())


def short_plan(weeks: int = 3, **extra: Any) -> dict[str, Any]:
    """A plan of a few weeks from next Monday to a Sunday race: solves in well under a second."""
    start = next_monday()
    return {
        "schema_id": "builtin-5k",
        "start": start.isoformat(),
        "marathon_date": (start + timedelta(days=7 * weeks - 1)).isoformat(),
        **extra,
    }


def long_plan(time_limit_s: float) -> dict[str, Any]:
    """An 8-week 10k plan that keeps improving for its whole time limit (gap 0 never proven)."""
    return {**short_plan(8, schema_id="builtin-10k"), "time_limit_s": time_limit_s, "gap_limit": 0}


def create_runner(client: httpx.Client, **profile: Any) -> str:
    body = {"name": "Test Runner", "ctl": 45, "atl": 40, "weekly_hours": 7, **profile}
    response = client.post("/runners", json=body)
    assert response.status_code == 201, response.text
    runner_id: str = response.json()["id"]
    return runner_id


def generate(client: httpx.Client, runner_id: str, body: dict[str, Any], **kw: Any) -> str:
    response = client.post(f"/runners/{runner_id}/training-plans/generate", json=body, **kw)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["job_id"]
    return job_id
