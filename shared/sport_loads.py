"""A day's load by sport: what per-sport fitness is simulated from (solve.lay_out_days) and
what the rule checker recomputes it from."""

from __future__ import annotations

from collections.abc import Iterable

from shared.planning import SessionTemplate


def sport_of_load(sport: str, kind: str) -> str:
    """The sport a single-sport session's load counts for (strength apart from running)."""
    return "strength" if kind == "strength" else sport


def loads_by_sport(sessions: Iterable[SessionTemplate]) -> dict[str, int]:
    """Sport -> load of the sessions (a brick or a race split by its `load_by_sport`)."""
    out: dict[str, int] = {}
    for s in sessions:
        if s.kind == "rest":
            continue
        parts = s.load_by_sport or {sport_of_load(s.sport, s.kind): s.load}
        for sport, load in parts.items():
            out[sport] = out.get(sport, 0) + load
    return out
