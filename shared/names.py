"""Names both sides must agree on: MongoDB collections, Redis keys, the Celery task."""

from __future__ import annotations

# MongoDB collections (the SmartRunning seed's names).
RUNNERS = "runner"
SCHEMAS = "trainingplanschema"
PLAN_DAYS = "trainingplan"
JOBS = "background_jobs"
API_KEYS = "api_keys"  # {_id: sha256 of the key, tenant_id, name, created_at}

GENERATE_PLAN_TASK = "trainplan.generate_plan"

BUILTIN_SCHEMA_PREFIX = "builtin-"


def events_key(prefix: str, job_id: str) -> str:
    """Redis Stream of one job's progress events (replayed by SSE and WebSocket clients)."""
    return f"{prefix}:job:{job_id}:events"


def cancel_key(prefix: str, job_id: str) -> str:
    """Set by `DELETE /jobs/{id}`; the worker polls it while solving."""
    return f"{prefix}:job:{job_id}:cancel"


def celery_key_prefix(prefix: str) -> str:
    return f"{prefix}:celery:"


def enqueued_key(prefix: str, job_id: str) -> str:
    """Set when a job's message is published, deleted when a worker takes it: a queued job
    without it lost its message (Redis restarted) and is enqueued again."""
    return f"{prefix}:job:{job_id}:enqueued"


def draining_key(prefix: str, worker: str) -> str:
    """Set when the worker `worker` (as recorded on its jobs) starts a warm shutdown: its
    running attempts stop solving and hand their jobs back to the queue."""
    return f"{prefix}:worker:{worker}:draining"


# Completed activities (`POST /runners/{id}/activities`), one document per runner and activity id.
ACTIVITIES = "activity"

# Live calendar subscriptions, one per plan: {_id: plan_id, tenant_id, runner_id,
# token_sha256, created_at}; the token itself is never stored.
CALENDAR_SUBSCRIPTIONS = "calendar_subscription"
