"""Turns the Redis cancel flag of a job into the engine's `threading.Event`."""

from __future__ import annotations

import logging
import threading
from types import TracebackType

import redis

log = logging.getLogger(__name__)


class CancelWatcher:
    """Polls the flag from a daemon thread while the solve runs (the solve blocks the task)."""

    def __init__(self, client: redis.Redis, key: str, interval_s: float) -> None:
        self.event = threading.Event()
        self._client, self._key, self._interval = client, key, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cancel-watcher", daemon=True)

    def requested(self) -> bool:
        try:
            return bool(self._client.exists(self._key))
        except redis.RedisError:
            log.warning("cannot read cancel flag %s", self._key, exc_info=True)
            return False

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            if self.requested():
                self.event.set()
                return

    def __enter__(self) -> CancelWatcher:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
