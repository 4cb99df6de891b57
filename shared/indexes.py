"""MongoDB indexes, created by both the API and the workers at startup (idempotent)."""

from __future__ import annotations

from typing import Any

from shared import names

# (collection, keys, options)
INDEXES: list[tuple[str, list[tuple[str, int]], dict[str, Any]]] = [
    # One document per plan, date and slot: a re-run or redelivery can never duplicate a day.
    (
        names.PLAN_DAYS,
        [("plan_id", 1), ("date", 1), ("slot", 1)],
        {"unique": True, "name": "plan_date_slot_unique"},
    ),
    (names.PLAN_DAYS, [("runner_id", 1), ("date", 1)], {"name": "runner_date"}),
    (names.JOBS, [("runner_id", 1), ("state", 1), ("created_at", -1)], {"name": "runner_state"}),
    # `/metrics` counts queued and running jobs at every scrape.
    (names.JOBS, [("state", 1)], {"name": "state"}),
]


def plan_id_for(job_id: str) -> str:
    """Deterministic per job, so a redelivered job writes the same plan."""
    import hashlib

    return hashlib.sha1(f"plan:{job_id}".encode()).hexdigest()[:24]


def day_doc_id(plan_id: str, day: str, slot: int) -> str:
    return f"{plan_id}:{day}:{slot}"
