"""The calendar subscription collection: one live subscription per plan, found by the
sha256 of its token (the token itself is shown once, never stored or logged).

Subscribing again replaces the document: the old token's hash is gone, its URL dead.
`DELETE /runners/{id}` erases a runner's subscriptions with their other documents.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from api.store import Db
from shared import names

# `secrets.token_urlsafe(32)`: 43 URL-safe characters; anything else is no token of ours.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{43}$")


@dataclass(frozen=True)
class Subscription:
    tenant_id: str
    plan_id: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def subscribe(db: Db, tenant: str, runner_id: str, plan_id: str) -> str:
    """A new token for the plan's calendar (rotating any earlier one)."""
    token = secrets.token_urlsafe(32)
    doc = {
        "_id": plan_id,
        "tenant_id": tenant,
        "runner_id": runner_id,
        "token_sha256": token_hash(token),
        "created_at": datetime.now(UTC),
    }
    await db[names.CALENDAR_SUBSCRIPTIONS].replace_one(
        {"_id": plan_id, "tenant_id": tenant}, doc, upsert=True
    )
    return token


async def revoke(db: Db, tenant: str, plan_id: str) -> bool:
    """False if the plan had no subscription."""
    result = await db[names.CALENDAR_SUBSCRIPTIONS].delete_one(
        {"_id": plan_id, "tenant_id": tenant}
    )
    return result.deleted_count > 0


async def find(db: Db, token: str) -> Subscription | None:
    if not TOKEN_PATTERN.match(token):
        return None
    doc = await db[names.CALENDAR_SUBSCRIPTIONS].find_one(
        {"token_sha256": token_hash(token)}, {"tenant_id": 1}
    )
    return None if doc is None else Subscription(doc["tenant_id"], doc["_id"])
