"""Redis or MongoDB unreachable: readiness fails and requests get a 503 with a message."""

from __future__ import annotations

import asyncio

import httpx

from api.main import create_app
from shared.apikeys import configured_entry, new_key
from shared.settings import Settings
from tests.service.stack import Stack
from worker.cli.stack import free_port

KEY = new_key()


async def call(settings: Settings, method: str, path: str, **kw: object) -> httpx.Response:
    app = create_app(settings.model_copy(update={"api_keys": configured_entry("t", KEY)}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t", headers={"X-API-Key": KEY}
        ) as client:
            return await client.request(method, path, **kw)  # type: ignore[arg-type]


def dead_url(scheme: str) -> str:
    return f"{scheme}://127.0.0.1:{free_port()}"  # nothing listens there


def test_mongodb_down_gives_503_with_a_message() -> None:
    settings = Settings(mongodb_url=dead_url("mongodb"), mongodb_timeout_ms=300, redis_prefix="x")
    ready = asyncio.run(call(settings, "GET", "/readyz"))
    assert ready.status_code == 503
    assert "mongodb" in ready.json()["detail"]
    response = asyncio.run(call(settings, "POST", "/runners", json={"name": "A"}))
    assert response.status_code == 503
    assert "MongoDB" in response.json()["detail"]


def test_redis_down_gives_503_with_a_message(stack: Stack) -> None:
    settings = Settings(
        mongodb_url=stack.mongodb_url, mongodb_db=stack.db_name, redis_url=dead_url("redis") + "/0"
    )
    ready = asyncio.run(call(settings, "GET", "/readyz"))
    assert ready.status_code == 503 and "redis" in ready.json()["detail"]
    response = asyncio.run(call(settings, "POST", "/runners", json={"name": "A"}))
    assert response.status_code == 201  # needs only MongoDB
    runner_id = response.json()["id"]
    body = {"schema_id": "builtin-5k", "marathon_date": "2099-05-03"}
    generate = asyncio.run(
        call(settings, "POST", f"/runners/{runner_id}/training-plans/generate", json=body)
    )
    assert generate.status_code == 503, generate.text
    assert "Redis" in generate.json()["detail"]
    assert stack.db["background_jobs"].count_documents({"runner_id": runner_id}) == 0
