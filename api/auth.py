"""Who is calling: the `X-API-Key` header (WebSocket: also `?api_key=`) names a tenant.

Keys come from settings (`API_KEYS`) or the `api_keys` collection; both hold only hashes.
Known keys are cached briefly so a request costs no database round trip.
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Security
from fastapi.security import APIKeyHeader
from starlette.requests import HTTPConnection

from api.errors import ApiError
from shared import names
from shared.apikeys import hash_key

API_KEY_HEADER = "X-API-Key"
MAX_KEY_LENGTH = 200

api_key_header = APIKeyHeader(
    name=API_KEY_HEADER,
    auto_error=False,
    description="your API key (`trainplan keys create --tenant NAME` makes one)",
)


class KeyCache:
    """{hash: (tenant, expiry)}: positive lookups only, so a new key works at once."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self.entries: dict[str, tuple[str, float]] = {}

    def get(self, digest: str) -> str | None:
        hit = self.entries.get(digest)
        if hit is None or hit[1] < time.monotonic():
            return None
        return hit[0]

    def put(self, digest: str, tenant: str) -> None:
        if len(self.entries) > 10_000:  # bounded: many keys means a short-lived cache
            self.entries.clear()
        self.entries[digest] = (tenant, time.monotonic() + self.ttl_s)


async def tenant_for_key(conn: HTTPConnection, key: str | None) -> str:
    if not key:
        raise ApiError(401, f"missing API key: send it in the {API_KEY_HEADER} header")
    if len(key) > MAX_KEY_LENGTH:
        raise ApiError(401, "invalid API key")
    digest = hash_key(key)
    configured: dict[str, str] = conn.app.state.configured_keys
    tenant = configured.get(digest)
    if tenant is not None:
        return str(tenant)
    cache: KeyCache = conn.app.state.key_cache
    tenant = cache.get(digest)
    if tenant is None:
        doc = await conn.app.state.db[names.API_KEYS].find_one({"_id": digest})
        if doc is None:
            raise ApiError(401, "invalid API key")
        tenant = str(doc["tenant_id"])
        cache.put(digest, tenant)
    return tenant


async def current_tenant(
    conn: HTTPConnection, key: Annotated[str | None, Security(api_key_header)] = None
) -> str:
    """The caller's tenant. WebSockets cannot set headers from browsers: `?api_key=` too."""
    if key is None and conn.scope["type"] == "websocket":
        key = conn.query_params.get("api_key")
    return await tenant_for_key(conn, key)
