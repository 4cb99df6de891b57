"""Fixtures shared by several test folders.

`stack` (the real service: uvicorn, two Celery workers, Redis, MongoDB; see
tests/service/stack.py) is defined here, once, so that one pytest session starts it
once for tests/service, tests/browser and tests/fuzz.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import httpx
import pytest
import redis

from tests.service.stack import Stack
from worker.cli.stack import private_redis


def _redis_answers(url: str) -> bool:
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp = tmp_path_factory.mktemp("stack")
    with contextlib.ExitStack() as resources:
        redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
        if not _redis_answers(redis_url):
            redis_url = resources.enter_context(private_redis())
        mongodb_url = os.environ.get("MONGODB_URL")
        if not mongodb_url:
            from secantus import SecantusDBServer  # GPL-2.0: test-only dependency

            server = SecantusDBServer(storage_path=str(tmp / "mongodb"))
            server.start()
            resources.callback(server.stop)
            mongodb_url = server.uri
        s = Stack(tmp, redis_url, mongodb_url)
        resources.callback(s.stop)
        s.start_api()
        s.start_worker("w1")
        s.start_worker("w2")
        yield s


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=stack.base_url, timeout=30, headers={"X-API-Key": stack.api_key}
    ) as client:
        yield client
