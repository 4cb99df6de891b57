"""Encoding of progress events in a job's Redis Stream (one field, `event`, holding JSON).

Writers (API: `queued`, `cancelled` before start; workers: the rest) and readers (SSE and
WebSocket) share this, so the stream format lives in one place.
"""

from __future__ import annotations

from redis.typing import EncodableT, FieldT

from shared.documents import ProgressEvent

FIELD = "event"
MAXLEN = 10_000  # a solve reports throttled progress; this bounds a runaway stream


def encode(event: ProgressEvent) -> dict[FieldT, EncodableT]:
    return {FIELD: event.model_dump_json(exclude_none=True)}


def decode(fields: dict[str, str]) -> ProgressEvent:
    """Fields as read by a Redis client created with `decode_responses=True`."""
    return ProgressEvent.model_validate_json(fields[FIELD])
