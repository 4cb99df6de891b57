"""One Redis reader per watched job, shared by every subscriber of that job in this process.

A subscriber blocking in its own XREAD costs a Redis connection each (redis-py's pool
stops at 100 by default: subscriber 101 of a popular job failed) and decodes every event
once per subscriber. Here one task per job stream reads it and hands each decoded event
to the queues of that job's subscribers; a subscriber reads the history itself, then the
shared live feed (see `api.events.follow`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import cast

from redis.asyncio import Redis

from shared import events
from shared.documents import ProgressEvent

log = logging.getLogger(__name__)

Entry = tuple[str, ProgressEvent]
# What a subscriber's queue holds: events, or the error that ended the shared reader.
Item = Entry | Exception
# XREAD's reply with decode_responses=True: [(key, [(id, fields), ...]), ...]
StreamReply = list[tuple[str, list[tuple[str, dict[str, str]]]]]


def stream_order(stream_id: str) -> tuple[int, int]:
    ms, _, seq = stream_id.partition("-")
    return int(ms), int(seq or 0)


@dataclass(eq=False)
class Feed:
    key: str
    last: str  # the reader delivers every entry after this one
    queues: set[asyncio.Queue[Item]] = field(default_factory=set)


class Hub:
    def __init__(self, redis: Redis, block_ms: int) -> None:
        self.redis, self.block_ms = redis, block_ms
        self.feeds: dict[str, Feed] = {}
        self.tasks: set[asyncio.Task[None]] = set()

    @contextlib.asynccontextmanager
    async def subscribe(self, key: str) -> AsyncIterator[asyncio.Queue[Item]]:
        """A queue of the live entries of stream `key`: every entry added to the stream
        from before this returns onwards (older ones may be there too: skip by id)."""
        feed = self.feeds.get(key)
        if feed is None:
            # The reader starts at the newest entry now: the subscriber reads the history
            # itself after subscribing, so nothing falls between the two.
            newest = await self.redis.xrevrange(key, count=1)
            feed = self.feeds.get(key)  # another subscriber may have started one meanwhile
            if feed is None:
                feed = Feed(key, str(newest[0][0]) if newest else "0-0")
                self.feeds[key] = feed
                task = asyncio.create_task(self.read(feed), name=f"events {key}")
                self.tasks.add(task)
                task.add_done_callback(self.tasks.discard)
        queue: asyncio.Queue[Item] = asyncio.Queue()
        feed.queues.add(queue)
        try:
            yield queue
        finally:
            feed.queues.discard(queue)  # the reader stops after its current XREAD

    async def read(self, feed: Feed) -> None:
        try:
            while feed.queues:
                reply = cast(
                    StreamReply,
                    await self.redis.xread({feed.key: feed.last}, block=self.block_ms, count=100),
                )
                for _key, entries in reply or []:
                    for stream_id, fields in entries:
                        feed.last = stream_id
                        entry: Item = (stream_id, events.decode(fields))
                        for queue in feed.queues:
                            queue.put_nowait(entry)
        except Exception as exc:  # Redis gone, a bad entry: subscribers end, clients resume
            for queue in feed.queues:
                queue.put_nowait(exc)
        finally:
            if self.feeds.get(feed.key) is feed:
                del self.feeds[feed.key]


_hubs: weakref.WeakKeyDictionary[Redis, Hub] = weakref.WeakKeyDictionary()


def hub_for(redis: Redis, block_ms: int) -> Hub:
    """The hub of this Redis client (one per application and event loop)."""
    hub = _hubs.get(redis)
    if hub is None:
        hub = _hubs[redis] = Hub(redis, block_ms)
    return hub
