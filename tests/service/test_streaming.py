"""Live progress: SSE resumed mid-solve with Last-Event-ID, and the same events over a WebSocket."""

from __future__ import annotations

import json

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.service.helpers import (
    create_runner,
    events_until_terminal,
    generate,
    iter_sse,
    long_plan,
    short_plan,
)
from tests.service.stack import Stack


def test_sse_reconnect_mid_solve_resumes_without_gaps_or_repeats(api: httpx.Client) -> None:
    job_id = generate(api, create_runner(api), long_plan(time_limit_s=3))
    seen = []
    for event in iter_sse(api, job_id):  # disconnect at the first improving solution
        seen.append(event)
        if event.event == "progress":
            break
    assert seen[-1].data["state"] == "running"
    assert seen[-1].data["progress"]["solutions"] >= 1

    rest = events_until_terminal(api, job_id, last_event_id=seen[-1].id)
    assert rest[-1].event == "succeeded"
    everything = events_until_terminal(api, job_id)
    assert [e.id for e in seen + rest] == [e.id for e in everything]
    objectives = [e.data["progress"]["objective"] for e in everything if e.event == "progress"]
    assert len(objectives) >= 2


def test_websocket_streams_the_same_events_and_closes_after_the_terminal_one(
    api: httpx.Client, stack: Stack
) -> None:
    job_id = generate(api, create_runner(api), short_plan())
    ws_url = stack.base_url.replace("http", "ws", 1) + f"/jobs/{job_id}/ws"
    auth = {"X-API-Key": stack.api_key}  # header here; browsers use ?api_key=
    with connect(ws_url, open_timeout=10, additional_headers=auth) as ws:
        messages = [json.loads(m) for m in ws]  # iteration ends when the server closes
    assert messages[-1]["event"] == "succeeded"
    assert [m["event"] for m in messages].count("succeeded") == 1
    sse = events_until_terminal(api, job_id)
    assert [m["id"] for m in messages] == [e.id for e in sse]
    assert [m["event"] for m in messages] == [e.event for e in sse]

    with connect(
        f"{ws_url}?last_event_id={sse[0].id}", open_timeout=10, additional_headers=auth
    ) as ws:
        resumed = [json.loads(m) for m in ws]
    assert [m["id"] for m in resumed] == [e.id for e in sse[1:]]


def test_websocket_of_unknown_job_is_closed_with_not_found(stack: Stack) -> None:
    url = stack.base_url.replace("http", "ws", 1) + f"/jobs/nope/ws?api_key={stack.api_key}"
    with connect(url, open_timeout=10) as ws, pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404
    assert "not found" in closed.value.rcvd.reason
