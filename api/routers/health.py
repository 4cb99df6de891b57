"""Liveness (`/healthz`: the process answers) and readiness (`/readyz`: its services answer)."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import DbDep, RedisDep

router = APIRouter(tags=["health"])

PROBE_TIMEOUT_S = 2.0


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "Redis or MongoDB unreachable"}})
async def readyz(db: DbDep, redis: RedisDep) -> JSONResponse:
    async def probe(check: asyncio.Future[object] | object) -> str:
        try:
            await asyncio.wait_for(check, PROBE_TIMEOUT_S)  # type: ignore[arg-type]
        except Exception as exc:
            return f"unreachable: {type(exc).__name__}: {exc}"[:200]
        return "ok"

    mongodb, redis_state = await asyncio.gather(probe(db.command("ping")), probe(redis.ping()))
    checks = {"mongodb": mongodb, "redis": redis_state}
    ready = all(v == "ok" for v in checks.values())
    body: dict[str, object] = {"status": "ready" if ready else "unavailable", "checks": checks}
    if not ready:
        broken = ", ".join(k for k, v in checks.items() if v != "ok")
        body["detail"] = f"not ready: {broken} unreachable"
    return JSONResponse(status_code=200 if ready else 503, content=body)
