"""The days already lived, as data: what a re-plan keeps fixed before its effective date.

Pure data (no model code): the model package reads it to fix those days' variables
(`model/settle.py`); explanations read the form those days left.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.planning import SessionTemplate

# A gap in training (illness, travel): COMEBACK_MISSED planned training days or more with
# nothing done in the last COMEBACK_LOOKBACK lived days. The weeks starting in the
# COMEBACK_DAYS after it rebuild without a minimum of quality (the acute:chronic ratio
# paces them).
COMEBACK_MISSED = 3
COMEBACK_LOOKBACK = 14
COMEBACK_DAYS = 21


@dataclass(frozen=True)
class FixedPast:
    """The sessions of the days before `until` (a day index), as they were done."""

    until: int
    sessions: tuple[tuple[SessionTemplate, ...], ...]  # per past day; () = nothing done
    ctl: float  # fitness and fatigue the morning of day `until` (for explanations)
    atl: float
    planned: tuple[int, ...] = ()  # the previous plan's load of each past day

    def covers(self, d: int) -> bool:
        return d < self.until

    def load(self, d: int) -> int:
        return sum(s.load for s in self.sessions[d])

    def planned_load(self, d: int) -> int:
        return self.planned[d] if d < len(self.planned) else self.load(d)

    def missed_training(self) -> bool:
        """A gap in training lately (see COMEBACK_MISSED)."""
        lived = range(max(0, self.until - COMEBACK_LOOKBACK), self.until)
        missed = sum(1 for d in lived if self.planned_load(d) > 0 and self.load(d) == 0)
        return missed >= COMEBACK_MISSED


def same_session(a: SessionTemplate, b: SessionTemplate) -> bool:
    """Equal for the model (what constraints and loads read), whatever the labels."""
    return (a.kind, a.intensity, a.duration_min, a.load, a.sport) == (
        b.kind,
        b.intensity,
        b.duration_min,
        b.load,
        b.sport,
    )
