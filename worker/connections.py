"""Per-process MongoDB and Redis clients for the workers (created lazily after the fork)."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

import redis
from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import OperationFailure

from shared.indexes import INDEXES, OBSOLETE_INDEXES
from shared.settings import get_settings

log = logging.getLogger(__name__)


class NotConfigured(RuntimeError):
    pass


@lru_cache
def mongo_db() -> Database[dict[str, Any]]:
    settings = get_settings()
    if not settings.mongodb_url:
        raise NotConfigured("MONGODB_URL is not set: workers need a MongoDB to read and write")
    client: MongoClient[dict[str, Any]] = MongoClient(
        settings.mongodb_url, tz_aware=True, serverSelectionTimeoutMS=settings.mongodb_timeout_ms
    )
    db = client[settings.mongodb_db]
    ensure_indexes(db)
    return db


def ensure_indexes(db: Database[dict[str, Any]]) -> None:
    """Create the indexes, then drop those they replace (existing data stays unique)."""
    for collection, keys, options in INDEXES:
        db[collection].create_index(keys, **options)
    for collection, name in OBSOLETE_INDEXES:
        try:
            if name in db[collection].index_information():
                db[collection].drop_index(name)
        except OperationFailure as exc:  # another process dropped it first
            log.info("index %s.%s: %s", collection, name, exc)


@lru_cache
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(
        get_settings().redis_url, decode_responses=True, socket_connect_timeout=3
    )
