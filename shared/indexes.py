"""MongoDB indexes, created by both the API and the workers at startup (idempotent)."""

from __future__ import annotations

from typing import Any

from shared import names

# (collection, keys, options)
INDEXES: list[tuple[str, list[tuple[str, int]], dict[str, Any]]] = [
    # One document per plan, version, date and slot: a re-run or redelivery can never
    # duplicate a day; re-plans store their days as new versions beside the plan's (the
    # generated plan's days carry no `version`: version 1).
    (
        names.PLAN_DAYS,
        [("plan_id", 1), ("version", 1), ("date", 1), ("slot", 1)],
        {"unique": True, "name": "plan_version_date_slot_unique"},
    ),
    (names.PLAN_DAYS, [("runner_id", 1), ("date", 1)], {"name": "runner_date"}),
    # `GET /runners`: a tenant's runners, newest first (keyset pages).
    (
        names.RUNNERS,
        [("tenant_id", 1), ("created_at", -1), ("_id", -1)],
        {"name": "tenant_created"},
    ),
    (names.JOBS, [("runner_id", 1), ("state", 1), ("created_at", -1)], {"name": "runner_state"}),
    # `/metrics` counts queued and running jobs at every scrape.
    (names.JOBS, [("state", 1)], {"name": "state"}),
    # The versions of a plan (re-plans share the plan's id).
    (names.JOBS, [("plan_id", 1), ("state", 1)], {"name": "plan_state"}),
    # One activity per runner and client-chosen id (idempotent POSTs); listed by date.
    (
        names.ACTIVITIES,
        [("tenant_id", 1), ("runner_id", 1), ("activity_id", 1)],
        {"unique": True, "name": "runner_activity_unique"},
    ),
    (names.ACTIVITIES, [("tenant_id", 1), ("runner_id", 1), ("date", 1)], {"name": "runner_date"}),
    # `GET /calendar/{token}.ics` finds its subscription by the token's hash alone.
    (
        names.CALENDAR_SUBSCRIPTIONS,
        [("token_sha256", 1)],
        {"unique": True, "name": "token_sha256_unique"},
    ),
]

# Indexes replaced by one of the above (new keys, new name): dropped after those exist.
OBSOLETE_INDEXES: list[tuple[str, str]] = [
    # (plan_id, date, slot) unique: would refuse a re-plan's days beside the plan's.
    (names.PLAN_DAYS, "plan_date_slot_unique"),
]


def plan_id_for(job_id: str) -> str:
    """Deterministic per job, so a redelivered job writes the same plan."""
    import hashlib

    return hashlib.sha1(f"plan:{job_id}".encode()).hexdigest()[:24]


def day_doc_id(plan_id: str, day: str, slot: int, version: int | None = None) -> str:
    """The generated plan's days keep their ids; a re-plan's versions get their own."""
    return f"{plan_id}:{day}:{slot}" if version is None else f"{plan_id}:v{version}:{day}:{slot}"


def version_days(plan_id: str, version: int) -> dict[str, Any]:
    """The MongoDB filter of one version's day documents (the generated plan, version 1,
    has no `version` field; re-plans are versions 2, 3, ...)."""
    return {"plan_id": plan_id, "version": None if version == 1 else version}
