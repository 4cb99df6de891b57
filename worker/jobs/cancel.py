"""Turns Redis flags into the engine's `threading.Event`: the job's cancel flag (a user's
`DELETE /jobs/{id}`) and its worker's draining flag (warm shutdown: hand the job back)."""

from __future__ import annotations

import logging
import threading
from typing import Literal

import redis

from worker.jobs.ticker import Ticker

log = logging.getLogger(__name__)

StopReason = Literal["cancel", "handback"]


class HandBack(Exception):
    """The attempt stopped because its worker is shutting down: the job goes back to the
    queue (tasks.py) instead of ending as cancelled."""


class CancelWatcher(Ticker):
    """Polls the flags from a daemon thread while the solve runs (the solve blocks the task)."""

    def __init__(
        self,
        client: redis.Redis,
        key: str,
        interval_s: float,
        handback_key: str | None = None,
    ) -> None:
        super().__init__(interval_s, "cancel-watcher", join_timeout_s=2)
        self.event = threading.Event()
        self.reason: StopReason | None = None
        self._client, self._key = client, key
        self._handback_key = handback_key
        self._failing = False

    @property
    def handing_back(self) -> bool:
        return self.reason == "handback"

    def requested(self) -> bool:
        """Whether the job's cancel flag is set."""
        return self._poll() == "cancel"

    def _poll(self) -> StopReason | None:
        keys = [self._key] + ([self._handback_key] if self._handback_key else [])
        try:
            pipe = self._client.pipeline(transaction=False)
            for key in keys:
                pipe.exists(key)
            found = pipe.execute()
        except redis.RedisError as exc:
            # Redis away: solve on (its result goes to MongoDB); say so once, not 5 times a second.
            if not self._failing:
                log.warning("cannot read the flags %s: %s", keys, exc)
            self._failing = True
            return None
        self._failing = False
        if found[0]:
            return "cancel"
        if len(found) > 1 and found[1]:
            return "handback"
        return None

    def tick(self) -> bool:
        reason = self._poll()
        if reason is None:
            return False
        self.reason = reason
        self.event.set()
        return True
