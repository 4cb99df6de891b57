"""A job's progress events in Redis: publishing from the API, and reading for SSE/WebSocket."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from typing import Any, cast

from fastapi.sse import format_sse_event
from redis.asyncio import Redis
from redis.exceptions import RedisError
from starlette.responses import StreamingResponse

from api.errors import ApiError
from api.fanout import StreamReply, hub_for, stream_order
from shared import events
from shared.documents import TERMINAL_STATES, Job, ProgressEvent
from shared.names import events_key
from shared.settings import Settings

log = logging.getLogger(__name__)

BLOCK_MS = 5_000
STREAM_ID = re.compile(r"^\d+-\d+$")
# Id of a terminal event synthesised from the job document when its stream has expired.
SYNTHETIC_ID = "0-1"
KEEPALIVE = b": ping\n\n"


# OpenAPI 3.2 `itemSchema`: what each event of the stream looks like.
SSE_EVENT_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "description": "resume after it with Last-Event-ID"},
        "event": {"type": "string", "description": "the event's type (ProgressEvent.event)"},
        "data": {"type": "string", "description": "the event as JSON (a ProgressEvent)"},
    },
    "required": ["data"],
}


def sse_item_schemas(openapi: dict[str, Any]) -> dict[str, Any]:
    """Event streams documented per event (`itemSchema`), not as one string."""
    for operations in openapi.get("paths", {}).values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                stream = response.get("content", {}).get("text/event-stream")
                if stream is not None and "itemSchema" in stream:
                    stream.pop("schema", None)
    return openapi


class SseResponse(StreamingResponse):
    """A `text/event-stream` of ready frames (`sse_frames`). Not FastAPI's
    EventSourceResponse: as a route's class, that one hands every yielded event through
    two more tasks and a timeout scope (most of the API's CPU with 200 subscribers)."""

    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterator[bytes], status_code: int = 200) -> None:
        # Not to be buffered or cached by proxies.
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        super().__init__(content, status_code=status_code, headers=headers)


JobLoader = Callable[[str], Awaitable[Job]]


async def publish(redis: Redis, settings: Settings, event: ProgressEvent) -> str:
    key = events_key(settings.redis_prefix, event.job_id)
    async with redis.pipeline() as pipe:
        pipe.xadd(key, events.encode(event), maxlen=events.MAXLEN, approximate=True)
        pipe.expire(key, settings.events_ttl_s)
        stream_id, _ = await pipe.execute()
    return str(stream_id)


def check_last_event_id(value: str | None) -> str:
    if value is None or value == "":
        return "0-0"
    if not STREAM_ID.match(value):
        raise ApiError(400, f"Last-Event-ID {value!r} is not an event id (like 1700000000000-0)")
    return value


def terminal_from_job(job: Job) -> ProgressEvent:
    return ProgressEvent(
        event=job.state,
        job_id=job.id,
        state=job.state,
        at=job.finished_at or job.updated_at,
        attempt=job.attempts,
        progress=job.progress,
        plan_id=job.plan_id if job.state == "succeeded" else None,
        error=job.error,
        conflicts=job.conflicts,
    )


async def follow_or_idle(
    redis: Redis, settings: Settings, job: Job, after: str, reload_job: JobLoader
) -> AsyncGenerator[tuple[str, ProgressEvent] | None, None]:
    """Events after `after`, live, up to and including the terminal event; None after
    every BLOCK_MS without one (SSE sends a keep-alive comment then)."""
    key = events_key(settings.redis_prefix, job.id)
    last = after
    try:
        # Subscribe first, then read the history: the live feed covers whatever is added
        # after that read, and entries seen in both are skipped by id.
        async with hub_for(redis, BLOCK_MS).subscribe(key) as live:
            while reply := cast(StreamReply, await redis.xread({key: last}, count=100)):
                for _key, entries in reply:
                    for stream_id, fields in entries:
                        last = stream_id
                        event = events.decode(fields)
                        yield stream_id, event
                        if event.terminal:
                            return
            while True:
                try:
                    async with asyncio.timeout(BLOCK_MS / 1000):
                        item = await live.get()
                except TimeoutError:
                    # Quiet stream: a job that ended without a readable terminal event (its
                    # stream expired) still ends the feed, from the job document.
                    job = await reload_job(job.id)
                    if job.state in TERMINAL_STATES and not await redis.xread({key: last}, count=1):
                        yield SYNTHETIC_ID, terminal_from_job(job)
                        return
                    yield None
                    continue
                if isinstance(item, Exception):  # the shared reader stopped
                    log.warning("event stream of job %s interrupted: %s", job.id, item)
                    return
                stream_id, event = item
                if stream_order(stream_id) <= stream_order(last):
                    continue
                last = stream_id
                yield stream_id, event
                if event.terminal:
                    return
    except RedisError as exc:
        # End the stream; the client reconnects with Last-Event-ID and loses nothing.
        log.warning("event stream of job %s interrupted: %s", job.id, exc)


async def follow(
    redis: Redis, settings: Settings, job: Job, after: str, reload_job: JobLoader
) -> AsyncIterator[tuple[str, ProgressEvent]]:
    """Events after `after`, live, up to and including the terminal event."""
    async with aclosing(follow_or_idle(redis, settings, job, after, reload_job)) as items:
        async for item in items:
            if item is not None:
                yield item


async def sse_frames(
    redis: Redis, settings: Settings, job: Job, after: str, reload_job: JobLoader
) -> AsyncIterator[bytes]:
    """The events as Server-Sent Events wire format, with keep-alive comments."""
    async with aclosing(follow_or_idle(redis, settings, job, after, reload_job)) as items:
        async for item in items:
            if item is None:
                yield KEEPALIVE
                continue
            stream_id, event = item
            data = event.model_dump_json(exclude_none=True)
            yield format_sse_event(id=stream_id, event=event.event, data_str=data)
