"""The stderr progress bar of a solve: elapsed vs time limit, objective, gap."""

from __future__ import annotations

import threading
import time
from typing import TextIO

from shared.exports.summary import format_gap
from shared.planning import SolveProgress


class ProgressBar:
    """A one-line bar on a terminal stream: elapsed vs time limit, objective, gap.

    Progress callbacks arrive from the solver thread only on improvement, so a small
    ticker thread redraws the elapsed time in between.
    """

    def __init__(self, stream: TextIO, time_limit_s: float, width: int = 28) -> None:
        self._stream = stream
        self._limit = max(time_limit_s, 1e-9)
        self._width = width
        self._lock = threading.Lock()
        self._latest: SolveProgress | None = None
        self._started = time.monotonic()
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="progress-bar", daemon=True)

    def __enter__(self) -> ProgressBar:
        self._started = time.monotonic()
        self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def update(self, progress: SolveProgress) -> None:
        with self._lock:
            self._latest = progress
        self._draw()

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        filled = min(self._width, int(self._width * elapsed / self._limit))
        bar = "#" * filled + "." * (self._width - filled)
        text = f"solving [{bar}] {elapsed:5.1f}/{self._limit:g} s"
        latest = self._latest
        if latest is None:
            return text + "  searching for a first plan"
        return (
            f"{text}  objective {latest.objective:.2f}  gap {format_gap(latest.gap)}"
            f"  plans {latest.solutions}"
        )

    def _draw(self) -> None:
        with self._lock:
            self._stream.write("\r\x1b[K" + self.line())
            self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(0.2):
            self._draw()

    def close(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        if self._ticker.is_alive():
            self._ticker.join()
        with self._lock:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
