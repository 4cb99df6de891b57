"""Many SSE subscribers on one running job: all get every event, in order, once.

More than 100 at once: each used to hold its own blocking Redis read, and redis-py's
connection pool stops at 100, so the 101st stream ended without its terminal event.
"""

from __future__ import annotations

import asyncio
import json

import httpx

from shared.names import events_key
from tests.service.helpers import create_runner, generate, long_plan
from tests.service.stack import Stack

SUBSCRIBERS = 150


async def subscribe(client: httpx.AsyncClient, job_id: str, opened: list[int]) -> list[str]:
    """The event ids of one stream, in order; checks the terminal event comes last."""
    ids: list[str] = []
    async with client.stream("GET", f"/jobs/{job_id}/events") as response:
        assert response.status_code == 200
        opened.append(1)
        async for line in response.aiter_lines():
            if line.startswith("id:"):
                ids.append(line[3:].strip())
            elif line.startswith("data:"):
                event = json.loads(line[5:])
                if event["event"] in ("succeeded", "failed", "cancelled"):
                    assert event["event"] == "succeeded", event
    return ids


async def watch(stack: Stack, job_id: str) -> tuple[list[list[str]], int]:
    limits = httpx.Limits(max_connections=SUBSCRIBERS + 10)
    opened: list[int] = []
    async with httpx.AsyncClient(
        base_url=stack.base_url,
        headers={"X-API-Key": stack.api_key},
        limits=limits,
        timeout=httpx.Timeout(30, read=120),
    ) as client:
        streams = await asyncio.gather(
            *(subscribe(client, job_id, opened) for _ in range(SUBSCRIBERS))
        )
    return streams, len(opened)


def test_many_subscribers_get_every_event(stack: Stack, api: httpx.Client) -> None:
    runner_id = create_runner(api)
    job_id = generate(api, runner_id, long_plan(4))
    streams, opened = asyncio.run(watch(stack, job_id))
    assert opened == SUBSCRIBERS
    # The stream as stored in Redis, read independently of the API.
    stored = [entry_id for entry_id, _ in stack.redis.xrange(events_key(stack.prefix, job_id))]
    assert len(stored) >= 3  # queued, started, ..., succeeded
    for ids in streams:
        assert ids == stored
    assert api.get(f"/jobs/{job_id}").json()["state"] == "succeeded"
