"""`trainplan keys create|list|revoke`: API keys for tenants (stored as SHA-256 hashes).

A key is printed once, at creation; only its hash is kept, in the `api_keys` collection
(`MONGODB_URL`) or, with `--env`, as an `API_KEYS` entry for the settings instead.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from typing import Any

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import PyMongoError

from shared import names
from shared.apikeys import TENANT_PATTERN, configured_entry, hash_key, new_key


def register(subparsers: Any) -> None:
    keys = subparsers.add_parser("keys", help="create, list or revoke API keys")
    actions = keys.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    create = actions.add_parser("create", help="make a key for a tenant and print it once")
    create.add_argument("--tenant", required=True, type=tenant_name)
    create.add_argument("--name", default="", help="a note: who or what uses the key")
    create.add_argument(
        "--env", action="store_true", help="store nothing; print an API_KEYS entry instead"
    )
    create.set_defaults(func=run_create)
    listing = actions.add_parser("list", help="tenants, key names and creation dates")
    listing.set_defaults(func=run_list)
    revoke = actions.add_parser("revoke", help="delete a tenant's stored keys")
    revoke.add_argument("--tenant", required=True, type=tenant_name)
    revoke.set_defaults(func=run_revoke)


def tenant_name(value: str) -> str:
    if not re.match(TENANT_PATTERN, value):
        raise argparse.ArgumentTypeError("a tenant is 1-64 letters, digits, '-' or '_'")
    return value


def store_key(db: Database[dict[str, Any]], tenant: str, key: str, name: str = "") -> None:
    db[names.API_KEYS].insert_one(
        {"_id": hash_key(key), "tenant_id": tenant, "name": name, "created_at": datetime.now(UTC)}
    )


def _database() -> Database[dict[str, Any]] | None:
    from shared.settings import get_settings

    settings = get_settings()
    if not settings.mongodb_url:
        print("trainplan keys: set MONGODB_URL (or use --env)", file=sys.stderr)
        return None
    client: MongoClient[dict[str, Any]] = MongoClient(
        settings.mongodb_url, serverSelectionTimeoutMS=settings.mongodb_timeout_ms
    )
    return client[settings.mongodb_db]


def run_create(args: argparse.Namespace) -> int:
    key = new_key()
    if args.env:
        print(f"key: {key}")
        print(f"API_KEYS entry (comma-separate several): {configured_entry(args.tenant, key)}")
        return 0
    db = _database()
    if db is None:
        return 2
    try:
        store_key(db, args.tenant, key, args.name)
    except PyMongoError as exc:
        print(f"trainplan keys: MongoDB failed: {exc}", file=sys.stderr)
        return 1
    print(f"key for tenant {args.tenant}: {key}")
    print("shown once: only its hash is stored")
    return 0


def run_list(args: argparse.Namespace) -> int:
    db = _database()
    if db is None:
        return 2
    try:
        for doc in db[names.API_KEYS].find().sort("tenant_id", 1):
            print(f"{doc['tenant_id']}\t{doc.get('name', '')}\t{doc['created_at']:%Y-%m-%d}")
    except PyMongoError as exc:
        print(f"trainplan keys: MongoDB failed: {exc}", file=sys.stderr)
        return 1
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    db = _database()
    if db is None:
        return 2
    try:
        deleted = db[names.API_KEYS].delete_many({"tenant_id": args.tenant}).deleted_count
    except PyMongoError as exc:
        print(f"trainplan keys: MongoDB failed: {exc}", file=sys.stderr)
        return 1
    print(f"revoked {deleted} key(s) of tenant {args.tenant} (API caches expire within 30 s)")
    return 0
