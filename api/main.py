"""The FastAPI application: `create_app()` wires settings, clients, errors and routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError
from redis.asyncio import Redis

from api.auth import API_KEY_HEADER, KeyCache
from api.errors import install_error_handlers, json_error_bodies
from api.events import sse_item_schemas
from api.limits import BodySizeLimit
from api.metrics import install as install_metrics
from api.routers import (
    activities,
    diff,
    exports,
    health,
    jobs,
    plans,
    replans,
    runners,
    schemas,
    uploads,
    web,
)
from api.routers.calendar import install as install_calendar
from api.routers.workouts import router as workouts_router
from api.routers.zones import router as zones_router
from shared.indexes import INDEXES, OBSOLETE_INDEXES
from shared.settings import Settings, get_settings
from worker.celery_app import create_celery

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    if not settings.mongodb_url:
        raise RuntimeError("MONGODB_URL is not set (`trainplan dev` provides an embedded one)")
    mongodb_url = settings.mongodb_url

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        mongo: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
            mongodb_url,
            tz_aware=True,
            serverSelectionTimeoutMS=settings.mongodb_timeout_ms,
            maxPoolSize=settings.mongodb_max_pool_size,
        )
        app.state.settings = settings
        app.state.configured_keys = settings.configured_keys
        app.state.key_cache = KeyCache(settings.api_key_cache_s)
        app.state.db = mongo[settings.mongodb_db]
        app.state.redis = Redis.from_url(
            settings.redis_url,
            decode_responses=True,
            socket_connect_timeout=3,
            # Above the blocking XREAD of event streams (api.events.BLOCK_MS).
            socket_timeout=30,
            # One blocking reader per watched job (api.fanout), plus requests: redis-py's
            # default of 100 would fail the streams of the 101st job watched at once.
            max_connections=2000,
        )
        app.state.celery = create_celery(settings)
        try:
            for collection, keys, options in INDEXES:
                await app.state.db[collection].create_index(keys, **options)
            for collection, name in OBSOLETE_INDEXES:  # after their replacements exist
                if name in await app.state.db[collection].index_information():
                    await app.state.db[collection].drop_index(name)
        except PyMongoError as exc:  # serve anyway: /readyz reports it, workers create them too
            log.warning("could not create MongoDB indexes at startup: %s", exc)
        yield
        await app.state.redis.aclose()
        await mongo.close()

    app = FastAPI(
        title="trainplan",
        version="0.1.0",
        summary="Optimal endurance training plans, generated asynchronously (CP-SAT).",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    default_openapi = app.openapi
    app.openapi = lambda: sse_item_schemas(json_error_bodies(default_openapi()))  # type: ignore[method-assign]
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=[API_KEY_HEADER, "Content-Type", "Idempotency-Key", "Last-Event-ID"],
        )
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        upload_bytes=settings.max_upload_bytes,
    )
    # Before the plans router, which would take `<plan_id>.<extension>` for a plan id.
    app.include_router(exports.router)
    app.include_router(workouts_router)  # device workouts: with the other plan files
    app.include_router(web.router)
    routers = (health.router, runners.router, schemas.router, plans.router, jobs.router)
    more = (activities.router, uploads.router, replans.router, diff.router, zones_router)
    for router in (*routers, *more):
        app.include_router(router)
    install_calendar(app)
    install_metrics(app)
    return app
