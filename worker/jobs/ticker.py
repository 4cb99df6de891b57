"""A daemon thread that does one small thing every few seconds while a solve runs.

CP-SAT releases the GIL during a solve, so such a thread keeps running beside it; the
attempt holds it as a context manager: started on entry, stopped (and joined) on exit.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import Self


class Ticker:
    """Calls `tick` every `interval_s` until the context exits or `tick` returns True."""

    def __init__(self, interval_s: float, name: str, join_timeout_s: float) -> None:
        self._interval, self._join_timeout = interval_s, join_timeout_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def tick(self) -> bool:
        """One round of work; True when there is nothing more to do."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            if self.tick():
                return

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=self._join_timeout)
