"""What an activity file holds, format aside: when, which sport, how long and far, and
the heart-rate and power streams (seconds from the start, value).

A stream sample holds until the next one, for at most `MAX_HOLD_S` (a longer gap is a
pause); the last sample holds for nothing. Averages are weighted by that time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

MAX_HOLD_S = 30.0
NP_WINDOW_S = 30

FileFormat = Literal["fit", "gpx", "tcx"]
Stream = list[tuple[float, float]]  # (seconds from the start, value)


@dataclass(frozen=True)
class Recording:
    format: FileFormat
    start: datetime  # UTC
    sport: str  # the trainplan sport: run, bike, swim, strength, or the file's own name
    duration_s: float  # moving (timer) time when the file says, else first to last sample
    distance_m: float | None
    local_date: date | None = None  # the start's local date, when the file says
    heart_rate: Stream = field(default_factory=list)
    power: Stream = field(default_factory=list)

    @property
    def date(self) -> date:
        return self.local_date or self.start.date()


def holds(stream: Sequence[tuple[float, float]]) -> list[float]:
    """How long each sample holds (seconds)."""
    times = [t for t, _ in stream]
    gaps = [min(max(b - a, 0.0), MAX_HOLD_S) for a, b in itertools.pairwise(times)]
    return [*gaps, 0.0] if times else []


def time_weighted_mean(stream: Sequence[tuple[float, float]]) -> float | None:
    weights = holds(stream)
    total = sum(weights)
    if total <= 0:
        return None
    return sum(v * w for (_, v), w in zip(stream, weights, strict=True)) / total


def per_second(stream: Sequence[tuple[float, float]]) -> list[float]:
    """The stream resampled to one value a second (each sample repeated while it holds)."""
    out: list[float] = []
    for (_, value), hold in zip(stream, holds(stream), strict=True):
        out.extend([value] * round(hold))
    return out


def normalized_power(stream: Sequence[tuple[float, float]]) -> float | None:
    """Coggan's normalised power: the 4th root of the mean 4th power of the 30-second
    rolling average (of a 1-second series); shorter efforts: the average power."""
    seconds = per_second(stream)
    if not seconds:
        return None
    if len(seconds) < NP_WINDOW_S:
        return sum(seconds) / len(seconds)
    window = sum(seconds[:NP_WINDOW_S])
    rolling = [window / NP_WINDOW_S]
    for i in range(NP_WINDOW_S, len(seconds)):
        window += seconds[i] - seconds[i - NP_WINDOW_S]
        rolling.append(window / NP_WINDOW_S)
    return math.pow(sum(r**4 for r in rolling) / len(rolling), 0.25)
