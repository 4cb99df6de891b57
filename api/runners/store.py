"""The `runner` collection: every read and write the API makes of it.

Every query carries the tenant: another tenant's runners look exactly like unknown ones.
A runner being deleted (`deleting_since` set, see `api.runners.deletion`) is already gone
for every read, so no new plan or activity is made for it while its documents go.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bson import ObjectId
from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from api.errors import ApiError, not_found
from shared import names
from shared.documents import Runner, RunnerIn

Db = AsyncDatabase[dict[str, Any]]

# Concurrent PATCHes of one runner: each retries on the document the other wrote.
UPDATE_TRIES = 5


def _visible(tenant: str, **match: Any) -> dict[str, Any]:
    return {**match, "tenant_id": tenant, "deleting_since": None}


def stored_now() -> datetime:
    """MongoDB keeps milliseconds: answer a write as a later read will."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def profile_of(runner: Runner | dict[str, Any]) -> RunnerIn:
    """The profile fields of a runner (or of its stored document)."""
    doc = runner.model_dump(mode="json") if isinstance(runner, Runner) else runner
    return RunnerIn.model_validate({k: v for k, v in doc.items() if k in RunnerIn.model_fields})


async def insert(db: Db, tenant: str, profile: RunnerIn) -> Runner:
    doc = {
        "_id": str(ObjectId()),
        **profile.model_dump(mode="json"),
        "tenant_id": tenant,
        "created_at": stored_now(),
        "revision": 0,
    }
    await db[names.RUNNERS].insert_one(doc)
    return Runner.model_validate(doc)


async def get_runner(db: Db, tenant: str, runner_id: str) -> Runner:
    doc = await db[names.RUNNERS].find_one(_visible(tenant, _id=runner_id))
    if doc is None:
        raise not_found("runner", runner_id)
    return Runner.model_validate(doc)


async def update(
    db: Db, tenant: str, runner_id: str, change: Callable[[RunnerIn], RunnerIn]
) -> Runner:
    """Replace the runner's profile by `change(profile)` (which may raise to refuse it): a
    compare-and-set on the document's revision, so a concurrent change is never lost."""
    runners = db[names.RUNNERS]
    for _ in range(UPDATE_TRIES):
        doc = await runners.find_one(_visible(tenant, _id=runner_id))
        if doc is None:
            raise not_found("runner", runner_id)
        profile = change(profile_of(doc))
        written = await runners.find_one_and_update(
            _visible(tenant, _id=runner_id, revision=doc.get("revision")),
            {
                "$set": {**profile.model_dump(mode="json"), "updated_at": stored_now()},
                "$inc": {"revision": 1},
            },
            return_document=ReturnDocument.AFTER,
        )
        if written is not None:
            return Runner.model_validate(written)
    raise ApiError(409, f"runner {runner_id!r} is being changed by another request; retry")


# -- pages, newest first -----------------------------------------------------------------


@dataclass(frozen=True)
class Position:
    """Where a page ends: its last runner's (created_at, id), the list's sort key."""

    created_at: datetime
    runner_id: str

    def token(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), self.runner_id]).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def parse(cls, token: str) -> Position:
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            created, runner_id = json.loads(raw)
            moment = datetime.fromisoformat(created)
            if not isinstance(runner_id, str) or moment.tzinfo is None:
                raise ValueError(token)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise ApiError(
                422,
                "cursor: not a cursor of this list (use the `next` link of a page)",
                ["query.cursor: invalid"],
            ) from None
        return cls(moment, runner_id)


async def page(
    db: Db, tenant: str, limit: int, after: Position | None
) -> tuple[list[Runner], Position | None]:
    """Up to `limit` runners after `after`, newest first, and where the next page starts
    (None: this is the last). Keyset paging: runners created or deleted meanwhile never
    make another runner appear twice or not at all."""
    query = _visible(tenant)
    if after is not None:
        query["$or"] = [
            {"created_at": {"$lt": after.created_at}},
            {"created_at": after.created_at, "_id": {"$lt": after.runner_id}},
        ]
    cursor = db[names.RUNNERS].find(query).sort([("created_at", -1), ("_id", -1)]).limit(limit + 1)
    runners = [Runner.model_validate(d) async for d in cursor]
    if len(runners) <= limit:
        return runners, None
    last = runners[limit - 1]
    return runners[:limit], Position(last.created_at, last.id)


async def count(db: Db, tenant: str) -> int:
    return await db[names.RUNNERS].count_documents(_visible(tenant))


# -- deletion ------------------------------------------------------------------------------


async def begin_deletion(db: Db, tenant: str, runner_id: str) -> bool:
    """Hide the runner from every read; False if there is no such runner. A deletion that
    stopped half-way (an outage) is found again, so a retried DELETE completes it."""
    doc = await db[names.RUNNERS].find_one_and_update(
        {"_id": runner_id, "tenant_id": tenant}, {"$set": {"deleting_since": stored_now()}}
    )
    return doc is not None


async def delete(db: Db, tenant: str, runner_id: str) -> None:
    await db[names.RUNNERS].delete_one({"_id": runner_id, "tenant_id": tenant})
