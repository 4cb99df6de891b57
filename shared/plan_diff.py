"""What differs between two versions of a plan: the dates whose sessions differ.

A date's sessions are the session code of each of its slots; a slot added or dropped, or
a date only one version has, is a difference. Re-plan jobs report these dates
(`changed_dates`); `GET /training-plans/{plan_id}/diff` shows their sessions side by side.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class DayEntry(Protocol):
    """One date and slot of a plan (a `PlanDay`, a stored day document)."""

    @property
    def date(self) -> date: ...

    @property
    def slot(self) -> int: ...

    @property
    def session_code(self) -> str: ...


Entry = TypeVar("Entry", bound=DayEntry)


def by_date(entries: Iterable[Entry]) -> dict[date, list[Entry]]:
    """Date -> its entries in slot order."""
    out: dict[date, list[Entry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: (e.date, e.slot)):
        out[entry.date].append(entry)
    return dict(out)


def sessions(entries: Iterable[DayEntry]) -> dict[int, str]:
    """Slot -> session code."""
    return {e.slot: e.session_code for e in entries}


def changed_dates(days: Iterable[DayEntry], previous: Iterable[DayEntry]) -> list[date]:
    """Every date of either version, in order, whose sessions differ between them."""
    new, old = by_date(days), by_date(previous)
    return [
        d
        for d in sorted(new.keys() | old.keys())
        if sessions(new.get(d, [])) != sessions(old.get(d, []))
    ]
