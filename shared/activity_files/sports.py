"""A file's sport name (FIT enum, GPX track type, TCX attribute) as trainplan names it."""

from __future__ import annotations

import re

_SPORTS = {
    "running": "run",
    "run": "run",
    "trail_running": "run",
    "treadmill_running": "run",
    "cycling": "bike",
    "biking": "bike",
    "bike": "bike",
    "ride": "bike",
    "virtualride": "bike",
    "swimming": "swim",
    "swim": "swim",
    "strength_training": "strength",
    "weighttraining": "strength",
}


def trainplan_sport(name: str | None, sub_sport: str | None = None) -> str:
    """run, bike, swim, strength; another sport keeps its own name (lower case, at most 20
    characters); none given: run."""
    for candidate in (sub_sport, name):
        key = re.sub(r"[^a-z0-9_]", "", str(candidate or "").strip().lower().replace(" ", "_"))
        if key in _SPORTS:
            return _SPORTS[key]
    key = re.sub(r"[^a-z0-9_]", "", str(name or "").strip().lower().replace(" ", "_"))
    return key[:20] if key and key not in ("generic", "other", "all") else "run"
