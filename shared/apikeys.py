"""API keys: random secrets shown once; only their SHA-256 is ever stored or configured.

A key is 32 random bytes, so a fast hash is enough (no dictionary to attack); the hash
is the lookup key in settings (`API_KEYS`) and in the `api_keys` collection.
"""

from __future__ import annotations

import hashlib
import re
import secrets

KEY_PREFIX = "tp_"
TENANT_PATTERN = r"^[A-Za-z0-9_\-]{1,64}$"
_TENANT = re.compile(TENANT_PATTERN)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def parse_configured(spec: str) -> dict[str, str]:
    """`tenant:sha256hex,tenant:sha256hex` (the `API_KEYS` setting) -> {hash: tenant}."""
    keys: dict[str, str] = {}
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        tenant, sep, digest = entry.partition(":")
        if not sep or not _TENANT.match(tenant) or not _SHA256.match(digest):
            raise ValueError(
                f"API_KEYS entry {entry[:20]!r}... is not 'tenant:<sha256 hex of the key>' "
                "(`trainplan keys create --env` prints one)"
            )
        keys[digest] = tenant
    return keys


def configured_entry(tenant: str, key: str) -> str:
    return f"{tenant}:{hash_key(key)}"
