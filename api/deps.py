"""FastAPI dependencies: the clients created by the lifespan, as `Annotated` types."""

from __future__ import annotations

from typing import Annotated, Any

from celery import Celery
from fastapi import Depends
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from starlette.requests import HTTPConnection

from api.auth import current_tenant
from shared.settings import Settings


def get_settings(conn: HTTPConnection) -> Settings:
    settings: Settings = conn.app.state.settings
    return settings


def get_db(conn: HTTPConnection) -> AsyncDatabase[dict[str, Any]]:
    db: AsyncDatabase[dict[str, Any]] = conn.app.state.db
    return db


def get_redis(conn: HTTPConnection) -> Redis:
    client: Redis = conn.app.state.redis
    return client


def get_celery(conn: HTTPConnection) -> Celery:
    app: Celery = conn.app.state.celery
    return app


SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[AsyncDatabase[dict[str, Any]], Depends(get_db)]
RedisDep = Annotated[Redis, Depends(get_redis)]
CeleryDep = Annotated[Celery, Depends(get_celery)]
# The caller's tenant (from its API key): every read and write is scoped to it.
TenantDep = Annotated[str, Depends(current_tenant)]
