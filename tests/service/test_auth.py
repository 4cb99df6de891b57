"""API keys and tenancy: no key or a wrong key is a 401; another tenant's ids are 404s."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess

import httpx
import pytest
import websockets

from api.main import create_app
from shared.apikeys import configured_entry, hash_key, new_key
from shared.settings import Settings
from tests.service.helpers import create_runner, events_until_terminal, generate, short_plan
from tests.service.stack import Stack
from worker.cli.stack import self_command


@pytest.fixture
def stranger(stack: Stack) -> httpx.Client:
    """A client of another tenant, with a key stored in MongoDB (not in settings)."""
    return httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.new_api_key("other")}
    )


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "tp_wrong"}, {"X-API-Key": "x" * 500}])
def test_missing_or_wrong_key_is_401(stack: Stack, headers: dict[str, str]) -> None:
    with httpx.Client(base_url=stack.base_url, headers=headers) as client:
        for method, path in [
            ("GET", "/runners/abc"),
            ("POST", "/runners"),
            ("GET", "/training-plan-schemas"),
            ("GET", "/jobs/abc"),
            ("GET", "/jobs/abc/events"),
            ("GET", "/training-plans/abc"),
        ]:
            response = client.request(method, path, json={"name": "A"})
            assert response.status_code == 401, (method, path, response.text)
            assert "API key" in response.json()["detail"]
        # Health stays open: orchestrators probe it without credentials.
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_keys_are_stored_hashed(stack: Stack) -> None:
    key = stack.new_api_key("hashed")
    stored = stack.db["api_keys"].find_one({"tenant_id": "hashed"})
    assert stored is not None and stored["_id"] == hash_key(key) and key not in str(stored)


def test_admin_command_creates_and_revokes_keys(stack: Stack) -> None:
    def keys(*args: str) -> str:
        done = subprocess.run(
            self_command("keys", *args), env=stack.env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    key = re.search(r"(tp_\S+)", keys("create", "--tenant", "cli-made", "--name", "ci")).group(1)  # type: ignore[union-attr]
    assert "cli-made\tci\t" in keys("list")
    with httpx.Client(base_url=stack.base_url, headers={"X-API-Key": key}) as client:
        runner_id = create_runner(client)
        assert client.get(f"/runners/{runner_id}").status_code == 200
        assert "revoked 1 key" in keys("revoke", "--tenant", "cli-made")
        assert client.get(f"/runners/{runner_id}").status_code == 401


def test_another_tenants_resources_are_not_found(
    api: httpx.Client, stranger: httpx.Client, stack: Stack
) -> None:
    runner_id = create_runner(api)
    job_id = generate(api, runner_id, short_plan())
    job = events_until_terminal(api, job_id)[-1]
    assert job.event == "succeeded"
    plan_id = job.data["plan_id"]
    schema = api.get("/training-plan-schemas/builtin-5k").json()
    schema = {k: schema[k] for k in ("name", "distance", "sessions", "taper_days")}
    schema_id = api.post("/training-plan-schemas", json=schema).json()["id"]

    for method, path in [
        ("GET", f"/runners/{runner_id}"),
        ("GET", f"/runners/{runner_id}/training-plans"),
        ("POST", f"/runners/{runner_id}/training-plans/generate"),
        ("GET", f"/jobs/{job_id}"),
        ("DELETE", f"/jobs/{job_id}"),
        ("GET", f"/jobs/{job_id}/events"),
        ("GET", f"/training-plans/{plan_id}"),
        ("GET", f"/training-plan-schemas/{schema_id}"),
    ]:
        body = short_plan() if method == "POST" else None
        response = stranger.request(method, path, json=body)
        assert response.status_code == 404, (method, path, response.text)
        assert "not found" in response.json()["detail"]
    # Nor can the stranger plan with the owner's schema on its own runner.
    own_runner = create_runner(stranger)
    response = stranger.post(
        f"/runners/{own_runner}/training-plans/generate", json=short_plan(schema_id=schema_id)
    )
    assert response.status_code == 404
    # Listings show only the caller's own schemas (and the built-in ones).
    listed = {s["id"] for s in stranger.get("/training-plan-schemas").json()}
    assert schema_id not in listed and "builtin-5k" in listed
    assert schema_id in {s["id"] for s in api.get("/training-plan-schemas").json()}
    # The owner still sees everything, untouched by the stranger's attempts.
    assert api.get(f"/jobs/{job_id}").json()["state"] == "succeeded"
    assert api.get(f"/training-plans/{plan_id}").status_code == 200
    days = list(stack.db["trainingplan"].find({"plan_id": plan_id}))
    assert days and {d["tenant_id"] for d in days} == {"tenant-main"}


def test_websocket_needs_the_owners_key(api: httpx.Client, stack: Stack) -> None:
    job_id = generate(api, create_runner(api), short_plan())
    ws_url = stack.base_url.replace("http", "ws") + f"/jobs/{job_id}/ws"
    other = stack.new_api_key("ws-other")

    async def close_code(url: str) -> int | None:
        async with websockets.connect(url) as ws:
            try:
                await ws.recv()
            except websockets.ConnectionClosed as closed:
                return closed.rcvd.code if closed.rcvd else None
        return None

    async def events(url: str) -> list[str]:
        async with websockets.connect(url) as ws:
            return [json.loads(m)["event"] async for m in ws]

    assert asyncio.run(close_code(ws_url)) == 4401
    assert asyncio.run(close_code(f"{ws_url}?api_key={other}")) == 4404
    assert asyncio.run(events(f"{ws_url}?api_key={stack.api_key}"))[-1] == "succeeded"


def _asgi(settings: Settings, method: str, path: str, **kw: object) -> httpx.Response:
    async def run() -> httpx.Response:
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                return await client.request(method, path, **kw)  # type: ignore[arg-type]

    return asyncio.run(run())


def test_cors_is_off_unless_configured(stack: Stack) -> None:
    key = new_key()
    base = Settings(
        mongodb_url=stack.mongodb_url,
        mongodb_db=stack.db_name,
        redis_url=stack.redis_url,
        api_keys=configured_entry("cors", key),
    )
    preflight = {
        "Origin": "https://coach.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "X-API-Key",
    }
    off = _asgi(base, "OPTIONS", "/runners", headers=preflight)
    assert "access-control-allow-origin" not in off.headers
    on = base.model_copy(update={"cors_origins": ["https://coach.example"]})
    allowed = _asgi(on, "OPTIONS", "/runners", headers=preflight)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://coach.example"
    other = _asgi(
        on, "OPTIONS", "/runners", headers={**preflight, "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in other.headers
