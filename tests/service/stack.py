"""The real stack the service tests, browser tests and benches run against.

uvicorn API, Celery worker processes, Redis (`REDIS_URL`, else 127.0.0.1:6379, else a
private redis-server) and MongoDB (`MONGODB_URL`, else an in-process SecantusDB). Each
stack uses its own Redis key prefix, Celery queue and database, so stacks sharing a Redis
or MongoDB never see each other. Importable as `tests.service.stack` from the repository
root (pytest, `python -m bench.bench_load`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import redis
from pymongo import MongoClient
from pymongo.database import Database

from shared.apikeys import configured_entry, new_key
from worker.cli.keys import store_key
from worker.cli.stack import free_port, self_command

STARTUP_TIMEOUT_S = 90


class Stack:
    def __init__(self, tmp: Path, redis_url: str, mongodb_url: str) -> None:
        self.sid = uuid.uuid4().hex[:8]
        self.tmp = tmp
        self.redis_url, self.mongodb_url = redis_url, mongodb_url
        self.prefix = f"tptest-{self.sid}"
        # One key configured through settings; others are stored in MongoDB (new_api_key).
        self.api_key = new_key()
        self.db_name = f"trainplan_test_{self.sid}"
        self.env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "MONGODB_URL": mongodb_url,
            "MONGODB_DB": self.db_name,
            "REDIS_PREFIX": self.prefix,
            "CELERY_QUEUE": self.prefix,
            "SOLVER_THREADS": "1",  # 2 shared cores: one CP-SAT thread per worker
            "SOLVER_TIME_LIMIT_S": "3",
            "SOLVER_MAX_TIME_LIMIT_S": "60",
            # The broker's visibility timeout keeps its production default (900 s): a killed
            # worker's job comes back through the recovery loop (heartbeats), not redelivery.
            "PROGRESS_DB_INTERVAL_S": "0.2",
            "PYTHONUNBUFFERED": "1",
            "API_KEYS": configured_entry("tenant-main", self.api_key),
            "API_KEY_CACHE_S": "0",  # a revoked key stops working at once
        }
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.mongo: MongoClient[dict[str, Any]] = MongoClient(mongodb_url, tz_aware=True)
        self.redis = redis.Redis.from_url(redis_url, decode_responses=True)

    @property
    def db(self) -> Database[dict[str, Any]]:
        return self.mongo[self.db_name]

    def new_api_key(self, tenant: str) -> str:
        """A key for another tenant, stored hashed the way `trainplan keys create` does."""
        key = new_key()
        store_key(self.db, tenant, key, name="test")
        return key

    def log_path(self, name: str) -> Path:
        return self.tmp / f"{name}.log"

    def _spawn(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        log = self.log_path(name).open("ab")
        # Own process group: killing a worker takes its pool children with it.
        proc = subprocess.Popen(
            self_command(*args), env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def start_api(self) -> None:
        self._spawn("api", "api", "--port", str(self.port), "--log-level", "warning")
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"API did not become ready: {self.log_path('api').read_text()[-2000:]}")

    def node(self, name: str) -> str:
        return f"{name}-{self.sid}"

    def start_worker(self, name: str) -> None:
        log = self.log_path(name)
        seen = log.read_text().count(" ready.") if log.exists() else 0
        self._spawn(name, "worker", "--concurrency", "1", "--name", f"{self.node(name)}@%h")
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if log.read_text().count(" ready.") > seen:
                return
            if self.procs[name].poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"worker {name} did not start: {log.read_text()[-2000:]}")

    def kill_worker(self, name: str) -> None:
        """SIGKILL the worker and its pool: what a lost host or an OOM kill looks like."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.procs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        keys = list(self.redis.scan_iter(match=f"{self.prefix}:*", count=500))
        if keys:
            self.redis.delete(*keys)
        self.mongo.drop_database(self.db_name)
        self.mongo.close()
